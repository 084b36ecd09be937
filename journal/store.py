"""The one place answers are kept. Views talk to `AnswerStore`; what sits behind it can change.

Answers live in the visitor's encrypted journal. Before the first save there is no journal:
the store then reads as empty, and its first save creates the journal and its phrase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import get_language

from . import service

# A saved answer: text, a chosen value, or the visitor's own rows of a pair table.
Answer = str | list[dict[str, str]]
PROGRESS = "__progress__"


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

    def save_step(self, module_id: str, step_id: str, values: dict[str, Answer | None],
                  done: bool = True) -> bool:
        """Save a step's answers (None removes one), mark it done; True if a journal was made."""
        ...


class JournalStore:
    """Answers in the encrypted journal whose key this request's session holds."""

    def __init__(self, request: Any):
        self.session = request.session
        self._handle = service.keys_from_session(self.session)
        self._all: dict[str, Any] | None = None

    def _everything(self) -> dict[str, Any]:
        if self._all is None:
            try:
                self._all = self._handle.read_all() if self._handle else {}
            except service.JournalGone:
                self._all = {}
        return self._all

    def answers(self, module_id: str) -> dict[str, Answer]:
        prefix = module_id + "/"
        return {k[len(prefix):]: v for k, v in self._everything().items()
                if k.startswith(prefix) and not k.endswith("/" + PROGRESS)}

    def progress(self, module_id: str) -> Progress:
        data = self._everything().get(f"{module_id}/{PROGRESS}") or {}
        return Progress(frozenset(data.get("done", [])), data.get("last"))

    def modules(self) -> list[str]:
        """Modules with anything saved, for the export."""
        return sorted({k.split("/", 1)[0] for k in self._everything()})

    def save_step(self, module_id: str, step_id: str, values: dict[str, Answer | None],
                  done: bool = True) -> bool:
        created = False
        if self._handle is None:
            self._handle, _phrase = service.create(self.session, get_language())
            created = True
        progress = self.progress(module_id)
        finished = sorted(progress.done | {step_id}) if done else sorted(progress.done)
        record: dict[str, Any] = {f"{module_id}/{k}": v for k, v in values.items()}
        record[f"{module_id}/{PROGRESS}"] = {"done": finished, "last": step_id}
        self._handle.write(record)
        self._all = None
        return created


def store_for(request: Any) -> JournalStore:
    """The answer store for this visitor."""
    return JournalStore(request)
