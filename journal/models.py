"""What the database holds: opaque journal rows, ciphertexts, hashed sessions, rate counters.

Nothing here can be read without the visitor's phrase: no answer text, no answer ids, no
names, no addresses, no times finer than a day.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class Journal(models.Model):
    """One visitor's journal, found by the lookup id its phrase derives."""

    lookup_id = models.CharField(max_length=64, unique=True)
    # How its phrase is stretched (journal.crypto.Kdf.label): the same for every journal made
    # with the same settings, so it tells nothing about one.
    kdf = models.CharField(max_length=64)
    # A date, not a time: enough to expire inactive journals, too coarse to trace a visit.
    last_active = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"journal {self.pk}"


class Entry(models.Model):
    """One encrypted answer (or the encrypted progress of a module)."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="entries")
    slot = models.CharField(max_length=32)
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journal", "slot"], name="one_entry_per_slot"),
        ]

    def __str__(self) -> str:
        return f"entry {self.pk}"


class VisitorSession(AbstractBaseSession):
    """A server-side session; `session_key` holds a SHA-256 of the cookie value, not the value."""

    session_key = models.CharField(max_length=64, primary_key=True)

    @classmethod
    def get_session_store_class(cls):
        # The configured engine (journal.sessions), found by name: it imports this module.
        return import_module(settings.SESSION_ENGINE).SessionStore


class ThrottleWindow(models.Model):
    """A counter for one rate limit in one time window (no addresses: keys are budgets)."""

    key = models.CharField(max_length=64, primary_key=True)
    window = models.BigIntegerField()
    count = models.IntegerField(default=0)

    def __str__(self) -> str:
        return self.key
