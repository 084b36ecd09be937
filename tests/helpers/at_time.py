"""`python -m tests.helpers.at_time SECONDS gunicorn ARGS…`: gunicorn on a clock set to SECONDS.

For tests of what happens at a given hour (a message written at 03:00) against the real server:
time-machine moves the clock of the master and, through the fork, of its workers, to the Unix
time SECONDS, from where it runs on. Only tests use it; the site has no way to set its clock.
"""

from __future__ import annotations

import sys

import time_machine
from gunicorn.app.wsgiapp import run

if __name__ == "__main__":
    destination = float(sys.argv[1])
    sys.argv = sys.argv[2:]
    with time_machine.travel(destination, tick=True):
        sys.exit(run())
