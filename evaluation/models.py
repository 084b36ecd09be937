"""The evaluation's three tables: what visitors chose to contribute, and the reach counters.

Nothing here refers to a journal, a session or a time finer than an ISO week ("2026-W49"), and
no id follows the order rows were made in: contributions and feedback have random UUID4 keys,
and on SQLite their tables are WITHOUT ROWID, so their rows are stored in key order too (see
docs/threat-model.md, "The anonymous evaluation").
"""

from __future__ import annotations

import uuid

from django.db import models


class Contribution(models.Model):
    """One visitor's before and after scores of a module, given with their "yes"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    module = models.CharField(max_length=64)
    week = models.CharField(max_length=8)  # ISO week, "2026-W49"
    # statement id → [before, after]
    ratings = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["module", "week"])]

    def __str__(self) -> str:
        return f"{self.module} {self.week}"


class Feedback(models.Model):
    """The module's end-of-module choices, sent with their own button (a row of its own: tying it
    to the visitor's contribution would take a link between the visitor and that row)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    module = models.CharField(max_length=64)
    week = models.CharField(max_length=8)
    helpfulness = models.PositiveSmallIntegerField(null=True)  # 1–5
    recommend = models.CharField(max_length=8, blank=True)  # yes | no | ""
    intent = models.CharField(max_length=8, blank=True)  # yes | no | unsure | ""

    def __str__(self) -> str:
        return f"{self.module} {self.week}"


class StepCount(models.Model):
    """How many visitors reached and saved one step in one ISO week: counters, never rows per
    visitor."""

    module = models.CharField(max_length=64)
    step = models.CharField(max_length=64)
    week = models.CharField(max_length=8)
    reached = models.PositiveIntegerField(default=0)
    saved = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "step", "week"], name="one_count_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.module}/{self.step} {self.week}"
