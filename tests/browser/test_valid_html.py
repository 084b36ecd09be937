"""Valid HTML: the Nu HTML Checker (vnu.jar, from npm, on this machine's Java) finds no error.

Each page type is checked as the server sent it to Chromium, error pages included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers.pages import PAGE_TYPES

from .checkers import describe_messages

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_the_nu_checker_finds_no_error(visit, checker, note, page_type):
    document = page_type.show(visit)
    messages = checker.check(document)
    errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    note(page_type, "vnu", f"{len(errors)} errors, {len(messages) - len(errors)} warnings")
    assert errors == [], describe_messages(errors)


# The checker's CSS property list lacks SVG 2's vector-effect, which every current browser
# supports (it keeps the chart lines 2px thick when the SVG scales). Remove when it learns it.
CSS_CHECKER_GAPS = ["“vector-effect”: Property “vector-effect” doesn't exist."]


def test_the_nu_checker_finds_no_error_in_the_stylesheet(checker):
    css = (Path(settings.BASE_DIR) / "static/css/baken.css").read_bytes()
    errors = [
        e
        for e in checker.errors(css, "text/css; charset=utf-8")
        if e["message"] not in CSS_CHECKER_GAPS
    ]
    assert errors == [], describe_messages(errors)
