"""The phrase's key derivation: versioned and recorded on every journal, the lookup id and
the key independent whatever the peppers are, and old journals moved on (issue 16, 1 and 11)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from baken.settings.secrets_check import problems
from journal import crypto, service
from journal.models import Entry, Journal
from tests.conftest import BrowserClient
from tests.helpers.forms import the_form
from tests.helpers.walk import start_journal

SAME = "one-and-the-same-pepper-for-both-uses-0123456789"


def attack(journal: Journal) -> int:
    """What the attack of the finding reads from the database alone: with equal peppers,
    version 1's lookup id was the HKDF-Extract output its key material was expanded from."""
    material = HKDFExpand(hashes.SHA256(), 64, crypto.VERSION + b" key").derive(
        bytes.fromhex(journal.lookup_id)
    )
    keys = crypto.JournalKeys(journal.lookup_id, material)
    opened = 0
    for entry in Entry.objects.filter(journal=journal):
        try:
            crypto.open_sealed(keys, entry.slot, bytes(entry.sealed))
            opened += 1
        except crypto.CryptoError:
            pass
    return opened


def legacy_journal(words: list[str], answers: dict[str, str]) -> Journal:
    """A journal as the code before versions made it (version 1)."""
    old = crypto.Kdf(1, 64, 1, 1)
    keys = crypto.derive(words, old)
    journal = Journal.objects.create(
        lookup_id=keys.lookup_id, kdf=keys.kdf, last_active="2026-11-01"
    )
    service.JournalHandle(journal.pk, keys).write(answers)
    return journal


def test_with_equal_peppers_the_database_alone_decrypts_nothing(client, module, settings):
    settings.BAKEN_PEPPERS = {"lookup": SAME, "key": SAME}
    start_journal(client, module)
    journal = Journal.objects.get()
    assert Entry.objects.filter(journal=journal).exists()
    assert attack(journal) == 0
    # The same attack on a version 1 journal: the reproduction of the finding.
    words = crypto.normalise(crypto.generate_phrase("nl"))
    old = legacy_journal(words, {"reality/x": "neutrale testtekst"})
    assert attack(old) == 1


def test_every_journal_records_how_its_phrase_is_stretched(client, module):
    start_journal(client, module)
    assert Journal.objects.get().kdf == crypto.current_kdf().label
    assert crypto.current_kdf().label == "argon2id-v2:m=64,t=1,p=1"  # the test settings
    assert crypto.Kdf.parse(crypto.current_kdf().label) == crypto.current_kdf()


def test_the_shipped_derivation_is_owasps_argon2id_minimum():
    from baken.settings import base

    assert base.BAKEN_KDF == {"memory_kib": 19456, "iterations": 2, "lanes": 1}


def test_an_old_journal_opens_with_its_own_derivation_and_moves_to_the_current(module, db):
    phrase = crypto.generate_phrase("nl")
    words = crypto.normalise(phrase)
    answer = f"{module.id}/{next(iter(module.steps[1].inputs()))}"
    journal = legacy_journal(words, {answer: "oud antwoord"})
    old_lookup = journal.lookup_id
    visitor = BrowserClient()
    form = the_form(visitor.get("/journal/continue/").content.decode())
    response = visitor.post("/journal/continue/", dict(form.fields, phrase=phrase))
    assert response.status_code == 303
    journal.refresh_from_db()
    assert journal.kdf == crypto.current_kdf().label
    assert journal.lookup_id != old_lookup
    # Sealed again under the current keys: they open it, the old ones no longer do.
    current = crypto.derive(words)
    assert service.JournalHandle(journal.pk, current).read() == {answer: "oud antwoord"}
    with pytest.raises(crypto.CryptoError):
        service.JournalHandle(journal.pk, crypto.derive(words, crypto.Kdf(1, 64, 1, 1))).read()
    # And the next time, the current derivation finds it at once.
    assert service._find(words)[0].pk == journal.pk


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"A": "x" * 50, "B": "y" * 50}, "does not look random"),
        ({"A": "short-but-random-Q7x"}, "characters long"),
        ({"A": SAME + "Zz9", "B": SAME + "Zz9"}, "is the same as"),
        ({"A": "an-example-value-that-is-long-enough-0123456789abc"}, "does not look random"),
    ],
)
def test_weak_production_secrets_are_named(values, expected):
    found = problems(values)
    assert found and expected in " ".join(found)


def test_good_production_secrets_pass():
    import secrets

    assert problems({name: secrets.token_urlsafe(48) for name in "ABC"}) == []


@pytest.mark.django_db(transaction=True)
def test_migration_0004_stamps_existing_journals_with_the_legacy_derivation(settings):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    settings.BAKEN_KDF_LEGACY = {"memory_kib": 65536, "iterations": 3, "lanes": 1}
    before = [("journal", "0003_session_forgets_its_journal")]
    after = [("journal", "0004_journal_records_its_kdf")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_apps.get_model("journal", "Journal").objects.create(
        lookup_id="ab" * 32, last_active="2026-11-01"
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert Journal.objects.get().kdf == "argon2id-v1:m=65536,t=3,p=1"
        assert crypto.Kdf.parse(Journal.objects.get().kdf) == crypto.Kdf(1, 65536, 3, 1)
    finally:
        # Going back to 0003 also unapplied what depends on the journal (the conversations'
        # tables): every app forward to its latest again, for the tests after this one (on
        # PostgreSQL the live tests serve this very database).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
