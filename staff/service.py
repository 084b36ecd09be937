"""What the staff views do with accounts, invitations, the inbox key and the audit log.

Views hold no cryptography and no rules of their own: they call these functions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable
from datetime import UTC, timedelta
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.db import one_writer

from . import keys
from .models import Action, AuditEvent, Inbox, InboxKey, Invitation, Staff, StaffSession

INVITATION_HOURS = 24
BACKUP_CODES = 10
HELD_INBOX_KEY = "inbox_key"  # the session's copy, wrapped by the session cookie's key


# --- the audit log ---------------------------------------------------------------------------


def audit(staff: Staff | None, action: str, target: str = "") -> None:
    """Write one line of the audit log: who, what, when; nothing about a visitor."""
    with one_writer():
        AuditEvent.objects.create(staff=staff, action=action, target=target[:64])


def audit_csv(events: Iterable[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time (UTC)", "staff", "action", "about"])
    for event in events:
        writer.writerow(
            [
                event.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                event.staff.username if event.staff else "(unknown user name)",
                event.action,
                event.target,
            ]
        )
    return out.getvalue()


# --- the inbox key ---------------------------------------------------------------------------


def inbox() -> Inbox | None:
    return Inbox.objects.first()


def create_inbox(staff: Staff, password: str) -> str:
    """Make the inbox key pair, wrap it for `staff` and for a new recovery code; return the
    code (shown once, never stored)."""
    if Inbox.objects.exists():
        raise ValueError("The inbox key exists already.")
    public, private = keys.new_inbox()
    code = keys.new_recovery_code()
    with one_writer(), transaction.atomic():
        Inbox.objects.create(
            public_key=public, recovery_wrap=keys.wrap_with_password(private, code)
        )
        _give_key(staff, private, password)
    audit(staff, Action.INBOX_CREATED)
    return code


def recover_inbox(staff: Staff, code: str, password: str) -> None:
    """Give `staff` the inbox key again, opened with the recovery code."""
    found = inbox()
    if found is None:
        raise ValueError("There is no inbox key yet: run initinbox.")
    private = keys.unwrap_with_password(found.recovery_wrap, keys.normal_recovery_code(code))
    with one_writer():
        _give_key(staff, private, password)
    audit(None, Action.INBOX_RECOVERED, staff.username)


def _give_key(staff: Staff, private: bytes, password: str) -> None:
    InboxKey.objects.update_or_create(
        staff=staff, defaults={"wrapped": keys.wrap_with_password(private, password)}
    )


def hold_inbox_key(session: Any, staff: Staff, password: str) -> None:
    """At sign-in: unwrap the account's inbox key and keep it wrapped by the session's key."""
    wrapped = InboxKey.objects.filter(staff=staff).values_list("wrapped", flat=True).first()
    if wrapped is None:
        return
    _hold(session, keys.unwrap_with_password(wrapped, password))


def _hold(session: Any, private: bytes) -> None:
    if session.session_key is None:
        session.save()
    session[HELD_INBOX_KEY] = keys.wrap_for_session(private, session.session_key)


def held_inbox_key(session: Any) -> bytes | None:
    """The inbox private key this session holds, or None."""
    wrapped = session.get(HELD_INBOX_KEY)
    if not wrapped or session.session_key is None:
        return None
    try:
        return keys.unwrap_from_session(wrapped, session.session_key)
    except keys.WrongSecret:
        return None


def change_password(request: HttpRequest, staff: Staff, new_password: str) -> None:
    """Set a new password and wrap the inbox key under it; the session goes on (a new key)."""
    private = held_inbox_key(request.session)
    with one_writer(), transaction.atomic():
        staff.set_password(new_password)
        staff.save(update_fields=["password"])
        if private is not None:
            _give_key(staff, private, new_password)
    update_session_auth_hash(request, staff)  # a new session key: the held key is wrapped anew
    if private is not None:
        _hold(request.session, private)
    audit(staff, Action.PASSWORD_CHANGED)


# --- invitations -----------------------------------------------------------------------------


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invite(request: HttpRequest, admin: Staff, role: str) -> str:
    """A one-time link's secret; the link carries the inbox key if this session holds it."""
    secret = secrets.token_urlsafe(32)
    private = held_inbox_key(request.session)
    with one_writer():
        Invitation.objects.create(
            secret_hash=_secret_hash(secret),
            role=role,
            made_by=admin,
            expires=timezone.now() + timedelta(hours=INVITATION_HOURS),
            inbox_key=keys.wrap_for_invitation(private, secret) if private else "",
        )
    audit(admin, Action.INVITED, role)
    return secret


def open_invitation(secret: str) -> Invitation | None:
    """The unused, unexpired invitation this secret belongs to, or None."""
    return Invitation.objects.filter(
        secret_hash=_secret_hash(secret), used__isnull=True, expires__gt=timezone.now()
    ).first()


def accept(invitation: Invitation, secret: str, username: str, password: str) -> Staff:
    """Make the account, give it the inbox key the link carries, and spend the link."""
    private = keys.unwrap_invitation(invitation.inbox_key, secret) if invitation.inbox_key else None
    with one_writer(), transaction.atomic():
        spent = Invitation.objects.filter(pk=invitation.pk, used__isnull=True).update(
            used=timezone.now(), inbox_key=""
        )
        if not spent:
            raise ValueError("This invitation has been used.")
        staff = Staff.objects.create_user(username, password, role=invitation.role)
        if private is not None:
            _give_key(staff, private, password)
    audit(staff, Action.INVITATION_USED, invitation.made_by.username)
    return staff


# --- second factors --------------------------------------------------------------------------


def totp_device(staff: Staff) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=staff, confirmed=True).first()


def pending_totp(staff: Staff) -> TOTPDevice:
    """The authenticator being set up (made on first use; its secret stays until confirmed)."""
    device = TOTPDevice.objects.filter(user=staff, confirmed=False).first()
    if device is None:
        with one_writer():
            device = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=False)
    return device


def new_backup_codes(staff: Staff) -> list[str]:
    """Ten new single-use codes, replacing any earlier ones."""
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    with one_writer(), transaction.atomic():
        StaticDevice.objects.filter(user=staff).delete()
        device = StaticDevice.objects.create(user=staff, name="backup codes")
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit(staff, Action.BACKUP_CODES_MADE)
    return codes


def reset_second_factor(admin: Staff, staff: Staff) -> None:
    """Remove every second factor of `staff`: they set one up again at their next sign-in."""
    with one_writer(), transaction.atomic():
        TOTPDevice.objects.filter(user=staff).delete()
        StaticDevice.objects.filter(user=staff).delete()
    end_sessions_of(staff)
    audit(admin, Action.SECOND_FACTOR_RESET, staff.username)


def deactivate(admin: Staff, staff: Staff) -> None:
    with one_writer():
        Staff.objects.filter(pk=staff.pk).update(is_active=False)
        InboxKey.objects.filter(staff=staff).delete()
    end_sessions_of(staff)
    audit(admin, Action.DEACTIVATED, staff.username)


def forget_expired_sessions() -> None:
    """Delete staff sessions past their expiry (run at each sign-in: there are few)."""
    with one_writer():
        StaffSession.objects.filter(expire_date__lt=timezone.now()).delete()


def end_sessions_of(staff: Staff) -> None:
    """End every session of one account (staff sessions are few: each is read)."""
    store = StaffSession.get_session_store_class()()
    ended = [
        row.session_key
        for row in StaffSession.objects.all()
        if str(store.decode(row.session_data).get("_auth_user_id")) == str(staff.pk)
    ]
    with one_writer():
        StaffSession.objects.filter(session_key__in=ended).delete()
