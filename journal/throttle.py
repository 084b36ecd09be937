"""Rate limits on opening a journal, without storing any address.

Three budgets, each a counter per fixed time window in the database (shared by every app
server): all attempts on the site, wrong attempts in one session, attempts on one journal.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from . import crypto
from .models import ThrottleWindow

SESSION_FAILURES = "resume_failures"


def _limits() -> dict[str, int]:
    return {
        "site_per_minute": 120,
        "session_failures": 5,
        "session_window": 15 * 60,
        "journal_per_hour": 20,
        **settings.BAKEN_RESUME_LIMITS,
    }


def _hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one use of a budget; False when the budget of this window is spent."""
    window = int(time.time()) // window_seconds
    with transaction.atomic():
        updated = ThrottleWindow.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            ThrottleWindow.objects.update_or_create(
                key=key, defaults={"window": window, "count": 1}
            )
        count = ThrottleWindow.objects.get(key=key).count
    return count <= limit


def allow_attempt(session: Any) -> bool:
    """May this session try a phrase now? Counts against the site-wide budget."""
    limits = _limits()
    failures = session.get(SESSION_FAILURES, [])
    recent = [t for t in failures if t > time.time() - limits["session_window"]]
    if len(recent) >= limits["session_failures"]:
        return False
    return _hit("site", limits["site_per_minute"], 60)


def allow_lookup(lookup_id: str) -> bool:
    """May this journal be opened now? Stops hammering one journal."""
    return _hit("j:" + crypto.throttle_tag(lookup_id), _limits()["journal_per_hour"], 3600)


def record_failure(session: Any) -> None:
    """Remember a wrong phrase in this session (the session, not the person, is limited)."""
    limits = _limits()
    failures = [
        t for t in session.get(SESSION_FAILURES, []) if t > time.time() - limits["session_window"]
    ]
    session[SESSION_FAILURES] = [*failures, int(time.time())]


def clear_old() -> None:
    """Drop counters of windows that have passed."""
    now = int(time.time())
    ThrottleWindow.objects.filter(key="site", window__lt=now // 60).delete()
    ThrottleWindow.objects.filter(key__startswith="j:", window__lt=now // 3600).delete()
