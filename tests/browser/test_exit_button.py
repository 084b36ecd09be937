"""Nothing sits under the quick exit on a phone (issue 15, point 4).

At 320, 360 and 400 px wide, on every page type, the page is scrolled from top to bottom a
third of a screen at a time. At each position every control (link, button, field, label,
summary) and every block of text that meets the exit's box is probed point by point with the
browser's own hit test (`elementFromPoint`):

- at the top of the page no point of any of them may be hidden by the exit: the exit must
  take room of its own there (the language link used to sit under it, in English);
- while scrolling, no row of one of them may be hidden in part: the exit may hide a line only
  as the top edge of the screen does, all of it across the whole width, never a piece of a
  line or a control while the rest shows beside it (it used to cover the end of lines of body
  text at the top right).

At 360 px the top of the page and a position halfway down are photographed into the
screenshots folder (`<language>-<page type>-exit-360-top.png`, `…-scrolled.png`).
"""

from __future__ import annotations

import pytest

from tests.helpers.pages import SITE_PAGES

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 400)
HEIGHT = 640

# Scrolls to a position, then returns what the exit hides there: at the top anything, further
# down a part of a row of some element while the rest of that row shows. Each row of an element
# is probed at ten points across it and on either side of each edge of the exit's box.
UNDER_THE_EXIT = """(y) => {
    window.scrollTo(0, y);
    const link = document.querySelector("a.quick-exit");
    // The exit's cover: the link, or the fixed or sticky box around it (a band).
    let cover = link;
    for (let el = link; el && el !== document.body; el = el.parentElement) {
        const position = getComputedStyle(el).position;
        if (position === "fixed" || position === "sticky") { cover = el; break; }
    }
    const hidden = (x, y) => {
        const hit = document.elementFromPoint(x, y);
        return hit === null ? null : cover.contains(hit);  // null: off the screen, not probed
    };
    const selector = [
        "a[href]", "button", "input:not([type=hidden])", "textarea", "select", "summary",
        "label", "p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "th", "td", "legend",
        "caption", "figcaption", "blockquote", "pre",
    ].join(",");
    const width = document.documentElement.clientWidth;
    const height = window.innerHeight;
    const box = cover.getBoundingClientRect();
    const found = [];
    let hiddenRows = 0;  // rows hidden whole, as under the edge of the screen
    for (const el of document.body.querySelectorAll(selector)) {
        if (cover.contains(el) || el.classList.contains("skip-link")) { continue; }
        const r = el.getBoundingClientRect();
        const top = Math.max(r.top, box.top, 0), bottom = Math.min(r.bottom, box.bottom, height);
        const left = Math.max(r.left, 0), right = Math.min(r.right, width - 1);
        if (bottom - top < 1 || right - left < 1 || right <= box.left || left >= box.right
            || !el.checkVisibility({visibilityProperty: true})) { continue; }
        const xs = [box.left - 1, box.left + 1, box.right - 1, box.right + 1]
            .filter(x => x > left && x < right);
        for (let i = 0; i < 10; i++) { xs.push(left + 0.5 + (right - left - 1) * i / 9); }
        for (let row = top + 0.5; row < bottom; row += 4) {
            let under = 0, beside = 0;
            for (const x of xs) {
                const is = hidden(x, row);
                if (is === true) { under += 1; } else if (is === false) { beside += 1; }
            }
            if (under && !beside) { hiddenRows += 1; }
            if (under && (window.scrollY === 0 || beside)) {
                found.push({
                    scrolled: Math.round(window.scrollY),
                    row: Math.round(row),
                    what: el.outerHTML.slice(0, 80),
                });
                break;
            }
        }
    }
    return {
        found, hiddenRows, last: document.documentElement.scrollHeight - height, height,
    };
}"""


def under_the_exit(page) -> list[dict]:
    """Scroll from the top to the bottom a third of a screen at a time; what the exit hides."""
    found, y, hidden_rows = [], 0, 0
    while True:
        seen = page.evaluate(UNDER_THE_EXIT, y)
        found += seen["found"]
        hidden_rows += seen["hiddenRows"]
        if y >= seen["last"]:
            break
        y = min(y + seen["height"] // 3, seen["last"])
    # The probe did see the exit over the page once it scrolled (a sticky box it measured in
    # the wrong place would find nothing, and pass).
    assert found or hidden_rows or seen["last"] < 100, "the probe never met the exit"
    return found


@pytest.mark.parametrize("page_type", SITE_PAGES, ids=str)
def test_nothing_sits_under_the_exit_on_a_phone(browsing, screenshots, note, page_type):
    visit = browsing.new(width=WIDTHS[0], height=HEIGHT)
    page_type.show(visit)
    name = f"{visit.site.lang.code}-{page_type}"
    problems = {}
    for width in WIDTHS:
        visit.page.set_viewport_size({"width": width, "height": HEIGHT})
        found = under_the_exit(visit.page)
        if found:
            problems[width] = found[:5]
        if width == 360:
            visit.page.evaluate("window.scrollTo(0, 0)")
            visit.page.screenshot(path=screenshots / f"{name}-exit-360-top.png")
            visit.page.evaluate(
                "window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2)"
            )
            visit.page.screenshot(path=screenshots / f"{name}-exit-360-scrolled.png")
    note(page_type, "under the exit", "nothing" if not problems else f"at {sorted(problems)} px")
    assert problems == {}, "hidden under the quick exit:\n" + "\n".join(
        f"{width} px, scrolled {f['scrolled']} px, row {f['row']}: {f['what']}"
        for width, found in problems.items()
        for f in found
    )
