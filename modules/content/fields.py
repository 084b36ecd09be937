"""What blocks share to read and show answers: a step's form state and the summary's rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from journal.store import Answer


@dataclass
class StepForm:
    """The values shown in a step's inputs and any errors, by input name.

    `unreadable`: names of posted fields whose bytes were not UTF-8 (Django replaced them).
    """

    values: dict[str, Answer] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    labels: dict[str, object] = field(default_factory=dict)
    unreadable: frozenset[str] = frozenset()

    def text(self, post: Mapping[str, str], name: str, limit: int) -> None:
        """Read one free-text field: line endings normalised, the typed text always kept."""
        value = post.get(name, "").replace("\r\n", "\n").replace("\r", "\n")
        error = None
        if "\x00" in value:
            value = value.replace("\x00", "\ufffd")
            error = _(
                "Your text contains a character that cannot be saved (a null character). "
                "It is shown as \ufffd: remove it and save again."
            )
        self.values[name] = value
        if name in self.unreadable:
            error = _(
                "Some characters in this answer could not be read and are shown as \ufffd. "
                "Check the text and save again."
            )
        if error is None and len(value) > limit:
            error = _(
                "This answer is %(length)s characters long; the most it can hold is "
                "%(limit)s. Shorten it and save again."
            ) % {
                "length": number_format(len(value), force_grouping=True),
                "limit": number_format(limit, force_grouping=True),
            }
        if error:
            self.errors[name] = error

    def choice(
        self, post: Mapping[str, str], name: str, allowed: set[str], missing: str, wrong: str
    ) -> None:
        """Read one choice (a radio group): one of `allowed`, else the matching error."""
        value = post.get(name, "")
        if value in allowed:
            self.values[name] = value
        else:
            self.errors[name] = missing if value == "" else wrong


@dataclass(frozen=True)
class Row:
    """One answer: what was asked, what was answered (None if nothing), where to change it."""

    label: Any  # Md or str
    value: str | None
    anchor: str
    number: str = ""
    own_rows: tuple[dict[str, str], ...] = ()


def saved_text(answers: Mapping[str, Answer], key: str) -> str | None:
    """A saved text or choice, or None when there is none (or only blanks)."""
    value = answers.get(key)
    return value if isinstance(value, str) and value.strip() else None
