"""What the evaluation dashboard calls a module's steps and statements (evaluation.labels)."""

from __future__ import annotations

from django.utils.translation import get_language

from evaluation.labels import ModuleWords

from .content import get_library
from .content.blocks import Rating


def describe(module_id: str) -> ModuleWords | None:
    """The module's title, its steps in order and its rated statements, in the active language."""
    module = get_library().module(module_id, get_language(), drafts=True)
    if module is None:
        return None
    statements = {
        item.id: str(item.text)
        for step in module.steps
        for block in step.blocks
        if isinstance(block, Rating) and block.occurrence == "before"
        for item in block.items
    }
    return ModuleWords(
        title=str(module.title),
        steps=tuple((s.id, str(s.title)) for s in module.steps),
        statements=statements,
    )
