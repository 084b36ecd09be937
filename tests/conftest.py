from urllib.parse import urlencode

import pytest
from django.test import Client


class BrowserClient(Client):
    """Posts forms url-encoded, as a browser does, and checks CSRF tokens."""

    def __init__(self, **defaults: str) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)

    def post(self, path, data=None, **extra):
        if isinstance(data, dict):
            data = urlencode(data, doseq=True)
            extra.setdefault("content_type", "application/x-www-form-urlencoded")
        return super().post(path, data, **extra)


@pytest.fixture
def client(db) -> Client:  # noqa: ARG001 (sessions live in the database)
    return BrowserClient()


@pytest.fixture
def copy(tmp_path):
    """A private copy of the shipped content, to break."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    target = tmp_path / "content"
    shutil.copytree(Path(settings.BAKEN_CONTENT_DIR), target)
    return target


@pytest.fixture
def module():
    from modules.content import get_library

    return get_library().module("reality", "nl")


# --- the browser tests' report ------------------------------------------------------------


def pytest_sessionstart(session):
    import time

    session.config.baken_started = time.time()  # screenshots newer than this are this run's


def pytest_terminal_summary(terminalreporter):
    """A table of the browser checks per page type, and where the screenshots are."""
    from .browser import SCREENSHOTS

    results: dict[str, dict[str, str]] = {}
    checks: list[str] = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", None) != "call":
                continue
            for name, value in report.user_properties:
                if name == "browser-check":
                    page, check, result = value
                    results.setdefault(page, {})[check] = (
                        result if outcome == "passed" else f"FAILED: {result}"
                    )
                    if check not in checks:
                        checks.append(check)
    write = terminalreporter.write_line
    if results:
        terminalreporter.write_sep("-", f"browser checks on {len(results)} page types")
        width = max(map(len, results))
        for page in sorted(results):
            cells = [f"{c}: {results[page].get(c, 'not run')}" for c in checks]
            write(f"{page:<{width}}  " + " | ".join(cells))
    started = getattr(terminalreporter.config, "baken_started", 0)
    shots = [p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= started - 1]
    if shots:
        terminalreporter.write_sep("-", "screenshots")
        write(f"{len(shots)} screenshots (every page type at 320 and 1280 px) in {SCREENSHOTS}")
