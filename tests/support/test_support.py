"""Quick exit, taking a break, the helpline and crisis lines on the pages, discreet titles."""

import html as htmllib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from journal.models import VisitorSession
from journal.sessions import hashed
from tests.conftest import BrowserClient
from tests.helpers.forms import the_form
from tests.helpers.walk import start_journal

EXAMPLE = Path(settings.BASE_DIR) / "config" / "helpline.example.yaml"


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>")[0]


@pytest.fixture
def example_helpline():
    from support import helpline

    with override_settings(BAKEN_HELPLINE_FILE=EXAMPLE):
        helpline.get_helpline.cache_clear()
        yield helpline.get_helpline()
    helpline.get_helpline.cache_clear()


# --- quick exit ------------------------------------------------------------------------------


def test_the_exit_link_ends_the_session_and_leaves_for_the_configured_site(client, module):
    start_journal(client, module)
    old_cookie = client.cookies["session"].value
    with override_settings(BAKEN_EXIT_URL="https://weather.example/"):
        response = client.get("/exit/")
    assert response.status_code == 303
    assert response["Location"] == "https://weather.example/"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not VisitorSession.objects.filter(session_key=hashed(old_cookie)).exists()
    # A request with the old cookie finds no session and no journal.
    again = BrowserClient()
    again.cookies["session"] = old_cookie
    page = text(again.get("/m/reality/"))
    assert "Je vorige sessie is afgelopen" in page
    assert "Mijn herstelzin" not in page


def exits_and_is_still_open(client, **headers: str) -> bool:
    """Ask for /exit/ with these request headers; whether the journal is still open after."""
    old_cookie = client.cookies["session"].value
    with override_settings(BAKEN_EXIT_URL="https://weather.example/"):
        response = client.get("/exit/", headers=headers)
    assert response.status_code == 303
    assert response["Location"] == "https://weather.example/"
    kept = VisitorSession.objects.filter(session_key=hashed(old_cookie)).exists()
    # The browser is told to clear the site's data exactly when the session was ended.
    assert ("Clear-Site-Data" in response) is not kept
    return kept and "Mijn herstelzin" in text(client.get("/m/reality/"))


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},  # the site's own exit link or Shift ×3
        {"Sec-Fetch-Site": "none"},  # the address typed, or a bookmark
        {"Referer": "http://testserver/m/reality/goals/"},  # an older browser, from our page
        {},  # an older browser, nothing said: leaving matters more
    ],
    ids=["same-origin", "typed", "referer-ours", "no-headers"],
)
def test_the_visitors_own_exit_ends_the_session(client, module, headers):
    start_journal(client, module)
    assert not exits_and_is_still_open(client, **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another site on the same domain is another site
        {"Sec-Fetch-Site": "cross-site", "Referer": "http://testserver/"},
        {"Referer": "https://elsewhere.example/page"},  # an older browser, from another site
        {"Referer": "http://testserver:8080/"},  # another port is another origin
        {"Referer": "http://[::1"},  # malformed
    ],
    ids=["cross-site", "same-site", "cross-site-lying-referer", "referer-other", "port", "bad"],
)
def test_a_link_from_another_site_to_the_exit_only_redirects(client, module, headers):
    """Issue 15, point 3: another site cannot log a visitor out or clear their data here."""
    start_journal(client, module)
    assert exits_and_is_still_open(client, **headers)


def test_the_exit_is_the_first_thing_on_every_page_and_explained(client):
    for url in (
        "/",
        "/m/reality/goals/",
        "/facts/",
        "/break/",
        "/safety/",
        "/help/",
        "/urge/",
        "/journal/continue/",
        "/bestaat-niet",
    ):
        page = client.get(url).content.decode()
        body = page.split("<body>", 1)[1]
        assert body.lstrip().startswith(
            '<div class="exit-band"><a class="quick-exit" href="/exit/">'
        ), url
    safety = text(client.get("/safety/"))
    assert "geschiedenis" in safety and "privévenster" in safety and "Tor Browser" in safety


def test_the_enhancement_script_replaces_the_page_and_listens_for_shift():
    script = (Path(settings.BASE_DIR) / "static/js/exit.js").read_text()
    assert "location.replace" in script and '"Shift"' in script and ">= 3" in script


# --- taking a break --------------------------------------------------------------------------


def test_save_and_take_a_break_keeps_the_text_and_comes_back_to_the_same_step(client, module):
    start_journal(client, module)
    url = "/m/reality/empathy-2/"
    page = client.get(url).content.decode()
    assert 'name="action" value="break"' in page  # a heavy step offers the break
    form = the_form(page)
    data = dict(form.fields, action="break")
    data[form.textareas[0]] = "even pauze hierna"
    response = client.post(url, data)
    assert response.status_code == 303
    assert response["Location"] == "/break/?return=%2Fm%2Freality%2Fempathy-2%2F"
    pause = text(client.get(response["Location"]))
    assert "Neem even pauze" in pause
    assert "Drink een glas water." in pause
    assert 'href="/m/reality/empathy-2/"' in pause
    back = the_form(client.get(url).content.decode())
    assert back.fields[form.textareas[0]] == "even pauze hierna"
    overview = client.get("/m/reality/").content.decode()
    assert 'href="/m/reality/empathy-2/">' in overview
    # The steps saved to make the journal (the reading step and the first answers), not this one.
    assert overview.count('class="status done"') == 2


def test_a_break_is_offered_before_and_inside_every_heavy_step(client, module):
    for index, step in enumerate(module.steps):
        page = text(client.get(f"/m/reality/{step.id}/"))
        following = module.steps[index + 1] if index + 1 < len(module.steps) else None
        offered = 'name="action" value="break"' in page
        assert offered == (step.heavy or bool(following and following.heavy)), step.id
        if following and following.heavy and not step.heavy:
            assert "De volgende stap kan zwaar zijn." in page


def test_the_break_page_never_links_to_another_site(client):
    for target in ("https://elders.example/", "//elders.example/", "javascript:alert(1)"):
        page = client.get("/break/", {"return": target}).content.decode()
        assert "elders.example" not in page and "javascript:" not in page


# --- the helpline and crisis lines -----------------------------------------------------------


NOT_SET_UP = "De gegevens van de hulplijn zijn op deze site nog niet ingesteld."


def test_without_configuration_only_the_help_page_says_so_and_the_others_link_there(client):
    assert client.get("/help/").status_code == 200
    assert text(client.get("/help/")).count(NOT_SET_UP) == 1
    # No way to write to a counsellor who has not been set up.
    assert 'href="/messages/"' not in main_of(text(client.get("/help/")))
    for url in ("/", "/break/", "/urge/", "/m/reality/goals/", "/about/", "/safety/"):
        page = text(client.get(url))
        assert NOT_SET_UP not in page, url
        assert not re.search(r'href="tel:', page)
        footer = page.split('<footer class="site-footer">')[1]
        assert '<a href="/help/">Waar je hulp vindt</a>' in footer, url
        assert "Openingstijden en alle contactgegevens" not in footer, url
    goals = text(client.get("/m/reality/goals/"))
    callout = goals.split('class="block callout callout-contact"')[1].split("</aside>")[0]
    assert '<a href="/help/">Waar je hulp vindt</a>' in callout
    # No way to write to a counsellor who has not been set up.
    assert "/messages/" not in callout
    for url in ("/break/", "/urge/"):
        main = text(client.get(url)).split('<main id="main"', 1)[1].split("</main>")[0]
        assert '<a href="/help/">Waar je hulp vindt</a>' in main, url
    english = text(client.get("/en/help/"))
    assert english.count("The helpline's details have not been set up on this site yet") == 1


def test_configured_details_show_in_the_footer_callouts_and_break_page(client, example_helpline):
    helpline = example_helpline
    assert helpline is not None and helpline.example
    for url in ("/", "/m/reality/goals/", "/break/", "/help/"):
        page = text(client.get(url))
        assert helpline.name in page, url
        assert "voorbeeld — geen echte hulplijn" in page
        assert "Waar je hulp vindt" not in page
        assert NOT_SET_UP not in page
        assert re.search(r"(Nu open|Gesloten)", page)
    goals = text(client.get("/m/reality/goals/"))
    callout = goals.split('class="block callout callout-contact"')[1].split("</aside>")[0]
    assert helpline.name in callout
    assert "voorbeeld — geen echte hulplijn" in callout
    pause = text(client.get("/break/"))
    for line in helpline.crisis_lines:
        assert line.name in pause
    # The crisis lines of the example are placeholders too, and marked as such.
    crisis = pause.split('class="crisis-intro"')[1].split("</ul>")[0]
    assert "voorbeeld — geen echte hulplijn" in crisis
    english = text(client.get("/en/help/"))
    assert "example — not a real helpline" in english
    hours = text(client.get("/help/"))
    assert "Openingstijden" in hours and "dinsdag" in hours


# --- "I feel an urge now" -------------------------------------------------------------------

URGE_LINK = '<a class="urge-link" href="{}"{}>{}</a>'


def test_the_urge_page_is_one_link_from_every_page_in_its_language(client, module):
    urls = ["/", "/m/reality/", "/facts/", "/break/", "/safety/", "/help/", "/urge/"]
    urls += ["/journal/continue/", "/bestaat-niet/"]
    urls += [f"/m/reality/{step.id}/" for step in module.steps]
    for url in urls:
        frame = text(client.get(url)).split('<main id="main"')[0]
        current = ' aria-current="page"' if url == "/urge/" else ""
        assert URGE_LINK.format("/urge/", current, "Ik voel nu een drang") in frame, url
    english = text(client.get("/en/m/reality/goals/")).split('<main id="main"')[0]
    assert URGE_LINK.format("/en/urge/", "", "I feel an urge now") in english
    page = client.get("/en/urge/")
    assert page.status_code == 200 and "<h1>I feel an urge now</h1>" in text(page)


def test_the_urge_page_says_what_to_do_now_without_a_script_or_a_form(client):
    page = text(client.get("/urge/"))
    main = page.split('<main id="main"', 1)[1].split("</main>")[0]
    assert "<h1>Ik voel nu een drang</h1>" in main
    steps = ("Ga weg van het scherm.", "Stel het uit.", "Doe iets anders.", "Praat met iemand.")
    for step in steps:
        assert step in main
    assert "Kijk nooit opnieuw naar beelden" in main
    assert "<form" not in main and "<script" not in main
    # Without configuration no number is invented; the way to the helpline page stays.
    assert 'href="tel:' not in main and 'href="/help/"' in main


def test_the_urge_page_shows_the_configured_helpline_and_crisis_lines(client, example_helpline):
    main = text(client.get("/urge/")).split('<main id="main"', 1)[1].split("</main>")[0]
    assert example_helpline.name in main and example_helpline.phone in main
    assert example_helpline.crisis_lines
    for line in example_helpline.crisis_lines:
        assert line.name in main and line.phone in main
    assert 'href="/help/"' in main


def test_the_recall_exercises_say_from_memory_only_and_lead_to_the_urge_page(client, module):
    """Exercise 2 (parts 1 and 4) and exercise 3 warn before the questions: never look again."""
    for step_id in ("empathy-1", "empathy-4", "threshold"):
        page = text(client.get(f"/m/reality/{step_id}/"))
        callout = page.split('class="block callout callout-urge"')[1].split("</aside>")[0]
        assert "Ik voel nu een drang" in callout and 'href="/urge/"' in callout, step_id
        assert "Kijk nooit opnieuw naar de beelden" in callout or "in gedachten" in callout
        assert page.index("callout-urge") < page.index("<textarea"), step_id
    assert module.step("threshold").heavy


# --- discreet by default ---------------------------------------------------------------------

SUBJECT = re.compile(r"misbruik|seks|kinder|kind\b|abuse|sexual|csam", re.I)


def test_no_page_title_says_what_the_site_is_about(client, module):
    start_journal(client, module)
    urls = [
        "/",
        "/m/reality/",
        "/m/reality/summary/",
        "/facts/",
        "/break/",
        "/safety/",
        "/help/",
        "/urge/",
        "/journal/phrase/",
        "/journal/continue/",
        "/journal/delete/",
    ]
    urls += [f"/m/reality/{step.id}/" for step in module.steps]
    for url in urls:
        title = re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S)
        assert not SUBJECT.search(title.group(1)), (url, title.group(1))
    assert '<link rel="icon" href="data:,">' in client.get("/").content.decode()
