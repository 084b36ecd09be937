"""The checkers can fail: a page with one broken field is caught by axe-core and by the Nu checker.

The broken page is a real step page, served by the real server, with one question added whose
label points at the wrong id (a one-letter typo): the field has no label.
"""

from __future__ import annotations

import pytest

from .checkers import Missing, axe, chromium_executable, describe_messages, describe_violations

pytestmark = pytest.mark.browser

BROKEN_FIELD = (
    '<div class="field"><label for="f-answer">Een vraag zonder veld</label>'
    '<textarea id="f-answr" name="answer" rows="2"></textarea></div>'
)


def test_an_unlabelled_field_fails_axe_and_the_nu_checker(browsing, checker):
    visit = browsing.new(run_checkers=True)
    path = f"/m/{visit.site.module.id}/start/"

    def break_the_page(route):
        response = route.fetch()
        html = response.text().replace("</form>", BROKEN_FIELD + "</form>", 1)
        route.fulfill(response=response, body=html)

    visit.page.route(visit.site.url(path), break_the_page)
    visit.open(path)
    document = visit.document()
    assert BROKEN_FIELD.encode() in document

    violations = axe(visit.page)["violations"]
    errors = checker.errors(document)
    print("axe-core:", describe_violations(violations), sep="\n")
    print("Nu HTML Checker:", describe_messages(errors), sep="\n")

    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == [
        ("label", [["#f-answr"]])
    ]
    assert [e["message"] for e in errors] == [
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden"
        " form control."
    ]


def test_without_a_chromium_the_tests_say_how_to_install_one(monkeypatch):
    monkeypatch.delenv("BAKEN_TEST_CHROMIUM", raising=False)
    with pytest.raises(Missing) as missing:
        chromium_executable(managed="/nowhere/chrome", system=("no-such-browser",))
    assert "apt-get install chromium" in str(missing.value)
    assert "playwright install chromium" in str(missing.value)
