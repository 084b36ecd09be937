"""Conversations between a visitor (a journal) and the helpline's counsellors.

What the database holds in the clear is what the inbox needs to sort: a random label, times
to the hour, a state, who is answering. Every message is stored twice, sealed: once to the
organisation's inbox key, once to the journal's own key pair. Neither opens without a staff
password (or the recovery code) or the visitor's phrase.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

WAITING, ANSWERED, CLOSED = "waiting", "answered", "closed"
STATES = [(WAITING, _("waiting for an answer")), (ANSWERED, _("answered")), (CLOSED, _("closed"))]


class Conversation(models.Model):
    """One visitor's conversation with the helpline (at most one open per journal)."""

    journal = models.ForeignKey("journal.Journal", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=8, unique=True)  # random, e.g. "K7P2"
    state = models.CharField(max_length=10, choices=STATES, default=WAITING)
    needs_colleague = models.BooleanField(default=False)
    journal_key = models.BinaryField()  # the journal's X25519 public key (replies are sealed to it)
    # Times to the hour: enough to sort the inbox and expire, too coarse to place a visit.
    opened = models.DateTimeField()
    last_activity = models.DateTimeField(db_index=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    closed = models.DateTimeField(null=True, blank=True)
    # A counsellor answering now: the others see it and cannot reply until the claim ends.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    replies_seen = models.IntegerField(default=0)  # how many replies the visitor has seen
    # Started past the site's budget of new conversations for its hour (a flood, or a busy
    # hour): listed after the other waiting ones. Says nothing of the visitor.
    surge = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.label


class Message(models.Model):
    """One message, sealed to the inbox key and to the journal's key."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    number = models.IntegerField()
    from_visitor = models.BooleanField()
    at = models.DateTimeField()  # to the hour
    for_inbox = models.BinaryField()
    for_journal = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="one_message_per_number"
            )
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.conversation_id}/{self.number}"
