"""The one place answers are kept. Views talk to `AnswerStore`; what sits behind it can change.

For now answers live in the server-side session (never in a cookie or URL). The encrypted
journal replaces `SessionAnswerStore` without touching the views.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

# A saved answer: text, a chosen value, or the visitor's own rows of a pair table.
Answer = str | list[dict[str, str]]


@dataclass(frozen=True)
class Progress:
    """Which steps of a module the visitor has saved, and the last one."""

    done: frozenset[str]
    last_step: str | None


class AnswerStore(Protocol):
    """What the module player needs from storage."""

    def answers(self, module_id: str) -> dict[str, Answer]:
        """Every saved answer of a module, by answer id."""
        ...

    def progress(self, module_id: str) -> Progress:
        """Which steps are done."""
        ...

    def save_step(self, module_id: str, step_id: str, values: dict[str, Answer | None]) -> None:
        """Save a step's answers (None removes one) and mark the step done."""
        ...


class SessionAnswerStore:
    """Answers in Django's server-side session."""

    KEY = "modules"

    def __init__(self, session: Any):
        self.session = session

    def _module(self, module_id: str) -> dict[str, Any]:
        return self.session.get(self.KEY, {}).get(module_id, {})

    def answers(self, module_id: str) -> dict[str, Answer]:
        return dict(self._module(module_id).get("answers", {}))

    def progress(self, module_id: str) -> Progress:
        data = self._module(module_id)
        return Progress(frozenset(data.get("done", [])), data.get("last"))

    def save_step(self, module_id: str, step_id: str, values: dict[str, Answer | None]) -> None:
        modules = self.session.get(self.KEY, {})
        data = modules.setdefault(module_id, {"answers": {}, "done": []})
        for key, value in values.items():
            if value in (None, "", []):
                data["answers"].pop(key, None)
            else:
                data["answers"][key] = value
        if step_id not in data["done"]:
            data["done"].append(step_id)
        data["last"] = step_id
        self.session[self.KEY] = modules  # reassign so the session knows it changed


def store_for(request: Any) -> AnswerStore:
    """The answer store for this visitor."""
    return SessionAnswerStore(request.session)
