"""Parts rendered once and reused (baken/fragments.py) give exactly the page rendered afresh."""

from __future__ import annotations

import re

import pytest

from .forms import the_form
from .walk import fill, start_journal, walk

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def pages(client, urls: list[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {url: TOKEN.sub("TOKEN", client.get(url).content.decode()) for url in urls}


@pytest.fixture
def afresh(monkeypatch):  # type: ignore[no-untyped-def]
    """Render without any cached part."""
    from baken import fragments

    def turn_off() -> None:
        monkeypatch.setattr(fragments, "ENABLED", False)

    return turn_off


@pytest.mark.parametrize("journal", ["none", "one step", "every step"])
def test_every_step_is_the_same_from_cached_parts_as_rendered_afresh(client, module, afresh,
                                                                      journal):
    if journal == "one step":
        start_journal(client, module)
    elif journal == "every step":
        walk(client, module)
    urls = [f"/m/{module.id}/{s.id}/" for s in module.steps]
    urls += [f"/en/m/{module.id}/{s.id}/" for s in module.steps]  # English, same journal
    urls += [u + "?from=summary" for u in urls[:3]] + ["/", "/m/reality/", "/facts/", "/help/",
                                                       "/en/", "/en/help/"]
    # A step that shows the visitor's own words as text, at another card than the first.
    urls += [f"/m/{module.id}/{s.id}/?card=3" for s in module.steps
             if any(b.type == "rehearse" for b in s.blocks)]
    pages(client, urls)  # fill the cache
    cached = pages(client, urls)
    afresh()
    assert pages(client, urls) == cached


def test_a_cached_step_shows_this_visitors_answers_not_another_ones(client, module):
    from .conftest import BrowserClient

    walk(client, module, tag="alfaxq")
    other = BrowserClient()
    walk(other, module, tag="betaxq")
    for step in module.steps:
        mine = client.get(f"/m/{module.id}/{step.id}/").content.decode()
        theirs = other.get(f"/m/{module.id}/{step.id}/").content.decode()
        assert ("alfaxq" in mine) == ("betaxq" in theirs)
        for page, wrong in ((mine, "betaxq"), (theirs, "alfaxq")):
            at = page.find(wrong)
            assert at < 0, (step.id, page[max(0, at - 300):at + 60])


def test_a_form_with_errors_is_rendered_afresh_with_the_text_kept(client, module):
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
    # The next visitor of the same step sees neither the error nor the text.
    from .conftest import BrowserClient

    fresh = BrowserClient().get(url).content.decode()
    assert "has-error" not in fresh and "foutxq" not in fresh


def test_a_whole_step_is_rendered_once_then_only_its_holes_are_filled(client, module,
                                                                       monkeypatch):
    """The second visit of a step runs no template at all: the view fills the cached page."""
    import django.shortcuts

    from .conftest import BrowserClient

    rendered = []
    render = django.shortcuts.render

    def counting(request, template_name, *args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(template_name)
        return render(request, template_name, *args, **kwargs)

    from baken import fragments

    walk(client, module, tag="gamaxq")
    # A step with text fields and no block that shows earlier answers as text.
    step = next(s for s in module.steps
                if any(b.type == "questions" for b in s.blocks)
                and not any(b.type in ("rehearse", "compare") for b in s.blocks))
    monkeypatch.setattr(fragments, "_fragments", {})
    monkeypatch.setattr(django.shortcuts, "render", counting)
    url = f"/m/{module.id}/{step.id}/"
    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    other = BrowserClient().get(url).content.decode()  # no journal: a page of its own
    other_again = BrowserClient().get(url).content.decode()
    assert rendered == ["modules/step.html"] * 2  # once with a journal, once without
    assert TOKEN.sub("TOKEN", again) == TOKEN.sub("TOKEN", first)
    assert "gamaxq" in again and "gamaxq" not in other
    assert TOKEN.sub("TOKEN", other_again) == TOKEN.sub("TOKEN", other)
    # Each page has its own token, and the form still posts.
    assert TOKEN.search(again).group(0) != TOKEN.search(first).group(0)
    form = the_form(again)
    assert client.post(url, form.fields).status_code == 303
