"""Accessibility: axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) and the keyboard, on every page type.

axe-core needs script to run, so its profile has JavaScript on but the site's own script
blocked: the page it checks is the one a visitor without JavaScript gets.
"""

from __future__ import annotations

import pytest

from tests.helpers.pages import PAGE_TYPES, SITE_PAGES

from .checkers import axe, describe_violations
from .site import plain

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_axe_finds_no_violation_on_a_wide_and_a_narrow_screen(browsing, note, page_type):
    visit = browsing.new(run_checkers=True)
    page_type.show(visit)
    wide = axe(visit.page)
    visit.page.set_viewport_size({"width": 320, "height": 640})
    narrow = axe(visit.page)
    undecided = {i["id"] for r in (wide, narrow) for i in r["incomplete"]}
    note(
        page_type,
        "axe",
        f"{len(wide['violations'])} + {len(narrow['violations'])} violations"
        + (f" ({', '.join(sorted(undecided))}: for a person to judge)" if undecided else ""),
    )
    assert wide["violations"] == [], describe_violations(wide["violations"])
    assert narrow["violations"] == [], describe_violations(narrow["violations"])


# Everything a keyboard can reach, and how each looks: asked of the page after every Tab.
CONTROLS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary,"
    " [tabindex]:not([tabindex='-1'])"
)
LOOKS = """el => {
    const s = getComputedStyle(el);
    const transparent = s.outlineColor === "rgba(0, 0, 0, 0)" || s.outlineColor === "transparent";
    return {
        outline: s.outlineStyle === "none" || parseFloat(s.outlineWidth) === 0 || transparent
            ? "none" : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
        shadow: s.boxShadow,
        background: s.backgroundColor,
    };
}"""


def focus_shows(focused: dict, unfocused: dict) -> bool:
    """A focus indicator: an outline, a shadow or a background the control lacks otherwise."""
    return any(
        focused[k] != unfocused[k] and focused[k] not in ("none", "rgba(0, 0, 0, 0)")
        for k in ("outline", "shadow", "background")
    )


ALL_CONTROLS = f"""() => [...document.querySelectorAll("{CONTROLS}")].map(el => ({{
    shown: el.checkVisibility({{visibilityProperty: true}}),
    radio: el.type === "radio" ? el.name : null,
    looks: ({LOOKS})(el),
    what: el.outerHTML.slice(0, 100),
}}))"""
FOCUSED = f"""() => {{
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    return {{
        index: [...document.querySelectorAll("{CONTROLS}")].indexOf(el),
        classes: el.className,
        looks: ({LOOKS})(el),
        in_view: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
        covered_by: hit && !(hit === el || el.contains(hit) || hit.contains(el))
            ? hit.outerHTML.slice(0, 100) : null,
        autofocus: el.hasAttribute("autofocus"),
    }};
}}"""


def tab_cycle(page, limit: int) -> list[dict]:
    """Press Tab until focus comes round to where it started; what had focus after each."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue  # past the last control, focus leaves the page before it starts again
        if stops and focused["index"] == stops[0]["index"]:
            return stops
        stops.append(focused)
    raise AssertionError(f"focus did not come round in {limit} presses of Tab")


@pytest.mark.parametrize("page_type", SITE_PAGES, ids=str)
def test_the_keyboard_reaches_every_control_and_shows_where_it_is(visit, note, page_type):
    page_type.show(visit)
    page = visit.page
    controls = page.evaluate(ALL_CONTROLS)
    starts_at = page.evaluate(FOCUSED)  # an error summary takes focus when the page opens

    stops = tab_cycle(page, limit=len(controls) + 5)
    note(page_type, "keyboard", f"{len(stops)} tab stops")

    first = [s["classes"] for s in stops[:2]]
    if starts_at is None:
        assert first == ["quick-exit", "skip-link"], "the first Tab must reach the quick exit"
    else:
        assert "error-summary" in starts_at["classes"]
        order = [s["classes"] for s in stops]
        at = order.index("quick-exit")
        assert order[at + 1] == "skip-link"  # coming round: quick exit first, then skip link
    reached = {s["index"] for s in stops}
    groups = {s_radio for i in reached if (s_radio := controls[i]["radio"])}
    missed = [
        c["what"]
        for i, c in enumerate(controls)
        if c["shown"] and i not in reached and c["radio"] not in groups
    ]
    assert missed == [], "not reachable with Tab"
    unseen = [
        controls[s["index"]]["what"]
        for s in stops
        if not focus_shows(s["looks"], controls[s["index"]]["looks"]) or not s["in_view"]
    ]
    assert unseen == [], "focus not visible"
    covered = [(controls[s["index"]]["what"], s["covered_by"]) for s in stops if s["covered_by"]]
    assert covered == [], "focused control hidden behind another"


def tab_to(page, test: str, limit: int = 60) -> None:
    """Press Tab until the focused element passes a test (a JavaScript expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def test_the_skip_link_takes_the_keyboard_to_the_content(visit):
    visit.open(f"/m/{visit.site.module.id}/start/")
    page = visit.page
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["classes"] == "skip-link" and skip["in_view"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_a_step_is_answered_and_saved_with_the_keyboard_alone(visit):
    module = visit.site.module
    rating = next(b for s in module.steps for b in s.blocks if b.type == "rating")
    visit.open(f"/m/{module.id}/{module.steps[1].id}/")
    page = visit.page
    for item in rating.items:
        tab_to(page, f"el.name === '{rating.id}.{item.id}'")
        page.keyboard.press("Space")  # choose the first score
        page.keyboard.press("ArrowRight")  # and move to the second
    tab_to(page, "el.type === 'submit' && !el.name")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert visit.heading() == visit.word("phrase title")
    visit.open(f"/m/{module.id}/summary/")
    chosen = f"{rating.scale[1].value} – {plain(rating.scale[1].label)}"
    assert visit.main().inner_text().count(chosen) == len(rating.items)
