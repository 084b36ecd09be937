"""What the visitor answered, arranged for the summary page and the export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from journal.store import Answer

from .content.fields import Row
from .content.schema import Module, Step


@dataclass(frozen=True)
class Section:
    """The answers of one step."""

    step: Step
    rows: tuple[Row, ...]


def sections(module: Module, answers: Mapping[str, Answer]) -> list[Section]:
    """One section per step that asks something, in module order."""
    result = []
    for step in module.steps:
        rows = tuple(row for block in step.blocks for row in block.summary(answers))
        if rows:
            result.append(Section(step, rows))
    return result
