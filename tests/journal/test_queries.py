"""A fixed, small number of queries per page, whatever the journal holds (no N+1).

Counted: the statements a page sends, without transaction control (BEGIN, COMMIT, savepoints),
which SQLite's driver reports and PostgreSQL's does not, so the counts hold on both. The reach
counters of the evaluation (a step page opened or saved for the first time in a session) are
counted apart: they are one counter each, whatever the journal holds.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers.forms import the_form
from tests.helpers.walk import fill, start_journal, walk

CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


def statements(client, method: str, url: str, data=None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    sent = [
        q["sql"]
        for q in captured.captured_queries
        if not CONTROL.match(q["sql"]) and "evaluation_stepcount" not in q["sql"]
    ]
    return response.status_code, sent


ANONYMOUS = ["/", "/m/reality/", "/m/reality/summary/", "/facts/", "/help/", "/safety/", "/break/"]


@pytest.mark.parametrize("url", ANONYMOUS)
def test_a_visitor_without_a_session_costs_no_query(client, url):
    status, sent = statements(client, "get", url)
    assert status == 200
    assert sent == []


FORMS = ["/m/reality/goals/", "/journal/continue/", "/m/reality/empathy-1/", "/en/m/reality/goals/"]


@pytest.mark.parametrize("url", FORMS)
def test_a_first_page_with_a_form_stores_no_session(client, url):
    status, sent = statements(client, "get", url)
    assert status == 200
    assert sent == []  # the CSRF secret goes in its own cookie: no row before the first post


def test_fifty_cookieless_visits_to_forms_leave_no_session_row_and_a_post_still_works(db):
    from journal.models import VisitorSession
    from tests.conftest import BrowserClient
    from tests.helpers.forms import the_form

    for i in range(50):
        assert BrowserClient().get(FORMS[i % len(FORMS)]).status_code == 200
    assert VisitorSession.objects.count() == 0
    visitor = BrowserClient()
    url = FORMS[2]  # a step with answers (a reading step makes no journal and no session)
    data, _ = fill(the_form(visitor.get(url).content.decode()), "empathy-1", "eerst")
    assert visitor.post(url, data).status_code == 303  # the CSRF check passed
    assert VisitorSession.objects.count() == 1


# With a journal: one query, for the session; where answers are shown, one more reads the
# journal's (encrypted) answers, only those the page shows.
WITH_JOURNAL = [
    "/",
    "/m/reality/",
    "/m/reality/summary/",
    "/facts/",
    "/help/",
    "/en/help/",
    "/journal/phrase/",
    "/journal/delete/",
    "/break/",
    "/journal/export/answers.txt",
    "/en/m/reality/summary/",
]
SHOWS_ANSWERS = {
    "/",  # each module's progress, all in the one query
    "/m/reality/",
    "/m/reality/summary/",
    "/journal/export/answers.txt",
    "/en/m/reality/summary/",
}


@pytest.mark.parametrize("fullness", ["one step saved", "every step saved"])
def test_pages_with_a_journal_need_one_query_with_their_answers(client, module, fullness):
    if fullness == "one step saved":
        start_journal(client, module)
    else:
        walk(client, module)
    for url in WITH_JOURNAL:
        status, sent = statements(client, "get", url)
        assert status == 200, url
        assert len(sent) == (2 if url in SHOWS_ANSWERS else 1), (url, sent)
    for prefix in ("", "/en"):
        for step in module.steps:
            url = f"{prefix}/m/{module.id}/{step.id}/"
            status, sent = statements(client, "get", url)
            assert status == 200
            # The first opening in this session also stores the session with its reach mark.
            assert len(sent) in (2, 3), (step.id, sent)
            assert len(sent) == 2 or sent[-1].upper().startswith("UPDATE"), sent
            assert len(statements(client, "get", url)[1]) == 2, step.id


def test_saving_a_step_is_a_few_statements_however_many_answers(client, module):
    walk(client, module)
    for step in module.steps:
        url = f"/m/{module.id}/{step.id}/"
        form = the_form(client.get(url).content.decode())
        data, _ = fill(form, step.id, "opnieuw")
        status, sent = statements(client, "post", url, data)
        assert status == 303
        kinds = [s.split()[0].upper() for s in sent]
        if connection.vendor == "postgresql":
            # the session; in one transaction: lock the journal, read the module's progress
            # (another tab's save that held the lock is seen), then the whole save in one
            # statement: remove emptied answers, write the others
            without_mark = kinds[:-1] if kinds[-1] == "UPDATE" else kinds
            assert without_mark == ["SELECT", "SELECT", "SELECT", "WITH"], (step.id, sent)
            assert sent[1].rstrip().upper().endswith("FOR UPDATE"), sent[1]
            assert sent[len(without_mark) - 1].count("INSERT INTO") == 1, sent
        else:
            # the session; with the database locked: the journal and the module's progress in
            # one query, [remove emptied answers], write the answers (one statement for all);
            # [the session again, with the evaluation's mark for a step first saved under this
            # session key (evaluation.service.first_time)]
            without_mark = kinds[:-1] if kinds[-1] == "UPDATE" else kinds
            assert without_mark in (
                ["SELECT", "SELECT", "INSERT"],
                ["SELECT", "SELECT", "DELETE", "INSERT"],
            ), (step.id, sent)


def test_a_save_on_a_new_day_also_moves_the_journals_date(client, module):
    from datetime import timedelta

    from django.utils import timezone

    from journal.models import Journal

    start_journal(client, module)
    Journal.objects.update(last_active=timezone.localdate() - timedelta(days=3))
    url = f"/m/{module.id}/{module.steps[1].id}/"
    data, _ = fill(the_form(client.get(url).content.decode()), "start", "dag")
    status, sent = statements(client, "post", url, data)
    assert status == 303
    if connection.vendor != "postgresql":  # there, the save is one statement (WITH …)
        assert sent[-1].split()[0].upper() == "UPDATE"
    assert Journal.objects.get().last_active == timezone.localdate()
