"""Two browsers, JavaScript off: a visitor writes to a counsellor, a counsellor signed in with
two factors answers, and the visitor reads the answer in a fresh browser with the phrase.
axe-core and the Nu checker on every page of it (issue 18)."""

from __future__ import annotations

import pytest

from .site import LANGUAGES
from .test_staff import StaffVisit, totp

pytestmark = pytest.mark.browser

COUNSELLOR, PASSWORD = "cora-m", "een lange neutrale testzin"  # noqa: S105
VISITOR_CANARY, REPLY_CANARY = "kanarie-bezoeker-b1", "kanarie-antwoord-b2"


@pytest.mark.parametrize("lang", LANGUAGES[:1], indirect=True, ids=lambda lang: lang.code)
def test_a_visitor_and_a_counsellor_write_to_each_other(
    browsing, server, inbox, checker, screenshots
):
    code = inbox["code"]  # the inbox key was made once for this server (conftest)
    server.manage(
        "createstaff", COUNSELLOR, "--role", "counsellor", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    server.manage("recoverinbox", COUNSELLOR, stdin=f"{code}\n{PASSWORD}\n")

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
