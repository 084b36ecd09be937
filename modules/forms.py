"""A step's form: a POST read by the step's blocks into answers or errors.

Plain functions over the content objects, so they are tested without HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest

from journal.store import Answer

from .content.fields import StepForm
from .content.schema import Step

__all__ = ["StepForm", "answers_to_save", "badly_encoded_fields", "parse", "text_labels"]


def parse(
    step: Step, post: Mapping[str, str], unreadable: frozenset[str] = frozenset()
) -> StepForm:
    """Validate a step's POST. Values always hold what the visitor typed, errors or not."""
    form = StepForm(unreadable=unreadable)
    for block in step.blocks:
        block.parse(post, form)
    return form


def answers_to_save(form: StepForm) -> dict[str, Answer | None]:
    """The answers of a valid form, with blank ones as None so they are removed."""
    return {
        name: None if isinstance(value, str) and not value.strip() else value
        for name, value in form.values.items()
    }


def text_labels(step: Step) -> Iterator[tuple[str, object]]:
    """Free-text input names with the question each answers (own rows by their side)."""
    for block in step.blocks:
        yield from block.text_labels()


def badly_encoded_fields(request: HttpRequest) -> frozenset[str]:
    """Names of url-encoded form fields whose bytes are not valid UTF-8.

    Django quietly replaces such bytes; finding them lets the visitor be told.
    """
    if request.content_type != "application/x-www-form-urlencoded":
        return frozenset()
    bad = set()
    for pair in request.body.split(b"&"):
        name, _sep, value = pair.partition(b"=")
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            bad.add(unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace"))
    return frozenset(bad)
