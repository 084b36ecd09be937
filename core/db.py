"""Database helpers every app uses: SQLite writers taking turns."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_writer_locks: dict[tuple[int, str], int] = {}
_in_process = threading.Lock()  # threads of one process share the descriptor, and its lock
_held = threading.local()


@contextmanager
def one_writer() -> Iterator[None]:
    """On SQLite, writes take turns by waiting in the kernel, not in SQLite's busy handler.

    SQLite lets one process write at a time; another one that finds the database locked sleeps
    1, then 2, then 5 ms… before it tries again, while a save holds the lock for well under a
    millisecond. With several workers saving at once, most of their time went to those sleeps.
    A blocking lock on a file beside the database wakes the next writer as soon as the lock is
    free. SQLite's own locking still guards the data: this only orders the waiting. Every
    write on a visitor's path takes it: saves, new journals, sessions. Nested, it is a no-op
    (the outer one holds the lock until it ends).
    """
    name = str(connection.settings_dict["NAME"])
    if (
        connection.vendor != "sqlite"
        or name.startswith("file:")
        or ":memory:" in name
        or getattr(_held, "holding", False)
    ):
        yield
        return
    key = (os.getpid(), name)  # a descriptor per process: a lock shared by fork excludes nobody
    with _in_process:
        if key not in _writer_locks:
            _writer_locks[key] = os.open(f"{name}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        descriptor = _writer_locks[key]
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        _held.holding = True
        try:
            yield
        finally:
            _held.holding = False
            fcntl.flock(descriptor, fcntl.LOCK_UN)
