"""Signing in to the staff area: password, then a second factor; nothing with a password alone."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.models import Action, AuditEvent, Staff
from tests.helpers.staff import (
    PASSWORD,
    PREFIX,
    code,
    enrol,
    make,
    post_form,
    sign_in_with_password,
)

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_a_password_alone_opens_no_staff_page(client):
    make("ana", "administrator")
    assert sign_in_with_password(client, "ana")["Location"] == f"{PREFIX}/sign-in/code/"
    for path in ("/staff/", "/staff/accounts/", "/staff/audit/", "/staff/password/"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response["Location"] == f"{PREFIX}/sign-in/code/"


def test_first_sign_in_sets_up_the_authenticator_with_a_server_drawn_qr_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's pause after a wrong code: not here
    make("ana", "administrator")
    sign_in_with_password(client, "ana")
    assert client.get(f"{PREFIX}/sign-in/code/")["Location"] == f"{PREFIX}/sign-in/authenticator/"
    page = client.get(f"{PREFIX}/sign-in/authenticator/").content.decode()
    assert "<svg" in page and "<script" not in page
    device = TOTPDevice.objects.get(user__username="ana")
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    wrong = post_form(client, f"{PREFIX}/sign-in/authenticator/", {"code": "000000"})
    assert wrong.status_code == 400
    codes = enrol(client, "ana")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/staff/").status_code == 200
    assert actions() == [Action.TOTP_ENROLLED, Action.BACKUP_CODES_MADE, Action.LOGIN]


def test_a_backup_code_works_once(client):
    make("ana", "administrator")
    sign_in_with_password(client, "ana")
    codes = enrol(client, "ana")
    client.post(f"{PREFIX}/sign-out/", {"csrfmiddlewaretoken": _token(client)})
    for attempt in (1, 2):
        sign_in_with_password(client, "ana")
        used = post_form(client, f"{PREFIX}/sign-in/code/", {"code": codes[0]})
        if attempt == 1:
            assert used.status_code == 303 and used["Location"] == f"{PREFIX}/"
            client.post(f"{PREFIX}/sign-out/", {"csrfmiddlewaretoken": _token(client)})
        else:
            assert used.status_code == 400
            assert "has been used" in used.content.decode() or "gebruikt" in used.content.decode()
    assert Action.BACKUP_CODE_USED in actions()
    assert actions().count(Action.SECOND_FACTOR_FAILED) == 1


def _token(client) -> str:
    import re

    page = client.get("/staff/backup-codes/").content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_wrong_passwords_never_lock_the_owner_out(client, settings):
    """A flood of wrong passwords on a name makes sign-ins need both factors at once; the
    owner, who has both, gets in at the first try."""
    settings.BAKEN_STAFF_LOGIN_LIMITS = {"account_failures": 3, "site_failures": 1000}
    make("ana", "counsellor")
    sign_in_with_password(client, "ana")
    enrol(client, "ana")
    client.post(f"{PREFIX}/sign-out/", {"csrfmiddlewaretoken": _token(client)})
    Client = type(client)  # posts url-encoded, as a browser does

    for _ in range(20):  # the attacker, from fresh sessions
        refused = post_form(
            Client(), f"{PREFIX}/sign-in/", {"username": "ana", "password": "guess" * 3}
        )
        assert refused.status_code == 400
    # Now the password alone is not enough, even the right one; it does not say which is right.
    alone = sign_in_with_password(client, "ana")
    assert alone.status_code == 400
    device = TOTPDevice.objects.get(user__username="ana")
    both = post_form(
        client,
        f"{PREFIX}/sign-in/",
        {"username": "ana", "password": PASSWORD, "code": code(device, ahead=1)},
    )
    assert both.status_code == 303 and both["Location"] == f"{PREFIX}/"
    assert client.get("/staff/").status_code == 200
    wrong_code = post_form(
        Client(), f"{PREFIX}/sign-in/", {"username": "ana", "password": PASSWORD, "code": "123456"}
    )
    wrong_password = post_form(
        Client(),
        f"{PREFIX}/sign-in/",
        {"username": "ana", "password": "guess" * 3, "code": "123456"},
    )
    assert wrong_code.status_code == wrong_password.status_code == 400
    assert _message(wrong_code) == _message(wrong_password)


def _message(response) -> str:
    import re

    return re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S).group(
        0
    )


def test_unknown_names_are_answered_as_known_ones_and_not_kept(client):
    make("ana", "counsellor")
    known = post_form(client, f"{PREFIX}/sign-in/", {"username": "ana", "password": "x" * 12})
    unknown = post_form(client, f"{PREFIX}/sign-in/", {"username": "bob", "password": "x" * 12})
    assert known.status_code == unknown.status_code == 400
    assert _message(known) == _message(unknown)
    events = list(
        AuditEvent.objects.order_by("pk").values_list("staff__username", "action", "target")
    )
    assert events == [("ana", Action.LOGIN_FAILED, ""), (None, Action.LOGIN_FAILED, "")]


def test_the_staff_session_has_its_own_cookie_and_idle_limit(client, settings):
    make("ana", "counsellor")
    sign_in_with_password(client, "ana")
    enrol(client, "ana")
    assert "staff" in client.cookies and "session" not in client.cookies
    cookie = client.cookies["staff"]
    assert cookie["samesite"] == "Strict" and cookie["httponly"] and cookie["path"] == "/"
    # The visitor's pages neither see nor touch the staff session.
    assert client.get("/").status_code == 200
    assert "session" not in client.cookies or not client.cookies["session"].value
    settings.BAKEN_STAFF_IDLE_SECONDS = -1
    ended = client.get("/staff/")
    assert ended.status_code == 303
    assert client.cookies["staff"].value == ""


def test_sign_out_ends_the_session_on_the_server(client):
    from staff.models import StaffSession

    make("ana", "counsellor")
    sign_in_with_password(client, "ana")
    enrol(client, "ana")
    assert StaffSession.objects.count() == 1
    client.post(f"{PREFIX}/sign-out/", {"csrfmiddlewaretoken": _token(client)})
    assert StaffSession.objects.count() == 0
    assert Action.LOGOUT in actions()


def test_passwords_are_hashed_with_argon2_and_checked_by_django_validators(client):
    staff = make("ana", "counsellor")
    assert staff.password.startswith("argon2$argon2id$")
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short pass", "123456789012", "password1234"):
        with pytest.raises(ValidationError):
            validate_password(weak, Staff(username="ana"))


def test_many_failures_on_the_site_ask_every_sign_in_for_both_factors(client, settings):
    settings.BAKEN_STAFF_LOGIN_LIMITS = {"account_failures": 100, "site_failures": 3}
    make("ana", "counsellor")
    for name in ("x1", "x2", "x3"):
        post_form(type(client)(), f"{PREFIX}/sign-in/", {"username": name, "password": "p" * 12})
    alone = sign_in_with_password(client, "ana")
    assert alone.status_code == 400
    assert 'name="code"' in alone.content.decode()
