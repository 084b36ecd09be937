"""The blocks a module step is made of. Each block type is one class here and one template,
`modules/jinja2/blocks/<type>.html`, and one section of docs/content-format.md.

A class holds the block's fields (validated by pydantic when content loads) and its behaviour:
the ids it declares, the answers its form writes (`inputs`) and the saved answers of earlier
steps it shows (`reads`), how it reads its part of a POST (`parse`), its rows in the summary
(`summary`), and what its template needs beyond the block itself (`prepare`). The module
player only ever calls these; it never asks which type a block is.

A block whose HTML is the same for every visitor says so (`is_static`): the step page
renders it once per language with nothing but the block (core.templating's `part`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any, Literal, Protocol

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import Field

from core.content import Loc
from core.content.types import Id, InlineMarkdown, Markdown, Part, Text, WholeNumber
from core.templating.helpers import field_id, question_number
from journal.store import Answer

from .fields import Row, StepForm, saved_text

YES, NO = "yes", "no"
# How many empty own rows a pair table may show beyond the saved ones (`?more=`).
MAX_EXTRA_ROWS = 5


def default_max_length() -> int:
    """The longest answer a question accepts unless it says otherwise."""
    return int(getattr(settings, "BAKEN_DEFAULT_MAX_LENGTH", 10_000))


# Reads saved answers of the module by id (the module player's journal store).
Reader = Callable[[list[str]], Mapping[str, Answer]]
# (answer id that remembers the contribution, statement id → (before, after))
Contribution = tuple[str, dict[str, tuple[int, int]]]


class Module(Protocol):
    """What a block asks of the module it stands in (modules.content.schema.Module)."""

    def block(self, block_id: str) -> Block | None: ...

    def step_of(self, block_id: str) -> Any: ...


class Block(Part):
    """What every block type answers; the defaults suit a block that asks nothing."""

    @classmethod
    def type_name(cls) -> str:
        """The block's `type:` in content files."""
        return str(cls.model_fields["type"].annotation.__args__[0])  # type: ignore[union-attr]

    @property
    def template(self) -> str:
        return f"blocks/{self.type_name()}.html"

    def is_static(self) -> bool:
        """Whether its HTML is the same for every visitor (then rendered once per language)."""
        return False

    @property
    def block_id(self) -> str | None:
        return getattr(self, "id", None)

    def ids(self, here: Loc) -> Iterator[tuple[str, Loc]]:
        """Every id the block declares, with where it stands in its file (each must be unique
        in the module)."""
        if self.block_id:
            yield self.block_id, here

    def inputs(self) -> Iterator[str]:
        """The answer ids its form writes."""
        return iter(())

    def reads(self, module: Module) -> Iterator[str]:
        """Answer ids of earlier steps that it shows."""
        return iter(())

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        """Read its part of a POST into the form: values (always), errors and labels."""

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        """Its rows on the summary page and in the export."""
        return iter(())

    def text_labels(self) -> Iterator[tuple[str, object]]:
        """Free-text input names with the question each answers (to show rejected text back)."""
        return iter(())

    def check(self, seen: Mapping[str, Block]) -> Iterator[tuple[str | Loc, str]]:
        """Problems with the blocks it refers to, `seen` earlier in the module: (field, message);
        the field may be a path within the block, such as ("items", 2, "text")."""
        return iter(())

    def prepare(
        self, module: Module, form: StepForm, saved: Mapping[str, Answer], query: Mapping[str, str]
    ) -> Any:
        """What its template needs beyond the block and the form, for this page."""
        return None

    def contribution(
        self, module: Module, values: Mapping[str, Answer], read: Reader
    ) -> Contribution | None:
        """What saving this step contributes anonymously to the evaluation (evaluation/): the
        answer id that remembers it in the journal, and the paired scores; None: nothing."""
        return None


class Prose(Block):
    """Text to read."""

    type: Literal["prose"]
    title: Text | None = None
    text: Markdown

    def is_static(self) -> bool:
        return True


class Goals(Block):
    """What the visitor will gain from the module."""

    type: Literal["goals"]
    title: Text | None = None
    intro: Markdown | None = None
    items: tuple[InlineMarkdown, ...] = Field(min_length=1)

    def is_static(self) -> bool:
        return True


class Callout(Block):
    """A highlighted note: a warning, a prompt to take a break or to get in touch, or what to do
    when an urge comes up (with the way to the "I feel an urge now" page)."""

    type: Literal["callout"]
    kind: Literal["warning", "break", "contact", "urge"]
    title: Text | None = None
    text: Markdown

    def is_static(self) -> bool:
        # A contact callout shows the helpline and whether it is open now: rendered per page.
        return self.kind != "contact"


class ScalePoint(Part):
    value: WholeNumber = Field(ge=0, le=10)
    label: Text


class RatingItem(Part):
    id: Id
    text: InlineMarkdown


class Rating(Block):
    """Statements each rated on a labelled scale; an `after` rating repeats a `before` one."""

    type: Literal["rating"]
    id: Id
    occurrence: Literal["before", "after"]
    pairs_with: Id | None = None
    title: Text | None = None
    intro: Markdown | None = None
    scale: tuple[ScalePoint, ...] = Field(min_length=2, max_length=10)
    items: tuple[RatingItem, ...] = Field(min_length=1)

    def name(self, item: RatingItem) -> str:
        return f"{self.id}.{item.id}"

    def ids(self, here: Loc) -> Iterator[tuple[str, Loc]]:
        yield self.id, here
        for i, item in enumerate(self.items):
            yield self.name(item), (*here, "items", i)

    def inputs(self) -> Iterator[str]:
        return (self.name(item) for item in self.items)

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        allowed = {str(point.value) for point in self.scale}
        for item in self.items:
            form.labels[self.name(item)] = item.text
            form.choice(
                post,
                self.name(item),
                allowed,
                _("Choose a score for this statement."),
                _("Choose one of the scores shown."),
            )

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        labels = {str(p.value): f"{p.value} – {p.label}" for p in self.scale}
        for item in self.items:
            value = saved_text(answers, self.name(item))
            yield Row(item.text, labels.get(value or ""), field_id(self.name(item)))

    def check(self, seen: Mapping[str, Block]) -> Iterator[tuple[str | Loc, str]]:
        if self.occurrence != "after":
            return
        before = seen.get(self.pairs_with or "")
        if self.pairs_with is None:
            yield "occurrence", "an 'after' rating needs 'pairs_with: <id of the before rating>'"
        elif not isinstance(before, Rating) or before.occurrence != "before":
            yield (
                "pairs_with",
                f"'{self.pairs_with}' is not a 'before' rating earlier in the module",
            )
        elif {i.id for i in before.items} != {i.id for i in self.items}:
            yield "items", f"the statements' ids must match those of '{before.id}'"
        elif [p.value for p in before.scale] != [p.value for p in self.scale]:
            yield "scale", f"the scale must match that of '{before.id}'"
        else:
            # The same words before and after, or the comparison compares two questions.
            opening = {i.id: str(i.text) for i in before.items}
            for i, item in enumerate(self.items):
                if str(item.text) != opening[item.id]:
                    yield (
                        ("items", i, "text"),
                        f"statement '{item.id}' must be worded exactly as in '{before.id}'",
                    )


class Question(Part):
    """A free-text question; it may hold sub-questions."""

    id: Id
    text: InlineMarkdown
    hint: InlineMarkdown | None = None
    max_length: WholeNumber = Field(default_factory=default_max_length, ge=1, le=100_000)
    items: tuple[Question, ...] = ()

    def walk(self, number: str, loc: Loc) -> Iterator[tuple[Question, str, Loc]]:
        """This question and its sub-questions, in reading order, with numbers and places."""
        yield self, number, loc
        for i, sub in enumerate(self.items):
            yield from sub.walk(question_number(i, number), (*loc, "items", i))


def numbered(questions: tuple[Question, ...], loc: Loc = ()) -> Iterator[tuple[Question, str, Loc]]:
    """Every question, sub-questions included, with its number ('5a') and place in the file."""
    for i, question in enumerate(questions):
        yield from question.walk(question_number(i, None), (*loc, i))


def walk_questions(questions: tuple[Question, ...]) -> Iterator[Question]:
    """Every question, sub-questions included, in reading order."""
    return (question for question, _number, _loc in numbered(questions))


class Questions(Block):
    """A numbered set of free-text questions."""

    type: Literal["questions"]
    id: Id
    title: Text | None = None
    intro: Markdown | None = None
    items: tuple[Question, ...] = Field(min_length=1)

    def ids(self, here: Loc) -> Iterator[tuple[str, Loc]]:
        yield self.id, here
        for question, _number, loc in numbered(self.items, (*here, "items")):
            yield question.id, loc

    def inputs(self) -> Iterator[str]:
        return (question.id for question in walk_questions(self.items))

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        for question in walk_questions(self.items):
            form.labels[question.id] = question.text
            form.text(post, question.id, question.max_length)

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        for question, number, _loc in numbered(self.items):
            yield Row(
                question.text, saved_text(answers, question.id), field_id(question.id), number
            )

    def text_labels(self) -> Iterator[tuple[str, object]]:
        return ((q.id, q.text) for q in walk_questions(self.items))


class PairRow(Part):
    id: Id
    left: InlineMarkdown
    right: InlineMarkdown


class PairTable(Block):
    """Two columns (a justification and a counter-response): built-in rows and the visitor's own."""

    type: Literal["pair_table"]
    id: Id
    title: Text | None = None
    intro: Markdown | None = None
    left_label: Text
    right_label: Text
    recognise_label: Text
    rows: tuple[PairRow, ...] = Field(min_length=1)
    own_rows_title: Text | None = None
    own_rows_intro: Markdown | None = None
    own_rows_max: WholeNumber = Field(default=20, ge=0, le=50)
    max_length: WholeNumber = Field(default=1000, ge=1, le=10_000)

    @property
    def own(self) -> str:
        """The answer id holding the visitor's own rows."""
        return f"{self.id}.own"

    def ids(self, here: Loc) -> Iterator[tuple[str, Loc]]:
        yield self.id, here
        for i, row in enumerate(self.rows):
            yield f"{self.id}.{row.id}", (*here, "rows", i)

    def inputs(self) -> Iterator[str]:
        yield from (f"{self.id}.{row.id}" for row in self.rows)
        yield self.own

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        for row in self.rows:
            name = f"{self.id}.{row.id}"
            form.values[name] = YES if post.get(name) == YES else ""
        rows: list[dict[str, str]] = []
        for n in range(self.own_rows_max):
            names = {side: f"{self.id}.own.{n}.{side}" for side in ("left", "right")}
            if not any(name in post for name in names.values()):
                continue
            values = {}
            for side, name in names.items():
                form.text(post, name, self.max_length)
                values[side] = str(form.values.pop(name))
                if name in form.errors:  # kept at the row's position as shown again
                    shown = f"{self.id}.own.{len(rows)}.{side}"
                    form.errors[shown] = form.errors.pop(name)
                    label = self.left_label if side == "left" else self.right_label
                    form.labels[shown] = (
                        _("Your own row %(number)s") % {"number": len(rows) + 1} + f" ({label})"
                    )
            if values["left"].strip() or values["right"].strip():
                rows.append(values)
        form.values[self.own] = rows

    def posted_rows(self, post: Mapping[str, str]) -> int:
        """How many own-row slots the visitor's form had."""
        return sum(1 for n in range(self.own_rows_max) if f"{self.id}.own.{n}.left" in post)

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        recognised = [
            r.left.source  # type: ignore[attr-defined]  # Md once loaded
            for r in self.rows
            if answers.get(f"{self.id}.{r.id}") == YES
        ]
        yield Row(
            self.recognise_label,
            "\n".join(recognised) or None,
            field_id(f"{self.id}.{self.rows[0].id}"),
        )
        own = answers.get(self.own)
        rows = tuple(own) if isinstance(own, list) else ()
        yield Row(
            self.own_rows_title or _("Your own rows"),
            None if not rows else "",
            "own-rows-" + self.id,
            own_rows=rows,
        )

    def text_labels(self) -> Iterator[tuple[str, object]]:
        yield from (("left", self.left_label), ("right", self.right_label))

    def prepare(
        self, module: Module, form: StepForm, saved: Mapping[str, Answer], query: Mapping[str, str]
    ) -> list[dict[str, str]]:
        """The own rows to show: the saved (or posted) ones, then empty ones to fill."""
        try:
            extra = max(0, min(MAX_EXTRA_ROWS, int(query.get("more", "1"))))
        except ValueError:
            extra = 1
        posted = form.values.get(self.own)
        rows: list[dict[str, str]] = list(posted) if isinstance(posted, list) else []
        shown = min(self.own_rows_max, len(rows) + (extra if rows else max(extra, 2)))
        return rows + [{"left": "", "right": ""}] * max(0, shown - len(rows))


class Rehearse(Block):
    """The counter-responses of a pair table, one at a time, to repeat: those to the
    justifications the visitor ticked, then their own."""

    type: Literal["rehearse"]
    id: Id
    source: Id
    title: Text | None = None
    intro: Markdown | None = None

    def table(self, module: Module) -> PairTable | None:
        found = module.block(self.source)
        return found if isinstance(found, PairTable) else None

    def reads(self, module: Module) -> Iterator[str]:
        table = self.table(module)
        if table is not None:
            yield from table.inputs()  # the ticks and the own rows

    def check(self, seen: Mapping[str, Block]) -> Iterator[tuple[str | Loc, str]]:
        if not isinstance(seen.get(self.source), PairTable):
            yield "source", f"'{self.source}' is not a pair table earlier in the module"

    def prepare(
        self, module: Module, form: StepForm, saved: Mapping[str, Answer], query: Mapping[str, str]
    ) -> dict[str, Any]:
        """The responses to rehearse (to the ticked built-in rows, then the visitor's own), which
        to show, and the table's step (to go back to when there is none)."""
        table = self.table(module)
        assert table is not None  # the content check makes sure
        cards = [
            {"left": r.left, "right": r.right, "own": False}
            for r in table.rows
            if saved.get(f"{table.id}.{r.id}") == YES
        ]
        own = saved.get(table.own)
        for row in own if isinstance(own, list) else []:
            if row.get("right", "").strip():
                cards.append({"left": row.get("left", ""), "right": row["right"], "own": True})
        try:
            position = max(1, min(len(cards), int(query.get("card") or "1")))
        except ValueError:
            position = 1
        return {
            "cards": cards,
            "position": position,
            "card": cards[position - 1] if cards else None,
            "source_step": module.step_of(table.id),
        }


class ThresholdStep(Part):
    id: Id
    text: InlineMarkdown


class Threshold(Block):
    """Ordered steps; the visitor marks the first one they would not take, then says why."""

    type: Literal["threshold"]
    id: Id
    title: Text | None = None
    intro: Markdown | None = None
    prompt: InlineMarkdown
    steps: tuple[ThresholdStep, ...] = Field(min_length=2)
    explain: Question

    def ids(self, here: Loc) -> Iterator[tuple[str, Loc]]:
        yield self.id, here
        for i, item in enumerate(self.steps):
            yield f"{self.id}.{item.id}", (*here, "steps", i)
        yield self.explain.id, (*here, "explain")

    def inputs(self) -> Iterator[str]:
        yield from (self.id, self.explain.id)

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        form.labels[self.id] = self.prompt
        form.labels[self.explain.id] = self.explain.text
        form.choice(
            post,
            self.id,
            {s.id for s in self.steps},
            _("Choose the step where you draw the line."),
            _("Choose one of the steps shown."),
        )
        form.text(post, self.explain.id, self.explain.max_length)

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        names = {s.id: s.text.source for s in self.steps}  # type: ignore[attr-defined]
        yield Row(self.prompt, names.get(saved_text(answers, self.id) or ""), field_id(self.id))
        yield Row(
            self.explain.text, saved_text(answers, self.explain.id), field_id(self.explain.id)
        )

    def text_labels(self) -> Iterator[tuple[str, object]]:
        yield self.explain.id, self.explain.text


class Compare(Block):
    """The visitor's before and after ratings side by side, with the change."""

    type: Literal["compare"]
    id: Id
    before: Id
    after: Id
    title: Text | None = None
    intro: Markdown | None = None

    def ratings(self, module: Module) -> tuple[Rating, Rating] | None:
        before, after = module.block(self.before), module.block(self.after)
        if isinstance(before, Rating) and isinstance(after, Rating):
            return before, after
        return None

    def reads(self, module: Module) -> Iterator[str]:
        pair = self.ratings(module)
        if pair is not None:
            for item in pair[0].items:
                yield from (pair[0].name(item), f"{pair[1].id}.{item.id}")

    def check(self, seen: Mapping[str, Block]) -> Iterator[tuple[str | Loc, str]]:
        for side in ("before", "after"):
            name = getattr(self, side)
            if not isinstance(seen.get(name), Rating):
                yield side, f"'{name}' is not a rating earlier in the module"

    def prepare(
        self, module: Module, form: StepForm, saved: Mapping[str, Answer], query: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        """Each statement's before and after score and the difference."""
        pair = self.ratings(module)
        if pair is None:
            return []
        before, after = pair
        result = []
        for item in before.items:
            b = saved_text(saved, before.name(item))
            a = saved_text(saved, f"{after.id}.{item.id}")
            change = int(a) - int(b) if a and b else None
            result.append({"text": item.text, "before": b, "after": a, "change": change})
        return result


class Illustration(Block):
    """A server-drawn balance: reasons for the behaviour against reasons to stop."""

    type: Literal["illustration"]
    id: Id
    kind: Literal["balance"]
    title: Text
    left_label: Text
    right_label: Text
    left: tuple[Text, ...] = Field(min_length=1)
    right: tuple[Text, ...] = Field(min_length=1)
    heavier: Literal["left", "right"]
    description: Markdown

    def is_static(self) -> bool:
        return True


class ChecklistItem(Part):
    id: Id
    text: InlineMarkdown


class Choice(Part):
    value: Id
    label: Text


class Checklist(Block):
    """Items to tick (or to give one of a few answers each), plus entries in the visitor's own
    words."""

    type: Literal["checklist"]
    id: Id
    title: Text | None = None
    intro: Markdown | None = None
    items: tuple[ChecklistItem, ...] = Field(min_length=1)
    choices: Annotated[tuple[Choice, ...], Field(min_length=2, max_length=5)] | None = None
    own_title: Text | None = None
    own_intro: Markdown | None = None
    own_max: WholeNumber = Field(default=3, ge=0, le=10)
    max_length: WholeNumber = Field(default=300, ge=1, le=2000)

    def name(self, item: ChecklistItem) -> str:
        return f"{self.id}.{item.id}"

    @property
    def own(self) -> str:
        """The answer id holding the visitor's own entries."""
        return f"{self.id}.own"

    def ids(self, here: Loc) -> Iterator[tuple[str, Loc]]:
        yield self.id, here
        for i, item in enumerate(self.items):
            yield self.name(item), (*here, "items", i)
        for i, choice in enumerate(self.choices or ()):
            # Saved answers hold the value: it must be the same in every language.
            yield f"{self.id}.choices.{choice.value}", (*here, "choices", i)

    def inputs(self) -> Iterator[str]:
        yield from (self.name(item) for item in self.items)
        if self.own_max:
            yield self.own

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        allowed = {c.value for c in self.choices or ()}
        for item in self.items:
            name = self.name(item)
            value = post.get(name, "")
            form.labels[name] = item.text
            if not self.choices:
                form.values[name] = YES if value == YES else ""
            elif value == "" or value in allowed:
                form.values[name] = value
            else:
                form.values[name] = ""
                form.errors[name] = _("Choose one of the answers shown.")
        entries: list[dict[str, str]] = []
        for n in range(self.own_max):
            name = f"{self.own}.{n}"
            if name not in post:
                continue
            form.text(post, name, self.max_length)
            text = str(form.values.pop(name))
            if name in form.errors:  # kept at the entry's position as shown again
                shown = f"{self.own}.{len(entries)}"
                form.errors[shown] = form.errors.pop(name)
                form.labels[shown] = _("Your own entry %(number)s") % {"number": len(entries) + 1}
            if text.strip():
                entries.append({"text": text})
        if self.own_max:
            form.values[self.own] = entries

    def own_entries(self, answers: Mapping[str, Answer]) -> list[str]:
        saved = answers.get(self.own)
        return (
            [e.get("text", "") for e in saved if e.get("text")] if isinstance(saved, list) else []
        )

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        if self.choices:
            labels = {c.value: c.label for c in self.choices}
            for item in self.items:
                value = saved_text(answers, self.name(item))
                yield Row(item.text, labels.get(value or ""), field_id(self.name(item)))
        else:
            ticked = [
                i.text.source  # type: ignore[attr-defined]  # Md once loaded
                for i in self.items
                if answers.get(self.name(i)) == YES
            ]
            yield Row(
                self.title or _("What you ticked"),
                "\n".join(ticked) or None,
                field_id(self.name(self.items[0])),
            )
        if self.own_max:
            own = self.own_entries(answers)
            yield Row(
                self.own_title or _("In your own words"),
                "\n".join(own) or None,
                field_id(f"{self.own}.0"),
            )

    def text_labels(self) -> Iterator[tuple[str, object]]:
        label = self.own_title or _("In your own words")
        return ((f"{self.own}.{n}", label) for n in range(self.own_max))

    def prepare(
        self, module: Module, form: StepForm, saved: Mapping[str, Answer], query: Mapping[str, str]
    ) -> list[str]:
        """The own entries to show: the saved (or posted) ones, then empty ones up to the most."""
        posted = form.values.get(self.own)
        entries = [e.get("text", "") for e in posted] if isinstance(posted, list) else []
        return entries + [""] * max(0, self.own_max - len(entries))


class Scale(Block):
    """One question answered with a number on a scale (such as 1 to 10), words at both ends; an
    `after` scale asks a `before` one again and shows the change."""

    type: Literal["scale"]
    id: Id
    occurrence: Literal["before", "after"]
    pairs_with: Id | None = None
    title: Text | None = None
    intro: Markdown | None = None
    question: InlineMarkdown
    lowest: WholeNumber = Field(default=1, ge=0, le=10)
    highest: WholeNumber = Field(default=10, ge=1, le=10)
    lowest_label: Text
    highest_label: Text

    def points(self) -> range:
        return range(self.lowest, self.highest + 1)

    def inputs(self) -> Iterator[str]:
        yield self.id

    def reads(self, module: Module) -> Iterator[str]:
        if self.pairs_with:
            yield self.pairs_with

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        form.labels[self.id] = self.question
        form.choice(
            post,
            self.id,
            {str(n) for n in self.points()},
            _("Choose a number."),
            _("Choose one of the numbers shown."),
        )

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        value = saved_text(answers, self.id)
        before = saved_text(answers, self.pairs_with) if self.pairs_with else None
        text = None
        if value is not None:
            text = _("%(value)s out of %(highest)s") % {"value": value, "highest": self.highest}
            if before is not None:
                change = int(value) - int(before)
                text += (
                    " ("
                    + _("at the start: %(before)s; change: %(change)s")
                    % {
                        "before": before,
                        "change": f"{change:+d}" if change else "0",
                    }
                    + ")"
                )
        yield Row(self.question, text, field_id(self.id))

    def check(self, seen: Mapping[str, Block]) -> Iterator[tuple[str, str]]:
        if self.highest <= self.lowest:
            yield "highest", "'highest' must be larger than 'lowest'"
        if self.occurrence != "after":
            if self.pairs_with is not None:
                yield "pairs_with", "only an 'after' scale has 'pairs_with'"
            return
        before = seen.get(self.pairs_with or "")
        if self.pairs_with is None:
            yield "occurrence", "an 'after' scale needs 'pairs_with: <id of the before scale>'"
        elif not isinstance(before, Scale) or before.occurrence != "before":
            yield "pairs_with", f"'{self.pairs_with}' is not a 'before' scale earlier in the module"
        elif (before.lowest, before.highest) != (self.lowest, self.highest):
            yield "highest", f"the numbers must run as those of '{before.id}' do"

    def prepare(
        self, module: Module, form: StepForm, saved: Mapping[str, Answer], query: Mapping[str, str]
    ) -> dict[str, Any]:
        """The earlier answer an `after` scale recalls."""
        return {"before": saved_text(saved, self.pairs_with) if self.pairs_with else None}


class Contribute(Block):
    """May the before and after scores count, anonymously, towards how well the module helps?
    Yes or no, with nothing chosen beforehand. Saving the step with "yes" adds one anonymous
    contribution (evaluation/): the scores of `rating` (an `after` rating) and of its `before`
    pair, once per journal."""

    type: Literal["contribute"]
    id: Id
    rating: Id
    title: Text | None = None
    intro: Markdown | None = None
    question: InlineMarkdown

    @property
    def counted(self) -> str:
        """The answer id that remembers, in the journal, that the scores were contributed."""
        return f"{self.id}.counted"

    def _ratings(self, module: Module) -> tuple[Rating, Rating] | None:
        after = module.block(self.rating)
        before = module.block(after.pairs_with or "") if isinstance(after, Rating) else None
        if isinstance(after, Rating) and isinstance(before, Rating):
            return before, after
        return None

    def inputs(self) -> Iterator[str]:
        yield self.id

    def parse(self, post: Mapping[str, str], form: StepForm) -> None:
        form.labels[self.id] = self.question
        value = post.get(self.id, "")
        if value in (YES, NO):
            form.values[self.id] = value
        elif value:
            form.errors[self.id] = _("Choose yes or no.")
        # Nothing chosen is an answer too: nothing is counted.

    def summary(self, answers: Mapping[str, Answer]) -> Iterator[Row]:
        value = saved_text(answers, self.id)
        shown = {YES: _("Yes"), NO: _("No")}.get(value or "")
        yield Row(self.question, shown, field_id(self.id))

    def check(self, seen: Mapping[str, Block]) -> Iterator[tuple[str | Loc, str]]:
        found = seen.get(self.rating)
        if not isinstance(found, Rating) or found.occurrence != "after":
            yield "rating", f"'{self.rating}' is not an 'after' rating earlier in the module"

    def contribution(
        self, module: Module, values: Mapping[str, Answer], read: Reader
    ) -> Contribution | None:
        pair = self._ratings(module)
        if values.get(self.id) != YES or pair is None:
            return None
        before, after = pair
        names = [before.name(i) for i in before.items] + [after.name(i) for i in after.items]
        saved = read([self.counted, *names])
        if saved_text(saved, self.counted):
            return None  # contributed once already: never twice from one journal
        ratings = {}
        for item in after.items:
            b = saved_text(saved, before.name(item))
            posted = values.get(after.name(item))
            a = (
                posted
                if isinstance(posted, str) and posted
                else saved_text(saved, after.name(item))
            )
            if a and b:
                ratings[item.id] = (int(b), int(a))
        return (self.counted, ratings) if ratings else None


class PlanSection(Part):
    title: Text
    show: tuple[Id, ...] = Field(min_length=1)


class Plan(Block):
    """The visitor's answers from earlier steps, arranged as one page to keep or print."""

    type: Literal["plan"]
    id: Id
    title: Text | None = None
    intro: Markdown | None = None
    sections: tuple[PlanSection, ...] = Field(min_length=1)

    def shown_blocks(self, module: Module) -> Iterator[Block]:
        for section in self.sections:
            for block_id in section.show:
                found = module.block(block_id)
                if found is not None:
                    yield found

    def reads(self, module: Module) -> Iterator[str]:
        for block in self.shown_blocks(module):
            yield from block.inputs()
            yield from block.reads(module)

    def check(self, seen: Mapping[str, Block]) -> Iterator[tuple[str, str]]:
        for section in self.sections:
            for block_id in section.show:
                found = seen.get(block_id)
                if found is None or not any(True for _ in found.inputs()):
                    yield (
                        "sections",
                        f"'{block_id}' is not a block earlier in the module that asks something",
                    )

    def prepare(
        self, module: Module, form: StepForm, saved: Mapping[str, Answer], query: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        """Each section with the answers given so far (rows without one left out), and the
        step to go to when it is still empty."""
        result = []
        for section in self.sections:
            blocks = [b for b in (module.block(i) for i in section.show) if b is not None]
            rows = [r for b in blocks for r in b.summary(saved) if r.value or r.own_rows]
            result.append(
                {
                    "title": section.title,
                    "rows": rows,
                    "step": module.step_of(blocks[0].block_id or ""),
                }
            )
        return result


# Every block type: the classes above, in the order they are defined (nothing kept by hand).
BLOCK_CLASSES: tuple[type[Block], ...] = tuple(Block.__subclasses__())
BLOCK_TYPES: tuple[str, ...] = tuple(cls.type_name() for cls in BLOCK_CLASSES)
