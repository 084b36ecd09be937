"""What the visitor answered, arranged for the summary page (and, later, the export)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from journal.store import Answer

from .answers import YES, field_id, own_key, question_number
from .content.schema import (
    Module,
    PairTable,
    Question,
    Questions,
    Rating,
    Step,
    Threshold,
)


@dataclass(frozen=True)
class Row:
    """One answer: what was asked, what was answered (None if nothing), where to change it."""

    label: Any  # Md or str
    value: str | None
    anchor: str
    number: str = ""
    own_rows: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    """The answers of one step."""

    step: Step
    rows: tuple[Row, ...]


def sections(module: Module, answers: dict[str, Answer]) -> list[Section]:
    """One section per step that asks something, in module order."""
    result = []
    for step in module.steps:
        rows = tuple(_rows(step, answers))
        if rows:
            result.append(Section(step, rows))
    return result


def _text(answers: dict[str, Answer], key: str) -> str | None:
    value = answers.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _question_rows(questions: tuple[Question, ...], answers: dict[str, Answer],
                   parent: str | None = None):  # type: ignore[no-untyped-def]
    for i, question in enumerate(questions):
        number = question_number(i, parent)
        yield Row(question.text, _text(answers, question.id), field_id(question.id), number)
        yield from _question_rows(question.items, answers, number)


def _rows(step: Step, answers: dict[str, Answer]):  # type: ignore[no-untyped-def]
    for block in step.blocks:
        if isinstance(block, Rating):
            labels = {str(p.value): f"{p.value} – {p.label}" for p in block.scale}
            for item in block.items:
                key = f"{block.id}.{item.id}"
                value = _text(answers, key)
                yield Row(item.text, labels.get(value or ""), field_id(key))
        elif isinstance(block, Questions):
            yield from _question_rows(block.items, answers)
        elif isinstance(block, Threshold):
            chosen = _text(answers, block.id)
            names = {s.id: s.text.source for s in block.steps}
            yield Row(block.prompt, names.get(chosen or ""), field_id(block.id))
            yield Row(block.explain.text, _text(answers, block.explain.id),
                      field_id(block.explain.id))
        elif isinstance(block, PairTable):
            recognised = [r.left.source for r in block.rows
                          if answers.get(f"{block.id}.{r.id}") == YES]
            yield Row(block.recognise_label, "\n".join(recognised) or None,
                      field_id(f"{block.id}.{block.rows[0].id}"))
            own = answers.get(own_key(block))
            rows = tuple(own) if isinstance(own, list) else ()
            yield Row(block.own_rows_title or _("Your own rows"), None if not rows else "",
                      "own-rows-" + block.id, own_rows=rows)


def rating_change(module: Module, before_id: str, after_id: str,
                  answers: dict[str, Answer]) -> list[dict[str, Any]]:
    """Each statement's before and after score and the difference, for the compare block."""
    before = _find_rating(module, before_id)
    after = _find_rating(module, after_id)
    if before is None or after is None:
        return []
    result = []
    for item in before.items:
        b = _text(answers, f"{before.id}.{item.id}")
        a = _text(answers, f"{after.id}.{item.id}")
        change = int(a) - int(b) if a and b else None
        result.append({"text": item.text, "before": b, "after": a, "change": change})
    return result


def _find_rating(module: Module, block_id: str) -> Rating | None:
    for step in module.steps:
        for block in step.blocks:
            if isinstance(block, Rating) and block.id == block_id:
                return block
    return None
