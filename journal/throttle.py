"""Limits on guessing phrases, without storing any address, that never lock the owner out.

A phrase is only known to be wrong after its key derivation (Argon2id) has run, and a limit
that refuses attempts before that cannot tell the owner from a guesser: a site-wide budget
counted before the derivation let anyone lock every visitor out with a flood of wrong phrases
from fresh sessions (issue 16, finding 2). So (docs/threat-model.md, "Guessing"):

- every attempt with a well-formed phrase pays for the derivation, right or wrong: that cost,
  on the server's few cores, bounds how fast anyone can guess;
- a session that gave wrong phrases too often is refused before the derivation (5 in a
  window of 15 minutes): the owner, with the right phrase, is never counted;
- wrong phrases are counted site-wide, after the derivation, per minute in the database
  (shared by every app server); past the budget the log says so, once a minute, with nothing
  about any visitor: nobody is refused for what others did;
- a journal's openings are not limited: only someone holding its phrase can reach it.

New journals have a site-wide budget per second, and each app server makes one at a time
(each costs a derivation, and a flood of them took the server from everyone else: issue 16,
finding 3); past either a first save is turned away before the derivation, its answers shown
back to save again. Part of each second's budget is kept for visitors who were turned away
and press again (a signed cookie, "waited", says so; no row is written for it): a flood of
fresh sessions cannot take every slot from a newcomer who waits a moment (issue 18, point 5).
A flood that keeps its cookies competes with the newcomer for that part too.

New conversations with the helpline are counted per hour site-wide (conversations.service):
past the budget nobody is refused; the conversation is marked as arriving in a surge.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from core.db import one_writer

from .models import ThrottleWindow

logger = logging.getLogger(__name__)
SESSION_FAILURES = "resume_failures"
SITE_WRONG = "site-wrong"
NEW_JOURNALS = "new-journals"
# Set when a first save is turned away: the next try may use the part of the budget kept.
WAITED_COOKIE = "waited"
WAITED_SECONDS = 600
NEW_CONVERSATIONS = "new-conversations"  # conversations.service: the hour's new conversations
WINDOWS = {SITE_WRONG: 60, NEW_JOURNALS: 1, NEW_CONVERSATIONS: 3600}  # each budget's window, s


def _limits() -> dict[str, int]:
    return {
        "site_wrong_per_minute": 120,
        "session_failures": 5,
        "session_window": 15 * 60,
        "new_journals_per_second": 5,
        "new_journals_kept_for_waiting": 2,
        "one_new_journal_at_a_time": 1,
        **settings.BAKEN_RESUME_LIMITS,
    }


def _window(key: str, window_seconds: int, at: float | None = None) -> int:
    """The current window of a budget, as the database keeps it: a keyed hash of its number,
    so a copy of the database does not tell when the last journal was made or the last wrong
    phrase given; the counter needs only to know whether a window is still the current one."""
    number = int(time.time() if at is None else at) // window_seconds
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"throttle window {key} {number}".encode(), hashlib.sha256
    ).digest()
    return int.from_bytes(digest[:8], "big") >> 1  # fits a signed 64-bit column


def count(key: str) -> int:
    """Count one event in the current window of the budget `key`; returns its count so far."""
    return _count(key, WINDOWS[key])


def _count(key: str, window_seconds: int) -> int:
    """Count one event in this window of a budget; returns the window's count so far."""
    window = _window(key, window_seconds)
    with one_writer(), transaction.atomic():
        updated = ThrottleWindow.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            ThrottleWindow.objects.update_or_create(
                key=key, defaults={"window": window, "count": 1}
            )
        return ThrottleWindow.objects.get(key=key).count


def _session_failures(session: Any, limits: dict[str, int]) -> tuple[int, int]:
    """This session's window (a number of 15 minutes, not a time) and its wrong phrases in it.

    The session keeps `[window, count]`, not the time of each attempt: what the limit needs.
    """
    window = int(time.time()) // limits["session_window"]
    kept = session.get(SESSION_FAILURES)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == window:
        return window, int(kept[1])
    return window, 0


def allow_attempt(session: Any) -> bool:
    """May this session try a phrase now? Only its own wrong phrases count."""
    limits = _limits()
    return _session_failures(session, limits)[1] < limits["session_failures"]


def record_failure(session: Any) -> None:
    """A wrong phrase, known after its derivation: counted in this session (the session, not
    the person, is limited) and site-wide (reported, never refused)."""
    limits = _limits()
    window, count = _session_failures(session, limits)
    session[SESSION_FAILURES] = [window, count + 1]
    budget = limits["site_wrong_per_minute"]
    if _count(SITE_WRONG, 60) == budget + 1:
        logger.warning("more than %d wrong phrases on the site this minute", budget)


def allow_new_journal(waited: bool = False) -> bool:
    """May a journal be made now? Counts against the site-wide budget of this second, of which
    a part is kept for requests that `waited` (turned away before: `has_waited`).

    Once the budget is spent, the answer comes from a read alone: a flood of first saves turned
    away writes nothing (on SQLite each write waits for the disk).
    """
    limits = _limits()
    budget = limits["new_journals_per_second"]
    kept = max(0, min(limits["new_journals_kept_for_waiting"], budget - 1))
    cap = budget if waited else budget - kept
    spent = ThrottleWindow.objects.filter(
        key=NEW_JOURNALS, window=_window(NEW_JOURNALS, 1)
    ).values_list("count", flat=True)
    if spent and spent[0] >= cap:
        return False
    return _count(NEW_JOURNALS, 1) <= cap


def has_waited(request: Any) -> bool:
    """Whether this request comes from a visitor turned away in an earlier second (within ten
    minutes): the signed "waited" cookie, which holds that second and nothing else."""
    second = request.get_signed_cookie(
        WAITED_COOKIE, default=None, salt=WAITED_COOKIE, max_age=WAITED_SECONDS
    )
    return second is not None and second.isdigit() and int(second) < int(time.time())


def mark_waited(request: Any, response: Any) -> None:
    """On a first save turned away: the next try may use the part of the budget kept for it.
    A visitor who already holds the cookie keeps theirs (its second stays the earlier one)."""
    if has_waited(request):
        return
    response.set_signed_cookie(
        WAITED_COOKIE,
        str(int(time.time())),
        salt=WAITED_COOKIE,
        max_age=WAITED_SECONDS,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_waited(request: Any, response: Any) -> None:
    """Once the journal is made, the cookie has done its work."""
    if WAITED_COOKIE in request.COOKIES:
        response.delete_cookie(WAITED_COOKIE, path="/", samesite="Lax")


@contextmanager
def making_slot(waited: bool = False) -> Iterator[bool]:
    """Yields whether this request may make a journal now on this app server: one at a time.

    Making a journal is the costliest thing a request does (a key derivation, then waiting for
    the disk several times); with one at a time the server's other workers stay free for the
    visitors already reading and writing, however many first saves arrive at once. A lock file
    beside the data, taken without waiting: a request that finds it taken is turned away; one
    that `waited` before waits for it up to a second (no more than one derivation or two).
    """
    if not _limits()["one_new_journal_at_a_time"]:
        yield True
        return
    path = Path(settings.VAR_DIR) / "new-journal.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + (1.0 if waited else 0.0)
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.02)
        yield True
    finally:
        os.close(descriptor)  # releases the lock


def clear_old() -> None:
    """Drop counters of windows that have passed (and those of limits no longer kept)."""
    now = time.time()
    for key, seconds in WINDOWS.items():
        ThrottleWindow.objects.filter(key=key).exclude(window=_window(key, seconds, now)).delete()
    ThrottleWindow.objects.exclude(key__in=list(WINDOWS)).delete()
