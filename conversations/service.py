"""Writing, reading and answering messages. Views hold no cryptography and no rules.

A visitor's message and a counsellor's reply are each sealed twice (libsodium sealed boxes,
staff.keys): to the organisation's inbox key, and to the journal's own X25519 key pair, whose
private half is derived from the journal's key (journal.crypto.conversation_seed) and so only
exists while the visitor's phrase, or their session, has opened the journal.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from nacl.public import PrivateKey

from core.db import one_writer
from journal import throttle
from journal.service import JournalHandle
from staff import keys as inbox_keys
from staff import service as staff_service
from staff.models import Action, Staff

from .models import ANSWERED, CLOSED, WAITING, Conversation, Message

LABEL_ALPHABET = "ACDEFHJKLMNPRTUVWXY3479"  # no look-alikes
CLAIM_MINUTES = 15
logger = logging.getLogger(__name__)


class NotSent(Exception):
    """Why a message was not sent (the visitor keeps their text)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def hour(moment: datetime | None = None) -> datetime:
    """A time to the hour: what the database keeps of when something happened."""
    return (moment or timezone.now()).replace(minute=0, second=0, microsecond=0)


def journal_keys(handle: JournalHandle) -> PrivateKey:
    return PrivateKey(handle.conversation_seed())


def open_conversation(journal_pk: int) -> Conversation | None:
    """The journal's conversation that is not closed, if any."""
    return Conversation.objects.filter(journal_id=journal_pk).exclude(state=CLOSED).first()


def _new_label() -> str:
    while True:
        label = "".join(secrets.choice(LABEL_ALPHABET) for _ in range(4))
        if not Conversation.objects.filter(label=label).exists():
            return label


def send(handle: JournalHandle, text: str) -> Conversation:
    """Seal a visitor's message and add it to their open conversation (or start one)."""
    inbox = staff_service.inbox()
    if inbox is None:
        raise NotSent("no-inbox")
    if len(text) > settings.BAKEN_MESSAGE_MAX_LENGTH:
        raise NotSent("too-long")
    private = journal_keys(handle)
    now = hour()
    with one_writer(), transaction.atomic():
        conversation = open_conversation(handle.pk)
        if conversation is None:
            conversation = Conversation.objects.create(
                journal_id=handle.pk,
                label=_new_label(),
                journal_key=bytes(private.public_key),
                opened=now,
                last_activity=now,
                surge=_in_surge(),
            )
        _check_limits(conversation)
        _add(conversation, True, text, bytes(inbox.public_key))
        Conversation.objects.filter(pk=conversation.pk).update(
            state=WAITING,
            last_activity=now,
            waiting_since=conversation.waiting_since or now,
        )
    conversation.refresh_from_db()
    return conversation


def _in_surge() -> bool:
    """Count a new conversation against the site's budget for this hour; True past it.

    The site-wide limit refuses nobody: a flood of new journals each starting a conversation
    must not lock out the visitor who finally writes (nor those already in a conversation, who
    are never counted). Past the budget a new conversation is sent and marked; the inbox lists
    marked ones after the others, so a flood cannot push real visitors down, and the log says
    so once an hour, with nothing about any visitor.
    """
    budget = settings.BAKEN_MESSAGE_LIMITS["new_per_hour"]
    started = throttle.count(throttle.NEW_CONVERSATIONS)
    if started == budget + 1:
        logger.warning("more than %d new conversations this hour", budget)
    return started > budget


def _check_limits(conversation: Conversation) -> None:
    messages = list(conversation.messages.values_list("from_visitor", "at"))
    unanswered = 0
    for from_visitor, _at in reversed(messages):
        if not from_visitor:
            break
        unanswered += 1
    if unanswered >= settings.BAKEN_MESSAGE_LIMITS["unanswered"]:
        raise NotSent("unanswered")
    day_ago = timezone.now() - timedelta(days=1)
    today = sum(1 for from_visitor, at in messages if from_visitor and at >= hour(day_ago))
    if today >= settings.BAKEN_MESSAGE_LIMITS["per_day"]:
        raise NotSent("per-day")


def _add(conversation: Conversation, from_visitor: bool, text: str, inbox_public: bytes) -> None:
    number = conversation.messages.count() + 1
    data = text.encode()
    Message.objects.create(
        conversation=conversation,
        number=number,
        from_visitor=from_visitor,
        at=hour(),
        for_inbox=inbox_keys.seal(inbox_public, data),
        for_journal=inbox_keys.seal(bytes(conversation.journal_key), data),
    )


@dataclass(frozen=True)
class Shown:
    """One message as a page shows it."""

    number: int
    from_visitor: bool
    at: datetime
    text: str


def thread_for_visitor(handle: JournalHandle, conversation: Conversation) -> list[Shown]:
    """The whole conversation, opened with the journal's key; marks the replies as seen."""
    private = bytes(journal_keys(handle))
    shown = [
        Shown(
            m.number,
            m.from_visitor,
            m.at,
            inbox_keys.open_sealed(private, bytes(m.for_journal)).decode(),
        )
        for m in conversation.messages.all()
    ]
    replies = sum(1 for m in shown if not m.from_visitor)
    if replies != conversation.replies_seen:
        with one_writer():
            Conversation.objects.filter(pk=conversation.pk).update(replies_seen=replies)
    return shown


def new_replies(journal_pk: int) -> int:
    """How many replies the visitor has not seen yet (one query)."""
    conversation = (
        Conversation.objects.filter(journal_id=journal_pk)
        .exclude(state=CLOSED)
        .values_list("pk", "replies_seen")
        .first()
    )
    if conversation is None:
        return 0
    replies = Message.objects.filter(conversation_id=conversation[0], from_visitor=False).count()
    return max(0, replies - conversation[1])


def close_by_visitor(journal_pk: int) -> None:
    with one_writer():
        Conversation.objects.filter(journal_id=journal_pk).exclude(state=CLOSED).update(
            state=CLOSED, closed=hour(), claimed_by=None, claimed_until=None
        )


# --- the counsellor's side -------------------------------------------------------------------


def inbox_list() -> list[Conversation]:
    """Open conversations: waiting ones first, the longest waiting first; those that arrived in
    a surge (past the hour's budget of new conversations) after the other waiting ones."""
    waiting = Conversation.objects.filter(state=WAITING).order_by("surge", "waiting_since", "pk")
    answered = Conversation.objects.filter(state=ANSWERED).order_by("-last_activity", "pk")
    return [*waiting.select_related("claimed_by"), *answered.select_related("claimed_by")]


def claim(conversation: Conversation, staff: Staff) -> bool:
    """Reserve the conversation for `staff` for a while; False if a colleague has it now."""
    now = timezone.now()
    with one_writer(), transaction.atomic():
        taken = (
            Conversation.objects.filter(pk=conversation.pk, claimed_until__gt=now)
            .exclude(claimed_by=staff)
            .exists()
        )
        if taken:
            return False
        Conversation.objects.filter(pk=conversation.pk).update(
            claimed_by=staff, claimed_until=now + timedelta(minutes=CLAIM_MINUTES)
        )
    conversation.refresh_from_db()
    return True


def release(conversation: Conversation, staff: Staff) -> None:
    with one_writer():
        Conversation.objects.filter(pk=conversation.pk, claimed_by=staff).update(
            claimed_by=None, claimed_until=None
        )


def thread_for_staff(private: bytes, conversation: Conversation, staff: Staff) -> list[Shown]:
    """The whole conversation, opened with the inbox key this session holds; audited."""
    staff_service.audit(staff, Action.CONVERSATION_OPENED, conversation.label)
    return [
        Shown(
            m.number,
            m.from_visitor,
            timezone.localtime(m.at),  # the hour on the counsellor's clock
            inbox_keys.open_sealed(private, bytes(m.for_inbox)).decode(),
        )
        for m in conversation.messages.all()
    ]


def reply(conversation: Conversation, staff: Staff, text: str) -> bool:
    """Add a counsellor's reply, if `staff` holds the claim; seals it for both sides."""
    inbox = staff_service.inbox()
    assert inbox is not None  # a conversation exists only once the inbox does
    with one_writer(), transaction.atomic():
        held = Conversation.objects.filter(
            pk=conversation.pk, claimed_by=staff, claimed_until__gt=timezone.now()
        ).exclude(state=CLOSED)
        if not held.exists():
            return False
        _add(conversation, False, text, bytes(inbox.public_key))
        held.update(
            state=ANSWERED,
            waiting_since=None,
            last_activity=hour(),
            needs_colleague=False,
            claimed_by=None,
            claimed_until=None,
        )
    staff_service.audit(staff, Action.REPLIED, conversation.label)
    return True


def mark_needs_colleague(conversation: Conversation, staff: Staff, needs: bool) -> None:
    with one_writer():
        Conversation.objects.filter(pk=conversation.pk).update(
            needs_colleague=needs, claimed_by=None, claimed_until=None
        )
    staff_service.audit(
        staff, Action.NEEDS_COLLEAGUE if needs else Action.CONVERSATION_OPENED, conversation.label
    )


def close_by_staff(conversation: Conversation, staff: Staff) -> None:
    with one_writer():
        Conversation.objects.filter(pk=conversation.pk).update(
            state=CLOSED, closed=hour(), claimed_by=None, claimed_until=None
        )
    staff_service.audit(staff, Action.CONVERSATION_CLOSED, conversation.label)


def expire(days: int | None = None) -> int:
    """Delete conversations closed, or without activity, for `days`; returns how many."""
    days = settings.BAKEN_MESSAGE_EXPIRY_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    with one_writer():
        count, _ = Conversation.objects.filter(last_activity__lt=cutoff).delete()
        closed, _ = Conversation.objects.filter(closed__lt=cutoff).delete()
    return count + closed


def waiting_hours(conversation: Conversation, now: datetime | None = None) -> int | None:
    if conversation.waiting_since is None:
        return None
    return int(((now or timezone.now()) - conversation.waiting_since).total_seconds() // 3600)
