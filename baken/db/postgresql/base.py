"""Django's PostgreSQL backend, with its health check skipped on a connection in steady use.

Baken keeps each worker's connection between requests (`CONN_MAX_AGE`), so that a request
does not pay for connecting. With `CONN_HEALTH_CHECKS`, Django then asks PostgreSQL
`SELECT 1` before the first query of every request, in case the server went away in between:
one round trip more per request, a third of a module step's. Here the question is asked only
when the connection has not been used for `FRESH_SECONDS`. Under load that is never, and
after a quiet spell (when a restart of PostgreSQL may have gone unnoticed) it is always.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper

FRESH_SECONDS = 1.0


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    last_used = float("-inf")

    def close_if_health_check_failed(self) -> None:
        # Django calls this before every cursor it hands out; only the first call of a request
        # can do anything (it sets `health_check_done`).
        now = time.monotonic()
        if (self.connection is not None and not self.health_check_done
                and now - self.last_used < FRESH_SECONDS):
            self.health_check_done = True
        super().close_if_health_check_failed()
        self.last_used = now
