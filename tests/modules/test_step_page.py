"""A step page shows this visitor's answers only; static blocks are rendered once, from content
alone; every page has its own form token."""

from __future__ import annotations

import re

import pydantic
import pytest
from django.template import engines
from django.utils import translation

from tests.conftest import BrowserClient
from tests.helpers.forms import the_form
from tests.helpers.walk import fill, start_journal, walk

TOKEN = r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"'


def test_a_step_shows_this_visitors_answers_not_another_ones(client, module):
    walk(client, module, tag="alfaxq")
    other = BrowserClient()
    walk(other, module, tag="betaxq")
    for step in module.steps:
        mine = client.get(f"/m/{module.id}/{step.id}/").content.decode()
        theirs = other.get(f"/m/{module.id}/{step.id}/").content.decode()
        assert ("alfaxq" in mine) == ("betaxq" in theirs)
        for page, wrong in ((mine, "betaxq"), (theirs, "alfaxq")):
            at = page.find(wrong)
            assert at < 0, (step.id, page[max(0, at - 300) : at + 60])


def test_a_form_with_errors_keeps_the_text_and_the_next_visitor_sees_none_of_it(client, module):
    url = f"/m/{module.id}/threshold/"
    form = the_form(client.get(url).content.decode())
    data, _ = fill(form, "threshold", "foutxq")
    data[next(iter(form.radios))] = "99"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "has-error" in page and "Kies een van de getoonde stappen." in page
    shown = the_form(page).fields
    assert all(shown[name] == data[name] for name in form.textareas)
    fresh = BrowserClient().get(url).content.decode()
    assert "has-error" not in fresh and "foutxq" not in fresh


def test_each_page_gets_its_own_token_and_the_form_is_accepted(client, module):
    start_journal(client, module)
    url = f"/m/{module.id}/{module.steps[6].id}/"
    first, second = (re.findall(TOKEN, client.get(url).content.decode()) for _ in range(2))
    assert first and second and set(first).isdisjoint(second)
    wrong = first[0][:40] + ("a" if first[0][40] != "a" else "b") + first[0][41:]
    assert client.post(url, {"csrfmiddlewaretoken": wrong}).status_code == 403
    assert client.post(url, {"csrfmiddlewaretoken": first[0]}).status_code == 303


# --- parts rendered once ---------------------------------------------------------------------


def _part():
    return engines["jinja2"].env.globals["part"]


class Wrapped(pydantic.BaseModel):
    """Text in a model that is not content (a content object is a core.content.types.Part)."""

    text: str


@pytest.mark.parametrize(
    "value",
    [
        "a visitor's answer",
        [{"left": "x", "right": "y"}],
        {"form": "values"},
        object(),
        Wrapped(text="a visitor's answer"),
    ],
)
def test_a_part_takes_content_objects_only_never_text(module, value):
    with pytest.raises(TypeError, match="content objects only"):
        _part()("blocks/prose.html", block=value)


def test_a_static_block_is_rendered_once_per_language_from_the_block_alone(module):
    block = next(b for s in module.steps for b in s.blocks if b.is_static())
    part = _part()
    with translation.override("nl"):
        dutch = part(block.template, block=block)
        assert part(block.template, block=block) is dutch
    with translation.override("en"):
        assert part(block.template, block=block) is not dutch
    # What the part's template is given: the block and nothing of a request.
    template = engines["jinja2"].env.get_template(block.template)
    with translation.override("nl"):
        assert template.render({"block": block}) == str(dutch)


def test_every_block_type_is_static_or_rendered_with_the_page(module):
    blocks = [b for s in module.steps for b in s.blocks]
    assert {b.type for b in blocks if b.is_static()} >= {"prose", "goals"}
    assert not any(
        b.is_static()
        for b in blocks
        if b.type in ("rating", "questions", "pair_table", "threshold", "rehearse", "compare")
    )
