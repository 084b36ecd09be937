"""Reading a step's form: which inputs it has, and turning a POST into answers or errors.

Plain functions over the content objects, so they are tested without HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from journal.store import Answer

from .content.loader import walk_questions
from .content.schema import (
    Compare,
    Module,
    PairTable,
    Questions,
    Rating,
    Rehearse,
    Step,
    Threshold,
)

YES = "yes"


def own_key(table: PairTable) -> str:
    """The answer id holding the visitor's own rows of a pair table."""
    return f"{table.id}.own"


def field_id(name: str) -> str:
    """An HTML id for an input name (ids with dots are awkward in links and CSS)."""
    return "f-" + name.replace(".", "-")


@dataclass
class StepForm:
    """The values shown in a step's inputs and any errors, by input name."""

    values: dict[str, Answer] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    labels: dict[str, object] = field(default_factory=dict)



def text_labels(step: Step) -> Iterator[tuple[str, object]]:
    """Free-text input names with the question each answers (own rows by their side)."""
    for block in step.blocks:
        if isinstance(block, Questions):
            for question in walk_questions(block.items):
                yield question.id, question.text
        elif isinstance(block, Threshold):
            yield block.explain.id, block.explain.text
        elif isinstance(block, PairTable):
            yield "left", block.left_label
            yield "right", block.right_label


def input_names(step: Step) -> Iterator[str]:
    """The answer id of every input on a step (the visitor's own rows count as one)."""
    for block in step.blocks:
        if isinstance(block, Rating):
            yield from (f"{block.id}.{item.id}" for item in block.items)
        elif isinstance(block, Questions):
            yield from (question.id for question in walk_questions(block.items))
        elif isinstance(block, Threshold):
            yield from (block.id, block.explain.id)
        elif isinstance(block, PairTable):
            yield from (f"{block.id}.{row.id}" for row in block.rows)
            yield own_key(block)


def shown_answer_ids(module: Module, step: Step) -> frozenset[str]:
    """Every saved answer a step's page shows: its inputs, plus what its rehearse and compare
    blocks bring back from earlier steps. The page reads only these from the journal.

    Worked out once per step: content does not change while the server runs. Remembered by
    the step's identity, and the step kept with it, so content loaded anew (tests) is never
    answered from an older copy.
    """
    found = _shown.get(id(step))
    if found is None or found[0] is not step or found[1] is not module:
        if len(_shown) >= 4096:  # content is finite: only reloads (tests) get here
            _shown.clear()
        found = _shown[id(step)] = (step, module, _shown_answer_ids(module, step))
    return found[2]


_shown: dict[int, tuple[Step, Module, frozenset[str]]] = {}


def _shown_answer_ids(module: Module, step: Step) -> frozenset[str]:
    ids = set(input_names(step))
    blocks = {getattr(b, "id", None): b for s in module.steps for b in s.blocks
              if isinstance(b, PairTable | Rating)}
    for block in step.blocks:
        if isinstance(block, Rehearse) and isinstance(blocks.get(block.source), PairTable):
            ids.add(own_key(blocks[block.source]))  # type: ignore[arg-type]
        elif isinstance(block, Compare):
            before, after = blocks.get(block.before), blocks.get(block.after)
            if isinstance(before, Rating) and isinstance(after, Rating):
                for item in before.items:
                    ids |= {f"{before.id}.{item.id}", f"{after.id}.{item.id}"}
    return frozenset(ids)


def own_row_count(table: PairTable, saved: list[dict[str, str]], extra: int) -> int:
    """How many of the visitor's own rows to show: the saved ones plus empty ones to fill."""
    return min(table.own_rows_max, len(saved) + extra)


def _clean_text(value: str) -> tuple[str, str | None]:
    """Normalise line endings; report characters that cannot be saved."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in value:
        return value.replace("\x00", "\ufffd"), _(
            "Your text contains a character that cannot be saved (a null character). "
            "It is shown as \ufffd: remove it and save again."
        )
    return value, None


def _too_long(length: int, limit: int) -> str:
    return _("This answer is %(length)s characters long; the most it can hold is %(limit)s. "
             "Shorten it and save again.") % {"length": number_format(length, force_grouping=True),
                                               "limit": number_format(limit, force_grouping=True)}


def parse(step: Step, post: Mapping[str, str],
          bad_encoding: frozenset[str] = frozenset()) -> StepForm:
    """Validate a step's POST. Values always hold what the visitor typed, errors or not."""
    form = StepForm()

    def text(name: str, limit: int) -> None:
        value, error = _clean_text(post.get(name, ""))
        form.values[name] = value
        if name in bad_encoding:
            error = _("Some characters in this answer could not be read and are shown as \ufffd. "
                      "Check the text and save again.")
        if error is None and len(value) > limit:
            error = _too_long(len(value), limit)
        if error:
            form.errors[name] = error

    for block in step.blocks:
        if isinstance(block, Rating):
            allowed = {str(point.value) for point in block.scale}
            for item in block.items:
                name = f"{block.id}.{item.id}"
                form.labels[name] = item.text
                value = post.get(name, "")
                if value in allowed:
                    form.values[name] = value
                elif value == "":
                    form.errors[name] = _("Choose a score for this statement.")
                else:
                    form.errors[name] = _("Choose one of the scores shown.")
        elif isinstance(block, Questions):
            for question in walk_questions(block.items):
                form.labels[question.id] = question.text
                text(question.id, question.max_length)
        elif isinstance(block, Threshold):
            name = block.id
            form.labels[name] = block.prompt
            form.labels[block.explain.id] = block.explain.text
            value = post.get(name, "")
            if value in {s.id for s in block.steps}:
                form.values[name] = value
            elif value == "":
                form.errors[name] = _("Choose the step where you draw the line.")
            else:
                form.errors[name] = _("Choose one of the steps shown.")
            text(block.explain.id, block.explain.max_length)
        elif isinstance(block, PairTable):
            for row in block.rows:
                name = f"{block.id}.{row.id}"
                form.values[name] = YES if post.get(name) == YES else ""
            rows: list[dict[str, str]] = []
            for n in range(block.own_rows_max):
                left_name, right_name = f"{block.id}.own.{n}.left", f"{block.id}.own.{n}.right"
                if left_name not in post and right_name not in post:
                    continue
                row_values = {}
                for side, name in (("left", left_name), ("right", right_name)):
                    text(name, block.max_length)
                    row_values[side] = str(form.values.pop(name))
                    if name in form.errors:  # keep the row's position for the error link
                        shown = f"{block.id}.own.{len(rows)}.{side}"
                        form.errors[shown] = form.errors.pop(name)
                        label = block.left_label if side == "left" else block.right_label
                        form.labels[shown] = _("Your own row %(number)s") % {
                            "number": len(rows) + 1} + f" ({label})"
                if row_values["left"].strip() or row_values["right"].strip():
                    rows.append(row_values)
            form.values[own_key(block)] = rows
    return form


def posted_own_rows(step: Step, post: Mapping[str, str]) -> int:
    """How many own-row slots the visitor's form had."""
    return sum(
        1
        for block in step.blocks if isinstance(block, PairTable)
        for n in range(block.own_rows_max) if f"{block.id}.own.{n}.left" in post
    )


def answers_to_save(step: Step, form: StepForm) -> dict[str, Answer | None]:
    """The answers of a valid form, with blank ones as None so they are removed."""
    result: dict[str, Answer | None] = {}
    for name, value in form.values.items():
        if isinstance(value, str) and not value.strip():
            result[name] = None
        else:
            result[name] = value
    return result


def badly_encoded_fields(request: HttpRequest) -> frozenset[str]:
    """Names of url-encoded form fields whose bytes are not valid UTF-8.

    Django quietly replaces such bytes; finding them lets the visitor be told.
    """
    if request.content_type != "application/x-www-form-urlencoded":
        return frozenset()
    body = request.body
    bad = set()
    for pair in body.split(b"&"):
        name, _sep, value = pair.partition(b"=")
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            bad.add(unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace"))
    return frozenset(bad)


def question_number(index: int, parent: str | None) -> str:
    """'3' for a question, '5a' for the first sub-question of question 5."""
    return f"{parent}{chr(ord('a') + index)}" if parent else str(index + 1)

