"""The app with a trace of each save inside the server (`BENCH_TRACE=1 make bench`).

For every POST while `<trace dir>/on` exists, one line: the request's time in the worker, its
CPU time, the time spent committing (the database's fsync) and waiting for SQLite's writer
lock. It tells a save that was slow because the disk stalled from one that computed too long.
Off by default: the trace costs a little time of its own.
"""

import fcntl
import os
import time
from pathlib import Path

from django.db.backends.base import base

from baken.wsgi import application as app

TRACE = Path(os.environ["BENCH_TRACE_DIR"])
_spent = {"commit": 0.0, "lock": 0.0}
_commit = base.BaseDatabaseWrapper.commit
_flock = fcntl.flock


def _timed_commit(self):
    started = time.perf_counter()
    try:
        return _commit(self)
    finally:
        _spent["commit"] += time.perf_counter() - started


def _timed_flock(descriptor, operation):
    started = time.perf_counter()
    try:
        return _flock(descriptor, operation)
    finally:
        _spent["lock"] += time.perf_counter() - started


base.BaseDatabaseWrapper.commit = _timed_commit
fcntl.flock = _timed_flock


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST" or not (TRACE / "on").exists():
        return app(environ, start_response)
    _spent["commit"] = _spent["lock"] = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        return app(environ, start_response)
    finally:
        line = (
            f"{(time.perf_counter() - wall) * 1e3:.3f} {(time.process_time() - cpu) * 1e3:.3f} "
            f"{_spent['commit'] * 1e3:.3f} {_spent['lock'] * 1e3:.3f}\n"
        )
        with (TRACE / f"saves-{os.getpid()}.txt").open("a") as trace:
            trace.write(line)
