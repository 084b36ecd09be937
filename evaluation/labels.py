"""What the dashboard calls things. The evaluation sits below the module player, so it cannot
read the content itself: the module player tells it, when the apps are ready."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ModuleWords:
    """A module's title, its steps in order (id, title) and its rated statements (id → text)."""

    title: str
    steps: tuple[tuple[str, str], ...] = ()
    statements: dict[str, str] = field(default_factory=dict)


Describer = Callable[[str], ModuleWords | None]
_describer: list[Describer] = []


def register(describer: Describer) -> None:
    _describer[:] = [describer]


def describe(module: str) -> ModuleWords:
    """The words for `module` in the active language (its id when nothing is registered)."""
    found = _describer[0](module) if _describer else None
    return found or ModuleWords(title=module)
