"""Every bad input gets a clear page in Dutch with a way back, never a 500; typed text is kept."""

import html as htmllib

import pytest

from tests.helpers.forms import the_form

STEP = "/m/reality/empathy-1/"
RATING_STEP = "/m/reality/start/"


def form_data(client, url):
    form = the_form(client.get(url).content.decode())
    return form, dict(form.fields)


def text_of(response) -> str:
    return htmllib.unescape(response.content.decode())


def test_an_answer_over_its_maximum_length_is_refused_and_kept(client):
    form, data = form_data(client, STEP)
    first, second = form.textareas[:2]
    data[first] = "lang antwoord " * 800  # 11,200 characters
    data[second] = "dit moet blijven staan"
    response = client.post(STEP, data)
    assert response.status_code == 400
    page = text_of(response)
    assert "Er is een probleem" in page
    assert f'href="#f-{first}"' in page  # the error summary links to the field
    assert "Dit antwoord is 11.200 tekens lang; er passen er hoogstens 10.000 in." in page
    assert f'id="f-{first}-error"' in page  # and the message stands by the field too
    kept = the_form(response.content.decode()).fields
    assert kept[first] == data[first]
    assert kept[second] == "dit moet blijven staan"
    assert page.startswith("<!doctype html>") and "<title>Fout: " in page
    # Nothing was saved.
    assert "dit moet blijven staan" not in text_of(client.get("/m/reality/summary/"))


def test_a_rating_outside_the_scale_is_refused(client):
    form, data = form_data(client, RATING_STEP)
    names = list(form.radios)
    for name in names:
        data[name] = "2"
    data[names[0]] = "7"
    response = client.post(RATING_STEP, data)
    assert response.status_code == 400
    assert "Kies een van de getoonde scores." in text_of(response)
    assert the_form(response.content.decode()).fields[names[1]] == "2"


def test_a_missing_rating_is_asked_for(client):
    form, data = form_data(client, RATING_STEP)
    names = list(form.radios)
    data[names[0]] = "1"
    response = client.post(RATING_STEP, data)
    assert response.status_code == 400
    page = text_of(response)
    assert page.count("Kies een score voor deze uitspraak.") == 2 * 2  # summary + inline, twice
    assert the_form(response.content.decode()).fields[names[0]] == "1"


def test_a_missing_threshold_choice_is_asked_for_and_the_explanation_kept(client):
    url = "/m/reality/threshold/"
    form, data = form_data(client, url)
    data[form.textareas[0]] = "mijn uitleg"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Kies de stap waar jij de grens trekt." in text_of(response)
    assert the_form(response.content.decode()).fields[form.textareas[0]] == "mijn uitleg"


@pytest.mark.parametrize(
    "url",
    [
        "/m/onbekend/",
        "/m/reality/onbekend/",
        "/m/onbekend/x/",
        "/m/reality/summary/x/",
        "/bestaat-niet",
    ],
)
def test_an_unknown_module_or_step_gets_a_dutch_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    page = text_of(response)
    assert "Pagina niet gevonden" in page
    assert 'href="/"' in page  # a way back
    assert "Traceback" not in page


def test_a_nul_byte_is_refused_with_the_text_kept(client):
    form, data = form_data(client, STEP)
    name = form.textareas[0]
    data[name] = "voor\x00na"
    response = client.post(STEP, data)
    assert response.status_code == 400
    page = text_of(response)
    assert "een nulteken" in page
    assert the_form(response.content.decode()).fields[name] == "voor\ufffdna"


def test_invalid_utf8_is_refused_with_the_text_kept(client):
    form, data = form_data(client, STEP)
    name = form.textareas[0]
    token = data["csrfmiddlewaretoken"]
    body = f"csrfmiddlewaretoken={token}&{name}=caf%E9+en+meer".encode()
    response = client.generic("POST", STEP, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "konden niet worden gelezen" in text_of(response)
    assert the_form(response.content.decode()).fields[name] == "caf\ufffd en meer"


def test_a_missing_csrf_token_saves_nothing_and_shows_the_text_back(client):
    form, data = form_data(client, STEP)
    del data["csrfmiddlewaretoken"]
    data[form.textareas[0]] = "niet verloren tekst"
    response = client.post(STEP, data)
    assert response.status_code == 403
    page = text_of(response)
    assert "Je antwoorden zijn niet opgeslagen" in page
    assert "niet verloren tekst" in page
    assert 'href="/"' in page


def test_a_stale_csrf_token_saves_nothing_and_shows_the_text_back(client):
    form, data = form_data(client, STEP)
    data["csrfmiddlewaretoken"] = "x" * 64
    data[form.textareas[1]] = "ook dit blijft"
    response = client.post(STEP, data)
    assert response.status_code == 403
    assert "ook dit blijft" in text_of(response)


def test_a_post_after_the_session_ended_saves_nothing_and_shows_the_text_back(client):
    form, data = form_data(client, STEP)
    client.cookies.clear()  # the session is gone: a new browser, or it expired
    data[form.textareas[0]] = "na het verlopen"
    response = client.post(STEP, data)
    assert response.status_code == 403
    assert "na het verlopen" in text_of(response)


def test_a_save_after_the_session_ended_elsewhere_makes_no_new_journal(client, module):
    from journal.models import Journal, VisitorSession
    from tests.helpers.walk import start_journal

    start_journal(client, module)
    form, data = form_data(client, STEP)
    VisitorSession.objects.all().delete()  # ended or deleted in another tab, or idle too long
    data[form.textareas[0]] = "niet opnieuw begonnen"
    response = client.post(STEP, data)
    assert response.status_code in (403, 410)  # refused (the CSRF token, or the session)
    assert "niet opnieuw begonnen" in text_of(response)
    assert Journal.objects.count() == 1  # no second journal in the first one's place


def test_an_empty_session_cookie_counts_as_none(client, module):
    from journal.models import Journal

    form, data = form_data(client, STEP)
    data[form.textareas[0]] = "een eerste antwoord"
    client.cookies["session"] = ""  # a deleted cookie, as some clients keep sending it
    assert client.post(STEP, data).status_code == 303  # a first save, not "session ended"
    assert Journal.objects.count() == 1


@pytest.mark.parametrize(
    "method, url",
    [
        ("PUT", STEP),
        ("DELETE", STEP),
        ("PATCH", "/m/reality/"),
        ("POST", "/m/reality/summary/"),
        ("POST", "/"),
    ],
)
def test_a_wrong_http_method_gets_a_dutch_405(client, method, url):
    client.get(STEP)  # a session with a CSRF token, so the method is what is wrong
    token = the_form(client.get(STEP).content.decode()).fields["csrfmiddlewaretoken"]
    response = client.generic(
        method,
        url,
        f"csrfmiddlewaretoken={token}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 405
    assert "Deze pagina kan zo niet worden gebruikt" in text_of(response)
    assert response["Allow"]


def test_a_request_too_large_gets_a_dutch_400(client):
    form, data = form_data(client, STEP)
    data[form.textareas[0]] = "x" * 3_000_000
    response = client.post(STEP, data)
    assert response.status_code == 400
    assert "Er klopte iets niet aan het verzoek" in text_of(response)


@pytest.mark.parametrize(
    "query",
    ["?card=abc", "?card=-4", "?card=999", "?more=abc", "?more=-3", "?more=99999", "?from=elders"],
)
def test_odd_query_parameters_are_harmless(client, query):
    for url in ("/m/reality/rehearse/", "/m/reality/justifications/"):
        assert client.get(url + query).status_code == 200


@pytest.mark.parametrize(
    "headers, shown",
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "https://elsewhere.example"}, False),
    ],
)
def test_text_is_shown_back_only_for_a_post_from_this_site(client, headers, shown):
    """Another site's post (issue 16, finding 13) is refused without its text: the page would
    otherwise show words of that site's choosing under this site's name."""
    form, data = form_data(client, STEP)
    del data["csrfmiddlewaretoken"]
    data[form.textareas[0]] = "tekst van ergens"
    response = client.post(STEP, data, **headers)
    assert response.status_code == 403
    page = text_of(response)
    assert "Je antwoorden zijn niet opgeslagen" in page
    assert ("tekst van ergens" in page) is shown


def test_add_row_on_a_step_without_a_pair_table_saves_and_goes_on(client):
    """Issue 16, finding 6: this raised StopIteration (a 500), and on a first save left a
    journal whose phrase nobody saw. Now it is a plain save: the phrase is shown next."""
    form, data = form_data(client, STEP)
    data[form.textareas[0]] = "een antwoord"
    response = client.post(STEP, {**data, "action": "add-row"})
    assert response.status_code == 303
    assert response["Location"].startswith("/journal/phrase/?next=")
    phrase = client.get(response["Location"])
    assert phrase.status_code == 200 and 'class="phrase"' in phrase.content.decode()
