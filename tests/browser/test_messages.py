"""Two browsers, JavaScript off: a visitor writes to a counsellor, a counsellor signed in with
two factors answers, and the visitor reads the answer in a fresh browser with the phrase.
axe-core and the Nu checker on every page of it (issue 18)."""

from __future__ import annotations

import time
import urllib.request
from datetime import datetime, timedelta
from datetime import time as dtime
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.live import at_rest

from .server import live_server, make_counsellor, make_inbox
from .site import LANGUAGES, Site
from .test_staff import StaffVisit, totp
from .visit import Browsing

pytestmark = pytest.mark.browser

COUNSELLOR, PASSWORD = "cora-m", "een lange neutrale testzin"  # noqa: S105
VISITOR_CANARY, REPLY_CANARY = "kanarie-bezoeker-b1", "kanarie-antwoord-b2"


@pytest.mark.parametrize("lang", LANGUAGES[:1], indirect=True, ids=lambda lang: lang.code)
def test_a_visitor_and_a_counsellor_write_to_each_other(
    browsing, server, inbox, checker, screenshots
):
    # the inbox key was made once for this server (conftest)
    make_counsellor(server, COUNSELLOR, PASSWORD, inbox["code"])

    visitor = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    page = visitor.page
    visitor.visit.open("/help/")
    visitor.press_link = lambda name: page.get_by_role("link", name=name).first.click()
    visitor.press_link("Stuur een bericht aan een hulpverlener")
    assert visitor.visit.path == "/messages/"
    visitor.check("messages-new")
    page.get_by_label("Je bericht").fill(VISITOR_CANARY)
    visitor.press("Versturen")
    # No journal yet: the phrase first, then the message, still typed, to send.
    assert visitor.visit.path.startswith("/journal/phrase/")
    phrase = visitor.visit.read_phrase()
    page.get_by_role("link", name="Ik heb de zin opgeschreven, verder").click()
    assert visitor.visit.path == "/messages/"
    assert page.get_by_label("Je bericht").input_value() == VISITOR_CANARY
    visitor.check("messages-draft")
    visitor.press("Versturen")
    assert VISITOR_CANARY in page.inner_text("main")
    visitor.check("messages-sent")

    staff = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    staff.sign_in(COUNSELLOR, PASSWORD)
    secret = staff.page.inner_text("code.secret")
    staff.fill("Code uit je authenticator-app", totp(secret))
    staff.press("Code controleren en verder")
    staff.visit.open("/staff/inbox/")
    staff.check("inbox")
    staff.page.locator("table a").first.click()
    assert VISITOR_CANARY in staff.page.inner_text("main")
    staff.check("thread")
    staff.page.get_by_label("Je antwoord").fill(REPLY_CANARY)
    staff.press("Antwoord versturen")
    assert staff.visit.path == "/staff/inbox/"

    again = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    again.visit.resume(phrase)
    again.visit.open("/")
    note = again.page.get_by_role("link", name="1 nieuw antwoord van een hulpverlener")
    assert note.count() == 1
    note.click()
    text = again.page.inner_text("main")
    assert text.index(VISITOR_CANARY) < text.index(REPLY_CANARY)
    again.check("messages-reply")
    print("\nmessage page type: axe at 1280 px, at 320 px; Nu checker errors")
    for name, found in {**visitor.found, **staff.found, **again.found}.items():
        print(f"  {name:18} {found}")


@pytest.mark.parametrize("lang", LANGUAGES[1:], indirect=True, ids=lambda lang: lang.code)
def test_the_visitors_message_pages_in_english(browsing, site, server, inbox, checker, screenshots):
    """The visitor's side in the other language: new, kept across the phrase, sent; axe at 1280
    and 320 px and the Nu checker on each (the inbox key exists: the `inbox` fixture)."""
    words = site.lang.words
    visitor = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    page = visitor.page
    visitor.visit.open("/help/")
    page.get_by_role("link", name=words["write to counsellor"]).first.click()
    assert visitor.visit.path == "/messages/"  # without the language prefix
    visitor.check(f"messages-new-{site.lang.code}")
    page.get_by_label(words["your message"]).fill("a neutral test message")
    visitor.press(words["send"])
    visitor.visit.read_phrase()
    page.get_by_role("link", name=words["written down"]).click()
    assert page.get_by_label(words["your message"]).input_value() == "a neutral test message"
    visitor.check(f"messages-draft-{site.lang.code}")
    visitor.press(words["send"])
    assert "a neutral test message" in page.inner_text("main")
    visitor.check(f"messages-sent-{site.lang.code}")
    print(f"\nmessage pages ({site.lang.code}): axe at 1280 px, at 320 px; Nu checker errors")
    for name, found in visitor.found.items():
        print(f"  {name:22} {found}")


NIGHT_CANARY, NIGHT_REPLY_CANARY = "kanarie-nacht-c3", "kanarie-nachtantwoord-d4"


@pytest.mark.parametrize("lang", LANGUAGES[:1], indirect=True, ids=lambda lang: lang.code)
def test_a_message_at_three_in_the_night_and_the_canary_scan(chromium, lang, tmp_path):
    """Issue 18's show: a server whose clock reads 03:00 (Amsterdam), the phone line closed. A
    visitor writes; a counsellor signs in with two factors and finds it first in the inbox,
    waiting less than an hour, and answers; the visitor comes back in a fresh browser with the
    phrase. Then the canary scan: the database's files (SQLite with its -wal, or pg_dump), the
    server's log and `dumpdata` hold neither text."""
    amsterdam = ZoneInfo("Europe/Amsterdam")
    tomorrow = datetime.now(amsterdam).date() + timedelta(days=1)
    night = datetime.combine(tomorrow, dtime(3, 0), amsterdam).timestamp()
    with live_server(tmp_path, "night", clock=night) as server:
        # The server's clock, as its Date header gives it, from the test's: for the TOTP code.
        with urllib.request.urlopen(server.base + "/") as response:
            offset = parsedate_to_datetime(response.headers["Date"]).timestamp() - time.time()
        assert night <= offset + time.time() < night + 600, "the server's clock is not at 03:00"
        password = "een lange neutrale testzin"  # noqa: S105
        make_counsellor(server, "nacht-c", password, make_inbox(server)["code"])
        browsing = Browsing(chromium, Site(server=server, lang=lang))
        try:
            visitor = browsing.new()
            page = visitor.page
            visitor.open("/help/")
            status = page.locator("main .status").first
            assert "todo" in status.get_attribute("class"), status.inner_text()  # closed now
            visitor.open("/messages/")
            assert "nu open" not in page.inner_text("main")
            page.get_by_label("Je bericht").fill(NIGHT_CANARY)
            page.get_by_role("button", name="Versturen").click()
            phrase = visitor.read_phrase()
            page.get_by_role("link", name="Ik heb de zin opgeschreven, verder").click()
            page.get_by_role("button", name="Versturen").click()
            assert NIGHT_CANARY in page.inner_text("main")

            staff = StaffVisit(browsing.new(), None, None)
            staff.sign_in("nacht-c", password)
            secret = staff.page.inner_text("code.secret")
            staff.fill("Code uit je authenticator-app", totp(secret, at=time.time() + offset))
            staff.press("Code controleren en verder")
            staff.visit.open("/staff/inbox/")
            first = staff.page.locator("table tbody tr").first
            assert "minder dan een uur" in first.inner_text()
            label = first.locator("a").inner_text()
            first.locator("a").click()
            assert NIGHT_CANARY in staff.page.inner_text("main")
            staff.page.get_by_label("Je antwoord").fill(NIGHT_REPLY_CANARY)
            staff.press("Antwoord versturen")
            assert staff.visit.path == "/staff/inbox/"

            again = browsing.new()
            again.resume(phrase)
            again.open("/")
            again.page.get_by_role("link", name="1 nieuw antwoord van een hulpverlener").click()
            text = again.page.inner_text("main")
            assert text.index(NIGHT_CANARY) < text.index(NIGHT_REPLY_CANARY)
        finally:
            assert browsing.close() == []
        places = seized(server)
    print("\ncanary scan: place, bytes, occurrences of either canary, of the label (in the clear)")
    found, label_found = {}, {}
    for place, data in places.items():
        found[place] = data.count(NIGHT_CANARY.encode()) + data.count(NIGHT_REPLY_CANARY.encode())
        label_found[place] = data.count(label.encode())
        print(f"  {place:24} {len(data):>9,} {found[place]:>3} {label_found[place]:>3}")
    assert set(found.values()) == {0}, found
    # The scan can see: the conversation's label, kept in the clear, is found.
    assert (
        label_found["dumpdata"] > 0
        and label_found[next(iter(places))] + label_found.get("browser.sqlite3-wal", 0) > 0
    ), label_found


def seized(server) -> dict[str, bytes]:
    """What a seized server holds: the database's files (or its pg_dump), the server's log,
    its data folder (BAKEN_VAR_DIR), and `dumpdata` of every table."""
    places = at_rest(server.env["DATABASE_URL"])
    if "pg_dump" not in places:
        assert any(name.endswith("-wal") for name in places)  # scanned before it is gone
    places["server log"] = server.log.read_bytes()  # empty unless something went wrong
    var = Path(server.env["BAKEN_VAR_DIR"])
    places["var/ (every file)"] = b"".join(f.read_bytes() for f in var.rglob("*") if f.is_file())
    places["dumpdata"] = server.manage("dumpdata").encode()
    return places
