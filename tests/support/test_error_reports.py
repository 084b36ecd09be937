"""Debug pages and error reports never show a secret: peppers, keys, a database password."""

from __future__ import annotations

import pytest
from django.views.debug import ExceptionReporter

PEPPER = "lookup-pepper-canary-q7x"
KEY_PEPPER = "key-pepper-canary-q7x"
PASSWORD = "db-password-canary-q7x"


@pytest.fixture
def report(rf, settings):
    settings.BAKEN_PEPPERS = {"lookup": PEPPER, "key": KEY_PEPPER}
    settings.DEBUG = True
    request = rf.get("/m/reality/goals/")
    # What a development server puts in META from its environment.
    request.META.update(
        {
            "BAKEN_LOOKUP_PEPPER": PEPPER,
            "BAKEN_KEY_PEPPER": KEY_PEPPER,
            "DATABASE_URL": f"postgres://baken:{PASSWORD}@127.0.0.1:5432/baken",
        }
    )
    try:
        raise ValueError("boom")
    except ValueError as error:
        return ExceptionReporter(request, type(error), error, error.__traceback__)


def test_the_debug_page_masks_every_pepper_key_and_database_password(report):
    for text in (report.get_traceback_html(), report.get_traceback_text()):
        for secret in (PEPPER, KEY_PEPPER, PASSWORD):
            assert secret not in text
    assert "boom" in report.get_traceback_text()  # the report itself is still there
