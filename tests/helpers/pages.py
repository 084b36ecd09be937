"""Every kind of page the site shows, and how a visitor gets there: the one list that every
per-page test runs over.

Each entry reaches its page two ways, with the same steps:

- `show(visit)` in a fresh browser profile (tests/browser/: axe-core, the Nu checker, the
  keyboard, small screens), returning the HTML exactly as the server sent it;
- `fetch(client, module, save)` with Django's test client (tests/system/: the privacy
  headers, the markup every page promises, the page budget), returning the response.
  `save(client, module, until)` gives the visitor answers when the page needs them: saving
  the steps before `until` quickly, or nothing when the test's visitor has answered already.

So a new kind of page is checked everywhere by adding one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from tests.helpers.forms import the_form
from tests.helpers.walk import fill

if TYPE_CHECKING:
    from django.http import HttpResponse
    from django.test import Client

    from tests.browser.visit import Visit

MODULE = "reality"

Save = Callable[["Client", Any, str], None]
Fetch = Callable[["Client", Any, Save], "HttpResponse"]


@dataclass(frozen=True)
class PageType:
    name: str
    show: Callable[[Visit], bytes]
    fetch: Fetch
    status: int = 200
    site_page: bool = True  # False for the exported file: no header, quick exit or footer

    def __str__(self) -> str:
        return self.name


def save_quickly(client: Client, module, until: str) -> None:
    """Save the steps before `until` with short unique answers (one long word in each)."""
    for step in module.steps:
        if step.id == until:
            return
        url = f"/m/{module.id}/{step.id}/"
        data, _ = fill(the_form(html_of(client.get(url))), step.id, "snel-" + "lang" * 16)
        response = client.post(url, data)
        assert response.status_code == 303, (url, response.status_code)


def saved_already(client: Client, module, until: str) -> None:
    """For a visitor who has answered every step before the page is asked for."""


def html_of(response: HttpResponse) -> str:
    """The page's HTML, as the browser has it after decompressing."""
    import gzip

    body = response.content
    return (gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body).decode()


def _step(number: int) -> Callable[[Any], str]:
    return lambda module: module.steps[number].id


# --- simple addresses ---------------------------------------------------------------------


def _get(
    path: str, status: int = 200, until: Callable[[Any], str] | None = None, name: str = ""
) -> dict[str, Any]:
    """A page asked for by its address; `until`: with the steps before that one saved."""

    def show(visit: Visit) -> bytes:
        if until:
            visit.save_steps_quickly(until=until(visit.site.module))
        assert visit.open(path) == status
        return visit.document()

    def fetch(client: Client, module, save: Save) -> HttpResponse:
        if until:
            save(client, module, until(module))
        return client.get(path)

    return {"show": show, "fetch": fetch, "status": status}


# --- pages that take a few moves ------------------------------------------------------------


def _phrase_show(visit: Visit) -> bytes:
    module = visit.site.module
    visit.open(f"/m/{MODULE}/{module.steps[1].id}/")  # the first step with answers
    visit.fill_step("zin")
    visit.save()
    assert visit.heading() == visit.word("phrase title")
    return visit.document()


def _phrase_fetch(client: Client, module, save: Save) -> HttpResponse:
    save(client, module, module.steps[2].id)
    return client.get("/journal/phrase/")


def _rating_errors_show(visit: Visit) -> bytes:
    """A rating step saved with no score chosen."""
    visit.open(f"/m/{MODULE}/start/")
    visit.save()
    assert visit.word("choose a score") in visit.text()
    return visit.document()


def _rating_errors_fetch(client: Client, module, save: Save) -> HttpResponse:
    url = f"/m/{MODULE}/start/"
    form = the_form(html_of(client.get(url)))
    return client.post(url, {**form.fields, **{name: "" for name in form.radios}})


def _text_errors_show(visit: Visit) -> bytes:
    """The threshold step with no step chosen and an answer that is too long."""
    visit.open(f"/m/{MODULE}/threshold/")
    visit.main().locator("textarea").first.fill("x" * (settings.BAKEN_DEFAULT_MAX_LENGTH + 1))
    visit.save()
    assert visit.word("choose a step") in visit.text()
    return visit.document()


def _text_errors_fetch(client: Client, module, save: Save) -> HttpResponse:
    url = f"/m/{MODULE}/threshold/"
    form = the_form(html_of(client.get(url)))
    too_long = {form.textareas[0]: "x" * (settings.BAKEN_DEFAULT_MAX_LENGTH + 1)}
    return client.post(url, {**form.fields, **{name: "" for name in form.radios}, **too_long})


def _resume_error_show(visit: Visit) -> bytes:
    visit.open("/journal/continue/")
    visit.page.get_by_label(visit.word("phrase"), exact=True).fill("drie losse woorden")
    visit.click(visit.button("open journal"))
    assert visit.word("problem") in visit.text()
    return visit.document()


def _resume_error_fetch(client: Client, module, save: Save) -> HttpResponse:
    form = the_form(html_of(client.get("/journal/continue/")))
    return client.post("/journal/continue/", {**form.fields, "phrase": "drie losse woorden"})


STALE_TEXT = "tekst die terugkomt "


def _stale_form_show(visit: Visit) -> bytes:
    """A step posted after the session was gone: nothing saved, the typed text shown back."""
    visit.open(f"/m/{MODULE}/empathy-1/")
    visit.main().locator("textarea").first.fill(STALE_TEXT + "lang" * 16)
    visit.context.clear_cookies()
    visit.save()
    assert visit.heading() == visit.word("not saved")
    assert STALE_TEXT.strip() in visit.text()
    return visit.document()


def _stale_form_fetch(client: Client, module, save: Save) -> HttpResponse:
    """The same step posted with a token that is no longer (or never was) the session's."""
    url = f"/m/{MODULE}/empathy-1/"
    form = the_form(html_of(client.get(url)))
    typed = {form.textareas[0]: STALE_TEXT + "lang" * 16, "csrfmiddlewaretoken": "x"}
    return client.post(url, {**form.fields, **typed})


def _delete_show(visit: Visit) -> bytes:
    visit.save_steps_quickly(until=visit.site.module.steps[2].id)
    visit.open("/")
    visit.click(visit.link("delete"))
    return visit.document()


def _delete_fetch(client: Client, module, save: Save) -> HttpResponse:
    save(client, module, module.steps[2].id)
    return client.get("/journal/delete/")


def _deleted_show(visit: Visit) -> bytes:
    _delete_show(visit)
    visit.click(visit.button("confirm delete"))
    assert visit.heading() == visit.word("deleted")
    return visit.document()


def _deleted_fetch(client: Client, module, save: Save) -> HttpResponse:
    form = the_form(html_of(_delete_fetch(client, module, save)))
    return client.post("/journal/delete/", form.fields)


def _ended_show(visit: Visit) -> bytes:
    visit.save_steps_quickly(until=visit.site.module.steps[2].id)
    visit.open("/")
    visit.click(visit.button("end session"))
    assert visit.heading() == visit.word("session ended")
    return visit.document()


def _ended_fetch(client: Client, module, save: Save) -> HttpResponse:
    import re

    save(client, module, module.steps[2].id)
    home = html_of(client.get("/"))
    token = re.search(
        r'action="/journal/end/".*?name="csrfmiddlewaretoken" value="([^"]+)"', home, re.S
    ).group(1)
    return client.post("/journal/end/", {"csrfmiddlewaretoken": token})


def _break_show(visit: Visit) -> bytes:
    module = visit.site.module
    visit.save_steps_quickly(until=module.steps[2].id)
    heavy = next(step for step in module.steps if step.heavy)
    visit.open(f"/m/{MODULE}/{heavy.id}/")
    visit.click(visit.button("save and break").first)
    assert visit.heading() == visit.word("break title")
    return visit.document()


def _break_fetch(client: Client, module, save: Save) -> HttpResponse:
    save(client, module, module.steps[2].id)
    heavy = next(step for step in module.steps if step.heavy)
    url = f"/m/{MODULE}/{heavy.id}/"
    form = the_form(html_of(client.get(url)))
    assert ("action", "break") in form.buttons
    response = client.post(url, {**form.fields, "action": "break"})
    assert response.status_code == 303 and response["Location"].startswith("/break/")
    return client.get(response["Location"])


def _wrong_method_show(visit: Visit) -> bytes:
    """An address asked for with a method it does not answer (as a stray tool might)."""
    url = visit.site.url(f"/m/{MODULE}/goals/")
    visit.page.route(url, lambda route: route.continue_(method="PUT"))
    assert visit.open(f"/m/{MODULE}/goals/") == 405
    visit.page.unroute(url)
    return visit.document()


def _wrong_method_fetch(client: Client, module, save: Save) -> HttpResponse:
    return client.put(f"/m/{MODULE}/goals/")


def _export_show(visit: Visit) -> bytes:
    """The downloaded web page with every answer, opened in the browser as a file would be."""
    visit.save_steps_quickly(until=visit.site.module.steps[4].id)
    visit.open("/")
    document = visit.download(visit.link("download"))
    visit.page.goto("about:blank")
    visit.page.set_content(document.decode())
    return document


def _export_fetch(client: Client, module, save: Save) -> HttpResponse:
    save(client, module, module.steps[4].id)
    return client.get("/journal/export/answers.html")


def _steps() -> list[PageType]:
    from modules.content import get_library

    module = get_library().module(MODULE, settings.LANGUAGE_CODE)
    return [PageType(f"step-{step.id}", **_get(f"/m/{MODULE}/{step.id}/")) for step in module.steps]


# --- the second module, "My plan to stop" (a draft: the tests show drafts) ------------------

PLAN = "plan"


def _plan_steps() -> list[PageType]:
    """Each step of the plan module, empty; its last, the plan itself, also filled in."""
    from modules.content import get_library

    plan = get_library().module(PLAN, settings.LANGUAGE_CODE)
    return [
        PageType(f"plan-step-{step.id}", **_get(f"/m/{PLAN}/{step.id}/")) for step in plan.steps
    ]


def _plan_module():
    from modules.content import get_library

    return get_library().module(PLAN, settings.LANGUAGE_CODE)


def _plan_filled_show(visit: Visit) -> bytes:
    """The one-page plan with every earlier step answered (through the real forms)."""
    plan = _plan_module()
    for step in plan.steps[:-1]:
        visit.open(f"/m/{PLAN}/{step.id}/")
        for area in visit.main().locator("textarea").all()[:3]:
            area.fill("een antwoord " + "lang" * 8)
        for group in visit.main().locator("fieldset:has(input[type=radio])").all():
            group.locator("input[type=radio]").last.check()
        for box in visit.main().locator("input[type=checkbox]").all()[::2]:
            box.check()
        visit.save()
        if visit.heading() == visit.word("phrase title"):
            visit.click(visit.link("written down"))
    assert visit.open(f"/m/{PLAN}/{plan.steps[-1].id}/") == 200
    return visit.document()


def _plan_filled_fetch(client: Client, module, save: Save) -> HttpResponse:
    plan = _plan_module()
    save(client, plan, plan.steps[-1].id)
    return client.get(f"/m/{PLAN}/{plan.steps[-1].id}/")


def _scale_errors_show(visit: Visit) -> bytes:
    """The plan's first step saved without a number chosen."""
    visit.open(f"/m/{PLAN}/why/")
    visit.save()
    assert visit.word("choose a number") in visit.text()
    return visit.document()


def _scale_errors_fetch(client: Client, module, save: Save) -> HttpResponse:
    url = f"/m/{PLAN}/why/"
    form = the_form(html_of(client.get(url)))
    return client.post(url, {**form.fields, **{name: "" for name in form.radios}})


# --- the feedback at a module's end (evaluation) ---------------------------------------------

FEEDBACK = f"/m/{MODULE}/feedback/"


def _feedback_sent_show(visit: Visit) -> bytes:
    """One choice made, sent with the form's own button."""
    visit.open(FEEDBACK)
    visit.main().locator("input[name=helpfulness]").nth(3).check()
    visit.click(visit.main().get_by_role("button"))
    assert "?sent=1" in visit.path
    return visit.document()


def _feedback_sent_fetch(client: Client, module, save: Save) -> HttpResponse:
    form = the_form(html_of(client.get(FEEDBACK)))
    response = client.post(FEEDBACK, {**form.fields, "helpfulness": "4"})
    assert response.status_code == 303
    return client.get(response["Location"])


def _feedback_empty_show(visit: Visit) -> bytes:
    """The button pressed with nothing chosen: nothing is sent."""
    visit.open(FEEDBACK)
    visit.click(visit.main().get_by_role("button"))
    return visit.document()


def _feedback_empty_fetch(client: Client, module, save: Save) -> HttpResponse:
    return client.post(FEEDBACK, the_form(html_of(client.get(FEEDBACK))).fields)


PAGE_TYPES = [
    PageType("home", **_get("/")),
    PageType("overview", **_get(f"/m/{MODULE}/", until=_step(4))),
    *_steps(),
    PageType("step-rating-errors", _rating_errors_show, _rating_errors_fetch, status=400),
    PageType("step-text-errors", _text_errors_show, _text_errors_fetch, status=400),
    PageType("summary", **_get(f"/m/{MODULE}/summary/", until=_step(4))),
    PageType("feedback", **_get(FEEDBACK)),
    PageType("feedback-sent", _feedback_sent_show, _feedback_sent_fetch),
    PageType("feedback-empty", _feedback_empty_show, _feedback_empty_fetch, status=400),
    PageType("phrase", _phrase_show, _phrase_fetch),
    PageType("resume", **_get("/journal/continue/")),
    PageType("resume-error", _resume_error_show, _resume_error_fetch, status=400),
    PageType("delete", _delete_show, _delete_fetch),
    PageType("deleted", _deleted_show, _deleted_fetch),
    PageType("ended", _ended_show, _ended_fetch),
    PageType("break", _break_show, _break_fetch),
    PageType("stale-form", _stale_form_show, _stale_form_fetch, status=403),
    PageType("not-found", **_get("/bestaat-niet/", status=404)),
    PageType("wrong-method", _wrong_method_show, _wrong_method_fetch, status=405),
    PageType("safety", **_get("/safety/")),
    PageType("contact", **_get("/help/")),
    PageType("messages", **_get("/messages/")),
    PageType("urge", **_get("/urge/")),
    PageType("about", **_get("/about/")),
    PageType("factsheet", **_get("/facts/")),
    PageType("export", _export_show, _export_fetch, site_page=False),
    PageType("plan-overview", **_get(f"/m/{PLAN}/")),
    *_plan_steps(),
    PageType("plan-filled", _plan_filled_show, _plan_filled_fetch),
    PageType("plan-scale-errors", _scale_errors_show, _scale_errors_fetch, status=400),
    PageType("plan-summary", **_get(f"/m/{PLAN}/summary/")),
    PageType("asking-for-help", **_get("/help/asking/")),
]

# The pages the site serves to be shown as they are (all but the exported file).
SITE_PAGES = [page_type for page_type in PAGE_TYPES if page_type.site_page]
