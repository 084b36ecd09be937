"""Deleting under a reader on SQLite (issue 16, finding 4), and purging on PostgreSQL (5).

SQLite: with a reader open on the database (a backup, a slow export), "delete everything"
must not wait for it nor stall other visitors' saves; what the deletion left in the -wal file
is scrubbed later, by `expirejournals`, and counted in the log, never silently left.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers.forms import the_form
from tests.helpers.live import BIN, migrate, server_env, serving
from tests.helpers.livewalk import Browser
from tests.helpers.walk import fill


def first_save(browser: Browser, module, number: int = 2) -> int:
    """Save step `number` (the second, the first with answers, makes the journal)."""
    step = module.steps[number - 1]
    _, page, _ = browser.get(f"/m/{module.id}/{step.id}/")
    data, _ = fill(the_form(page), step.id, "scrub")
    return browser.post(f"/m/{module.id}/{step.id}/", data)[0]


@pytest.mark.live
def test_a_delete_under_an_open_reader_stalls_nobody_and_is_scrubbed_later(tmp_path, module):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write-ahead log")
    env = server_env(tmp_path)
    migrate(env)
    db = tmp_path / "server.sqlite3"
    wal = Path(f"{db}-wal")
    log = tmp_path / "server.log"
    with serving(env, log) as base:
        leaving, staying = Browser(base), Browser(base)
        assert first_save(leaving, module) == 303
        assert first_save(staying, module) == 303
        lookup = (
            sqlite3.connect(db)
            .execute("SELECT lookup_id FROM journal_journal ORDER BY id LIMIT 1")
            .fetchone()[0]
        )
        _, page, _ = leaving.get("/journal/delete/")
        confirm = dict(the_form(page).fields)
        step = module.steps[1]
        _, page, _ = staying.get(f"/m/{module.id}/{step.id}/")
        save, _ = fill(the_form(page), step.id, "intussen")

        reader = sqlite3.connect(db, isolation_level=None)  # a backup, say
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM journal_entry").fetchall()
        timings: dict[str, float] = {}

        def timed(name, call):
            started = time.monotonic()
            timings[name + " status"] = call()
            timings[name] = time.monotonic() - started

        deleting = threading.Thread(
            target=timed, args=("delete", lambda: leaving.post("/journal/delete/", confirm)[0])
        )
        deleting.start()
        time.sleep(0.3)  # the delete first, then another visitor's save
        timed("save", lambda: staying.post(f"/m/{module.id}/{step.id}/", save)[0])
        deleting.join(timeout=60)
        print(timings)
        assert timings["delete status"] == 200 and timings["save status"] == 303
        assert timings["delete"] < 3, timings
        assert timings["save"] < 3, timings
        # The deleted journal's lookup id is still in the log the reader kept from emptying.
        assert lookup.encode() in wal.read_bytes()
        reader.close()
    output = log.read_text()
    # What the reader kept the checkpoint from copying is counted in the log, not left silently.
    assert "SQLite log after a deletion" in output, output
    expired = subprocess.run(
        [BIN / "python", "manage.py", "expirejournals"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    print(expired.stdout, expired.stderr)
    assert "SQLite log scrubbed" in expired.stdout
    for path in (db, wal):
        assert not path.exists() or lookup.encode() not in path.read_bytes(), path


def raw_pages(table: str) -> bytes:
    """Every byte of a table's data pages, dead rows included (PostgreSQL's pageinspect)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(
            "SELECT get_raw_page(%s, i) FROM generate_series(0, "
            "(pg_relation_size(%s) / current_setting('block_size')::int) - 1) AS i",
            [table, table],
        )
        return b"".join(bytes(page) for (page,) in cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_purge_removes_deleted_rows_from_the_data_files(client, module):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's data files")
    from django.core.management import call_command

    from journal.models import Journal
    from tests.conftest import BrowserClient
    from tests.helpers.walk import start_journal

    start_journal(BrowserClient(), module)  # another visitor's, which stays
    start_journal(client, module)
    lookup = Journal.objects.order_by("pk").last().lookup_id.encode()
    page = client.get("/journal/delete/")
    assert (
        client.post("/journal/delete/", dict(the_form(page.content.decode()).fields)).status_code
        == 200
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM journal_journal")  # what autovacuum does
    assert lookup in raw_pages("journal_journal")  # still in the data file
    out = StringIO()
    call_command("expirejournals", "--purge", stdout=out)
    print(out.getvalue())
    assert "Purged deleted rows from PostgreSQL's data files in" in out.getvalue()
    assert lookup not in raw_pages("journal_journal")
