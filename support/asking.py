"""'What happens when you ask for help': a page the organisation running the site writes
itself (confidentiality, treatment, the law where it works), in content/<lang>/asking-for-help.yaml.

Baken ships it as a draft: for each section, the question the organisation has to answer, and
no answer. A draft is shown only where drafts are shown (settings.BAKEN_SHOW_DRAFTS), with the
questions still open; a published page must answer every one. Baken never writes the answers:
they are the organisation's, checked by its own lawyer and clinicians.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from pydantic import Field

from core.content import (
    ContentError,
    Problem,
    missing_across_languages,
    read_yaml,
    shown,
    validate,
)
from core.content.types import Id, Markdown, Part, Text

FILE = "asking-for-help.yaml"


class Section(Part):
    """One question the organisation answers: its heading, what to write, and the answer."""

    id: Id
    heading: Text
    question: Markdown
    answer: Markdown | None = None


class AskingPage(Part):
    status: Literal["draft", "published"]
    title: Text
    intro: Markdown
    sections: tuple[Section, ...] = Field(min_length=1)

    @property
    def draft(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class AskingPages:
    """The page in each language that has one."""

    pages: dict[str, AskingPage]
    default_language: str

    def page(self, language: str) -> AskingPage | None:
        return self.pages.get(language) or self.pages.get(self.default_language)


def load_asking(root: Path, languages: list[str], default_language: str) -> AskingPages:
    """Every language's page; raise ContentError listing every problem."""
    problems: list[Problem] = []
    pages: dict[str, AskingPage] = {}
    where: dict[str, dict[str, tuple[str, int]]] = {}
    for language in languages:
        path = root / language / FILE
        if not path.is_file():
            continue
        display = shown(path, root.parent)
        try:
            located = read_yaml(path, display)
            page = validate(AskingPage, located, display)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if not page.draft:
            problems.extend(
                Problem(
                    display,
                    located.line(("sections", i)),
                    f"section '{section.id}' has no 'answer': a published page answers every "
                    "question",
                )
                for i, section in enumerate(page.sections)
                if section.answer is None
            )
        pages[language] = page
        where[language] = {
            s.id: (display, located.line(("sections", i))) for i, s in enumerate(page.sections)
        }
    for _language, missing, (path_, line), other in missing_across_languages(where):
        problems.append(
            Problem(path_, line, f"section '{missing}' is missing in the '{other}' version")
        )
    if problems:
        raise ContentError(problems)
    return AskingPages(pages, default_language)


@cache
def get_asking() -> AskingPages:
    """The pages, loaded on first use and kept for the life of the process."""
    return load_asking(
        Path(settings.BAKEN_CONTENT_DIR),
        [code for code, _ in settings.LANGUAGES],
        settings.LANGUAGE_CODE,
    )


@require_GET
def asking_for_help(request: HttpRequest) -> HttpResponse:
    """The organisation's own account of what happens when someone asks for help; 404 while it
    is a draft where drafts are hidden."""
    page = get_asking().page(get_language())
    if page is None or (page.draft and not settings.BAKEN_SHOW_DRAFTS):
        raise Http404("no page")
    return render(request, "support/asking.html", {"page": page})
