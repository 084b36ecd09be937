"""Make the benchmark's visitors through the real site, before anything is measured.

Each visitor is a browser with its own cookie jar: it walks the whole module with real form
posts (so its journal is created, which pays the Argon2id key derivation, and every step has
saved answers), then its session cookie and CSRF token are written to a data file that the
wrk script reads.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.helpers.forms import the_form
from tests.helpers.livewalk import Browser
from tests.helpers.walk import fill


@dataclass(frozen=True)
class Visitor:
    cookie: str
    csrf: str


@dataclass(frozen=True)
class Journey:
    """What one walk through the module found: its steps, and a form to save for each."""

    steps: tuple[str, ...]
    summary: str
    saves: tuple[tuple[str, str], ...]  # (path, url-encoded body without the CSRF token)


def walk(base: str, first_step: str, tag: str) -> tuple[Visitor, Journey]:
    """One visitor saves every step of the module; returns its credentials and the journey."""
    browser = Browser(base)
    path = first_step
    steps, saves = [], []
    csrf = ""
    while "/summary/" not in path:
        status, page, _ = browser.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        form = the_form(page)
        data, _written = fill(form, path, tag)
        csrf = data.pop("csrfmiddlewaretoken")
        status, _, headers = browser.post(path, {"csrfmiddlewaretoken": csrf, **data})
        if status != 303:
            raise RuntimeError(f"POST {path}: {status}")
        steps.append(path)
        if any(data.values()):  # a step with answers (some only explain, and save progress)
            saves.append((path, urlencode(data)))
        target = headers["Location"]
        if target.startswith("/journal/phrase/"):  # the first save made the journal
            browser.get(target)
            target = parse_qs(urlsplit(target).query)["next"][0]
            # The session key changed when the journal was made: take the new token.
            _, page, _ = browser.get(path)
            csrf = the_form(page).fields["csrfmiddlewaretoken"]
        path = target
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
    return Visitor(cookie, csrf), Journey(tuple(steps), path, tuple(saves))


def make(
    base: str, first_step: str, count: int, parallel: int = 4
) -> tuple[list[Visitor], Journey]:
    """`count` visitors with full journals, made `parallel` at a time."""
    with ThreadPoolExecutor(parallel) as pool:
        results = list(pool.map(lambda n: walk(base, first_step, f"bench{n}"), range(count)))
    return [visitor for visitor, _ in results], results[0][1]


def _lua(text: str) -> str:
    return '"' + re.sub(r'["\\]', lambda m: "\\" + m.group(0), text) + '"'


def write_lua(path: Path, visitors: list[Visitor], journey: Journey, save_tag: str) -> None:
    """The data file journal.lua reads: visitors, the steps to read, the forms to save."""
    lines = ["return {", "  visitors = {"]
    lines += [f"    {{cookie = {_lua(v.cookie)}, csrf = {_lua(v.csrf)}}}," for v in visitors]
    lines += ["  },", "  steps = {"]
    lines += [f"    {_lua(step)}," for step in journey.steps]
    lines += ["  },", f"  summary = {_lua(journey.summary)},", "  saves = {"]
    for step, body in journey.saves:
        body = body.replace("bench0", save_tag)
        lines.append(f"    {{path = {_lua(step)}, body = {_lua(body)}}},")
    lines += ["  },", "}"]
    path.write_text("\n".join(lines) + "\n")
