"""Make the peer's visitors (`python -m bench.peer.seed COUNT MODULE`), before anything is timed.

Migrates the peer's database, then makes COUNT visitors: each has a journal with an answer
to every question of the module, sealed as Baken seals it, and a session (Django's database
backend) holding the journal's id, lookup id and key material (plain base64). Prints the
visitors' cookies as one JSON list. Visitor n's answers read "bench<n>-<question id>-antwoord",
as the app's visitors' do.
"""

from __future__ import annotations

import json
import secrets
import sys
from base64 import b64encode


def seed(count: int, module_id: str) -> list[str]:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from journal.crypto import JournalKeys, seal

    from .models import Entry
    from .steps import steps

    call_command("migrate", interactive=False, verbosity=0)
    questions = [name for step in steps(module_id).values() for name in step.form.base_fields]
    cookies = []
    for n in range(count):
        keys = JournalKeys(secrets.token_hex(32), secrets.token_bytes(64))
        Entry.objects.bulk_create(
            Entry(journal=n, slot=slot, sealed=sealed)
            for slot, sealed in (
                seal(keys, name, f"bench{n}-{name}-antwoord") for name in questions
            )
        )
        session = SessionStore()
        session.update(
            {"journal": n, "lookup": keys.lookup_id, "key": b64encode(keys.material).decode()}
        )
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(seed(int(sys.argv[1]), sys.argv[2])))
