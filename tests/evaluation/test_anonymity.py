"""Thirty journals walk the module: some say yes, some no, some send feedback. Nothing the
evaluation keeps can be joined to a journal, a session or the time of a request within a week.
`pytest -s` prints what was found."""

from __future__ import annotations

import random
import re
import uuid

import pytest
from django.conf import settings
from django.db import connection

from evaluation import service
from evaluation.models import Contribution, Feedback, StepCount
from evaluation.service import iso_week
from journal.models import Entry, Journal, VisitorSession
from journal.sessions import hashed
from tests.conftest import BrowserClient
from tests.helpers.forms import the_form
from tests.helpers.walk import fill, walk

pytestmark = pytest.mark.django_db

TABLES = {
    Contribution: {"id", "module", "week", "ratings"},
    Feedback: {"id", "module", "week", "helpfulness", "recommend", "intent"},
    StepCount: {"id", "module", "step", "week", "reached", "saved"},
}
WEEK = re.compile(r"^\d{4}-W\d{2}$")


def finish(client, module, consent: str | None, scores: list[str]) -> None:
    """Steps 13 (closing ratings and the question) and 14, as a visitor would."""
    for step, extra in (("closing", True), ("reflection", False)):
        url = f"/m/{module.id}/{step}/"
        data, _ = fill(the_form(client.get(url).content.decode()), step, "x")
        if extra:
            for name, value in zip(
                sorted(n for n in data if n.startswith("end.")), scores, strict=True
            ):
                data[name] = value
            data.pop("count-scores", None)
            if consent:
                data["count-scores"] = consent
        assert client.post(url, data).status_code == 303


def journeys(module, monkeypatch, count: int = 30):
    """`count` visitors; returns their clients and the order contributions were made in (the
    order of the visitors' "yes"), as the server runs in production: rows wait for a batch of
    5, written by a later request, and the rest when the server stops."""
    written: list[uuid.UUID] = []
    wait = service._wait

    def note(row):
        if isinstance(row, Contribution):
            written.append(row.pk)
        wait(row)

    monkeypatch.setattr(service, "_wait", note)
    monkeypatch.setattr(settings, "BAKEN_EVALUATION_BATCH", 5)
    chooser = random.Random(19)
    clients = []
    try:
        for i in range(count):
            client = BrowserClient()
            walk(client, module, tag=f"v{i}", steps=range(1, 13))
            consent = ("yes", "no", None)[i % 3]
            finish(client, module, consent, [str(chooser.randint(1, 3)) for _ in range(3)])
            if i % 2 == 0:
                page = client.get(f"/m/{module.id}/feedback/").content.decode()
                data = {**the_form(page).fields, "helpfulness": str(i % 5 + 1), "intent": "no"}
                assert client.post(f"/m/{module.id}/feedback/", data).status_code == 303
            clients.append(client)
    finally:
        service.flush()  # as gunicorn's worker_exit does
    return clients, written


def test_thirty_journals_leave_nothing_to_join(module, capsys, monkeypatch):
    clients, written = journeys(module, monkeypatch)

    # What a journal and a session could be recognised by (their small integer keys are left
    # out: counters reach the same numbers; no column refers to another table, see 1.).
    session_keys = [c.cookies["session"].value for c in clients]
    identifiers = {*session_keys, *(hashed(k) for k in session_keys)}
    identifiers |= {j.lookup_id for j in Journal.objects.all()}
    identifiers |= {bytes(e.sealed).hex()[:32] for e in Entry.objects.all()}

    # 1. Only the columns the issue allows: no journal, session, sequence or time column.
    for model, allowed in TABLES.items():
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                connection.cursor(), model._meta.db_table
            )
        }
        assert columns == allowed, model
        for field in model._meta.get_fields():
            assert field.get_internal_type() not in ("DateTimeField", "DateField", "TimeField")
            assert not field.is_relation

    # 2. Yes made rows, no and nothing made none; one row per yes; feedback per press.
    assert Contribution.objects.count() == 10 == len(written)
    assert Feedback.objects.count() == 15
    assert StepCount.objects.count() == len(module.steps)  # counters, never a row per visitor
    counts = {c.step: (c.reached, c.saved) for c in StepCount.objects.all()}
    assert all(v == (30, 30) for v in counts.values()), counts

    # 3. No value in any evaluation table is, or contains, an identifier of a journal or a
    #    session; every week is an ISO week, the only time kept.
    dump = []
    for model in TABLES:
        for row in model.objects.values():
            dump.append(repr(row))
            assert WEEK.match(row["week"]) and row["week"] == iso_week()
    text = "\n".join(dump)
    assert not [i for i in identifiers if i in text]

    # ...and no journal or session holds a contribution's id (the link the other way round).
    ids = {str(pk) for pk in written} | {pk.hex for pk in written}
    at_rest = repr(list(VisitorSession.objects.values_list("session_data", flat=True)))
    at_rest += repr(list(Journal.objects.values())) + repr(
        [bytes(e.sealed).hex() for e in Entry.objects.all()]
    )
    assert not [i for i in ids if i in at_rest]
    # The session remembers what was counted only as marks keyed by its cookie's value.
    assert "reality/" not in at_rest and "closing" not in at_rest

    # 4. Ids are random (UUID4), and rows are stored in the order of those ids, not of writing.
    assert all(pk.version == 4 for pk in written)
    stored = list(Contribution.objects.values_list("pk", flat=True).order_by())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Contribution._meta.db_table}")  # noqa: S608
        physical = [uuid.UUID(str(r[0])) for r in cursor.fetchall()]
    if connection.vendor == "sqlite":
        for model in (Contribution, Feedback):
            with pytest.raises(Exception, match="rowid"), connection.cursor() as cursor:
                cursor.execute(f"SELECT rowid FROM {model._meta.db_table}")  # noqa: S608
        assert physical == sorted(physical, key=lambda u: u.hex)
    same_place = sum(a == b for a, b in zip(physical, written, strict=True))
    with capsys.disabled():
        print(
            f"\n30 journals: {Contribution.objects.count()} contributions, "
            f"{Feedback.objects.count()} feedback rows, {StepCount.objects.count()} counters; "
            f"{same_place} of {len(written)} contributions stored where their writing order "
            f"would put them; identifiers found in evaluation tables: 0"
        )
    assert sorted(stored, key=lambda u: u.hex) == sorted(written, key=lambda u: u.hex)


def test_a_journal_contributes_once_and_no_adds_nothing(client, module):
    walk(client, module, tag="once", steps=range(1, 13))
    finish(client, module, "yes", ["1", "2", "3"])
    finish(client, module, "yes", ["3", "3", "3"])  # changed and saved again
    assert Contribution.objects.count() == 1
    finish(client, module, "no", ["3", "3", "3"])
    assert Contribution.objects.count() == 1
    ratings = Contribution.objects.get().ratings
    assert sorted(ratings.values()) == [[1, 1], [1, 2], [1, 3]]


def test_reaching_a_step_again_counts_once(client, module):
    from tests.helpers.walk import start_journal

    start_journal(client, module)  # a visitor with a session (a page view makes none)
    StepCount.objects.all().delete()
    url = f"/m/{module.id}/{module.steps[0].id}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert StepCount.objects.get(step=module.steps[0].id).reached == 1


def test_rows_wait_for_a_batch_written_by_a_later_request(client, module, monkeypatch):
    """Nothing is written by the request that says yes: five rows wait, and a later request
    (another visitor's) writes them together; a stopping server writes what is left."""
    monkeypatch.setattr(settings, "BAKEN_EVALUATION_BATCH", 5)
    monkeypatch.setattr(service, "_lucky", lambda: False)  # no request happens to write yet
    visitors = []
    for i in range(5):
        visitor = BrowserClient()
        walk(visitor, module, tag=f"b{i}", steps=range(1, 13))
        finish(visitor, module, "yes", ["1", "2", "3"])
        visitors.append(visitor)
        assert Contribution.objects.count() == 0
    # A full batch is written by a later request chosen by chance: here, another visitor's.
    monkeypatch.setattr(service, "_lucky", lambda: True)
    assert client.get(f"/m/{module.id}/{module.steps[0].id}/").status_code == 200
    assert Contribution.objects.count() == 5  # written by this other visitor's request
    finish(visitors[0], module, "yes", ["2", "2", "2"])  # contributed already: nothing
    assert StepCount.objects.get(step="closing").saved == 5  # counts are written too
    walk(BrowserClient(), module, tag="late", steps=range(1, 13))
    finish(visitors[-1], module, "no", ["1", "1", "1"])
    assert Contribution.objects.count() == 5
    late = BrowserClient()
    walk(late, module, tag="late2", steps=range(1, 13))
    finish(late, module, "yes", ["3", "3", "3"])
    assert Contribution.objects.count() == 5
    assert service.flush() == 1  # the server stops: what waits is written
    assert Contribution.objects.count() == 6
