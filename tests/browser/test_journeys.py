"""Whole journeys in a real Chromium with JavaScript off, as over Tor in Safest mode.

Every journey ends by checking the browser's network log: each request went to the site's own
origin (the `browsing` fixture checks it again for every profile a test opened).
"""

from __future__ import annotations

import re

import pytest

from modules.content.blocks import PairTable, Questions, Rating, Rehearse, Threshold

from .site import plain

pytestmark = pytest.mark.browser


def only_the_site(visit) -> None:
    """Requests were made, and all of them to the site's own origin."""
    assert visit.log.urls, "the network log is empty: the log is not recording"
    assert any("/static/css/" in url for url in visit.log.urls)
    assert visit.log.foreign() == []


def block(module, kind):
    """The module's first block of a kind."""
    return next(b for s in module.steps for b in s.blocks if isinstance(b, kind))


def has(step, kind) -> bool:
    return any(isinstance(b, kind) for b in step.blocks)


OWN_ROWS = 3  # rows of their own the visitor writes in the pair table
RECOGNISED = 2  # built-in rows the visitor ticks: the rehearsal shows only these and their own


def test_the_whole_module_from_the_landing_page_to_the_summary(visit):
    module = visit.site.module
    total = len(module.steps)
    page = visit.page
    visit.open("/")
    visit.click(page.get_by_role("link", name=module.title))
    visit.click(visit.link("start module"))

    typed: dict[str, str] = {}
    for number, step in enumerate(module.steps, start=1):
        assert visit.path == f"/m/{module.id}/{step.id}/"
        assert visit.word("step", number=number, total=total) in visit.text()
        assert visit.heading() == step.title

        if has(step, PairTable):
            typed |= own_rows_with_one_added(visit, step)
        if has(step, Rehearse):
            rehearse_every_response(visit)
        if has(step, Threshold):
            threshold = block(module, Threshold)
            page.get_by_role("radio", name=plain(threshold.steps[2].text), exact=True).check()
        typed |= visit.fill_step(f"reis {step.id}")
        visit.save()

        if number == 2:  # the first answers (step 1 is reading) make the journal: its phrase, once
            assert visit.heading() == visit.word("phrase title")
            assert len(visit.read_phrase().split()) == 7
            cookie = next(c for c in visit.context.cookies() if c["name"] == "session")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            visit.click(visit.link("written down"))

    assert visit.path == f"/m/{module.id}/summary/"
    summary = visit.main().inner_text()
    for text in typed.values():
        assert text in summary
    assert plain(block(module, Threshold).steps[2].text) in summary

    # The reflection compares the ratings: every statement went from 1 to 3.
    start = block(module, Rating)
    assert start.occurrence == "before"
    last = module.steps[-1]
    visit.click(visit.main().locator(f"a[href*='/{last.id}/?from=summary']").first)
    compare = page.get_by_role("table")
    for item in start.items:  # the table names each statement as it was worded at the start
        row = compare.get_by_role("row").filter(has_text=plain(item.text))
        assert f"+2 ({visit.word('more insight')})" in row.inner_text()
    visit.click(visit.button("save and back"))
    assert visit.path == f"/m/{module.id}/summary/#s-{last.id}"  # back at the answer changed
    only_the_site(visit)


def own_rows_with_one_added(visit, step) -> dict[str, str]:
    """Recognise two built-in rows, write two rows of your own, add a third and write it."""
    table = next(b for b in step.blocks if isinstance(b, PairTable))
    page = visit.page
    labels = (plain(table.left_label), plain(table.right_label))

    def own_row(number: int):
        return page.get_by_role("group", name=visit.word("own row", number=number))

    def text(number: int, label: str) -> str:
        return f"eigen rij {number} {label}"

    for row in table.rows[:RECOGNISED]:
        page.get_by_role("checkbox", name=plain(row.left)).check()
    for number in range(1, OWN_ROWS):
        for label in labels:
            own_row(number).get_by_label(label, exact=True).fill(text(number, label))
    visit.click(visit.button("add row"))

    # Back on the same step, at the own rows, everything kept, and one more row to fill.
    assert visit.path.startswith(f"/m/{visit.site.module.id}/{step.id}/?more=")
    assert visit.path.endswith(f"#own-rows-{table.id}")
    for row in table.rows[:RECOGNISED]:
        assert page.get_by_role("checkbox", name=plain(row.left)).is_checked()
    for number in range(1, OWN_ROWS):
        for label in labels:
            assert own_row(number).get_by_label(label, exact=True).input_value() == text(
                number, label
            )
    for label in labels:
        own_row(OWN_ROWS).get_by_label(label, exact=True).fill(text(OWN_ROWS, label))
    return {f"{n} {label}": text(n, label) for n in range(1, OWN_ROWS + 1) for label in labels}


def rehearse_every_response(visit) -> None:
    """Page through the responses: those to the two rows recognised, then the visitor's own
    (never the other built-in ones)."""
    table = block(visit.site.module, PairTable)
    recognised = RECOGNISED
    count = recognised + OWN_ROWS
    for position in range(1, count + 1):
        card = visit.main().inner_text()
        assert visit.word("response of", position=position, count=count) in card
        if position > recognised:
            assert visit.word("your own") in card
            assert f"eigen rij {position - recognised} {plain(table.right_label)}" in card
        else:
            assert plain(table.rows[position - 1].right) in card
        if position < count:
            visit.click(visit.link("next response"))
    assert visit.link("next response").count() == 0


def test_noting_the_phrase_and_resuming_in_a_fresh_browser(browsing):
    first = browsing.new()
    module = first.site.module
    phrase, typed = first.walk(until=module.steps[4].id)

    other = browsing.new()  # another device: no cookie, no history
    other.open("/")
    other.click(other.link("continue with phrase"))
    field = other.page.get_by_label(other.word("phrase"), exact=True)
    wrong = " ".join(reversed(phrase.split()))
    field.fill(wrong)
    other.click(other.button("open journal"))
    assert other.word("problem") in other.text()
    assert other.word("wrong phrase") in other.text()
    assert field.input_value() == wrong  # what was typed stays, to correct

    field.fill("  " + phrase.upper().replace(" ", "   ") + " ")  # capitals and spaces do not matter
    other.click(other.button("open journal"))
    assert other.path == f"/m/{module.id}/{module.steps[4].id}/"  # where the first one stopped
    other.open(f"/m/{module.id}/summary/")
    summary = other.main().inner_text()
    assert typed and all(text in summary for text in typed.values())
    only_the_site(first)
    only_the_site(other)


def test_take_a_break_and_come_back(visit):
    module = visit.site.module
    visit.walk(until=module.steps[2].id)  # the first step with answers makes the journal
    heavy = next(step for step in module.steps if step.heavy)
    visit.open(f"/m/{module.id}/{heavy.id}/")
    visit.main().locator("textarea").first.fill("eerst even pauze")
    visit.click(visit.button("save and break").first)
    assert visit.heading() == visit.word("break title")

    visit.click(visit.link("back to step"))
    assert visit.path == f"/m/{module.id}/{heavy.id}/"
    assert visit.main().locator("textarea").first.input_value() == "eerst even pauze"
    visit.open(f"/m/{module.id}/")  # saved, but the step is not marked done
    item = visit.main().get_by_role("listitem").filter(has_text=heavy.title)
    assert visit.word("not done") in item.inner_text()
    only_the_site(visit)


def with_questions(module):
    return next(s for s in module.steps if any(isinstance(b, Questions) for b in s.blocks))


def exit_link(visit):
    return visit.page.get_by_role("link", name=re.compile("^" + re.escape(visit.word("exit"))))


def test_quick_exit_without_javascript_ends_the_session(visit):
    module = visit.site.module
    visit.walk(until=module.steps[2].id)
    step = with_questions(module)
    visit.open(f"/m/{module.id}/{step.id}/")
    visit.main().locator("textarea").first.fill("nog niet bewaard")

    visit.click(exit_link(visit))
    assert visit.page.url == visit.site.server.exit_url
    assert [c for c in visit.context.cookies() if c["name"] == "session"] == []
    # Back shows the page again, from the server: no journal, and nothing that was typed.
    visit.page.go_back()
    assert visit.path == f"/m/{module.id}/{step.id}/"
    assert visit.main().locator("textarea").first.input_value() == ""  # not filled in again
    assert visit.link("continue with phrase").count() == 1
    only_the_site(visit)


@pytest.mark.parametrize("how", ["shift three times", "click"])
def test_quick_exit_with_javascript_replaces_the_page(browsing, how):
    visit = browsing.new(javascript=True)
    module = visit.site.module
    visit.walk(until=module.steps[2].id)
    visit.open("/")
    visit.open(f"/m/{module.id}/{with_questions(module).id}/")
    visit.main().locator("textarea").first.fill("nog niet bewaard")

    with visit.page.expect_navigation(url=visit.site.server.exit_url):
        if how == "click":
            exit_link(visit).click()
        else:
            for _ in range(3):
                visit.page.keyboard.press("Shift")
    assert [c for c in visit.context.cookies() if c["name"] == "session"] == []
    # The step was replaced in the history: Back goes to the page before it.
    visit.page.go_back()
    assert visit.path == "/"
    only_the_site(visit)


def test_export_as_a_web_page_and_as_text(visit):
    module = visit.site.module
    _, typed = visit.walk(until=module.steps[4].id)
    visit.open("/")
    page = visit.download(visit.link("download")).decode()
    text = visit.download(visit.link("as text")).decode()
    assert typed
    for answer in typed.values():
        assert answer in page and answer in text
    # The web page opens offline: it loads nothing and links nowhere.
    assert re.findall(r"""(?:src|href)\s*=""", page) == []
    only_the_site(visit)


def test_delete_everything(browsing):
    visit = browsing.new()
    module = visit.site.module
    phrase, _ = visit.walk(until=module.steps[3].id)
    visit.open("/")
    visit.click(visit.link("delete"))
    visit.click(visit.button("confirm delete"))
    assert visit.heading() == visit.word("deleted")
    assert [c for c in visit.context.cookies() if c["name"] == "session"] == []

    other = browsing.new()
    other.resume(phrase)
    assert other.word("wrong phrase") in other.text()
    only_the_site(visit)
    only_the_site(other)
