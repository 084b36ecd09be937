"""The "I feel an urge now" page: one click from any page, without JavaScript, and its link is
never under the fixed exit button on a phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Whether the point in the middle of each line of the link shows the link itself (and not the
# exit button, or anything else, drawn over it).
UNCOVERED = """(link) => [...link.getClientRects()].every(r =>
    link.contains(document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2)))"""


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [320, 360, 400])
def test_the_urge_link_is_clear_of_the_exit_button_and_one_click_away(browsing, width):
    visit = browsing.new(width=width, height=640)
    visit.open("/m/reality/empathy-1/")
    link = visit.page.locator("a.urge-link")
    assert link.inner_text() == visit.word("urge")
    exit_button = visit.page.locator("a.quick-exit").bounding_box()
    assert not overlaps(link.bounding_box(), exit_button)
    assert visit.page.evaluate(UNCOVERED, link.element_handle())
    visit.click(link)
    assert visit.path == "/urge/"
    assert visit.heading() == visit.word("urge")


def test_the_recall_exercise_leads_to_the_urge_page_from_its_warning(visit):
    visit.open("/m/reality/empathy-1/")
    callout = visit.main().locator(".callout-urge")
    visit.click(callout.get_by_role("link", name=visit.word("urge"), exact=True))
    assert visit.path == "/urge/"
    assert visit.page.locator(".callout-contact").count() == 1  # who to talk to, right there
