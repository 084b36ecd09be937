"""What the module player tells the evaluation: a step reached or saved, a contribution, feedback.

Every write is a counter incremented or one row with nothing in it that points back: no journal,
no session, no time finer than the ISO week. Whether this visitor has already been counted for
a step is remembered in their own session as a keyed hash under the session's cookie value,
which the database never holds (it keeps a hash of it): a copy of the database cannot tell
which steps a session opened.

Nothing is written during the request that made it. The database itself keeps the order of
writes (PostgreSQL stamps each row with its transaction's number, SQLite's write-ahead log
holds recent pages in order), and a row written next to a journal's save would point at that
journal. So rows and counts wait in the server process and are written together, shuffled,
once there are `BAKEN_EVALUATION_BATCH` rows (or ten times as many counts) and then by a
randomly chosen later request, of anyone; and when the process stops (gunicorn's
`worker_exit`). A process that crashes loses what was waiting: at most a batch.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import threading
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.db import one_writer

from .models import Contribution, Feedback, StepCount

SEEN = "evaluation_counted"
FLUSH_CHANCE = 4  # once a batch is full, each later request writes it with a chance of 1 in 4
_lock = threading.Lock()
_rows: list[Contribution | Feedback] = []
_counts: Counter[tuple[str, str, str, str]] = Counter()  # (module, step, week, field) → +n
FEEDBACK_CHOICES = {
    "helpfulness": ("1", "2", "3", "4", "5"),
    "recommend": ("yes", "no"),
    "intent": ("yes", "no", "unsure"),
}


def iso_week() -> str:
    """This week, as ISO 8601 writes it: "2026-W49"."""
    year, week, _day = timezone.localdate().isocalendar()
    return f"{year}-W{week:02d}"


def first_time(session: Any, what: str, make_session: bool = True) -> bool:
    """True the first time this session asks about `what` (and remember that it asked).

    A post may make the session for the mark; a page view (`make_session=False`) may not,
    since a page with a form stores nothing on the server (docs/threat-model.md): views by a
    visitor who has not posted anything yet are counted each time, so reach is an upper bound.
    """
    if session.session_key is None:
        if not make_session:
            return True
        session.save()  # a key now, so the mark below is keyed by it
    mark = hmac.new(
        session.session_key.encode(), f"evaluation:{what}".encode(), hashlib.sha256
    ).hexdigest()[:16]
    marks = list(session.get(SEEN, []))
    if mark in marks:
        return False
    session[SEEN] = [*marks, mark]
    return True


def batch_size() -> int:
    """How many rows wait before they are written; 1: each is written at once (tests)."""
    return max(1, int(getattr(settings, "BAKEN_EVALUATION_BATCH", 5)))


def _lucky() -> bool:
    return secrets.randbelow(FLUSH_CHANCE) == 0


def _maybe_flush() -> None:
    size = batch_size()
    with _lock:
        full = len(_rows) >= size or sum(_counts.values()) >= 10 * size
    if size == 1 or (full and _lucky()):
        flush(everything=False)


def flush(everything: bool = True) -> int:
    """Write what is waiting, in one transaction: the counts, and the rows in random order
    (unless `everything` is False and they are fewer than a batch). Returns the rows written."""
    with _lock:
        take = everything or len(_rows) >= batch_size()
        rows, counts = (list(_rows) if take else []), dict(_counts)
        if take:
            _rows.clear()
        _counts.clear()
    if not rows and not counts:
        return 0
    _write(rows, counts)
    return len(rows)


CountKey = tuple[str, str, str, str]  # module, step, ISO week, field


def _write(rows: list[Contribution | Feedback], counts: dict[CountKey, int]) -> None:
    """The rows in random order, then the counts in the order of their keys: two processes
    writing at once (both workers stopping, say) take the counters' row locks in the same order,
    so neither waits for the other in a circle (PostgreSQL broke such a deadlock by failing one
    transaction, and its batch was lost). A counter's key tells nothing of who was counted."""
    random.SystemRandom().shuffle(rows)
    with one_writer(), transaction.atomic():
        for row in rows:
            row.save(force_insert=True)
        for key in sorted(counts):
            module, step, week, field = key
            _bump(module, step, week, field, counts[key])


def _bump(module: str, step: str, week: str, field: str, by: int) -> None:
    found = StepCount.objects.filter(module=module, step=step, week=week)
    if found.update(**{field: F(field) + by}):
        return
    try:
        with transaction.atomic():
            StepCount.objects.create(module=module, step=step, week=week, **{field: by})
    except IntegrityError:  # made by another process in the meantime
        found.update(**{field: F(field) + by})


def _count(module: str, step: str, field: str) -> None:
    with _lock:
        _counts[(module, step, iso_week(), field)] += 1
    _maybe_flush()


def reached(session: Any, module: str, step: str) -> None:
    """A visitor opened a step page: counted once per session."""
    if first_time(session, f"reached:{module}/{step}", make_session=False):
        _count(module, step, "reached")


def saved(session: Any, module: str, step: str) -> None:
    """A visitor saved a step: counted once per session."""
    if first_time(session, f"saved:{module}/{step}"):
        _count(module, step, "saved")


def contribute(module: str, ratings: dict[str, tuple[int, int]]) -> None:
    """One visitor's paired scores, given with their "yes": one row, the week and nothing else."""
    if not ratings:
        return
    _wait(
        Contribution(
            module=module,
            week=iso_week(),
            ratings={k: [int(b), int(a)] for k, (b, a) in sorted(ratings.items())},
        )
    )


def _wait(row: Contribution | Feedback) -> None:
    """Queue a row behind the others; a full batch is written by a later request, not this."""
    if batch_size() > 1:
        _maybe_flush()
    with _lock:
        _rows.append(row)
    if batch_size() == 1:
        flush()


def send_feedback(module: str, choices: dict[str, str]) -> bool:
    """The end-of-module choices, when at least one was made; False if none was."""
    clean = {k: v for k, v in choices.items() if v in FEEDBACK_CHOICES.get(k, ())}
    if not clean:
        return False
    _wait(
        Feedback(
            module=module,
            week=iso_week(),
            helpfulness=int(clean["helpfulness"]) if "helpfulness" in clean else None,
            recommend=clean.get("recommend", ""),
            intent=clean.get("intent", ""),
        )
    )
    return True
