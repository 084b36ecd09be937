"""The app's frame: the floor's constant page (bench/floor.py) behind Baken's own settings.

Served with these settings (those `make run` uses, with the floor's URLconf), every request
goes through the whole middleware stack as a step does: security and privacy headers, the
session read from the database and its age checked (journal.middleware), CSRF, compression.
The page is a saved copy of a module step, uncompressed (BENCH_FLOOR_BODY, no encoding), which
the compression middleware compresses as it does a step's page. What a step costs beyond this
is its own work: its journal key, its saved answers, its page.
"""

from baken.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
