"""What every page promises: privacy headers, one cookie only once needed, plain markup."""

import re

import pytest

from tests.helpers.pages import PAGE_TYPES, SITE_PAGES, html_of, save_quickly
from tests.helpers.walk import walk


def visit(client, module, page_type):
    """The page as a fresh visitor reaches it (tests/helpers/pages.py)."""
    response = page_type.fetch(client, module, save_quickly)
    assert response.status_code == page_type.status
    return response


@pytest.mark.parametrize("page_type", SITE_PAGES, ids=str)
def test_every_page_sends_the_privacy_headers(client, module, page_type):
    response = visit(client, module, page_type)
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # Other sites get no referrer; our own forms keep their Origin (see tests/browser/).
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("page_type", SITE_PAGES, ids=str)
def test_every_page_starts_with_the_exit_then_the_skip_link_and_loads_nothing_else(
    client, module, page_type
):
    page = html_of(visit(client, module, page_type))
    assert '<html lang="nl">' in page
    body = page.split("<body>", 1)[1]
    focusable = re.findall(r"<(?:a|button|input|textarea|select)\b[^>]*>", body)
    assert 'class="quick-exit" href="/exit/"' in focusable[0]
    assert 'class="skip-link" href="#main"' in focusable[1]
    assert 'id="main"' in page
    # Only our own small, deferred enhancement script; no inline script.
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)
    assert scripts == [""]
    assert re.search(r'<script src="/static/js/exit\.[0-9a-f]{12}\.js" defer>', page)
    for attr in re.findall(r'(?:src|href)="([^"]+)"', page.split("</head>")[0]):
        assert attr.startswith(("/", "data:")), attr
    assert "<img" not in page


def test_the_stylesheet_has_a_content_hash_and_is_cached_for_a_year(client):
    page = client.get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert re.fullmatch(r"/static/css/baken\.[0-9a-f]{12}\.css", href)
    response = client.get(href)
    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    css = b"".join(response.streaming_content).decode()
    assert "@media print" in css and ":focus-visible" in css
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_reading_pages_sets_no_cookie(client):
    for url in ("/", "/m/reality/", "/m/reality/summary/", "/bestaat-niet"):
        assert not client.get(url).cookies, url


def test_the_cookies_are_strict_httponly_and_hold_no_answer(client, module):
    # A form's page sets the CSRF cookie only; the session cookie comes with the first post.
    response = client.get("/m/reality/goals/")
    assert list(response.cookies) == ["csrftoken"]
    walk(client, module, tag="koekje")
    assert sorted(client.cookies) == ["csrftoken", "session"]
    for cookie in client.cookies.values():
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert cookie["max-age"] == ""  # gone when the browser closes
    assert "koekje" not in str(client.cookies)


def test_answers_never_appear_in_urls(client, module):
    walk(client, module, tag="adrescheck")
    page = client.get("/m/reality/summary/").content.decode()
    for url in re.findall(r'(?:href|action)="([^"]+)"', page):
        assert "adrescheck" not in url


def test_a_step_says_where_it_stands_and_links_back(client, module):
    page = client.get("/m/reality/start/").content.decode()
    assert f"Stap 2 van {len(module.steps)}" in page
    assert 'class="back" href="/m/reality/goals/"' in page
    assert "Opslaan en verder" in page
    last = client.get(f"/m/reality/{module.steps[-1].id}/").content.decode()
    assert "Opslaan en je antwoorden bekijken" in last


def test_the_illustration_is_server_drawn_with_a_text_alternative(client):
    page = client.get("/m/reality/inner-dialogue/").content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title id=" in svg
    figure = page.split("<figure", 1)[1].split("</figure>")[0]
    assert "<figcaption>" in figure and figure.count("<li>") >= 6


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=str)
def test_no_question_field_truncates_what_is_pasted(client, module, page_type):
    # A maxlength attribute would silently cut pasted text: the server checks length instead.
    assert "maxlength" not in html_of(visit(client, module, page_type))
