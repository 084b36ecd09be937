"""What a step cannot be saved without is marked as such, and nothing else is: the marks follow
from the validation (an empty post's errors), in every module and language."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from modules.content import get_library
from staff import service as staff_service
from staff.roles import Role
from tests.helpers.forms import the_form
from tests.helpers.staff import make

MARK = {"nl": "(verplicht)", "en": "(required)"}


class _Groups(HTMLParser):
    """Each fieldset's legend text, whether it says aria-required, and its first input's id."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[dict] = []
        self.open: list[dict] = []
        self.in_legend = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset":
            group = {"required": a.get("aria-required") == "true", "legend": "", "first": None}
            self.open.append(group)
            self.groups.append(group)
        elif tag == "legend":
            self.in_legend = True
        elif tag in ("input", "textarea") and self.open and self.open[-1]["first"] is None:
            self.open[-1]["first"] = a.get("id")

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self.open.pop()
        elif tag == "legend":
            self.in_legend = False

    def handle_data(self, data):
        if self.in_legend and self.open:
            self.open[-1]["legend"] += data


def _steps():
    library = get_library()
    for language in ("nl", "en"):
        for module in library.all(language, drafts=True):
            for step in module.steps:
                yield pytest.param(language, module.id, step.id, id=f"{language}-{step.id}")


@pytest.mark.parametrize(("language", "module_id", "step_id"), list(_steps()))
def test_the_required_choices_are_marked_and_only_they(client, language, module_id, step_id):
    prefix = "" if language == "nl" else "/en"
    url = f"{prefix}/m/{module_id}/{step_id}/"
    page = client.get(url).content.decode()
    form = the_form(page)
    # An empty post: what the server refuses to save without.
    empty = {k: v for k, v in form.fields.items() if k == "csrfmiddlewaretoken"}
    response = client.post(url, empty)
    refused = set()
    if response.status_code == 400:
        refused = set(_error_links(response.content.decode()))
    else:
        assert response.status_code == 303, (url, response.status_code)
    parser = _Groups()
    parser.feed(page)
    marked = {g["first"] for g in parser.groups if g["required"]}
    assert marked == refused, url
    for group in parser.groups:
        assert (MARK[language] in group["legend"]) == group["required"], group
    # The other inputs of the page (free text, checkboxes) are optional and not marked.
    assert page.count(MARK[language]) == len(marked)


def _error_links(page: str) -> list[str]:
    """The ids of the inputs the error summary links to."""
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</div>", start)]
    return [link.split('"', 1)[0] for link in summary.split('href="#')[1:]]


@pytest.mark.parametrize(
    ("url", "name"),
    [("/journal/continue/", "phrase"), ("/messages/", "message")],
    ids=["phrase", "message"],
)
def test_a_single_required_text_field_says_so_to_assistive_technology(client, url, name):
    # One field, needed to send: nothing optional to tell apart, so no visible mark (GOV.UK);
    # aria-required, not `required`, so the server's own message in the page's language shows.
    staff_service.create_inbox(make("ana", Role.ADMINISTRATOR), "a long neutral test passphrase")
    page = client.get(url).content.decode()
    start = page.index(f'name="{name}"')
    tag = page[page.rindex("<textarea", 0, start) : page.index(">", start)]
    assert 'aria-required="true"' in tag and " required" not in tag
