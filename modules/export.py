"""All of a visitor's answers as one file: self-contained HTML (opens offline) or plain text."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from journal.store import store_for

from .content import get_library
from .summary import sections


def collect(request: HttpRequest) -> list[dict[str, Any]]:
    """Every module with answers, in the editors' order, with its sections of answers.

    A draft's answers are in it too, even where drafts are hidden: the file holds everything
    the visitor wrote."""
    store = store_for(request)
    library = get_library()
    saved = store.modules()
    ordered = [m for m in library.order if m in saved] + [
        m for m in saved if m not in library.order
    ]
    result = []
    for module_id in ordered:
        module = library.module(module_id, get_language())
        if module is not None:
            answers = store.answers(module_id)
            result.append({"module": module, "sections": sections(module, answers)})
    return result


def render(request: HttpRequest, kind: str) -> tuple[str, str]:
    """The export as (content, content type)."""
    context = {"modules": collect(request)}
    if kind == "html":
        return (
            render_to_string("modules/export.html", context, request),
            "text/html; charset=utf-8",
        )
    return render_to_string("modules/export.txt", context, request), "text/plain; charset=utf-8"
