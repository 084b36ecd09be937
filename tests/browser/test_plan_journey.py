"""The second module, "My plan to stop", walked on screen in a real Chromium with JavaScript
off: every step through its real form, every answer then on the one-page plan, in the download,
and on the printed page (a print-media screenshot is kept in var/screenshots/)."""

from __future__ import annotations

import html as htmllib

import pytest

from modules.content.blocks import Checklist

from .site import plain

pytestmark = pytest.mark.browser


def plan_module(visit):
    from modules.content import get_library

    return get_library().module("plan", visit.site.lang.code)


def test_the_whole_plan_module_ends_with_every_answer_on_the_plan_the_download_and_paper(
    visit, screenshots
):
    plan = plan_module(visit)
    page = visit.page
    visit.open("/")
    visit.click(page.get_by_role("link", name=plan.title))
    visit.click(visit.link("start module"))

    typed: list[str] = []
    ticked: list[str] = []
    chosen: list[str] = []
    for number, step in enumerate(plan.steps, start=1):
        assert visit.path == f"/m/{plan.id}/{step.id}/"
        assert visit.heading() == step.title
        form = visit.main().locator("form")
        for block in step.blocks:
            if isinstance(block, Checklist) and block.choices:
                for item in block.items:  # the middle choice: "I will do this"
                    group = form.get_by_role("group", name=plain(item.text))
                    group.get_by_role("radio", name=block.choices[1].label).check()
                    chosen.append(plain(item.text))
            elif isinstance(block, Checklist):
                for item in block.items[::2]:
                    form.get_by_role("checkbox", name=plain(item.text)).check()
                    ticked.append(plain(item.text))
            elif block.type == "scale":  # 4 at the start, 7 at the end
                value = "4" if block.occurrence == "before" else "7"
                form.get_by_role("radiogroup", name=plain(block.question)).get_by_role(
                    "radio", name=value, exact=True
                ).check()
        for n, area in enumerate(form.locator("textarea").all()):
            text = f"plan {step.id} antwoord {n + 1}"
            area.fill(text)
            typed.append(text)
        visit.save()
        if number == 1:
            assert visit.heading() == visit.word("phrase title")
            visit.click(visit.link("written down"))

    # The last save leads to the summary; the plan is the last step's page.
    assert visit.path == f"/m/{plan.id}/summary/"
    summary = visit.main().inner_text()
    assert [t for t in typed if t not in summary] == []

    visit.open(f"/m/{plan.id}/{plan.steps[-1].id}/")
    shown = visit.main().locator(".plan").inner_text()
    assert [t for t in typed if t not in shown] == []
    assert [t for t in ticked if t not in shown] == []
    assert [t for t in chosen if t not in shown] == []
    change = {
        "nl": "7 van de 10 (aan het begin: 4; verschil: +3)",
        "en": "7 out of 10 (at the start: 4; change: +3)",
    }
    assert change[visit.site.lang.code] in shown

    # Printed: the plan without the site's header, footer or buttons.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator(".form-actions").is_visible()
    assert page.locator(".plan").is_visible()
    page.screenshot(
        path=str(screenshots / f"{visit.site.lang.code}-plan-print.png"), full_page=True
    )
    page.emulate_media(media="screen")

    # Downloaded: the web page and the text, with both modules' answers in one journal.
    exported = visit.download(visit.link("download")).decode()
    text = visit.download(visit.link("as text")).decode()
    exported = htmllib.unescape(exported)
    assert [t for t in typed if t not in exported] == []
    assert [t for t in typed if t not in text] == []
    assert plan.title in exported and plan.title in text
