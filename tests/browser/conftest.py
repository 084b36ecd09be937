"""Fixtures for the browser tests.

Per pytest-xdist worker: one gunicorn (with its own database) and one Nu checker service, for
the whole run. Chromium is started per package: Playwright's synchronous API keeps an event
loop running in the thread, and Django refuses database work while one runs, so the browser is
stopped before the worker goes on to the database tests.

Every browser context records the requests its pages make; a test that sent anything to
another origin fails at teardown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import SCREENSHOTS
from .checkers import CHROMIUM_ARGS, Checker, Missing, chromium_executable, nu_checker
from .server import LiveServer, live_server, make_inbox
from .site import LANGUAGES, Language, Site
from .visit import Browsing


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with live_server(tmp_path_factory.mktemp("browser-server"), worker) as running:
        yield running


@pytest.fixture(scope="session")
def inbox(server: LiveServer) -> dict[str, str]:
    """The inbox key made once for this server (it can be made only once): `make_inbox`."""
    return make_inbox(server)


@pytest.fixture(scope="session")
def checker(tmp_path_factory) -> Iterator[Checker]:
    try:
        with nu_checker(tmp_path_factory.mktemp("vnu")) as running:
            yield running
    except Missing as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.fixture(scope="package")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            executable = chromium_executable(playwright.chromium.executable_path)
        except Missing as missing:
            pytest.fail(str(missing), pytrace=False)
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=LANGUAGES, ids=lambda language: language.code)
def lang(request) -> Language:
    return request.param


@pytest.fixture
def site(server: LiveServer, lang: Language) -> Site:
    return Site(server=server, lang=lang)


@pytest.fixture
def browsing(chromium, site: Site) -> Iterator[Browsing]:
    """Opens fresh browser profiles (JavaScript off unless asked); checks their network logs."""
    opened = Browsing(chromium, site)
    yield opened
    foreign = opened.close()
    assert foreign == [], f"requests left the site: {foreign}"


@pytest.fixture
def visit(browsing: Browsing):
    """One tab in a fresh profile with JavaScript off, as in Tor Browser's Safest mode."""
    return browsing.new()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder for screenshots; the run's summary names it (see tests/conftest.py)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def note(request, lang: Language):
    """Record a check's result for a page type; the run's summary shows them in a table."""

    def record(page_type: object, check: str, result: str) -> None:
        request.node.user_properties.append(
            ("browser-check", (f"{lang.code} {page_type}", check, result))
        )

    return record
