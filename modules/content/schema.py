"""A module: its steps, each a list of blocks (modules/content/blocks.py), as frozen objects.

Ids are stable: saved answers are keyed by them, so an edit to the wording keeps answers valid.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Literal, Union

from pydantic import ConfigDict, Field

from core.content.markdown import Md
from core.content.types import Id, Markdown, Part, Text

from .blocks import BLOCK_CLASSES
from .blocks import Block as BaseBlock

if TYPE_CHECKING:
    Block = BaseBlock
else:
    # One of the block classes, chosen by its `type:` (derived from the classes, not listed).
    Block = Annotated[Union[BLOCK_CLASSES], Field(discriminator="type")]  # noqa: UP007


class Step(Part):
    """One page of a module."""

    id: Id
    title: Text
    heavy: bool = False
    blocks: tuple[Block, ...] = Field(min_length=1)

    def inputs(self) -> frozenset[str]:
        """The answer id of every input on the step (the visitor's own rows count as one)."""
        return frozenset(name for block in self.blocks for name in block.inputs())


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
    # Set from content/modules.yaml: a draft is shown only where settings.BAKEN_SHOW_DRAFTS.
    status: Literal["draft", "published"] = "published"

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    @property
    def draft(self) -> bool:
        """Whether the module still awaits review (hidden where drafts are not shown)."""
        return self.status == "draft"

    def step(self, step_id: str) -> Step | None:
        """The step with this id, or None."""
        return next((s for s in self.steps if s.id == step_id), None)

    def index(self, step_id: str) -> int:
        """The position of a step, counting from 0."""
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)

    def block(self, block_id: str) -> BaseBlock | None:
        """The block with this id anywhere in the module, or None."""
        return self._blocks.get(block_id)

    def step_of(self, block_id: str) -> Step | None:
        """The step a block stands on, or None."""
        return next((s for s in self.steps if any(b.block_id == block_id for b in s.blocks)), None)

    def shown(self, step: Step) -> frozenset[str]:
        """Every saved answer a step's page shows: its inputs, plus what its blocks bring back
        from earlier steps. The page reads only these from the journal."""
        return self._shown[step.id]

    # Worked out from the content alone, once per loaded module (content never changes while
    # it is loaded).
    @cached_property
    def _blocks(self) -> dict[str, BaseBlock]:
        return {b.block_id: b for s in self.steps for b in s.blocks if b.block_id}

    @cached_property
    def _shown(self) -> dict[str, frozenset[str]]:
        return {
            step.id: step.inputs() | {i for b in step.blocks for i in b.reads(self)}
            for step in self.steps
        }
