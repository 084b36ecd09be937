"""Two server processes writing the evaluation's counts at the same moment (both workers stop
together and write what waits) must take the counters' row locks in one order: in CI on
PostgreSQL two such writes inserted the same new counters in different (shuffled) orders,
deadlocked, and the failed one's batch was lost."""

from __future__ import annotations

import random

import pytest

from evaluation import service

KEYS = [("reality", f"step-{i:02d}", "2026-W49", "reached") for i in range(40)]


@pytest.mark.django_db
def test_counters_are_written_in_the_order_of_their_keys_whatever_order_they_wait_in(
    monkeypatch,
):
    written: list[tuple[str, str, str, str]] = []
    monkeypatch.setattr(
        service,
        "_bump",
        lambda module, step, week, field, by: written.append((module, step, week, field)),
    )
    for _ in range(3):
        waiting = list(KEYS)
        random.shuffle(waiting)
        written.clear()
        service._write([], {key: 1 for key in waiting})
        assert written == sorted(KEYS)
