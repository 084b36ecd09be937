"""Every kind of page the site shows, and how a visitor gets there.

The accessibility, HTML and small-screen tests run over this list, so a new kind of page is
checked by adding one entry. Each entry brings a fresh browser profile to the page (saving
answers first where the page needs them) and returns the HTML exactly as the server sent it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from .visit import Visit

MODULE = "reality"


@dataclass(frozen=True)
class PageType:
    name: str
    show: Callable[[Visit], bytes]
    site_page: bool = True  # False for the exported file: no header, quick exit or footer

    def __str__(self) -> str:
        return self.name


def _get(path: str, status: int = 200) -> Callable[[Visit], bytes]:
    def show(visit: Visit) -> bytes:
        assert visit.open(path) == status
        return visit.document()

    return show


def _with_journal(path: str) -> Callable[[Visit], bytes]:
    """The page once a few steps are saved (and so a journal exists)."""
    def show(visit: Visit) -> bytes:
        visit.save_steps_quickly(until=visit.site.module.steps[4].id)
        visit.open(path)
        return visit.document()

    return show


def _phrase(visit: Visit) -> bytes:
    module = visit.site.module
    visit.open(f"/m/{MODULE}/{module.steps[0].id}/")
    visit.save()
    assert visit.heading() == visit.word("phrase title")
    return visit.document()


def _rating_errors(visit: Visit) -> bytes:
    """A rating step saved with no score chosen."""
    visit.open(f"/m/{MODULE}/start/")
    visit.save()
    assert visit.word("choose a score") in visit.text()
    return visit.document()


def _text_errors(visit: Visit) -> bytes:
    """The threshold step with no step chosen and an answer that is too long."""
    visit.open(f"/m/{MODULE}/threshold/")
    visit.main().locator("textarea").first.fill("x" * (settings.BAKEN_DEFAULT_MAX_LENGTH + 1))
    visit.save()
    assert visit.word("choose a step") in visit.text()
    return visit.document()


def _resume_error(visit: Visit) -> bytes:
    visit.open("/journal/continue/")
    visit.page.get_by_label(visit.word("phrase"), exact=True).fill("drie losse woorden")
    visit.click(visit.button("open journal"))
    assert visit.word("problem") in visit.text()
    return visit.document()


def _stale_form(visit: Visit) -> bytes:
    """A step posted after the session was gone: nothing saved, the typed text shown back."""
    visit.open(f"/m/{MODULE}/empathy-1/")
    visit.main().locator("textarea").first.fill("tekst die terugkomt " + "lang" * 16)
    visit.context.clear_cookies()
    visit.save()
    assert visit.heading() == visit.word("not saved")
    assert "tekst die terugkomt" in visit.text()
    return visit.document()


def _delete(visit: Visit) -> bytes:
    visit.save_steps_quickly(until=visit.site.module.steps[1].id)
    visit.open("/")
    visit.click(visit.link("delete"))
    return visit.document()


def _deleted(visit: Visit) -> bytes:
    _delete(visit)
    visit.click(visit.button("confirm delete"))
    assert visit.heading() == visit.word("deleted")
    return visit.document()


def _ended(visit: Visit) -> bytes:
    visit.save_steps_quickly(until=visit.site.module.steps[1].id)
    visit.open("/")
    visit.click(visit.button("end session"))
    assert visit.heading() == visit.word("session ended")
    return visit.document()


def _break(visit: Visit) -> bytes:
    module = visit.site.module
    visit.save_steps_quickly(until=module.steps[1].id)
    heavy = next(step for step in module.steps if step.heavy)
    visit.open(f"/m/{MODULE}/{heavy.id}/")
    visit.click(visit.button("save and break").first)
    assert visit.heading() == visit.word("break title")
    return visit.document()


def _export(visit: Visit) -> bytes:
    """The downloaded web page with every answer, opened in the browser as a file would be."""
    visit.save_steps_quickly(until=visit.site.module.steps[4].id)
    visit.open("/")
    document = visit.download(visit.link("download"))
    visit.page.goto("about:blank")
    visit.page.set_content(document.decode())
    return document


def _steps() -> list[PageType]:
    from modules.content import get_library

    module = get_library().module(MODULE, settings.LANGUAGE_CODE)
    return [PageType(f"step-{step.id}", _get(f"/m/{MODULE}/{step.id}/")) for step in module.steps]


PAGE_TYPES = [
    PageType("home", _get("/")),
    PageType("overview", _with_journal(f"/m/{MODULE}/")),
    *_steps(),
    PageType("step-rating-errors", _rating_errors),
    PageType("step-text-errors", _text_errors),
    PageType("summary", _with_journal(f"/m/{MODULE}/summary/")),
    PageType("phrase", _phrase),
    PageType("resume", _get("/journal/continue/")),
    PageType("resume-error", _resume_error),
    PageType("delete", _delete),
    PageType("deleted", _deleted),
    PageType("ended", _ended),
    PageType("break", _break),
    PageType("stale-form", _stale_form),
    PageType("not-found", _get("/bestaat-niet/", status=404)),
    PageType("safety", _get("/safety/")),
    PageType("contact", _get("/help/")),
    PageType("factsheet", _get("/facts/")),
    PageType("export", _export, site_page=False),
]
