"""Switching language with text typed and not saved keeps the text (JavaScript off): on a page
with a form, the language switch is a button of that form (issue 15, point 10)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from .site import LANGUAGES

pytestmark = pytest.mark.browser

NAMES = dict(settings.LANGUAGES)


def other(visit):
    return next(lang for lang in LANGUAGES if lang is not visit.site.lang)


def switch(visit):
    """Press the switcher's entry for the other language; returns that language."""
    there = other(visit)
    header = visit.page.locator("header .languages")
    assert header.get_by_role("link").count() == 0  # a link would drop the text
    visit.click(header.get_by_role("button", name=NAMES[there.code], exact=True))
    return there


def test_text_typed_in_a_step_survives_a_language_switch_unsaved(visit):
    visit.open("/m/reality/empathy-1/")
    areas = visit.main().locator("textarea")
    typed = ["Half af, nog niet bewaard", "Een tweede\nregel"]
    for area, text in zip(areas.all(), typed, strict=False):
        area.fill(text)

    there = switch(visit)

    address = urlsplit(visit.page.url)
    assert address.path == f"{there.prefix}/m/reality/empathy-1/"
    assert visit.page.locator("html").get_attribute("lang") == there.code
    assert [a.input_value() for a in areas.all()[:2]] == typed
    assert visit.page.get_by_role("status").count() >= 1
    # Nothing was saved: the same step opened afresh is empty.
    visit.open("/m/reality/empathy-1/")
    assert visit.main().locator("textarea").first.input_value() == ""


def test_a_message_typed_survives_a_language_switch_unsent(visit, inbox):
    visit.open("/messages/")
    visit.main().locator("textarea#message").fill("Nog niet verstuurd")
    there = switch(visit)
    assert urlsplit(visit.page.url).path == f"{there.prefix}/messages/"
    assert visit.main().locator("textarea#message").input_value() == "Nog niet verstuurd"
