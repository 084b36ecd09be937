"""Small screens: at 320 × 640 no page scrolls sideways. Every page type is photographed at 320
and 1280 px wide into var/screenshots/, for people to look at (the run's summary names it).
"""

from __future__ import annotations

import pytest

from tests.helpers.pages import PAGE_TYPES

pytestmark = pytest.mark.browser

# How far the page reaches beyond the screen, and which elements stick out.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    return {
        width,
        scroll_width: document.documentElement.scrollWidth,
        sticking_out: [...document.body.querySelectorAll("*")]
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .filter(el => el.checkVisibility({visibilityProperty: true}))
            .map(el => el.outerHTML.slice(0, 120)).slice(0, 10),
    };
}"""


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_nothing_scrolls_sideways_at_320_px(browsing, screenshots, note, page_type):
    visit = browsing.new(width=320, height=640)
    page_type.show(visit)
    name = f"{visit.site.lang.code}-{page_type}"
    overflow = visit.page.evaluate(OVERFLOW)
    visit.page.screenshot(path=screenshots / f"{name}-320.png", full_page=True)
    visit.page.set_viewport_size({"width": 1280, "height": 800})
    visit.page.screenshot(path=screenshots / f"{name}-1280.png", full_page=True)
    note(
        page_type,
        "320px",
        "fits"
        if overflow["scroll_width"] <= overflow["width"]
        else f"{overflow['scroll_width']} px wide",
    )
    assert overflow["scroll_width"] <= overflow["width"], overflow["sticking_out"]
