"""A visitor in the browser: fresh profiles, their network logs, and the moves a person makes.

Elements are found the way a screen reader user finds them: by role and accessible name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .site import Site

NOTICE_FLAGS = ("saved=1", "welcome=1")


@dataclass
class NetworkLog:
    """Every request the pages of one browser profile made."""

    origin: str
    urls: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests to anything but the site's own origin."""
        return [url for url in self.urls if _origin(url) != self.origin]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Browsing:
    """Opens fresh browser profiles against the site and closes them all at the end."""

    def __init__(self, browser, site: Site):
        self.browser = browser
        self.site = site
        self.contexts: list[tuple[object, NetworkLog]] = []

    def new(
        self,
        javascript: bool = False,
        width: int = 1280,
        height: int = 800,
        run_checkers: bool = False,
    ) -> Visit:
        """A new profile (no cookies, no history) with one tab.

        `run_checkers` turns JavaScript on only so that axe-core can run, and keeps the site's
        own script from loading: the page is the one a visitor without JavaScript gets.
        """
        context = self.browser.new_context(
            java_script_enabled=javascript or run_checkers,
            viewport={"width": width, "height": height},
            locale=self.site.lang.code,
            accept_downloads=True,
        )
        log = NetworkLog(self.site.origin)
        context.on("request", lambda request: log.urls.append(request.url))
        if run_checkers and not javascript:
            context.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
        context.set_default_timeout(15_000)
        self.contexts.append((context, log))
        return Visit(context, self.site, log)

    def close(self) -> list[str]:
        """Close every profile; return the requests that went anywhere but the site."""
        foreign = []
        for context, log in self.contexts:
            context.close()
            foreign += log.foreign()
        return foreign


class Visit:
    """One tab in its own browser profile."""

    def __init__(self, context, site: Site, log: NetworkLog):
        self.context = context
        self.site = site
        self.log = log
        self.page = context.new_page()
        self._last_document = None
        self.page.on("response", self._remember_document)

    def _remember_document(self, response) -> None:
        request = response.request
        if (
            request.is_navigation_request()
            and request.frame == self.page.main_frame
            and not 300 <= response.status < 400
        ):
            self._last_document = response

    # --- going places -------------------------------------------------------------------

    def open(self, path: str) -> int:
        """Type an address into the browser; returns the HTTP status."""
        response = self.page.goto(self.site.url(path))
        assert response is not None
        return response.status

    def document(self) -> bytes:
        """The HTML exactly as the server sent it for the page now shown."""
        assert self._last_document is not None, "no page was loaded"
        return self._last_document.body()

    @property
    def path(self) -> str:
        """The address now shown, without origin and language prefix, and without the flags
        that only make the page say "Saved" or "Welcome back" (saved=1, welcome=1)."""
        parts = urlsplit(self.page.url)
        path = parts.path.removeprefix(self.site.lang.prefix)
        query = "&".join(
            pair for pair in parts.query.split("&") if pair and pair not in NOTICE_FLAGS
        )
        return (
            path + (f"?{query}" if query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        )

    # --- finding things -----------------------------------------------------------------

    def word(self, key: str, **values: object) -> str:
        return self.site.word(key, **values)

    def button(self, key: str, **values: object):
        return self.page.get_by_role("button", name=self.word(key, **values), exact=True)

    def link(self, key: str, **values: object):
        return self.page.get_by_role("link", name=self.word(key, **values), exact=True)

    def main(self):
        return self.page.get_by_role("main")

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def text(self) -> str:
        return self.page.locator("body").inner_text()

    # --- the moves a visitor makes ------------------------------------------------------

    def click(self, locator) -> None:
        """Click and wait for the page it leads to (forms post, links navigate)."""
        with self.page.expect_navigation():
            locator.click()

    def save(self) -> None:
        """Press the step's main button, whatever this step calls it (a reading step's says
        "Verder", as it saves nothing)."""
        keys = ("save", "save last", "save and back", "read on", "read last", "read and back")
        names = [self.word(k) for k in keys]
        button = self.page.get_by_role(
            "button", name=re.compile("^(" + "|".join(map(re.escape, names)) + ")$")
        )
        self.click(button.first)

    def fill_step(self, tag: str) -> dict[str, str]:
        """Answer everything on the step page: text in every field, a choice in every group.

        Ratings get the lowest score at the start and the highest at the end, so the change
        between them shows. Returns the text typed, by field label.
        """
        typed = {}
        form = self.main().locator("form")
        for group in form.locator("fieldset").all():  # groups and required radio groups
            radios = group.get_by_role("radio")
            if radios.count() and not group.locator(":checked").count():
                at_start = (radios.first.get_attribute("name") or "").startswith("start.")
                (radios.first if at_start else radios.last).check()
        for n, area in enumerate(form.locator("textarea").all()):
            if area.input_value():
                continue
            text = f"{tag} antwoord {n + 1}"
            area.fill(text)
            typed[area.get_attribute("id") or str(n)] = text
        return typed

    def start_journal(self) -> str:
        """Save the module's steps from the first, answered, until one makes the journal (a
        reading step makes none); note the phrase the site then shows; go on."""
        module = self.site.module
        self.open(f"/m/{module.id}/{module.steps[0].id}/")
        for step in module.steps:
            self.fill_step(f"start {step.id}")
            self.save()
            if self.heading() == self.word("phrase title"):
                phrase = self.read_phrase()
                self.click(self.link("written down"))
                return phrase
        raise AssertionError("no step made a journal")

    def read_phrase(self) -> str:
        phrase = " ".join(self.page.locator(".phrase .word").all_inner_texts())
        assert len(phrase.split()) == 7, phrase
        return phrase

    def walk(self, until: str | None = None, tag: str = "pad") -> tuple[str, dict[str, str]]:
        """Answer and save the module's steps in order, stopping before step `until`.

        Returns the recovery phrase (if this walk made the journal) and the text typed.
        """
        module = self.site.module
        phrase = ""
        typed: dict[str, str] = {}
        for step in module.steps:
            if step.id == until:
                break
            self.open(f"/m/{module.id}/{step.id}/")
            typed |= self.fill_step(f"{tag} {step.id}")
            self.save()
            if self.heading() == self.word("phrase title"):
                phrase = self.read_phrase()
        return phrase, typed

    def save_steps_quickly(self, until: str) -> None:
        """Save the steps before `until` with this profile's cookie, over HTTP, not on screen.

        Only for bringing a page type into view; the journeys walk on screen.
        """
        from tests.helpers.forms import the_form
        from tests.helpers.walk import fill

        module = self.site.module
        for step in module.steps:
            if step.id == until:
                return
            url = self.site.url(f"/m/{module.id}/{step.id}/")
            # One long word in every answer, as when an address is pasted: it must wrap.
            tag = "snel-" + "lang" * 16
            data, _ = fill(the_form(self.page.request.get(url).text()), step.id, tag)
            response = self.page.request.post(url, form=data, max_redirects=0)
            assert response.status == 303, (url, response.status)

    def resume(self, phrase: str) -> None:
        """Continue with the phrase, from the link every page's footer has."""
        self.open("/")
        self.click(self.link("continue with phrase"))
        self.page.get_by_label(self.word("phrase"), exact=True).fill(phrase)
        self.click(self.button("open journal"))

    def download(self, locator) -> bytes:
        with self.page.expect_download() as started:
            locator.click()
        path = started.value.path()
        with open(path, "rb") as file:
            return file.read()
