"""Races between one visitor's tabs, against the production server (issue 16, finding 12).

Two tabs post at the same moment (a barrier releases both requests together), many times over,
against gunicorn with several workers: on SQLite (a database file shared by the workers) and,
with DATABASE_URL set, on PostgreSQL (this test's database).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers.forms import the_form
from tests.helpers.live import migrate, server_env, serving
from tests.helpers.livewalk import Browser
from tests.helpers.walk import fill

from .test_canary import database_url

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

ROUNDS = 25


@pytest.fixture
def server(tmp_path):
    env = server_env(
        tmp_path,
        DATABASE_URL=database_url(tmp_path),
        BAKEN_WORKERS="4",
        BAKEN_NEW_JOURNALS_PER_SECOND="1000",  # a journal each round, quickly
    )
    if connection.vendor == "sqlite":
        migrate(env)
    log = tmp_path / "server.log"
    with serving(env, log) as base:
        yield {"base": base, "tmp": tmp_path}
    print(log.read_text()[-3000:])  # shown by pytest when the test fails


def together(tab: Browser, *posts: tuple[str, dict[str, str]]) -> list[int]:
    """Send the posts from one browser (its tabs) at the same moment; their statuses, in order."""
    barrier = threading.Barrier(len(posts))
    results: list = [None] * len(posts)

    def run(i, post):
        barrier.wait()
        results[i] = tab.post(*post)[0]

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def step_post(browser: Browser, module, number: int) -> tuple[str, dict[str, str]]:
    """A filled form of step `number` (from 1), as a tab shows it, ready to post."""
    url = f"/m/{module.id}/{module.steps[number - 1].id}/"
    status, page, _ = browser.get(url)
    assert status == 200, url
    data, _ = fill(the_form(page), module.steps[number - 1].id, "race" + uuid.uuid4().hex[:6])
    return url, data


def rows(server) -> tuple[int, int]:
    """Journals and answers left in the server's database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM journal_journal")
            journals = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM journal_entry")
            return journals, cursor.fetchone()[0]
    db = sqlite3.connect(Path(server["tmp"]) / "canary.sqlite3")
    try:
        journals = db.execute("SELECT count(*) FROM journal_journal").fetchone()[0]
        return journals, db.execute("SELECT count(*) FROM journal_entry").fetchone()[0]
    finally:
        db.close()


def test_two_tabs_saving_at_once_keep_both_progress_marks(server, module):
    lost = []
    for round_ in range(ROUNDS):
        tab = Browser(server["base"])
        # Step 2 is the first with answers: it makes the journal (and marks the reading step 1).
        url, data = step_post(tab, module, 2)
        assert tab.post(url, data)[0] == 303
        first, second = step_post(tab, module, 3), step_post(tab, module, 4)
        statuses = together(tab, first, second)
        assert statuses == [303, 303], statuses
        _, overview, _ = tab.get(f"/m/{module.id}/")
        done = len(re.findall(r'class="status done"', overview))
        if done != 4:
            lost.append((round_, done))
    assert lost == [], f"{len(lost)} of {ROUNDS} rounds lost a progress mark: {lost}"


def test_delete_everything_racing_a_save_leaves_no_journal_and_no_error(server, module):
    statuses = []
    for _ in range(ROUNDS):
        tab = Browser(server["base"])
        url, data = step_post(tab, module, 2)  # the first step with answers makes the journal
        assert tab.post(url, data)[0] == 303
        _, page, _ = tab.get("/journal/delete/")
        confirm = dict(the_form(page).fields)
        save = step_post(tab, module, 3)
        statuses.append(tuple(together(tab, ("/journal/delete/", confirm), save)))
    # The delete always goes through; the save either comes first (303) or finds the journal
    # gone (410), or its session ended (400, 403): never an error, never a journal again.
    assert {delete for delete, _ in statuses} == {200}, statuses
    assert {save for _, save in statuses} <= {303, 400, 403, 410}, statuses
    assert rows(server) == (0, 0)
