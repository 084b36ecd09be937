"""PostgreSQL: the connection's health check costs a round trip only after a quiet spell.

Runs in CI's second run, on PostgreSQL (SQLite's health check asks nothing of a server).
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, connections

from baken.db.postgresql.base import FRESH_SECONDS


def a_request() -> None:
    """What Django does around each request, and one query in between."""
    connection.close_if_unusable_or_obsolete()  # the request starts
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)  # autocommit, as between requests
def test_the_health_check_runs_only_after_a_quiet_spell(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend: CI runs the suite on PostgreSQL too")
    assert connection.health_check_enabled
    checks = []
    wrapper = type(connections["default"])
    usable = wrapper.is_usable
    monkeypatch.setattr(wrapper, "is_usable",
                        lambda self: checks.append(1) or usable(self))
    a_request()
    connection.close_at = None  # kept between requests, as with CONN_MAX_AGE
    checks.clear()
    for _ in range(5):
        a_request()
    assert checks == []  # in steady use: no SELECT 1 before the request's first query

    connection.last_used -= FRESH_SECONDS + 1
    a_request()
    assert checks == [1]

    # A connection that PostgreSQL dropped during a quiet spell is replaced before it is used.
    dropped = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped])
    connection.last_used -= FRESH_SECONDS + 1
    a_request()
    assert connection.connection.info.backend_pid != dropped
