"""The staff area in Chromium with JavaScript off: signing in with a password and an
authenticator set up from the server-drawn QR code, a backup code used once, inviting a
colleague; axe-core (wide and narrow) and the Nu checker on every staff page type."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from .checkers import axe, describe_messages, describe_violations
from .site import LANGUAGES

pytestmark = pytest.mark.browser

ADMIN, PASSWORD = "beheer-a", "een lange neutrale testzin"  # noqa: S105
COLLEAGUE, COLLEAGUE_PASSWORD = "collega-b", "nog een lange neutrale testzin"  # noqa: S105


def totp(secret_text: str, ahead: int = 0, at: float | None = None) -> str:
    """What an authenticator app shows for the secret typed from the page (at Unix time `at`,
    for a server whose clock was set: tests/helpers/at_time.py)."""
    key = base64.b32decode(
        secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8)
    )
    app = TOTP(key, drift=ahead)
    if at is not None:
        app.time = at
    return f"{app.token():06d}"


class StaffVisit:
    def __init__(self, visit, checker, screenshots):
        self.visit, self.page, self.checker, self.shots = visit, visit.page, checker, screenshots
        self.found: dict[str, tuple[int, int, int]] = {}

    def check(self, name: str) -> None:
        """axe at 1280 and 320 px and the Nu checker on the page now shown; a screenshot."""
        wide = axe(self.page)
        self.page.screenshot(path=self.shots / f"staff-{name}.png", full_page=True)
        self.page.set_viewport_size({"width": 320, "height": 640})
        narrow = axe(self.page)
        self.page.set_viewport_size({"width": 1280, "height": 800})
        messages = self.checker.check(self.visit.document())
        errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
        self.found[name] = (len(wide["violations"]), len(narrow["violations"]), len(errors))
        assert wide["violations"] == [], (name, describe_violations(wide["violations"]))
        assert narrow["violations"] == [], (name, describe_violations(narrow["violations"]))
        assert errors == [], (name, describe_messages(errors))

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=False).first.fill(value)

    def press(self, name: str) -> None:
        self.page.get_by_role("button", name=name).first.click()

    def sign_in(self, name: str, password: str) -> None:
        self.visit.open("/staff/sign-in/")
        self.fill("Gebruikersnaam", name)
        self.fill("Wachtwoord", password)
        self.press("Aanmelden")

    def sign_out(self) -> None:
        self.press("Afmelden")


@pytest.mark.parametrize("lang", LANGUAGES[:1], indirect=True, ids=lambda lang: lang.code)
def test_the_staff_area_in_the_browser(browsing, server, inbox, checker, screenshots, capsys):
    # createstaff + initinbox ran once for this server (the `inbox` fixture); their
    # administrator signs in here for the first time.
    assert inbox["admin"] == ADMIN and inbox["password"] == PASSWORD
    assert "recovery code" in inbox["printed"]
    staff = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    page = staff.page

    assert staff.visit.open("/staff/") == 200  # the sign-in page, after a redirect
    staff.check("sign-in")
    staff.sign_in(ADMIN, "niet het wachtwoord van deze persoon")
    assert "klopt niet" in page.inner_text("main")
    staff.check("sign-in-error")

    # The password alone leads to setting up the authenticator, not to any staff page.
    staff.sign_in(ADMIN, PASSWORD)
    assert staff.visit.path == "/staff/sign-in/authenticator/"
    assert page.locator("figure.qr svg").count() == 1
    staff.check("enrol")
    secret = page.inner_text("code.secret")
    staff.fill("Code uit je authenticator-app", "000000")
    staff.press("Code controleren en verder")
    staff.check("enrol-error")
    page.wait_for_timeout(1100)  # django-otp's pause after a wrong code
    staff.fill("Code uit je authenticator-app", totp(secret))
    staff.press("Code controleren en verder")
    assert staff.visit.path == "/staff/backup-codes/"
    codes = page.locator("ol.backup-codes code").all_inner_texts()
    assert len(codes) == 10
    staff.check("backup-codes")

    staff.visit.open("/staff/")
    staff.check("home")
    assert "inboxsleutel" in page.inner_text("main")
    staff.visit.open("/staff/password/")
    staff.check("password")
    staff.fill("Huidig wachtwoord", PASSWORD)
    staff.fill("Nieuw wachtwoord", "kort")
    staff.fill("nog een keer", "anders")
    staff.press("Mijn wachtwoord wijzigen")
    staff.check("password-errors")

    staff.visit.open("/staff/accounts/")
    staff.check("accounts")
    page.get_by_label("Rol").select_option("counsellor")
    staff.press("Uitnodigingslink maken")
    link = page.inner_text("code.invitation-link")
    staff.check("accounts-invitation-made")
    staff.visit.open("/staff/audit/")
    staff.check("audit")

    # A backup code works once.
    staff.sign_out()
    staff.check("signed-out")
    staff.sign_in(ADMIN, PASSWORD)
    assert staff.visit.path == "/staff/sign-in/code/"
    staff.check("second-factor")
    staff.fill("Code uit je authenticator-app", codes[0])
    staff.press("Verder")
    assert staff.visit.path == "/staff/"
    staff.sign_out()
    staff.sign_in(ADMIN, PASSWORD)
    staff.fill("Code uit je authenticator-app", codes[0])
    staff.press("Verder")
    assert staff.visit.path == "/staff/sign-in/code/"
    assert "al gebruikt" in page.inner_text("main")
    staff.check("second-factor-error")

    # The colleague opens the link once, in a browser of their own.
    colleague = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    path = link.split("127.0.0.1", 1)[1].split("/", 1)[1]
    colleague.visit.open("/" + path)
    colleague.check("invitation")
    colleague.fill("Gebruikersnaam", COLLEAGUE)
    colleague.fill("Nieuw wachtwoord", "1234")
    colleague.press("Mijn account maken")
    colleague.check("invitation-errors")
    colleague.fill("Nieuw wachtwoord", COLLEAGUE_PASSWORD)
    colleague.fill("nog een keer", COLLEAGUE_PASSWORD)
    colleague.press("Mijn account maken")
    assert colleague.visit.path == "/staff/sign-in/authenticator/"
    colleague_secret = colleague.page.inner_text("code.secret")
    colleague.fill("Code uit je authenticator-app", totp(colleague_secret))
    colleague.press("Code controleren en verder")
    assert colleague.visit.open("/staff/accounts/") == 403
    colleague.check("forbidden")
    assert colleague.visit.open("/" + path) == 404
    colleague.check("invitation-gone")

    # Many wrong passwords on the colleague's name: a sign-in then needs both at once, and
    # the colleague still gets in at the first try.
    intruder = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    for _ in range(5):
        intruder.sign_in(COLLEAGUE, "een poging van iemand anders")
    assert intruder.page.get_by_label("Code uit je authenticator-app").count() == 1
    intruder.check("sign-in-both-factors")
    colleague.sign_out()
    colleague.visit.open("/staff/sign-in/")
    colleague.fill("Gebruikersnaam", COLLEAGUE)
    colleague.fill("Wachtwoord", COLLEAGUE_PASSWORD)
    colleague.press("Aanmelden")
    colleague.fill("Code uit je authenticator-app", totp(colleague_secret, ahead=1))
    colleague.fill("Wachtwoord", COLLEAGUE_PASSWORD)
    colleague.press("Aanmelden")
    assert colleague.visit.path == "/staff/"

    with capsys.disabled():
        print("\nstaff page type: axe violations at 1280 px, at 320 px; Nu checker errors")
        for name, (wide, narrow, errors) in {
            **staff.found,
            **colleague.found,
            **intruder.found,
        }.items():
            print(f"  {name:28} {wide} {narrow} {errors}")

    # The administrator signs in with the second backup code and downloads the audit log.
    staff.fill("Code uit je authenticator-app", codes[1])
    staff.press("Verder")
    assert staff.visit.path == "/staff/"
    staff.visit.open("/staff/audit/")
    audit = staff.visit.download(page.get_by_role("link", name="Het hele logboek downloaden"))
    with capsys.disabled():
        print("\naudit log (CSV, as downloaded):\n" + audit.decode())
    assert "203.0.113" not in audit.decode() and "127.0.0.1" not in audit.decode()

    # The server's whole log after all of this: no address, no user agent.
    log = server.log.read_text().splitlines()
    addresses = [line for line in log if "127.0.0.1" in line and "Listening at" not in line]
    agents = [line for line in log if "Mozilla" in line or "Chrome" in line]
    with capsys.disabled():
        print(f"server log: {len(log)} lines, {len(addresses)} with an address,", end=" ")
        print(f"{len(agents)} with a user agent")
    assert addresses == [] and agents == []
