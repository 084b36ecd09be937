"""Walk a whole module through real form posts, filling every input with unique text."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.test import Client

from .forms import the_form


def fill(form, step_id: str, tag: str) -> tuple[dict[str, str], dict[str, str]]:
    """POST data for a step form: every textarea gets unique text, every radio group a choice."""
    data = dict(form.fields)
    written: dict[str, str] = {}
    for name in form.textareas:
        if ".own." in name:
            continue
        text = f"{tag}-{name}-antwoord"
        data[name] = text
        written[name] = text
    for name, values in form.radios.items():
        data[name] = values[0] if name.startswith("start.") else values[-1]
        written[name] = data[name]
    for i, name in enumerate(sorted(form.checkboxes)):
        if i % 2 == 0:
            data[name] = form.checkboxes[name]
            written[name] = "yes"
    own = [n for n in form.textareas if ".own." in n]
    for name in own[:2]:
        text = f"{tag}-{name}-eigen"
        data[name] = text
        written[name] = text
    return data, written


def walk(
    client: Client,
    module,
    tag: str = "canary",
    prefix: str = "",
    steps: range | None = None,
) -> dict[str, str]:
    """Save every step of the module in order (or the numbered `steps`, counting from 1);
    return what was written, by input name. `prefix` is the language's, such as "/en"."""
    written: dict[str, str] = {}
    for number, step in enumerate(module.steps, start=1):
        if steps is not None and number not in steps:
            continue
        url = f"{prefix}/m/{module.id}/{step.id}/"
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert f"{number} " in html and str(len(module.steps)) in html
        form = the_form(html)
        data, step_written = fill(form, step.id, tag)
        written.update(step_written)
        response = client.post(url, data)
        assert response.status_code == 303, (url, response.status_code)
        expected_next = prefix + (
            f"/m/{module.id}/{module.steps[number].id}/"
            if number < len(module.steps)
            else f"/m/{module.id}/summary/"
        )
        if response["Location"].startswith(f"{prefix}/journal/phrase/"):
            # The first real answer makes the journal and shows its phrase once.
            assert response["Location"] == (
                f"{prefix}/journal/phrase/?" + urlencode({"next": expected_next})
            )
            client.phrase = read_phrase(client.get(response["Location"]).content.decode())
        else:  # a saved step's next page says so
            assert response["Location"] in (expected_next, expected_next + "?saved=1")
    return written


def start_journal(client: Client, module, prefix: str = "") -> str:
    """Save the steps from the first until one with an answer creates the journal (a reading
    step makes none); returns its phrase."""
    for step in module.steps:
        url = f"{prefix}/m/{module.id}/{step.id}/"
        data, _ = fill(the_form(client.get(url).content.decode()), step.id, "start")
        response = client.post(url, data)
        if response["Location"].startswith(f"{prefix}/journal/phrase/"):
            client.phrase = read_phrase(client.get(response["Location"]).content.decode())
            return client.phrase
    raise AssertionError("no step made a journal")


def read_phrase(html: str) -> str:
    """The recovery phrase shown on the phrase page."""
    words = re.findall(r'<span class="word">([^<]+)</span>', html)
    assert len(words) == 7, html
    return " ".join(words)
