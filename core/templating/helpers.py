"""Small formatting helpers the templates (and the code that fills them) share."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format


def field_id(name: str) -> str:
    """An HTML id for an input name (ids with dots are awkward in links and CSS)."""
    return "f-" + name.replace(".", "-")


def question_number(index: int, parent: str | None) -> str:
    """'3' for a question, '5a' for the first sub-question of question 5."""
    return f"{parent}{chr(ord('a') + index)}" if parent else str(index + 1)


def number(value: int) -> str:
    """A whole number grouped the way the visitor's language writes it (10.000, 10,000)."""
    return number_format(value, force_grouping=True)


def plain(value: Any) -> str:
    """Markdown source as text (for the plain-text export), anything else as itself."""
    return str(getattr(value, "source", value))
