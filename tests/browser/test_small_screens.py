"""Small screens: at 320 × 640 no page scrolls sideways. Every page type is photographed at 320
and 1280 px wide into var/screenshots/, for people to look at (the run's summary names it).
A step's buttons, wrapped onto more lines on a narrow screen, line up.
"""

from __future__ import annotations

from itertools import pairwise

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


def steps_with_two_buttons(module) -> list[str]:
    """Steps whose form ends in two buttons: save and go on, and save and take a break (a
    heavy step, or the one before it, without a break callout of its own)."""
    found = []
    for index, step in enumerate(module.steps):
        next_heavy = index + 1 < len(module.steps) and module.steps[index + 1].heavy
        callout = any(getattr(b, "kind", "") == "break" for b in step.blocks)
        if (step.heavy or next_heavy) and not callout:
            found.append(step.id)
    return found


# Each button's box in a step's actions: where it starts, its top and its bottom.
BUTTON_BOXES = """() => [...document.querySelectorAll("main .form-actions .button")].map(b => {
    const r = b.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_a_steps_buttons_line_up_when_they_wrap(browsing, width):
    visit = browsing.new(width=width, height=640)
    module = visit.site.module
    steps = steps_with_two_buttons(module)
    assert steps, "no step with two buttons: the test would check nothing"
    for step_id in steps:
        visit.open(f"/m/{module.id}/{step_id}/")
        boxes = visit.page.evaluate(BUTTON_BOXES)
        assert len(boxes) >= 2, step_id
        rows: list[list[dict]] = []
        for box in boxes:  # in reading order: a button lower down starts a new line
            if rows and box["top"] < rows[-1][0]["bottom"]:
                rows[-1].append(box)
            else:
                rows.append([box])
        # Every line starts at the same left edge ...
        assert {round(row[0]["left"], 1) for row in rows} == {round(boxes[0]["left"], 1)}, (
            step_id,
            rows,
        )
        # ... and the space between buttons is the same across and down.
        gaps = [b["left"] - a["right"] for row in rows for a, b in pairwise(row)]
        gaps += [b[0]["top"] - a[0]["bottom"] for a, b in pairwise(rows)]
        assert gaps and max(gaps) - min(gaps) <= 1 and min(gaps) >= 8, (step_id, gaps)
