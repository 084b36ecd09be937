"""The evaluation dashboard in Chromium with JavaScript off, as a coordinator: axe-core at 1280
and 320 px and the Nu checker, screenshots at both widths, and its CSV as downloaded."""

from __future__ import annotations

import re

import pytest

from .site import LANGUAGES
from .test_staff import StaffVisit, totp

pytestmark = pytest.mark.browser

COORDINATOR, PASSWORD = "coordinator-c", "een lange neutrale testzin voor de evaluatie"  # noqa: S105

# Contributions and counters as visitors would have left them (written the way the service
# does), enough for figures above the threshold and some below it.
SEED = """
from evaluation import service
from evaluation.models import StepCount
from modules.content import get_library
for i in range(40):
    before = 1 + i % 2
    after = (3, 2, 1, 3)[i % 4]
    service.contribute("reality", {"abuse-is-real": (before, after),
        "own-justifications": (1, 3 if i % 3 else 1), "effects-on-child": (2, 2 + (i % 5 == 0))})
for i in range(30):
    service.send_feedback("reality", {"helpfulness": str(3 + i % 3), "recommend": "yes",
        "intent": ("yes", "unsure")[i % 2]})
module = get_library().module("reality", "nl")
for n, step in enumerate(module.steps):
    # The browser server is shared with the other browser tests, which count reach too.
    StepCount.objects.update_or_create(module="reality", step=step.id, week=service.iso_week(),
        defaults={"reached": 120 - 8 * n, "saved": max(0, 110 - 9 * n)})
service.flush()
"""


@pytest.mark.parametrize("lang", LANGUAGES[:1], indirect=True, ids=lambda lang: lang.code)
def test_the_dashboard_in_the_browser(browsing, server, checker, screenshots, capsys):
    server.manage(
        "createstaff", "--role", "coordinator", COORDINATOR, stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    server.manage("shell", "-c", SEED)
    staff = StaffVisit(browsing.new(run_checkers=True), checker, screenshots)
    page = staff.page
    staff.sign_in(COORDINATOR, PASSWORD)
    secret = page.inner_text("code.secret")
    staff.fill("Code uit je authenticator-app", totp(secret))
    staff.press("Code controleren en verder")

    staff.visit.open("/staff/")
    page.get_by_role("link", name="Bekijk de anonieme evaluatiecijfers").click()
    assert staff.visit.path == "/staff/evaluation/"
    main = page.inner_text("main")
    assert "Bijdragen van" in main and ": 40." in main
    assert "minder dan 10" in main  # the few who scored lower on a statement, hidden
    assert page.locator("main svg").count() >= 3 and page.locator("main table").count() >= 5
    staff.check("evaluation")
    page.set_viewport_size({"width": 320, "height": 640})
    page.screenshot(path=screenshots / "staff-evaluation-320.png", full_page=True)
    for part in range(3):  # the first screens, at a size a person can look at
        page.screenshot(
            path=screenshots / f"staff-evaluation-320-{part + 1}.png",
            full_page=True,
            clip={"x": 0, "y": part * 1400, "width": 320, "height": 1400},
        )
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > 321).slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= 320, (width, wide)  # nothing sticks out sideways on a small screen

    figures = staff.visit.download(page.get_by_role("link", name="Download deze cijfers als CSV"))
    text = figures.decode()
    with capsys.disabled():
        print(
            "\nevaluation: axe violations at 1280 px, at 320 px; Nu checker errors:",
            *staff.found["evaluation"],
        )
        print("evaluation CSV (as downloaded):\n" + text)
    assert "reality,contributions,,,40" in text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)  # no key of a row: aggregates only
