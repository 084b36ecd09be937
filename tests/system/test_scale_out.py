"""Scale out: two app servers share one database, with no sticky sessions.

Two gunicorn servers, each with its own var/ folder (nothing shared on disk) and the same three
secrets from the environment, as docs/operations.md tells operators to run them. One visitor's
requests alternate between the two: the form comes from one server and is posted to the other,
every time. The visitor completes the module; a second visitor continues with the phrase, also
alternating, and finds every answer.

On PostgreSQL both servers use this test's database. On SQLite they share one database file,
which is how SQLite can serve several processes on one machine.
"""

from __future__ import annotations

import html
import re
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers.forms import the_form
from tests.helpers.live import BIN, free_port, migrate, start_gunicorn, wait_until_answering
from tests.helpers.livewalk import Browser, walk_live

from .test_canary import database_url

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


class Alternating(Browser):
    """One browser (one cookie jar) whose every request goes to the next server in turn."""

    def __init__(self, bases: list[str]):
        super().__init__(bases[0])
        self.bases = bases
        self.served_by: list[str] = []

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, dict]:
        self.base = self.bases[len(self.served_by) % len(self.bases)]
        self.served_by.append(self.base)
        return super().request(path, data)


@pytest.fixture
def two_servers(tmp_path):
    shared = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
        "DATABASE_URL": database_url(tmp_path),
        "BAKEN_WORKERS": "1",
        "BAKEN_SECRET_KEY": uuid.uuid4().hex * 2,
        "BAKEN_LOOKUP_PEPPER": uuid.uuid4().hex * 2,
        "BAKEN_KEY_PEPPER": uuid.uuid4().hex * 2,
    }
    if connection.vendor == "sqlite":
        migrate(shared)
    servers = []
    for name in ("a", "b"):
        port = free_port()
        log = (tmp_path / f"server-{name}.log").open("wb")
        env = {**shared, "BAKEN_VAR_DIR": str(tmp_path / f"var-{name}")}
        process = start_gunicorn(env, port, log)
        servers.append((f"http://127.0.0.1:{port}", process, log))
    try:
        for base, process, log in servers:
            wait_until_answering(base, process, Path(log.name))
        yield [base for base, _, _ in servers]
    finally:
        for _, process, log in servers:
            process.terminate()
            process.wait(timeout=10)
            log.close()


def test_a_journey_alternating_between_two_servers_completes_the_module(two_servers, module):
    visitor = Alternating(two_servers)
    tag = "twee" + uuid.uuid4().hex[:8]
    written, phrase = walk_live(visitor, module, tag)

    # Every form was shown by one server and posted to the other.
    assert set(visitor.served_by) == set(two_servers)
    assert all(a != b for a, b in zip(visitor.served_by, visitor.served_by[1:], strict=False))
    assert len(phrase.split()) == 7
    _, overview, _ = visitor.get(f"/m/{module.id}/")
    assert overview.count('class="status done"') == len(module.steps)
    _, summary, _ = visitor.get(f"/m/{module.id}/summary/")
    texts = [v for v in written.values() if tag in v]
    assert len(texts) >= 40
    assert [t for t in texts if t not in html.unescape(summary)] == []

    # Another device continues with the phrase, its requests alternating too.
    other = Alternating(list(reversed(two_servers)))
    _, page, _ = other.get("/journal/continue/")
    status, _, headers = other.post(
        "/journal/continue/", dict(the_form(page).fields, phrase=phrase)
    )
    assert status == 303, headers
    _, summary, _ = other.get(f"/m/{module.id}/summary/")
    assert [t for t in texts if t not in html.unescape(summary)] == []
    assert re.search(r"Niet beantwoord", summary) is None
