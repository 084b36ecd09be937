"""Choices with their labels in one table: the value stored, and the label shown."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Labelled(StrEnum):
    """A StrEnum whose members are written `NAME = "value", _("Label")`.

    Django's TextChoices does the same, but its members type-check as tuples without Django's
    type stubs; these are plain strings that also carry a label.
    """

    label: Any  # a lazy translation

    def __new__(cls, value: str, label: Any) -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def label_of(cls, value: str) -> Any:
        """The label of the member whose value is `value` (as a field stores it)."""
        return next(member.label for member in cls if member.value == value)

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """For a model or form field: (value, label) of every member, in order."""
        return [(member.value, member.label) for member in cls]
