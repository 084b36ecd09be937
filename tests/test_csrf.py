"""The form token: Django's format and check, masked afresh on every page (baken/jinja2.py)."""

from __future__ import annotations

import re
from collections import Counter

from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token

from baken.jinja2 import mask_csrf_secret

from .walk import start_journal

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def test_a_masked_token_unmasks_to_the_secret_with_djangos_own_code():
    tokens = {mask_csrf_secret(SECRET) for _ in range(200)}
    assert len(tokens) == 200  # a new mask every time
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET


def test_the_mask_draws_every_character_about_equally_often():
    counts = Counter("".join(mask_csrf_secret(SECRET)[:32] for _ in range(3100)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 3100 * 32 / len(CSRF_ALLOWED_CHARS)  # 1,600
    assert all(abs(n - expected) < 0.15 * expected for n in counts.values()), counts


def test_each_page_gets_its_own_token_and_the_form_is_accepted(client, module):
    start_journal(client, module)
    url = f"/m/{module.id}/{module.steps[6].id}/"
    pattern = r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"'
    first, second = (re.findall(pattern, client.get(url).content.decode()) for _ in range(2))
    assert first and second and set(first).isdisjoint(second)
    assert _unmask_cipher_token(first[0]) == _unmask_cipher_token(second[0])
    wrong = first[0][:40] + ("a" if first[0][40] != "a" else "b") + first[0][41:]
    assert client.post(url, {"csrfmiddlewaretoken": wrong}).status_code == 403
    response = client.post(url, {"csrfmiddlewaretoken": first[0]})
    assert response.status_code == 303
