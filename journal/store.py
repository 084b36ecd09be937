"""The one place answers are kept. Views talk to `AnswerStore`; what sits behind it can change.

Answers live in the visitor's encrypted journal. Before the first save there is no journal:
the store then reads as empty, and its first save creates the journal and its phrase.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import get_language

from . import service, throttle

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

    def answers(self, module_id: str, answer_ids: Iterable[str] | None = None) -> dict[str, Answer]:
        """Saved answers of a module, by answer id: all, or only those of `answer_ids`."""
        ...

    def progress(self, module_id: str) -> Progress:
        """Which steps are done."""
        ...

    def progress_of(self, module_ids: Iterable[str]) -> dict[str, Progress]:
        """The progress of several modules at once."""
        ...

    def has_journal(self) -> bool:
        """Whether this session has a journal open (answers are saved in it)."""
        ...

    def save_step(
        self,
        module_id: str,
        step_id: str,
        values: dict[str, Answer | None],
        done: bool = True,
        also_done: Iterable[str] = (),
    ) -> bool:
        """Save a step's answers (None removes one), mark it (and `also_done`) done; True if a
        journal was made."""
        ...


class JournalStore:
    """Answers in the encrypted journal whose key this request's session holds.

    Answers are read from the database once per request, and only those a page asks for.
    """

    def __init__(self, request: Any):
        self.request = request
        self.session = request.session
        self._handle = service.open_journal(self.session)
        self._read: dict[str, Any] = {}  # decrypted answers, by full answer id
        self._asked: set[str] = set()  # full ids already looked up (saved or not)
        self._complete = False  # every answer of the journal has been read

    def _load(self, full_ids: set[str] | None) -> None:
        """Read the given answers (None: all of them) unless this request already has."""
        if self._handle is None or self._complete:
            return
        missing = None if full_ids is None else full_ids - self._asked
        if missing is not None and not missing:
            return
        try:
            found = self._handle.read(missing)
        except service.JournalGone:
            found = {}
        self._read.update(found)
        if missing is None:
            self._complete = True
        else:
            self._asked |= missing

    def answers(self, module_id: str, answer_ids: Iterable[str] | None = None) -> dict[str, Answer]:
        prefix = module_id + "/"
        progress = prefix + PROGRESS
        wanted = None if answer_ids is None else set(answer_ids)
        if wanted is None:
            self._load(None)
        else:
            # The module's progress comes along in the same query: pages show it, saves need it.
            self._load({prefix + i for i in wanted} | {progress})
        return {
            k[len(prefix) :]: v
            for k, v in self._read.items()
            if k.startswith(prefix)
            and k != progress
            and (wanted is None or k[len(prefix) :] in wanted)
        }

    def progress(self, module_id: str) -> Progress:
        key = f"{module_id}/{PROGRESS}"
        self._load({key})
        data = self._read.get(key) or {}
        return Progress(frozenset(data.get("done", [])), data.get("last"))

    def progress_of(self, module_ids: Iterable[str]) -> dict[str, Progress]:
        """The progress of several modules, read in one query (the home page lists them all)."""
        wanted = list(module_ids)
        self._load({f"{m}/{PROGRESS}" for m in wanted})
        return {m: self.progress(m) for m in wanted}

    def modules(self) -> list[str]:
        """Modules with anything saved, for the export."""
        self._load(None)
        return sorted({k.split("/", 1)[0] for k in self._read})

    def has_journal(self) -> bool:
        return self._handle is not None

    def save_step(
        self,
        module_id: str,
        step_id: str,
        values: dict[str, Answer | None],
        done: bool = True,
        also_done: Iterable[str] = (),
    ) -> bool:
        created = False
        if self._handle is None:
            # Turned away from making a journal before? Asked only when one is to be made.
            waited = throttle.has_waited(self.request)
            self._handle, _phrase = service.create(self.session, get_language(), waited)
            created = True
        record: dict[str, Any] = {f"{module_id}/{k}": v for k, v in values.items()}

        def mark(saved: Any) -> dict[str, Any]:
            # Read with the journal locked: a step another tab saved meanwhile stays done.
            before = set((saved or {}).get("done", []))
            finished = before | set(also_done) | ({step_id} if done else set())
            return {"done": sorted(finished), "last": step_id}

        self._handle.write(record, update=(f"{module_id}/{PROGRESS}", mark))
        self._read, self._asked, self._complete = {}, set(), False
        return created


def store_for(request: Any) -> JournalStore:
    """The answer store for this visitor."""
    return JournalStore(request)
