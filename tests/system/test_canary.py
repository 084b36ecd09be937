"""A seized database reveals no answer: canaries written through a real server are nowhere at rest.

The module is walked through gunicorn (as `make run` starts it) with a unique canary in every
answer. Then the bytes of the database (SQLite file, -wal and -shm; or a pg_dump), the server's
whole output and a `dumpdata` are searched: zero occurrences. After "delete everything", the
journal's lookup id and ciphertexts are gone from the database's bytes too. The evaluation's
tables, filled by a walk that says yes and sends feedback (with a canary slipped into the
post), hold no canary and no free text at all.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers import live
from tests.helpers.forms import the_form
from tests.helpers.live import (
    BIN,
    free_port,
    migrate,
    server_env,
    start_gunicorn,
    wait_until_answering,
)
from tests.helpers.livewalk import Browser, walk_live

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def database_url(tmp_path: Path) -> str:
    """The server's database: a fresh SQLite file, or this test's PostgreSQL database."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return (
            f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'canary.sqlite3'}"


@pytest.fixture
def server(tmp_path):
    env = server_env(tmp_path, DATABASE_URL=database_url(tmp_path))
    if connection.vendor == "sqlite":
        migrate(env)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = start_gunicorn(env, port, out, "--log-level", "debug")
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(base, process, log)
        yield {"base": base, "env": env, "log": log, "tmp": tmp_path, "process": process}
        process.terminate()
        process.wait(timeout=10)
    print(log.read_text()[-3000:])  # shown by pytest when the test fails


def at_rest(server) -> bytes:
    """Every byte the database keeps: the SQLite files, or a pg_dump."""
    return b"".join(live.at_rest(server["env"]["DATABASE_URL"]).values())


def dumpdata(server, app: str = "journal") -> str:
    return subprocess.run(
        [BIN / "python", "manage.py", "dumpdata", app],
        env=server["env"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_no_answer_is_readable_at_rest_in_logs_or_dumps(server, module):
    canary = "kanarie" + uuid.uuid4().hex[:12]
    browser = Browser(server["base"])
    written, phrase = walk_live(browser, module, canary)
    assert len(phrase.split()) == 7
    texts = [v for v in written.values() if canary in v]
    assert len(texts) >= 40  # every free-text answer of the module and two own rows
    # The answers really were saved: a second browser resumes and finds them.
    other = Browser(server["base"])
    _, page, _ = other.get("/journal/continue/")
    status, _, headers = other.post(
        "/journal/continue/", dict(the_form(page).fields, phrase=phrase)
    )
    assert status == 303
    _, summary, _ = other.get(f"/m/{module.id}/summary/")
    assert all(t in summary for t in texts)

    stored = at_rest(server)
    dumped = dumpdata(server)
    server["process"].terminate()
    server["process"].wait(timeout=10)
    logged = server["log"].read_bytes()
    assert len(stored) > 10_000 and '"model": "journal.entry"' in dumped
    for haystack in (stored, logged, dumped.encode()):
        assert haystack.count(canary.encode()) == 0
        assert haystack.count(canary[::-1].encode()) == 0
        assert phrase.encode() not in haystack
        # Whole words of six letters or more: shorter ones, and words inside others ("continu"
        # in gunicorn's debug log's "continue"), occur by chance.
        for word in (w for w in phrase.split() if len(w) >= 6):
            assert re.search(rb"\b" + word.encode() + rb"\b", haystack) is None, word


def test_delete_everything_leaves_no_trace_of_the_journal(server, module):
    browser = Browser(server["base"])
    walk_live(browser, module, "wissen" + uuid.uuid4().hex[:8])
    dumped = dumpdata(server)
    lookup = re.search(r'"lookup_id": "([0-9a-f]{64})"', dumped).group(1)
    slots = re.findall(r'"slot": "([0-9a-f]{32})"', dumped)
    sealed = re.findall(r'"sealed": "([A-Za-z0-9+/=]{40,})"', dumped)
    assert len(slots) > 40 and len(sealed) == len(slots)
    assert lookup.encode() in at_rest(server)

    _, page, _ = browser.get("/journal/delete/")
    status, body, headers = browser.post("/journal/delete/", dict(the_form(page).fields))
    assert status == 200 and headers["Clear-Site-Data"]

    stored = at_rest(server)
    assert lookup.encode() not in stored
    import base64

    for slot_id, blob in zip(slots, sealed, strict=True):
        assert slot_id.encode() not in stored
        assert base64.b64decode(blob)[12:44] not in stored


# Every string the evaluation keeps is a key, a week, a name from the content or a choice:
# nothing anyone typed.
KEPT = re.compile(r"^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-W\d{2})$")


def test_the_evaluation_tables_hold_no_canary_and_no_free_text(server, module):
    import json

    canary = "kanarie" + uuid.uuid4().hex[:12]
    browser = Browser(server["base"])
    walk_live(browser, module, canary, choices={"count-scores": "yes"})
    feedback = f"/m/{module.id}/feedback/"
    _, page, _ = browser.get(feedback)
    status, _, _ = browser.post(
        feedback,
        dict(the_form(page).fields, helpfulness="4", intent=canary, recommend="yes", note=canary),
    )
    assert status == 303
    # Rows wait in the server for a batch; a stopping worker writes them (worker_exit).
    server["process"].terminate()
    server["process"].wait(timeout=10)
    dumped = dumpdata(server, "evaluation")
    rows = json.loads(dumped)
    models = {row["model"] for row in rows}
    assert models == {"evaluation.contribution", "evaluation.feedback", "evaluation.stepcount"}
    strings = []

    def collect(value):
        if isinstance(value, dict):
            for k, v in value.items():
                strings.append(k)
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)
        elif isinstance(value, str):
            strings.append(value)

    collect(rows)
    assert canary not in dumped and canary.encode() not in at_rest(server)
    names = {step.id for step in module.steps} | {
        item.id
        for step in module.steps
        for block in step.blocks
        if block.type_name() == "rating"
        for item in block.items
    }
    allowed = names | {
        "",
        "reality",
        "yes",
        "no",
        "unsure",
        "module",
        "week",
        "ratings",
        "step",
        "model",
        "pk",
        "fields",
        "reached",
        "saved",
        "helpfulness",
        "recommend",
        "intent",
        "evaluation.contribution",
        "evaluation.feedback",
        "evaluation.stepcount",
    }
    typed = {s for s in strings if not KEPT.match(s)} - allowed
    assert typed == set(), typed
    assert {s for s in strings if KEPT.match(s)}, "no key or week found: the pattern is broken"
