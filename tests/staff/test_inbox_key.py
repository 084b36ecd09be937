"""The inbox key: wrapped for each account, for the recovery code, for one invitation and for
a session; a seized database with every server secret opens nothing."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from staff import keys, service
from staff.models import Action, AuditEvent, Inbox, InboxKey, Invitation, Staff, StaffSession
from staff.roles import Role
from tests.helpers.staff import PASSWORD, PREFIX, enrol, post_form, sign_in_with_password

pytestmark = pytest.mark.django_db

MESSAGE = b"A neutral test message."


def run(command: str, *args: str, stdin: str) -> str:
    import sys

    out, old = io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(command, *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def first_administrator() -> str:
    """createstaff and initinbox as docs/staff.md says; returns the recovery code printed."""
    out = run("createstaff", "ana", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert "Made ana (administrator)" in out
    out = run("initinbox", "ana", stdin=f"{PASSWORD}\n")
    return re.search(r"^\s+([A-Z2-9-]{59})$", out, re.M).group(1)


def public_key() -> bytes:
    return bytes(Inbox.objects.get().public_key)


def test_initinbox_wraps_the_key_for_the_account_and_the_recovery_code():
    code = first_administrator()
    sealed = keys.seal(public_key(), MESSAGE)
    wrapped = InboxKey.objects.get(staff__username="ana").wrapped
    assert keys.open_sealed(keys.unwrap_with_password(wrapped, PASSWORD), sealed) == MESSAGE
    private = keys.unwrap_with_password(Inbox.objects.get().recovery_wrap, code)
    assert keys.open_sealed(private, sealed) == MESSAGE
    with pytest.raises(keys.WrongSecret):
        keys.unwrap_with_password(wrapped, PASSWORD + "x")
    assert code not in str(list(Inbox.objects.values()))


def test_weak_passwords_are_refused_by_createstaff():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="too short|te kort"):
        run("createstaff", "ana", stdin="short\nshort\n")
    assert not Staff.objects.exists()


def test_sign_in_holds_the_key_in_the_session_wrapped_by_the_cookie(client):
    first_administrator()
    sign_in_with_password(client, "ana")
    enrol(client, "ana")
    cookie = client.cookies["staff"].value
    session = StaffSession.get_session_store_class()(cookie)
    assert service.held_inbox_key(session) is not None
    row = StaffSession.objects.get()
    assert cookie not in row.session_key and cookie not in row.session_data
    sealed = keys.seal(public_key(), MESSAGE)
    assert keys.open_sealed(service.held_inbox_key(session), sealed) == MESSAGE


def test_an_invitation_carries_the_key_once_and_a_password_change_rewraps_it(client):
    first_administrator()
    sign_in_with_password(client, "ana")
    enrol(client, "ana")
    made = post_form(client, f"{PREFIX}/accounts/", {"role": Role.COUNSELLOR})
    assert made.status_code == 303
    page = client.get(f"{PREFIX}/accounts/").content.decode()
    link = re.search(r'<code class="invitation-link">([^<]+)</code>', page).group(1)
    assert link.startswith("http://testserver/staff/invitation/")
    assert link not in client.get(f"{PREFIX}/accounts/").content.decode()  # shown once
    path = link.removeprefix("http://testserver")
    newcomer = type(client)()
    accepted = post_form(
        newcomer,
        path,
        {"username": "ben", "new_password": PASSWORD + " 2", "again": PASSWORD + " 2"},
    )
    assert accepted["Location"] == f"{PREFIX}/sign-in/authenticator/"
    assert type(client)().get(path).status_code == 404  # once
    assert Invitation.objects.get().inbox_key == ""
    ben = Staff.objects.get(username="ben")
    assert ben.role == Role.COUNSELLOR
    sealed = keys.seal(public_key(), MESSAGE)
    private = keys.unwrap_with_password(InboxKey.objects.get(staff=ben).wrapped, PASSWORD + " 2")
    assert keys.open_sealed(private, sealed) == MESSAGE
    # ben changes his password: the key is wrapped under the new one, and his session keeps it
    enrol(newcomer, "ben")
    changed = post_form(
        newcomer,
        f"{PREFIX}/password/",
        {
            "current_password": PASSWORD + " 2",
            "new_password": "another long test phrase",
            "again": "another long test phrase",
        },
    )
    assert changed.status_code == 303
    wrapped = InboxKey.objects.get(staff=ben).wrapped
    assert keys.open_sealed(keys.unwrap_with_password(wrapped, "another long test phrase"), sealed)
    with pytest.raises(keys.WrongSecret):
        keys.unwrap_with_password(wrapped, PASSWORD + " 2")
    session = StaffSession.get_session_store_class()(newcomer.cookies["staff"].value)
    assert keys.open_sealed(service.held_inbox_key(session), sealed) == MESSAGE
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.INVITED, Action.INVITATION_USED, Action.PASSWORD_CHANGED} <= actions


def test_an_expired_invitation_opens_nothing(client):
    first_administrator()
    admin = Staff.objects.get(username="ana")
    request = type("R", (), {"session": {}})()
    secret = service.invite(request, admin, Role.COUNSELLOR)
    Invitation.objects.update(expires=timezone.now() - timedelta(seconds=1))
    page = client.get(f"{PREFIX}/invitation/{secret}/")
    assert page.status_code == 404
    assert "24" in page.content.decode()


def test_a_seized_database_with_every_server_secret_opens_no_message(client):
    """Everything the database holds, and every secret the server has, tried as the secret of
    every wrap: none opens. The recovery code does."""
    code = first_administrator()
    sign_in_with_password(client, "ana")
    enrol(client, "ana")
    post_form(client, f"{PREFIX}/accounts/", {"role": Role.COUNSELLOR})  # an unused invitation
    sealed = keys.seal(public_key(), MESSAGE)

    wraps = [Inbox.objects.get().recovery_wrap, *InboxKey.objects.values_list("wrapped", flat=True)]
    invitation_wraps = [w for w in Invitation.objects.values_list("inbox_key", flat=True) if w]
    session_wraps = []
    store = StaffSession.get_session_store_class()()
    for row in StaffSession.objects.all():
        data = store.decode(row.session_data)
        session_wraps.append(data[service.HELD_INBOX_KEY])
    assert wraps and invitation_wraps and session_wraps

    candidates = {settings.SECRET_KEY, *settings.BAKEN_PEPPERS.values(), ""}
    for model in (Staff, Inbox, InboxKey, Invitation, StaffSession, AuditEvent):
        for row in model.objects.values():
            candidates.update(str(v) for v in row.values())
    opened = 0
    for secret in candidates:
        for wrapped in wraps:
            opened += _opens(keys.unwrap_with_password, wrapped, secret)
        for wrapped in invitation_wraps:
            opened += _opens(keys.unwrap_invitation, wrapped, secret)
        for wrapped in session_wraps:
            opened += _opens(keys.unwrap_from_session, wrapped, secret)
    tried = len(wraps) + len(invitation_wraps) + len(session_wraps)
    print(f"{len(candidates)} candidate secrets × {tried} wraps: {opened} opened")
    assert opened == 0
    private = keys.unwrap_with_password(Inbox.objects.get().recovery_wrap, code)
    assert keys.open_sealed(private, sealed) == MESSAGE


def _opens(unwrap, wrapped: str, secret: str) -> int:
    try:
        unwrap(wrapped, secret)
    except keys.WrongSecret:
        return 0
    return 1


def test_recoverinbox_gives_the_key_back_with_the_recovery_code():
    code = first_administrator()
    InboxKey.objects.all().delete()  # every password with the key is lost
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="recovery code is not right"):
        wrong = code[:-1] + ("X" if code[-1] != "X" else "Y")  # one character off
        run("recoverinbox", "ana", stdin=f"{wrong}\n{PASSWORD}\n")
    out = run("recoverinbox", "ana", stdin=f"{code.lower().replace('-', ' ')}\n{PASSWORD}\n")
    assert "holds the inbox key again" in out
    wrapped = InboxKey.objects.get(staff__username="ana").wrapped
    sealed = keys.seal(public_key(), MESSAGE)
    assert keys.open_sealed(keys.unwrap_with_password(wrapped, PASSWORD), sealed) == MESSAGE
    assert AuditEvent.objects.filter(action=Action.INBOX_RECOVERED, target="ana").exists()
