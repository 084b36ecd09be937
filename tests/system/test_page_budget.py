"""The page budget, over every page type: one round trip of HTML, one cacheable stylesheet.

- The HTML as sent (gzip) is at most 14 KB: it fits in the first round trip (TCP's initial
  window of ten segments), which over Tor can take a second.
- Rendering needs at most one other request: the stylesheet, content-hashed and cached for a
  year (immutable). Nothing else blocks rendering: no other stylesheet, no font, no image, no
  frame, no script without `defer`. The one script (the quick-exit shortcut) is deferred,
  from our own origin, cached the same way, and nothing needs it.

Pages are measured as a visitor with a full journal sees them (every step of both modules
answered with a few sentences, two rows or entries of their own), with the helpline
configured, so the footer is complete.
The page types are the one list every per-page test runs over (tests/helpers/pages.py). The
sizes are printed (`pytest -s tests/system/test_page_budget.py`) and listed in
docs/performance.md.
"""

from __future__ import annotations

import gzip
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests.helpers.forms import the_form
from tests.helpers.pages import SITE_PAGES, saved_already

BUDGET = 14 * 1024
EXAMPLE = Path(settings.BASE_DIR) / "config" / "helpline.example.yaml"
HASHED = re.compile(r"/static/(css|js)/[a-z-]+\.[0-9a-f]{12}\.(css|js)")
WORDS = (
    "vandaag",
    "merkte",
    "ik",
    "dat",
    "het",
    "moeilijk",
    "was",
    "om",
    "te",
    "stoppen",
    "maar",
    "ik",
    "heb",
    "een",
    "wandeling",
    "gemaakt",
    "en",
    "iemand",
    "gebeld",
    "morgen",
    "wil",
    "ik",
    "eerder",
    "naar",
    "bed",
    "gaan",
    "zonder",
    "telefoon",
    "in",
    "de",
    "kamer",
)


def sentences(seed: str, length: int = 300) -> str:
    """A few neutral sentences, different for every field (so they compress like real text)."""
    rng = random.Random(seed)
    text = ""
    while len(text) < length:
        text += " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + ". "
    return text.strip()


def answer_everything(client, module) -> None:
    """Save every step with realistic answers: sentences in every field, two own rows."""
    for step in module.steps:
        url = f"/m/{module.id}/{step.id}/"
        form = the_form(client.get(url).content.decode())
        data = dict(form.fields)
        for name in form.textareas:
            if ".own." not in name or re.match(r"[01](\.|$)", name.split(".own.")[1]):
                data[name] = sentences(name, 120 if ".own." in name else 300)
        for name, values in form.radios.items():
            data[name] = values[-1]
        for name, value in form.checkboxes.items():
            data[name] = value
        response = client.post(url, data)
        assert response.status_code == 303, url


class Resources(HTMLParser):
    """What a page makes the browser fetch, and whether it blocks rendering."""

    def __init__(self) -> None:
        super().__init__()
        self.blocking: list[str] = []
        self.deferred: list[str] = []
        self.inline_script = False
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.handlers += [k for k in a if k.startswith("on")]
        fetched = lambda url: url and not url.startswith(("data:", "#"))  # noqa: E731
        if tag == "link" and fetched(a.get("href", "")):
            rel = a.get("rel", "")
            if rel in {"stylesheet", "preload", "modulepreload", "import"} or "icon" in rel:
                self.blocking.append(a["href"])
        elif tag == "script":
            if not a.get("src"):
                self.inline_script = True
            elif "defer" in a or "async" in a:
                self.deferred.append(a["src"])
            else:
                self.blocking.append(a["src"])
        elif tag in {"img", "iframe", "frame", "embed", "video", "audio", "source", "object"}:
            self.blocking.append(a.get("src") or a.get("data") or tag)
        if "url(" in a.get("style", ""):
            self.blocking.append("style url()")


@pytest.fixture
def visitor(client, module):
    from modules.content import get_library
    from support import helpline

    with override_settings(BAKEN_HELPLINE_FILE=EXAMPLE):
        helpline.get_helpline.cache_clear()
        answer_everything(client, module)
        answer_everything(client, get_library().module("plan", module.language))
        yield client
    helpline.get_helpline.cache_clear()


def test_the_budget_is_measured_on_every_kind_of_page(module):
    names = {str(page_type) for page_type in SITE_PAGES}
    assert {f"step-{step.id}" for step in module.steps} <= names
    assert len(names) == len(SITE_PAGES) >= 28


@pytest.mark.parametrize("page_type", SITE_PAGES, ids=str)
def test_every_page_fits_one_round_trip_and_needs_only_the_stylesheet(visitor, module, page_type):
    visitor.defaults["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"  # as a browser asks
    response = page_type.fetch(visitor, module, saved_already)
    assert response.status_code == page_type.status
    wire = response.content
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(wire).decode()
    assert html.startswith("<!doctype html>")
    found = Resources()
    found.feed(html)
    print(
        f"\n  {page_type!s:<24} {response.status_code}  {len(html):>7,} B html  "
        f"{len(wire):>6,} B gzip (budget {BUDGET:,})"
    )
    problems = []
    if len(wire) > BUDGET:
        problems.append(f"{len(wire):,} bytes gzip, over {BUDGET:,}")
    stylesheets = [u for u in found.blocking if u.endswith(".css")]
    if len(found.blocking) != 1 or len(stylesheets) != 1:
        problems.append(f"render-blocking requests {found.blocking}")
    if found.inline_script or found.handlers:
        problems.append(f"inline script or event handlers {found.handlers}")
    for url in found.blocking + found.deferred:
        if not HASHED.fullmatch(url):
            problems.append(f"{url} has no content hash or is not ours")
    assert problems == []


def test_the_stylesheet_and_the_script_are_cached_for_a_year(client):
    page = client.get("/").content.decode()
    found = Resources()
    found.feed(page)
    for url in found.blocking + found.deferred:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        cache = response["Cache-Control"]
        assert "max-age=31536000" in cache and "immutable" in cache, (url, cache)
        assert response.get("Content-Encoding") == "gzip", url  # precompressed at build
        response.close()
