"""Dutch and English: the language lives in the address, the switcher keeps everything."""

import html as htmllib
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings

from conversations.models import Conversation
from journal import wordlists
from modules.content import get_library
from staff import service as staff_service
from staff.roles import Role
from tests.helpers.forms import the_form
from tests.helpers.staff import make
from tests.helpers.walk import fill, read_phrase, start_journal, walk

OTHER = {"nl": "en", "en": "nl"}
PREFIX = {"nl": "", "en": "/en"}


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


SWITCH_LINK = r'<a href="([^"]*)" hreflang="([^"]+)" lang="([^"]+)">([^<]+)</a>'
# On a page with a form: a button of that form, posting its fields to the other language.
SWITCH_BUTTON = (
    r'<button type="submit" form="([^"]+)" formaction="([^"]*)" name="action" value="language"'
    r' class="link-button header-button" lang="([^"]+)">([^<]+)</button>'
)


def switch_link(html: str, language: str) -> str:
    """The switcher's address for `language` (a link's, or on a page with a form its button's):
    it names the language in that language."""
    found = re.findall(SWITCH_LINK, html)
    links = {hreflang: (htmllib.unescape(href), lang, name) for href, hreflang, lang, name in found}
    for form_id, action, lang, name in re.findall(SWITCH_BUTTON, html):
        assert f'id="{form_id}"' in html
        links[lang] = (htmllib.unescape(action), lang, name)
    href, lang, name = links[language]
    assert lang == language and name == dict(settings.LANGUAGES)[language]
    return href


def test_every_supported_language_is_served_with_its_own_prefix(client):
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        page = client.get(f"{prefix}/")
        assert page.status_code == 200
        assert f'<html lang="{code}">' in page.content.decode()
        assert page["Content-Language"] == code


def test_the_whole_module_in_english_switching_to_dutch_halfway(client):
    english = get_library().module("reality", "en")
    dutch = get_library().module("reality", "nl")
    half = len(english.steps) // 2
    written = walk(client, english, tag="en", prefix="/en", steps=range(1, half + 1))

    # On the next English step, the switcher leads to the same step in Dutch.
    step = english.steps[half]
    here = f"/en/m/reality/{step.id}/"
    page = client.get(here)
    assert f"Step {half + 1} of {len(english.steps)}" in text(page)
    there = switch_link(page.content.decode(), "nl")
    assert there == f"/m/reality/{step.id}/"
    dutch_page = client.get(there)
    assert dutch_page.status_code == 200 and "Set-Cookie" not in dutch_page.headers
    assert f"Stap {half + 1} van {len(dutch.steps)}" in text(dutch_page)

    written.update(walk(client, dutch, tag="nl", steps=range(half + 1, len(dutch.steps) + 1)))
    answers = [v for v in written.values() if v.endswith(("-antwoord", "-eigen"))]
    assert len(answers) >= 40
    for summary in ("/m/reality/summary/", "/en/m/reality/summary/"):
        page = text(client.get(summary))
        assert [a for a in answers if a not in page] == [], summary
    assert "Not answered" not in text(client.get("/en/m/reality/summary/"))


def test_answers_typed_in_one_language_appear_unchanged_in_the_other(client):
    module = get_library().module("reality", "nl")
    start_journal(client, module)
    url = "/m/reality/empathy-1/"
    form = the_form(client.get(url).content.decode())
    data, _written = fill(form, "empathy-1", "tweetalig")
    typed = "Één zin met ‘aanhalingstekens’ & <tekens>\nen een tweede regel."
    first = form.textareas[0]
    data[first] = typed
    assert client.post(url, data).status_code == 303
    english = client.get("/en" + url)
    assert typed in text(english)
    assert 'lang="en"' in english.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/m/reality/",
        "/m/reality/empathy-2/?from=summary",
        "/m/reality/summary/",
        "/facts/",
        "/help/",
        "/safety/",
        "/journal/continue/",
        "/break/?return=/m/reality/consent/",
    ],
)
def test_the_switcher_leads_to_the_same_page_and_back(client, path):
    dutch = client.get(path)
    assert dutch.status_code == 200
    english_url = switch_link(dutch.content.decode(), "en")
    assert english_url.startswith("/en/")
    english = client.get(english_url)
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert switch_link(english.content.decode(), "nl") == path


def test_a_return_address_switches_language_too_and_one_off_the_site_is_dropped(client):
    page = client.get("/break/?" + urlencode({"return": "/m/reality/consent/"}))
    english = client.get(switch_link(page.content.decode(), "en"))
    assert 'href="/en/m/reality/consent/"' in english.content.decode()
    away = client.get("/break/?" + urlencode({"return": "https://elders.example/"}))
    assert switch_link(away.content.decode(), "en") == "/en/break/"


def test_a_page_that_does_not_exist_offers_the_other_landing_page(client):
    page = client.get("/en/m/reality/no-such-step/")
    assert page.status_code == 404 and '<html lang="en">' in page.content.decode()
    assert switch_link(page.content.decode(), "nl") == "/m/reality/no-such-step/"
    missing = client.get("/en/nowhere/")
    assert switch_link(missing.content.decode(), "nl") == "/"


def test_switching_sets_no_cookie_and_keeps_the_journal(client):
    module = get_library().module("reality", "nl")
    phrase = start_journal(client, module)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = client.get(switch_link(client.get("/m/reality/start/").content.decode(), "en"))
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert sorted(client.cookies) == sorted(
        [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME]
    )
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == cookie
    shown = read_phrase(client.get("/en/journal/phrase/").content.decode())
    assert shown == phrase
    assert "My recovery phrase" in text(page)


def test_a_visitor_who_never_chooses_gets_no_cookie_at_all(client):
    for path in ("/", "/en/", "/en/m/reality/", "/en/facts/"):
        assert "Set-Cookie" not in client.get(path).headers, path


def test_the_language_is_not_taken_from_the_browser(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="nl">' in page.content.decode()
    page = client.get("/en/", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_phrase_is_made_of_words_in_the_visitors_language(client, language):
    module = get_library().module("reality", language)
    phrase = start_journal(client, module, prefix=PREFIX[language])
    assert set(phrase.split()) <= set(wordlists.words(language))
    assert not set(phrase.split()) <= set(wordlists.words(OTHER[language]))


def test_a_phrase_made_in_one_language_opens_the_journal_in_the_other(client):
    from tests.conftest import BrowserClient

    module = get_library().module("reality", "nl")
    phrase = start_journal(client, module)
    other = BrowserClient()
    form = the_form(other.get("/en/journal/continue/").content.decode())
    response = other.post("/en/journal/continue/", {**form.fields, "phrase": phrase})
    assert response.status_code == 303 and response["Location"].startswith("/en/")


@pytest.mark.parametrize(
    ("language", "length", "limit"),
    [
        ("nl", "11.200", "10.000"),
        ("en", "11,200", "10,000"),
    ],
)
def test_numbers_are_written_the_way_the_language_writes_them(client, language, length, limit):
    module = get_library().module("reality", language)
    start_journal(client, module, prefix=PREFIX[language])
    url = f"{PREFIX[language]}/m/reality/empathy-1/"
    form = the_form(client.get(url).content.decode())
    data = dict(form.fields)
    data[form.textareas[0]] = "x" * 11_200
    page = text(client.post(url, data))
    assert length in page and limit in page


@pytest.mark.parametrize(
    ("method", "path", "status", "heading"),
    [
        ("post", "/en/m/reality/empathy-1/", 403, "Your answers were not saved"),
        ("put", "/en/m/reality/empathy-1/", 405, None),
        ("get", "/en/m/nothing-here/", 404, "Page not found"),
    ],
)
def test_error_pages_speak_the_language_of_the_address(client, method, path, status, heading):
    response = getattr(client, method)(
        path, {"part1-name": "kept text"} if method == "post" else None
    )
    assert response.status_code == status
    page = text(response)
    assert '<html lang="en">' in page
    if heading:
        assert heading in page
    assert switch_link(response.content.decode(), "nl").startswith("/")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_remembered_address_is_djangos_in_the_active_language(language):
    from django.urls import reverse
    from django.utils import translation

    from core.navigation import address

    with translation.override(language):
        for name, args in [
            ("modules:step", ("reality", "goals")),
            ("modules:summary", ("reality",)),
            ("support:break", ()),
            ("journal:phrase", ()),
        ]:
            assert address(name, *args) == reverse(name, args=args)
    with translation.override("en"):
        assert address("journal:phrase").startswith("/en/")
    with translation.override("nl"):
        assert not address("journal:phrase").startswith("/en/")


# --- switching language with text typed and not saved (issue 15, point 10) ------------------


def switch_button(html: str, language: str) -> tuple[str, str]:
    """The language switch of a page with a form: (the form's id, where it posts)."""
    found = {
        lang: (form_id, action) for form_id, action, lang, _ in re.findall(SWITCH_BUTTON, html)
    }
    assert language in found, "the switcher is a link: typed text would be lost"
    form_id, action = found[language]
    return form_id, htmllib.unescape(action)


def test_a_step_switched_to_english_keeps_what_was_typed_and_saves_nothing(client):
    url = "/m/reality/empathy-1/?from=summary"
    page = client.get(url).content.decode()
    form = the_form(page)
    form_id, action = switch_button(page, "en")
    assert f'<form method="post" action="/m/reality/empathy-1/" id="{form_id}"' in page
    assert action == "/en/m/reality/empathy-1/?from=summary"
    data, written = fill(form, "empathy-1", "onbewaard")

    english = client.post(action, {**data, "action": "language"})

    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    shown = the_form(english.content.decode())
    assert all(shown.fields[name] == data[name] for name in form.textareas)
    assert "Your answers are still here, in this language. They are not saved yet" in text(english)
    assert "There is a problem" not in text(english)
    # Saved nowhere: no journal was made, and the page read again is empty.
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    again = the_form(client.get("/en/m/reality/empathy-1/").content.decode())
    assert [again.fields[name] for name in form.textareas] == [""] * len(form.textareas)


def test_a_required_choice_left_open_is_no_error_when_switching(client):
    page = client.get("/en/m/reality/start/").content.decode()
    form_id, action = switch_button(page, "nl")
    dutch = client.post(action, {**the_form(page).fields, "action": "language"})
    assert dutch.status_code == 200 and "Er is een probleem" not in text(dutch)
    assert "Je antwoorden staan er nog, nu in het Nederlands." in text(dutch)


def test_a_message_switched_to_english_keeps_its_text_and_is_not_sent(client):
    staff_service.create_inbox(make("ana", Role.ADMINISTRATOR), "a long neutral test passphrase")
    page = client.get("/messages/").content.decode()
    form_id, action = switch_button(page, "en")
    assert f'id="{form_id}"' in page and action == "/en/messages/"
    form = the_form(page)

    english = client.post(action, {**form.fields, "message": "Nog niet af", "action": "language"})

    assert english.status_code == 200
    assert the_form(english.content.decode()).fields["message"] == "Nog niet af"
    assert "It has not been sent yet." in text(english)
    assert Conversation.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in client.cookies  # no journal made to send it


def test_the_phrase_switched_to_english_is_shown_again_not_tried(client):
    page = client.get("/journal/continue/").content.decode()
    _form_id, action = switch_button(page, "en")
    form = the_form(page)
    words = "drie losse woorden"
    english = client.post(action, {**form.fields, "phrase": words, "action": "language"})
    assert english.status_code == 200 and "There is a problem" not in text(english)
    assert the_form(english.content.decode()).fields["phrase"] == words


def test_pages_without_text_to_lose_keep_the_plain_link(client):
    for path in ("/", "/m/reality/goals/", "/facts/"):
        page = client.get(path).content.decode()
        assert re.findall(SWITCH_BUTTON, page) == [] and switch_link(page, "en"), path
