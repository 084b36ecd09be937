"""Odd input to every form never gets a 500 (issue 16, finding 6).

Every form the site shows (each module step in both languages, continuing with the phrase,
deleting, ending the session, the quick exit) is posted with its own fields filled from a list
of odd values, odd fields added, fields left out, buttons pressed, bodies sent raw (bad UTF-8,
bad percent-encoding, repeated names). Some posts come with a journal open, some without, some
with a token, some with a stale one. The run is seeded, so a failure can be repeated:
`FUZZ_SEED=… FUZZ_POSTS=… pytest tests/system/test_fuzz.py`; `make fuzz` sends 10,000.
`make test` runs it (2,000 posts); `make check` leaves it out (marked `fuzz`), to stay quick.
"""

from __future__ import annotations

import collections
import os
import random
from urllib.parse import quote

import pytest

from tests.conftest import BrowserClient
from tests.helpers.forms import forms
from tests.helpers.walk import start_journal

POSTS = int(os.environ.get("FUZZ_POSTS", "2000"))
SEED = int(os.environ.get("FUZZ_SEED", "20261201"))

ODD = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "yes",
    "no",
    "add-row",
    "break",
    "summary",
    "\x00",
    "a\x00b",
    "\r\n\r\n",
    "\u202e\u200b\ufeff",
    "\ud7ff\ue000\U0001f600",
    "Ω≈ç√∫˜µ≤≥÷",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE journal_entry; --",
    "{{ 7*7 }}{% raw %}",
    "%(x)s %s {0}",
    "../../../../etc/passwd",
    "//evil.example/",
    "javascript:alert(1)",
    "x" * 10_001,
    "woord " * 3000,
    "appel banaan citroen dadel egel fiets gitaar",
]
ODD_NAMES = ["", "x", "from", "action", "more", "card", "next", "phrase", "a" * 300, "[]", "ö"]
RAW_BODIES = [
    b"%ff%fe=%c3%28",
    b"a=%zz&b=%",
    b"===&&&",
    b"\xff\xfe\xfd=1",
    b"csrfmiddlewaretoken=&csrfmiddlewaretoken=x",
]


PAGES = ["/journal/continue/", "/journal/delete/", "/en/journal/continue/"]
ENDS_SESSION = ("/exit/", "/journal/delete/", "/journal/end/")


def _pages(module) -> list[str]:
    steps = [f"{p}/m/{module.id}/{step.id}/" for p in ("", "/en") for step in module.steps]
    return steps + PAGES + ["/exit/"]


def _forms_on(visitor: BrowserClient, page: str) -> list[tuple[str, dict[str, str], list[str]]]:
    """(address, fields, names a browser could send) of each form on the page, as it is now."""
    if page == "/exit/":
        return [("/exit/", {}, [])]
    found = []
    for form in forms(visitor.get(page).content.decode()):
        names = [
            n for n in [*form.fields, *form.radios, *form.checkboxes] if n != "csrfmiddlewaretoken"
        ]  # a wrong token is tried apart, below
        found.append((form.action or page, dict(form.fields), names))
    return found


def _odd_post(rng: random.Random, fields: dict[str, str], names: list[str]) -> dict[str, str]:
    data = dict(fields) if rng.random() < 0.9 else {}
    for name in rng.sample(names, k=min(len(names), rng.randint(0, 6))):
        data[name] = rng.choice(ODD)
    if rng.random() < 0.3:
        data[rng.choice(ODD_NAMES)] = rng.choice(ODD)
    if rng.random() < 0.1 and "csrfmiddlewaretoken" in data:
        data["csrfmiddlewaretoken"] = rng.choice(["", "x" * 64, data["csrfmiddlewaretoken"][::-1]])
    for name in rng.sample(sorted(data), k=min(len(data), rng.randint(0, 2))):
        if name != "csrfmiddlewaretoken" and rng.random() < 0.5:
            del data[name]
    return data


@pytest.mark.fuzz
@pytest.mark.django_db
def test_odd_posts_to_every_form_never_get_a_500(module):
    rng = random.Random(SEED)
    visitors = [BrowserClient(), BrowserClient()]
    start_journal(visitors[1], module)  # one with a journal open, one without
    pages = _pages(module)
    shown: dict[tuple[int, str], list[tuple[str, dict[str, str], list[str]]]] = {}
    statuses: collections.Counter[int] = collections.Counter()
    failures = []
    number = 0
    while number < POSTS:
        who = rng.randrange(2)
        visitor, page = visitors[who], rng.choice(pages)
        if (who, page) not in shown:  # the forms as this visitor has them now
            shown[who, page] = _forms_on(visitor, page)
        if not shown[who, page]:  # no form for this visitor there (delete, without a journal)
            continue
        number += 1
        url, fields, names = rng.choice(shown[who, page])
        if rng.random() < 0.1:
            body = (
                rng.choice(RAW_BODIES)
                + b"&"
                + "&".join(f"{quote(k)}={quote(v)}" for k, v in fields.items()).encode()
            )
            response = visitor.generic(
                "POST", url, body, content_type="application/x-www-form-urlencoded"
            )
        else:
            response = visitor.post(url, _odd_post(rng, fields, names))
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append((number, url, response.status_code))
        ended = url.endswith(ENDS_SESSION) and response.status_code < 400
        if response.status_code == 403 or ended:
            # A token refused, or the session ended: read the forms again (and open a journal
            # again for the visitor who had one).
            shown = {key: value for key, value in shown.items() if key[0] != who}
            if who == 1 and ended:
                start_journal(visitor, module)
    print(f"\nfuzz: {POSTS} posts (seed {SEED}), statuses: {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) == POSTS
    assert failures == [], failures[:10]
