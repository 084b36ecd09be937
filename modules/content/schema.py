"""The content schema: every block type a module step may contain, as frozen pydantic models.

Ids are stable: saved answers are keyed by them, so an edit to the wording keeps answers valid.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.conf import settings
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from .markdown import Md, problems, render_block, render_inline


def _checked(render):  # type: ignore[no-untyped-def]
    def validate(source: str) -> Md:
        found = problems(source)
        if found:
            raise ValueError("; ".join(found))
        return render(source)

    return validate


Markdown = Annotated[str, StringConstraints(min_length=1), AfterValidator(_checked(render_block))]
InlineMarkdown = Annotated[
    str, StringConstraints(min_length=1), AfterValidator(_checked(render_inline))
]
def _whole_number(value: object) -> object:
    """Refuse '2.000' or '2,000': YAML would read the first as 2, silently."""
    if isinstance(value, str) and not value.strip().isdigit():
        raise ValueError(f"write a whole number with digits only, like 2000 (not {value!r})")
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=300)]


def default_max_length() -> int:
    """The longest answer a question accepts unless it says otherwise."""
    return int(getattr(settings, "BAKEN_DEFAULT_MAX_LENGTH", 10_000))


class Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Prose(Part):
    """Text to read."""

    type: Literal["prose"]
    title: Text | None = None
    text: Markdown


class Goals(Part):
    """What the visitor will gain from the module."""

    type: Literal["goals"]
    title: Text | None = None
    intro: Markdown | None = None
    items: tuple[InlineMarkdown, ...] = Field(min_length=1)


class Callout(Part):
    """A highlighted note: a warning, a prompt to take a break, or a prompt to get in touch."""

    type: Literal["callout"]
    kind: Literal["warning", "break", "contact"]
    title: Text | None = None
    text: Markdown


class ScalePoint(Part):
    value: WholeNumber = Field(ge=0, le=10)
    label: Text


class RatingItem(Part):
    id: Id
    text: InlineMarkdown


class Rating(Part):
    """Statements each rated on a labelled scale; an `after` rating repeats a `before` one."""

    type: Literal["rating"]
    id: Id
    occurrence: Literal["before", "after"]
    pairs_with: Id | None = None
    title: Text | None = None
    intro: Markdown | None = None
    scale: tuple[ScalePoint, ...] = Field(min_length=2, max_length=10)
    items: tuple[RatingItem, ...] = Field(min_length=1)


class Question(Part):
    """A free-text question; it may hold sub-questions."""

    id: Id
    text: InlineMarkdown
    hint: InlineMarkdown | None = None
    max_length: WholeNumber = Field(default_factory=default_max_length, ge=1, le=100_000)
    items: tuple[Question, ...] = ()


class Questions(Part):
    """A numbered set of free-text questions."""

    type: Literal["questions"]
    id: Id
    title: Text | None = None
    intro: Markdown | None = None
    items: tuple[Question, ...] = Field(min_length=1)


class PairRow(Part):
    id: Id
    left: InlineMarkdown
    right: InlineMarkdown


class PairTable(Part):
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


class Rehearse(Part):
    """The counter-responses of a pair table, one at a time, to repeat."""

    type: Literal["rehearse"]
    id: Id
    source: Id
    title: Text | None = None
    intro: Markdown | None = None


class ThresholdStep(Part):
    id: Id
    text: InlineMarkdown


class Threshold(Part):
    """Ordered steps; the visitor marks the first one they would not take, then says why."""

    type: Literal["threshold"]
    id: Id
    title: Text | None = None
    intro: Markdown | None = None
    prompt: InlineMarkdown
    steps: tuple[ThresholdStep, ...] = Field(min_length=2)
    explain: Question


class Compare(Part):
    """The visitor's before and after ratings side by side, with the change."""

    type: Literal["compare"]
    id: Id
    before: Id
    after: Id
    title: Text | None = None
    intro: Markdown | None = None


class Illustration(Part):
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


Block = Annotated[
    Prose
    | Goals
    | Callout
    | Rating
    | Questions
    | PairTable
    | Rehearse
    | Threshold
    | Compare
    | Illustration,
    Field(discriminator="type"),
]
BLOCK_TYPES = (
    "prose",
    "goals",
    "callout",
    "rating",
    "questions",
    "pair_table",
    "rehearse",
    "threshold",
    "compare",
    "illustration",
)


class Step(Part):
    """One page of a module."""

    id: Id
    title: Text
    heavy: bool = False
    blocks: tuple[Block, ...] = Field(min_length=1)


class ModuleMeta(Part):
    """module.yaml: what the module is called and what it is about."""

    title: Text
    summary: Markdown
    duration: Text | None = None


class Module(Part):
    """A whole module in one language, its steps in order."""

    id: Id
    language: str
    title: str
    summary: Md
    duration: str | None
    steps: tuple[Step, ...]

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def step(self, step_id: str) -> Step | None:
        """The step with this id, or None."""
        return next((s for s in self.steps if s.id == step_id), None)

    def index(self, step_id: str) -> int:
        """The position of a step, counting from 0."""
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)
