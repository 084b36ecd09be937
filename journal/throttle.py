"""Limits on guessing phrases, without storing any address, that never lock the owner out.

A phrase is only known to be wrong after its key derivation (Argon2id) has run, and a limit
that refuses attempts before that cannot tell the owner from a guesser: a site-wide budget
counted before the derivation let anyone lock every visitor out with a flood of wrong phrases
from fresh sessions (issue 16, finding 2). So (docs/threat-model.md, "Guessing"):

- every attempt with a well-formed phrase pays for the derivation, right or wrong: that cost,
  on the server's few cores, bounds how fast anyone can guess;
- a session that gave wrong phrases too often is refused before the derivation (5 per 15
  minutes): the owner, with the right phrase, is never counted;
- wrong phrases are counted site-wide, after the derivation, per minute in the database
  (shared by every app server); past the budget the log says so, once a minute, with nothing
  about any visitor: nobody is refused for what others did;
- a journal's openings are not limited: only someone holding its phrase can reach it.

New journals have a site-wide budget per second (each costs a derivation, and a flood of them
took the server from everyone else: issue 16, finding 3); past it a first save is turned away
before the derivation, its answers shown back to save again.
"""

from __future__ import annotations

import logging
import time
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


def _limits() -> dict[str, int]:
    return {
        "site_wrong_per_minute": 120,
        "session_failures": 5,
        "session_window": 15 * 60,
        "new_journals_per_second": 5,
        **settings.BAKEN_RESUME_LIMITS,
    }


def _count(key: str, window_seconds: int) -> int:
    """Count one event in this window of a budget; returns the window's count so far."""
    window = int(time.time()) // window_seconds
    with one_writer(), transaction.atomic():
        updated = ThrottleWindow.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            ThrottleWindow.objects.update_or_create(
                key=key, defaults={"window": window, "count": 1}
            )
        return ThrottleWindow.objects.get(key=key).count


def allow_attempt(session: Any) -> bool:
    """May this session try a phrase now? Only its own wrong phrases count."""
    limits = _limits()
    failures = session.get(SESSION_FAILURES, [])
    recent = [t for t in failures if t > time.time() - limits["session_window"]]
    return len(recent) < limits["session_failures"]


def record_failure(session: Any) -> None:
    """A wrong phrase, known after its derivation: counted in this session (the session, not
    the person, is limited) and site-wide (reported, never refused)."""
    limits = _limits()
    failures = [
        t for t in session.get(SESSION_FAILURES, []) if t > time.time() - limits["session_window"]
    ]
    session[SESSION_FAILURES] = [*failures, int(time.time())]
    budget = limits["site_wrong_per_minute"]
    if _count(SITE_WRONG, 60) == budget + 1:
        logger.warning("more than %d wrong phrases on the site this minute", budget)


def allow_new_journal() -> bool:
    """May a journal be made now? Counts against the site-wide budget of this second."""
    return _count(NEW_JOURNALS, 1) <= _limits()["new_journals_per_second"]


def clear_old() -> None:
    """Drop counters of windows that have passed (and those of limits no longer kept)."""
    now = int(time.time())
    ThrottleWindow.objects.filter(key=SITE_WRONG, window__lt=now // 60).delete()
    ThrottleWindow.objects.filter(key=NEW_JOURNALS, window__lt=now).delete()
    ThrottleWindow.objects.exclude(key__in=[SITE_WRONG, NEW_JOURNALS]).delete()
