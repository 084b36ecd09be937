"""The encrypted journal: phrase, keys, sessions, resume, throttling, delete, export, expiry."""

import html as htmllib
import math
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from journal import crypto, service, wordlists
from journal.models import Entry, Journal, VisitorSession
from journal.sessions import hashed
from tests.conftest import BrowserClient
from tests.helpers.forms import the_form
from tests.helpers.walk import fill, start_journal, walk

TYPED = "iets heel persoonlijks"  # kept up here, away from the source lines a traceback shows


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


# --- the phrase ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_word_lists_give_at_least_90_bits_in_seven_words(language):
    words = wordlists.words(language)
    assert len(words) == len(set(words)) >= 7416
    assert all(w.isascii() and w.isalpha() and w.islower() for w in words)
    assert crypto.phrase_bits(language) >= 90
    assert 7 * math.log2(len(words)) == crypto.phrase_bits(language)


def test_generated_phrases_are_seven_words_from_the_list_and_all_different():
    phrases = {crypto.generate_phrase("nl") for _ in range(200)}
    assert len(phrases) == 200
    for phrase in phrases:
        words = phrase.split()
        assert len(words) == 7 and set(words) <= set(wordlists.words("nl"))


def test_no_listed_word_touches_the_subject():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "tools"
    for language in ("nl", "en"):
        stems = [
            s.strip()
            for s in (root / f"blocklist-{language}.txt").read_text().splitlines()
            if s.strip() and not s.startswith("#")
        ]
        for word in wordlists.words(language):
            assert not any(word.startswith(s) if len(s) <= 4 else s in word for s in stems), word


def test_normalising_ignores_case_spacing_punctuation_and_accents():
    assert crypto.normalise("  Één,  TWEE-drie\tvíer\n") == ["een", "twee", "drie", "vier"]


def test_the_first_save_shows_the_phrase_which_stays_visible_during_the_session(client, module):
    phrase = start_journal(client, module)
    assert len(phrase.split()) == 7
    again = text(client.get("/journal/phrase/"))
    assert phrase.replace(" ", "") in again.replace('</span></li><li><span class="word">', "")


# --- keys and ciphertext -------------------------------------------------------------------


def test_the_two_peppers_give_two_unrelated_values():
    keys = crypto.derive(["een", "twee", "drie"])
    assert keys.lookup_id != keys.material[:32].hex()
    assert crypto.derive(["een", "twee", "drie"]) == keys
    with override_settings(BAKEN_PEPPERS={"lookup": "other", "key": "test-key-pepper"}):
        other = crypto.derive(["een", "twee", "drie"])
    assert other.lookup_id != keys.lookup_id and other.material == keys.material


def test_each_answer_gets_a_fresh_nonce_and_cannot_be_moved():
    keys = crypto.derive(["een"])
    slot1, sealed1 = crypto.seal(keys, "reality/part1-a", "zelfde tekst")
    slot2, sealed2 = crypto.seal(keys, "reality/part1-a", "zelfde tekst")
    assert slot1 == slot2 and sealed1 != sealed2 and sealed1[:12] != sealed2[:12]
    assert crypto.open_sealed(keys, slot1, sealed1) == ("reality/part1-a", "zelfde tekst")
    other_slot = crypto.slot(keys, "reality/part1-b")
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(keys, other_slot, sealed1)  # moved to another answer
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(crypto.derive(["twee"]), slot1, sealed1)  # another journal
    tampered = sealed1[:-1] + bytes([sealed1[-1] ^ 1])
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(keys, slot1, tampered)


def test_the_database_holds_only_ciphertext_and_opaque_ids(client, module):
    walk(client, module, tag="geheimpje")
    assert Journal.objects.count() == 1
    entries = list(Entry.objects.all())
    assert len(entries) > 40
    for entry in entries:
        assert b"geheimpje" not in bytes(entry.sealed)
        assert "part" not in entry.slot and len(entry.slot) == 32


# --- sessions ------------------------------------------------------------------------------


def test_the_server_keeps_a_hash_of_the_session_key_and_only_a_wrapped_key(client, module):
    start_journal(client, module)
    cookie = client.cookies["session"].value
    assert not VisitorSession.objects.filter(session_key=cookie).exists()
    row = VisitorSession.objects.get(session_key=hashed(cookie))
    data = row.get_decoded()
    journal = data["journal"]
    handle = service.open_journal(client.session)
    assert handle is not None
    import base64

    wrapped = base64.b64decode(journal["wrapped"])
    assert handle.keys.material not in wrapped and handle.keys.material.hex() not in str(data)
    assert client.phrase.split()[0] not in str(data)


def test_the_key_cannot_be_unwrapped_without_the_cookie(client, module):
    start_journal(client, module)
    journal = client.session["journal"]
    import base64

    with pytest.raises(crypto.CryptoError):
        crypto.unwrap(
            hashed(client.cookies["session"].value),
            "journal key",
            base64.b64decode(journal["wrapped"]),
        )


def test_a_session_idle_for_30_minutes_ends_and_says_so(client, module, monkeypatch):
    start_journal(client, module)
    assert "Mijn herstelzin" in text(client.get("/"))
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 31 * 60)
    page = text(client.get("/m/reality/"))
    assert "Je vorige sessie is afgelopen" in page
    assert "Mijn herstelzin" not in page
    assert VisitorSession.objects.count() == 0


def test_an_active_session_still_ends_after_8_hours(client, module, monkeypatch):
    start_journal(client, module)
    real = time.time
    for hours in range(1, 8):  # a request every 25 minutes keeps it from idling...
        for quarter in range(3):
            offset = hours * 3600 + quarter * 1500 - 3600
            monkeypatch.setattr(time, "time", lambda o=offset: real() + o)
            assert "Mijn herstelzin" in text(client.get("/")), (hours, quarter)
    monkeypatch.setattr(time, "time", lambda: real() + 8 * 3600 + 60)
    assert "Je vorige sessie is afgelopen" in text(client.get("/"))  # ...but not past 8 hours


def test_ending_the_session_forgets_it_on_the_server_and_clears_the_browser(client, module):
    start_journal(client, module)
    old_cookie = client.cookies["session"].value
    response = client.post(
        "/journal/end/",
        {
            "csrfmiddlewaretoken": the_form(
                client.get("/m/reality/start/").content.decode()
            ).fields["csrfmiddlewaretoken"]
        },
    )
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not VisitorSession.objects.filter(session_key=hashed(old_cookie)).exists()
    again = BrowserClient()
    again.cookies["session"] = old_cookie
    page = text(again.get("/m/reality/summary/"))
    assert "Je hebt nog niets beantwoord." in page or "Niet beantwoord" in page
    assert "-antwoord" not in page


# --- resuming ------------------------------------------------------------------------------


def test_a_fresh_client_resumes_with_the_phrase_and_sees_every_answer(client, module):
    written = walk(client, module, tag="terugvinden")
    phrase = client.phrase
    other = BrowserClient()
    form = the_form(other.get("/journal/continue/").content.decode())
    messy = "  " + phrase.upper().replace(" ", "   ,") + " "
    response = other.post("/journal/continue/", dict(form.fields, phrase=messy))
    assert response.status_code == 303
    landing = other.get(response["Location"])
    assert landing.status_code == 303  # all steps done: on to the summary
    summary = text(other.get(landing["Location"]))
    assert "Je antwoorden" in summary
    texts = [v for v in written.values() if v.endswith(("-antwoord", "-eigen"))]
    missing = [t for t in texts if t not in summary]
    assert texts and not missing, missing


def test_resuming_lands_on_the_next_unfinished_step(client, module):
    for step in module.steps[:4]:
        url = f"/m/reality/{step.id}/"
        from tests.helpers.walk import fill

        data, _ = fill(the_form(client.get(url).content.decode()), step.id, "x")
        client.post(url, data)
    client.phrase = text(client.get("/journal/phrase/"))
    from tests.helpers.walk import read_phrase

    phrase = read_phrase(client.get("/journal/phrase/").content.decode())
    other = BrowserClient()
    form = the_form(other.get("/journal/continue/").content.decode())
    response = other.post("/journal/continue/", dict(form.fields, phrase=phrase))
    assert other.get(response["Location"])["Location"] == (
        f"/m/reality/{module.steps[4].id}/?welcome=1"
    )


def resume_attempt(client, phrase):
    form = the_form(client.get("/journal/continue/").content.decode())
    return client.post("/journal/continue/", dict(form.fields, phrase=phrase))


def test_a_wrong_phrase_gets_one_uniform_message_and_is_kept_in_the_field(client, module):
    start_journal(client, module)
    words = client.phrase.split()
    other = BrowserClient()
    wrong = " ".join(words[1:] + words[:1])  # right words, wrong order
    response = resume_attempt(other, wrong)
    assert response.status_code == 400
    page = text(response)
    assert "We konden met deze zin geen dagboek openen." in page
    assert the_form(response.content.decode()).fields["phrase"] == wrong
    never_made = " ".join(wordlists.words("nl")[:7])
    assert "We konden met deze zin geen dagboek openen." in text(resume_attempt(other, never_made))


def test_unknown_words_and_a_wrong_count_are_named(db):
    client = BrowserClient()
    known = wordlists.words("nl")[100:105]
    page = text(resume_attempt(client, " ".join([known[0], "xqzwv", *known[1:], "qqqq"])))
    assert "woord 2, 7" in page
    page = text(resume_attempt(client, " ".join(wordlists.words("nl")[:5])))
    assert "Een herstelzin heeft 7 woorden; je typte er 5." in page


def test_a_burst_of_wrong_guesses_is_throttled(db):
    client = BrowserClient()
    guesses = [" ".join(wordlists.words("nl")[i : i + 7]) for i in range(0, 70, 7)]
    statuses = [resume_attempt(client, g).status_code for g in guesses]
    assert statuses[:5] == [400] * 5
    assert statuses[5:] == [429] * 5
    assert "Er waren te veel pogingen." in text(resume_attempt(client, guesses[0]))


FLOOD = 150  # wrong phrases from fresh sessions: more than a minute's site-wide budget (120)


def test_a_flood_of_wrong_phrases_from_fresh_sessions_does_not_lock_the_owner_out(
    client, module, monkeypatch
):
    phrase = start_journal(client, module)
    derived = []
    real = crypto.derive
    monkeypatch.setattr(crypto, "derive", lambda *args: derived.append(1) or real(*args))
    words = wordlists.words("nl")
    guesses = [" ".join(words[i : i + 7]) for i in range(0, 7 * FLOOD, 7)]
    flood = [resume_attempt(BrowserClient(), g).status_code for g in guesses]
    paid = len(derived)
    owner = BrowserClient()
    tries = [resume_attempt(owner, phrase).status_code for _ in range(2)]
    print("flood of", FLOOD, "wrong phrases:", Counter(flood), "; then the owner's tries:", tries)
    assert 303 in tries, tries  # in, within two tries
    assert flood == [400] * FLOOD  # every guess answered "not found"…
    assert paid == FLOOD  # …after paying for the key derivation


def test_a_flood_of_wrong_phrases_is_reported_once_per_minute_without_details(db, caplog):
    guesses = [" ".join(wordlists.words("nl")[i : i + 7]) for i in range(0, 35, 7)]
    with override_settings(BAKEN_RESUME_LIMITS={"site_wrong_per_minute": 3}):
        statuses = [resume_attempt(BrowserClient(), g).status_code for g in guesses]
    assert statuses == [400] * 5  # nobody is refused for what others did
    flood = [r.getMessage() for r in caplog.records if "wrong phrases" in r.getMessage()]
    assert flood == ["more than 3 wrong phrases on the site this minute"]


def test_the_owner_opens_their_journal_as_often_as_they_like(client, module):
    phrase = start_journal(client, module)
    statuses = [resume_attempt(BrowserClient(), phrase).status_code for _ in range(25)]
    assert statuses == [303] * 25  # an hour's openings are not counted against the owner


@override_settings(
    BAKEN_RESUME_LIMITS={"new_journals_per_second": 2, "new_journals_kept_for_waiting": 0}
)
def test_new_journals_have_a_site_wide_budget_and_a_turned_away_save_keeps_its_text(
    db, module, monkeypatch
):
    from journal import throttle

    now = [1_800_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    derived = []
    real = crypto.derive
    monkeypatch.setattr(crypto, "derive", lambda *args: derived.append(1) or real(*args))
    url = f"/m/{module.id}/empathy-1/"  # a step with answers: the first real one makes a journal
    visitors = [BrowserClient() for _ in range(3)]
    posts = []
    for visitor in visitors:
        data, written = fill(the_form(visitor.get(url).content.decode()), "empathy-1", "eerste")
        posts.append((visitor, data, written))
    statuses = [visitor.post(url, data).status_code for visitor, data, _ in posts]
    assert statuses == [303, 303, 429], statuses
    assert Journal.objects.count() == 2 and len(derived) == 2  # turned away before deriving
    visitor, data, written = posts[2]
    turned_away = visitor.post(url, data)
    assert turned_away.status_code == 429 and turned_away["Retry-After"] == "1"
    page = text(turned_away)
    assert "Er beginnen nu veel mensen een dagboek." in page
    assert all(value in page for value in written.values() if "antwoord" in value)
    now[0] += 1  # the next second: saved
    assert visitor.post(url, data).status_code == 303
    assert Journal.objects.count() == 3


@override_settings(
    BAKEN_RESUME_LIMITS={"new_journals_per_second": 3, "new_journals_kept_for_waiting": 1}
)
def test_part_of_the_budget_is_kept_for_a_visitor_who_was_asked_to_wait(db, module, monkeypatch):
    """A flood of fresh sessions spends the part of each second's budget open to them; the
    visitor turned away before, pressing again a second later, gets the part kept for them."""
    from journal import throttle

    now = [1_800_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    url = f"/m/{module.id}/empathy-1/"

    def first_save(visitor):
        data, _ = fill(the_form(visitor.get(url).content.decode()), "empathy-1", "eerste")
        return visitor.post(url, data)

    assert [first_save(BrowserClient()).status_code for _ in range(2)] == [303, 303]
    newcomer = BrowserClient()
    turned_away = first_save(newcomer)
    assert turned_away.status_code == 429 and throttle.WAITED_COOKIE in turned_away.cookies
    assert first_save(newcomer).status_code == 429  # the same second: no place kept yet
    now[0] += 1  # the next second: the flood takes the open part again ...
    assert [first_save(BrowserClient()).status_code for _ in range(3)] == [303, 303, 429]
    made = first_save(newcomer)  # ... and the newcomer who waited gets the kept one
    assert made.status_code == 303 and made.cookies[throttle.WAITED_COOKIE].value == ""
    assert Journal.objects.count() == 5


def test_an_app_server_makes_one_journal_at_a_time(db, module, settings, tmp_path, monkeypatch):
    import fcntl
    import os

    settings.VAR_DIR = tmp_path
    settings.BAKEN_RESUME_LIMITS = {"one_new_journal_at_a_time": 1}
    derived = []
    real = crypto.derive
    monkeypatch.setattr(crypto, "derive", lambda *args: derived.append(1) or real(*args))
    url = f"/m/{module.id}/empathy-1/"
    visitor = BrowserClient()
    data, _ = fill(the_form(visitor.get(url).content.decode()), "empathy-1", "eerste")
    other = os.open(tmp_path / "new-journal.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)  # another worker is making a journal
    try:
        assert visitor.post(url, data).status_code == 429
        assert not Journal.objects.exists() and not derived
    finally:
        os.close(other)
    assert visitor.post(url, data).status_code == 303
    assert Journal.objects.count() == 1


def test_a_visitor_who_was_asked_to_wait_waits_for_the_servers_turn(
    db, module, settings, tmp_path, monkeypatch
):
    """Pressing again after being turned away, a visitor waits (up to a second) for the app
    server's one journal at a time instead of being turned away again."""
    import fcntl
    import os
    import threading

    from journal import throttle

    now = [1_800_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    settings.VAR_DIR = tmp_path
    settings.BAKEN_RESUME_LIMITS = {"one_new_journal_at_a_time": 1}
    url = f"/m/{module.id}/empathy-1/"
    visitor = BrowserClient()
    data, _ = fill(the_form(visitor.get(url).content.decode()), "empathy-1", "eerste")
    other = os.open(tmp_path / "new-journal.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)  # another worker is making a journal
    assert visitor.post(url, data).status_code == 429
    now[0] += 1
    done = threading.Timer(0.3, os.close, (other,))  # ... and is done a moment later
    done.start()
    assert visitor.post(url, data).status_code == 303
    done.join()
    assert Journal.objects.count() == 1


def test_only_creating_and_resuming_pay_for_the_key_derivation(client, module, monkeypatch):
    calls = []
    real = crypto.derive
    monkeypatch.setattr(crypto, "derive", lambda *args: calls.append(1) or real(*args))
    walk(client, module)
    client.get("/m/reality/summary/")
    client.get("/journal/export/answers.html")
    assert len(calls) == 1
    resume_attempt(BrowserClient(), client.phrase)
    assert len(calls) == 2


# --- delete, export, expiry ----------------------------------------------------------------


def test_delete_everything_asks_then_removes_the_journal_at_once(client, module):
    walk(client, module)
    page = client.get("/journal/delete/")
    assert "Ja, alles wissen" in text(page)
    assert Entry.objects.count() > 0
    old_cookie = client.cookies["session"].value
    response = client.post("/journal/delete/", dict(the_form(page.content.decode()).fields))
    assert response.status_code == 200
    assert "Alles is gewist" in text(response)
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert Journal.objects.count() == 0 and Entry.objects.count() == 0
    assert VisitorSession.objects.filter(session_key=hashed(old_cookie)).count() == 0
    other = BrowserClient()
    assert resume_attempt(other, client.phrase).status_code == 400


def test_export_as_a_self_contained_web_page_and_as_text(client, module):
    written = walk(client, module, tag="meenemen")
    page = client.get("/journal/export/answers.html")
    assert page["Content-Disposition"] == 'attachment; filename="answers.html"'
    assert page["Cache-Control"] == "no-store"
    html = text(page)
    assert "<link" not in html and "<script" not in html and "src=" not in html
    assert "@media print" in html
    texts = [v for v in written.values() if v.endswith(("-antwoord", "-eigen"))]
    assert all(t in html for t in texts)
    plain = client.get("/journal/export/answers.txt")
    assert plain["Content-Type"] == "text/plain; charset=utf-8"
    body = plain.content.decode()
    assert all(t in body for t in texts)
    assert "<" not in body.replace("->", "")


def test_inactive_journals_expire(client, module):
    from django.core.management import call_command

    start_journal(client, module)
    Journal.objects.create(
        lookup_id="b" * 64, last_active=timezone.localdate() - timedelta(days=181)
    )
    Journal.objects.create(
        lookup_id="c" * 64, last_active=timezone.localdate() - timedelta(days=179)
    )
    from io import StringIO

    out = StringIO()
    call_command("expirejournals", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 inactive journal."
    assert set(Journal.objects.values_list("lookup_id", flat=True)) >= {"c" * 64}
    assert Journal.objects.count() == 2


def test_a_save_after_the_journal_was_deleted_elsewhere_keeps_the_text(client, module):
    start_journal(client, module)
    Journal.objects.all().delete()
    url = "/m/reality/empathy-1/"
    form = the_form(client.get(url).content.decode())
    data = dict(form.fields)
    data[form.textareas[0]] = "nog niet verloren"
    response = client.post(url, data)
    assert response.status_code == 410
    assert "nog niet verloren" in text(response)
    assert not Entry.objects.exists()  # nothing was written for the journal that is gone


def test_error_reports_never_include_what_was_typed(rf):
    from django.views.debug import ExceptionReporter

    request = rf.post("/m/reality/empathy-1/", {"part1-why": TYPED})
    try:
        raise ValueError("boom")
    except ValueError as error:
        report = ExceptionReporter(request, type(error), error, error.__traceback__)
        assert TYPED not in report.get_traceback_text()
        assert TYPED not in report.get_traceback_html()


def test_a_phrase_with_a_nul_character_gets_the_phrase_message_not_a_500(client, module):
    """Found by the fuzz test: Django's form refused the NUL and left no cleaned phrase."""
    start_journal(client, module)
    response = resume_attempt(BrowserClient(), client.phrase.replace(" ", " \x00", 1))
    assert response.status_code == 303  # the NUL is dropped: the right phrase still opens it
    response = resume_attempt(BrowserClient(), "appel\x00 peer")
    assert response.status_code == 400
    assert "herstelzin" in text(response)


# --- what the database keeps: nothing finer than a limit needs ------------------------------


def test_sessions_and_counters_keep_no_exact_times(client, module):
    """Session rows hold minutes and 15-minute windows, not seconds; rate counters hold no
    readable time at all (issue 16, finding 10)."""
    from journal.models import ThrottleWindow
    from journal.sessions import SessionStore

    start_journal(client, module)
    guesser = BrowserClient()
    resume_attempt(guesser, " ".join(wordlists.words("nl")[:7]))  # a wrong phrase
    now = int(time.time())
    rows = list(VisitorSession.objects.all())
    assert len(rows) == 2
    for row in rows:
        assert (row.expire_date.minute, row.expire_date.second) == (0, 0)
        assert row.expire_date.microsecond == 0
        data = SessionStore().decode(row.session_data)
        for name in (service.STARTED, service.SEEN):
            if name in data:
                assert data[name] % 60 == 0, (name, data[name])
        for value in data.get("resume_failures", []):
            assert not now - 3600 < value <= now, value  # a window number, not a time
    for counter in ThrottleWindow.objects.all():
        for seconds in (1, 60, 3600):
            assert not now // seconds - 2 <= counter.window <= now // seconds + 2, counter.key
