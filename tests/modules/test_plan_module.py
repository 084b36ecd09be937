"""The second module, "My plan to stop", walked through real form posts: every answer ends up
on the one-page plan, on the summary and in the export; the confidence scale is compared."""

from __future__ import annotations

import html as htmllib

import pytest

from tests.helpers.forms import the_form
from tests.helpers.walk import fill, walk


@pytest.fixture
def plan():
    from modules.content import get_library

    return get_library().module("plan", "nl")


def answered_texts(written: dict[str, str]) -> list[str]:
    return [v for v in written.values() if v.endswith(("-antwoord", "-eigen"))]


def test_the_whole_plan_module_ends_with_every_answer_on_the_one_page_plan(client, plan):
    written = walk(client, plan, tag="plan")
    page = htmllib.unescape(client.get(f"/m/{plan.id}/my-plan/").content.decode())
    texts = answered_texts(written)
    assert len(texts) >= 15
    assert [t for t in texts if t not in page] == []
    # Every ticked item is on the plan in words.
    for step in plan.steps:
        for block in step.blocks:
            if block.type == "checklist" and not block.choices:
                for item in block.items:
                    if written.get(f"{block.id}.{item.id}") == "yes":
                        assert item.text.source in page, item.id
    # Each barrier with the choice made ("fill" picks the last: not for me).
    steps = plan.step("barriers").blocks[1]
    assert page.count(steps.choices[-1].label) == len(steps.items)
    assert "Nog niets ingevuld" not in page


def test_the_plan_compares_the_confidence_at_the_start_and_the_end(client, plan):
    walk(client, plan, steps=range(1, 2), tag="plan")  # the first scale: fill picks 10
    url = f"/m/{plan.id}/looking-back/"
    form = the_form(client.get(url).content.decode())
    assert "Aan het begin koos je 10." in client.get(url).content.decode()
    data, _ = fill(form, "looking-back", "plan")
    data["confidence-end"] = "7"
    assert client.post(url, data).status_code == 303
    page = htmllib.unescape(client.get(f"/m/{plan.id}/my-plan/").content.decode())
    assert "10 van de 10" in page
    assert "7 van de 10 (aan het begin: 10; verschil: -3)" in page


def test_the_plans_answers_are_on_the_summary_and_in_the_export(client, plan):
    written = walk(client, plan, tag="plan")
    texts = answered_texts(written)
    summary = htmllib.unescape(client.get(f"/m/{plan.id}/summary/").content.decode())
    assert [t for t in texts if t not in summary] == []
    for kind in ("html", "txt"):
        exported = client.get(f"/journal/export/answers.{kind}").content.decode()
        exported = htmllib.unescape(exported) if kind == "html" else exported
        assert [t for t in texts if t not in exported] == [], kind
        assert plan.title in exported


def test_an_empty_plan_says_where_to_fill_it_in(client, plan):
    page = client.get(f"/m/{plan.id}/my-plan/").content.decode()
    assert page.count("Nog niets ingevuld.") == 7
    assert f'href="/m/{plan.id}/warning-signs/"' in page


# --- the new blocks: bad input and broken content ------------------------------------------


def test_a_scale_left_open_is_an_error_and_the_typed_text_stays(client, plan):
    url = f"/m/{plan.id}/why/"
    form = the_form(client.get(url).content.decode())
    data = {**form.fields, "why-matters": "mijn kinderen en mijn werk"}
    response = client.post(url, data)
    assert response.status_code == 400
    page = htmllib.unescape(response.content.decode())
    assert "Kies een getal." in page
    assert 'href="#f-confidence-start"' in page
    assert "mijn kinderen en mijn werk" in page


def test_a_choice_that_was_not_offered_is_refused(client, plan):
    url = f"/m/{plan.id}/barriers/"
    form = the_form(client.get(url).content.decode())
    response = client.post(url, {**form.fields, "device-steps.filter": "misschien"})
    assert response.status_code == 400
    assert "Kies een van de getoonde antwoorden." in response.content.decode()


def test_own_entries_are_kept_in_order_blank_ones_dropped_and_no_more_than_allowed(client, plan):
    url = f"/m/{plan.id}/warning-signs/"
    form = the_form(client.get(url).content.decode())
    data = {**form.fields, "signs.own.0": "", "signs.own.1": "tweede", "signs.own.7": "te veel"}
    assert client.post(url, data).status_code == 303
    page = client.get(url).content.decode()
    again = the_form(page)
    assert again.fields["signs.own.0"] == "tweede"
    assert again.fields["signs.own.1"] == ""
    assert "te veel" not in page
    assert "signs.own.2" not in again.fields


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        (
            "08-looking-back.yaml",
            "pairs_with: confidence-start",
            "pairs_with: why-questions",
            "'why-questions' is not a 'before' scale earlier in the module",
        ),
        (
            "08-looking-back.yaml",
            "highest: 10",
            "highest: 5",
            "the numbers must run as those of 'confidence-start' do",
        ),
        ("01-why.yaml", "lowest: 1", "lowest: 10", "'highest' must be larger than 'lowest'"),
        (
            "09-my-plan.yaml",
            "show: [signs]",
            "show: [signs, plan-page]",
            "'plan-page' is not a block earlier in the module that asks something",
        ),
        (
            "05-barriers.yaml",
            "label: Ga ik doen",
            "label: Ga ik doen\n      - value: done\n        label: Nog eens",
            "id 'device-steps.choices.done' is already used",
        ),
    ],
)
def test_broken_new_blocks_are_reported_with_file_and_line(copy, file, old, new, message):
    from modules.content import ContentError, load_library
    from tests.helpers.files import edit

    edit(copy / "nl/plan" / file, old, new)
    with pytest.raises(ContentError) as caught:
        load_library(copy, ["nl", "en"], "nl")
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"content/nl/plan/{file}:") and message in p for p in found), found
