"""The quick exit's promises, in Chromium (issue 15, points 1–3).

- Shift three times leaves only when pressed on its own: typing capitals never does.
- After an exit, Back shows nothing the visitor typed, with and without JavaScript.
- A link on another site to /exit/ does not end the visitor's session.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

OTHER_SITE = "http://other-site.example"


def exit_link(visit):
    return visit.page.get_by_role("link", name=re.compile("^" + re.escape(visit.word("exit"))))


def has_session(visit) -> bool:
    return any(cookie["name"] == "session" for cookie in visit.context.cookies())


def step_with_text(visit):
    """Step 9 (where the issue saw it), a step with free-text questions."""
    step = visit.site.module.steps[8]
    visit.open(f"/m/{visit.site.module.id}/{step.id}/")
    assert visit.main().locator("textarea").count() > 0, step.id
    return step


def type_without_saving(visit) -> None:
    """Type in every field of the step and choose in every group, and do not save."""
    form = visit.main().locator("form")
    for area in form.locator("textarea").all():
        area.fill("half getypt, niet bewaard")
    for group in form.locator("fieldset").all():
        radios = group.get_by_role("radio")
        if radios.count():
            radios.last.check()


def nothing_typed_shows(visit) -> None:
    form = visit.main().locator("form")
    values = [area.input_value() for area in form.locator("textarea").all()]
    assert values and all(value == "" for value in values), values
    assert form.locator("input:checked").count() == 0


# --- point 1: Shift while typing --------------------------------------------------------------


def test_shift_for_capitals_while_typing_does_not_leave(browsing):
    visit = browsing.new(javascript=True)
    visit.save_steps_quickly(until=visit.site.module.steps[2].id)  # step 2 makes the journal
    step_with_text(visit)
    here = visit.page.url
    keyboard = visit.page.keyboard
    area = visit.main().locator("textarea").first
    area.click()
    for letter in "ADHD":  # a separate Shift press for each capital, as many people type
        keyboard.down("Shift")
        keyboard.press(f"Key{letter}")
        keyboard.up("Shift")
    keyboard.press("Space")
    # Shift on its own, a letter, Shift twice more: the letter started the count again.
    keyboard.press("Shift")
    keyboard.type("x")
    keyboard.press("Shift")
    keyboard.press("Shift")
    visit.page.wait_for_timeout(500)  # the exit would have navigated by now
    assert visit.page.url == here
    assert area.input_value() == "ADHD x"
    assert has_session(visit)

    # Three lone presses within a second do leave.
    for _ in range(3):
        keyboard.press("Shift")
    visit.page.wait_for_url(visit.site.server.exit_url)
    assert not has_session(visit)


# --- point 2: Back after the exit -------------------------------------------------------------


def test_back_after_the_exit_shows_nothing_typed_without_javascript(visit):
    visit.save_steps_quickly(until=visit.site.module.steps[2].id)  # step 2 makes the journal
    step = step_with_text(visit)
    type_without_saving(visit)

    visit.click(exit_link(visit))
    assert visit.page.url == visit.site.server.exit_url
    visit.page.go_back()  # the step is asked for again, and the browser would fill in the form
    assert visit.path == f"/m/{visit.site.module.id}/{step.id}/"
    nothing_typed_shows(visit)


def test_back_after_the_exit_shows_nothing_typed_with_javascript(browsing):
    """The script replaces the page it leaves from, so Back goes to the page before it: here
    the step where something was typed before the visitor went on without saving."""
    visit = browsing.new(javascript=True)
    visit.save_steps_quickly(until=visit.site.module.steps[2].id)  # step 2 makes the journal
    step = step_with_text(visit)
    type_without_saving(visit)
    visit.click(visit.page.locator("a.back"))  # to the step before, without saving

    exit_link(visit).click()
    visit.page.wait_for_url(visit.site.server.exit_url)
    visit.page.go_back()
    assert visit.path == f"/m/{visit.site.module.id}/{step.id}/"
    nothing_typed_shows(visit)


# --- point 3: a link from another site ----------------------------------------------------


def test_a_link_on_another_site_to_the_exit_keeps_the_session(browsing):
    visit = browsing.new()
    visit.save_steps_quickly(until=visit.site.module.steps[2].id)  # step 2 makes the journal
    assert has_session(visit)
    exit_url = visit.site.url("/exit/")
    # Another site, played by the browser itself: nothing leaves the machine.
    visit.context.route(
        f"{OTHER_SITE}/**",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<!doctype html><title>x</title><a href="{exit_url}">elsewhere</a>',
        ),
    )
    visit.page.goto(f"{OTHER_SITE}/page")
    visit.click(visit.page.get_by_role("link", name="elsewhere"))
    # The pretend site's address is the only one off the site's origin, and never left.
    visit.log.urls[:] = [url for url in visit.log.urls if not url.startswith(OTHER_SITE)]
    assert visit.page.url == visit.site.server.exit_url  # redirected, as before
    assert has_session(visit)  # but the cookie is still there …
    visit.open(f"/m/{visit.site.module.id}/")  # … and the journal still open
    assert visit.link("my phrase").count() == 1

    # The site's own exit link still ends the session.
    visit.click(exit_link(visit))
    assert not has_session(visit)
