"""What the module player tells the evaluation: a step reached or saved, a contribution, feedback.

Every write is a counter incremented or one row with nothing in it that points back: no journal,
no session, no time finer than the ISO week. Whether this visitor has already been counted for
a step is remembered in their own session as a keyed hash under the session's cookie value,
which the database never holds (it keeps a hash of it): a copy of the database cannot tell
which steps a session opened.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.db import one_writer

from .models import Contribution, Feedback, StepCount

SEEN = "evaluation_counted"
FEEDBACK_CHOICES = {
    "helpfulness": ("1", "2", "3", "4", "5"),
    "recommend": ("yes", "no"),
    "intent": ("yes", "no", "unsure"),
}


def iso_week() -> str:
    """This week, as ISO 8601 writes it: "2026-W49"."""
    year, week, _day = timezone.localdate().isocalendar()
    return f"{year}-W{week:02d}"


def first_time(session: Any, what: str) -> bool:
    """True the first time this session asks about `what` (and remember that it asked)."""
    if session.session_key is None:
        session.save()  # a key now, so the mark below is keyed by it
    mark = hmac.new(
        session.session_key.encode(), f"evaluation:{what}".encode(), hashlib.sha256
    ).hexdigest()[:16]
    marks = list(session.get(SEEN, []))
    if mark in marks:
        return False
    session[SEEN] = [*marks, mark]
    return True


def _bump(module: str, step: str, field: str) -> None:
    week = iso_week()
    found = StepCount.objects.filter(module=module, step=step, week=week)
    with one_writer():
        if found.update(**{field: F(field) + 1}):
            return
        try:
            with transaction.atomic():
                StepCount.objects.create(module=module, step=step, week=week, **{field: 1})
        except IntegrityError:  # made by another request in the meantime
            found.update(**{field: F(field) + 1})


def reached(session: Any, module: str, step: str) -> None:
    """A visitor opened a step page: counted once per session."""
    if first_time(session, f"reached:{module}/{step}"):
        _bump(module, step, "reached")


def saved(session: Any, module: str, step: str) -> None:
    """A visitor saved a step: counted once per session."""
    if first_time(session, f"saved:{module}/{step}"):
        _bump(module, step, "saved")


def contribute(module: str, ratings: dict[str, tuple[int, int]]) -> None:
    """One visitor's paired scores, given with their "yes": one row, the week and nothing else."""
    if not ratings:
        return
    with one_writer():
        Contribution.objects.create(
            module=module,
            week=iso_week(),
            ratings={k: [int(b), int(a)] for k, (b, a) in sorted(ratings.items())},
        )


def send_feedback(module: str, choices: dict[str, str]) -> bool:
    """The end-of-module choices, when at least one was made; False if none was."""
    clean = {k: v for k, v in choices.items() if v in FEEDBACK_CHOICES.get(k, ())}
    if not clean:
        return False
    with one_writer():
        Feedback.objects.create(
            module=module,
            week=iso_week(),
            helpfulness=int(clean["helpfulness"]) if "helpfulness" in clean else None,
            recommend=clean.get("recommend", ""),
            intent=clean.get("intent", ""),
        )
    return True
