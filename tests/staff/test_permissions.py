"""The permission ladder: every staff address, with no sign-in, with a password alone, and with
every role signed in with both factors.

The table is the expected status of each cell; a staff address without a row fails the test,
so no page can be added without deciding who may see it. `pytest -s` prints the table found.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, get_resolver, reverse

from staff import service
from staff.models import Staff
from staff.roles import Role
from tests.helpers.staff import (
    PASSWORD,
    PREFIX,
    enrol,
    make,
    post_form,
    sign_in_with_password,
)

pytestmark = pytest.mark.django_db

COLUMNS = ["anonymous", "password only", Role.COUNSELLOR, Role.COORDINATOR, Role.ADMINISTRATOR]

# address name: method, then the status for each column
LADDER = {
    "inbox:list": ("GET", 303, 303, 200, 200, 403),
    "inbox:thread": ("GET", 303, 303, 200, 200, 403),
    "evaluation:dashboard": ("GET", 303, 303, 403, 200, 403),
    "evaluation:export": ("GET", 303, 303, 403, 200, 403),
    "home": ("GET", 303, 303, 200, 200, 200),
    "login": ("GET", 200, 200, 303, 303, 303),
    "second-factor": ("GET", 303, 303, 303, 303, 303),
    "enrol": ("GET", 303, 200, 303, 303, 303),
    "logout": ("POST", 303, 303, 303, 303, 303),
    "backup-codes": ("GET", 303, 303, 200, 200, 200),
    "password": ("GET", 303, 303, 200, 200, 200),
    "accounts": ("GET", 303, 303, 403, 403, 200),
    "reset": ("POST", 303, 303, 403, 403, 303),
    "deactivate": ("POST", 303, 303, 403, 403, 303),
    "invitation": ("GET", 200, 200, 200, 200, 200),
    "audit": ("GET", 303, 303, 403, 403, 200),
    "audit-export": ("GET", 303, 303, 403, 403, 200),
}


def staff_names() -> list[str]:
    """Every address under the staff prefix: the staff app's and other apps' staff pages."""
    from django.conf import settings

    names = []
    for include in get_resolver().url_patterns:
        if str(include.pattern).startswith(f"{settings.BAKEN_STAFF_PREFIX}/"):
            for pattern in include.url_patterns:
                assert isinstance(pattern, URLPattern)
                prefix = "" if include.namespace == "staff" else f"{include.namespace}:"
                names.append(prefix + pattern.name)
    return names


def test_every_staff_address_has_a_row():
    assert sorted(staff_names()) == sorted(LADDER)


def test_the_ladder(client, capsys):
    target = make("target", Role.COUNSELLOR)
    admin = make("inviter", Role.ADMINISTRATOR)
    code = service.create_inbox(admin, PASSWORD)
    label = a_conversation()
    found: dict[str, list[int]] = {name: [] for name in LADDER}
    for column in COLUMNS:
        browser = type(client)()
        sign_in(browser, column, code)
        for name, (method, *_) in LADDER.items():
            args: list[object] = [target.pk] if name in ("reset", "deactivate") else []
            if name == "invitation":
                args = [service.invite(_no_session(), admin, Role.COUNSELLOR)]
            if name == "inbox:thread":
                args = [label]
            path = reverse(name if ":" in name else f"staff:{name}", args=args)
            if method == "GET":
                response = browser.get(path)
            else:
                response = browser.post(path, {"csrfmiddlewaretoken": token(browser)})
            found[name].append(response.status_code)
            Staff.objects.filter(pk=target.pk).update(is_active=True)  # after "deactivate"
            if name == "logout":
                sign_in(browser, column, code)
    with capsys.disabled():
        print("\n" + table([(name, LADDER[name][0], *found[name]) for name in LADDER]))
    assert {n: tuple(s) for n, s in found.items()} == {n: e[1:] for n, e in LADDER.items()}


def sign_in(browser, column: str, code: str) -> None:
    """Sign `browser` in as the column says (again, after the sign-out row); every account
    holds the inbox key (given with the recovery code)."""
    if column == "anonymous":
        return
    name = "half" if column == "password only" else f"someone-{column}"
    if not Staff.objects.filter(username=name).exists():
        staff = make(name, Role.ADMINISTRATOR if column == "password only" else column)
        service.recover_inbox(staff, code, PASSWORD)
        if column != "password only":
            assert sign_in_with_password(browser, name).status_code == 303
            enrol(browser, name)
            return
    assert sign_in_with_password(browser, name).status_code == 303
    if column != "password only":
        from django_otp.plugins.otp_static.models import StaticToken

        code = StaticToken.objects.filter(device__user__username=name).first().token
        assert post_form(browser, f"{PREFIX}/sign-in/code/", {"code": code}).status_code == 303


def a_conversation() -> str:
    from django.utils import timezone

    from conversations.models import Conversation
    from journal.models import Journal

    journal = Journal.objects.create(lookup_id="l" * 64, kdf="x", last_active=timezone.localdate())
    now = timezone.now()
    return Conversation.objects.create(
        journal=journal, label="TEST", journal_key=b"k" * 32, opened=now, last_activity=now
    ).label


def _no_session():
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    return type("Request", (), {"session": SessionStore()})()


def token(browser) -> str:
    for path in (
        f"{PREFIX}/sign-in/",
        f"{PREFIX}/backup-codes/",
        f"{PREFIX}/sign-in/authenticator/",
    ):
        page = browser.get(path).content.decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found:
            return found.group(1)
    raise AssertionError("no page with a form")


def table(rows) -> str:
    head = ("address", "method", *[str(c) for c in COLUMNS])
    lines = [head, *[tuple(str(c) for c in row) for row in rows]]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    ]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)
