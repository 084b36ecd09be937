"""The staff side's data: accounts, invitations, the audit log, the inbox key, sessions.

Nothing here is about a visitor. The audit log names staff members and what they did, never a
visitor, an address or a user agent.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import Labelled

from .roles import Role


class StaffManager(BaseUserManager["Staff"]):
    def create_user(self, username: str, password: str, role: str = Role.COUNSELLOR) -> Staff:
        staff = self.model(username=username, role=role)
        staff.set_password(password)
        staff.save()
        return staff


class Staff(AbstractBaseUser):
    """A helpline staff member's account (Django's user model for the staff area)."""

    username = models.CharField(_("user name"), max_length=64, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices())
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []
    objects = StaffManager()

    def __str__(self) -> str:
        return self.username


class Invitation(models.Model):
    """A one-time link an administrator made; only the hash of its secret is kept."""

    secret_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices())
    made_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    made = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True)
    # The inbox private key, wrapped under a key derived from the link's secret; emptied when
    # the link is used.
    inbox_key = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class Action(Labelled):
    """What the audit log records: the value stored, and the label the log shows."""

    LOGIN = "login", _("Signed in (password and second factor)")
    LOGIN_FAILED = "login-failed", _("Sign-in refused: wrong password or code")
    SECOND_FACTOR_FAILED = "second-factor-failed", _("Sign-in refused: wrong code")
    BACKUP_CODE_USED = "backup-code-used", _("Signed in with a backup code")
    LOGOUT = "logout", _("Signed out")
    TOTP_ENROLLED = "totp-enrolled", _("Set up an authenticator app")
    BACKUP_CODES_MADE = "backup-codes-made", _("Made new backup codes")
    SECOND_FACTOR_RESET = "second-factor-reset", _("Reset the second factor of")
    PASSWORD_CHANGED = "password-changed", _("Changed their password")  # noqa: S105 (a name, not a password)
    INVITED = "invited", _("Made an invitation for the role")
    INVITATION_USED = "invitation-used", _("Accepted an invitation")
    ACCOUNT_CREATED = "account-created", _("Account created on the server")
    DEACTIVATED = "deactivated", _("Deactivated the account of")
    INBOX_CREATED = "inbox-created", _("Made the inbox key")
    INBOX_RECOVERED = "inbox-recovered", _("Gave the inbox key back with the recovery code to")
    AUDIT_EXPORTED = "audit-exported", _("Exported the audit log")
    CONVERSATION_OPENED = "conversation-opened", _("Opened the conversation")
    REPLIED = "replied", _("Replied in the conversation")
    NEEDS_COLLEAGUE = "needs-colleague", _("Asked a colleague to take the conversation")
    CONVERSATION_CLOSED = "conversation-closed", _("Closed the conversation")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is never changed.")


class AuditEvent(models.Model):
    """One thing a staff member did. Written once; Baken has no way to change or remove it."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Null only for a failed sign-in with an unknown user name (the name typed is not kept:
    # it may be a password typed into the wrong field).
    staff = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32, choices=Action.choices())
    # What the action was about: another account, a role; never anything of a visitor.
    target = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The audit log is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("The audit log is never changed.")


class Inbox(models.Model):
    """The organisation's inbox key pair: the public key in the clear, the private key only
    wrapped (for each account, and for the offline recovery code)."""

    public_key = models.BinaryField()
    recovery_wrap = models.TextField()
    made = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "inbox"


class InboxKey(models.Model):
    """The inbox private key, wrapped under a key derived from one account's password."""

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="inbox_key")
    wrapped = models.TextField()

    def __str__(self) -> str:
        return f"inbox key of {self.staff_id}"


class LoginWindow(models.Model):
    """Failed sign-ins counted per account and for the whole site, per fixed time window."""

    key = models.CharField(max_length=64, primary_key=True)
    window = models.BigIntegerField()
    count = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} failed sign-ins"


class StaffSession(AbstractBaseSession):
    """A staff session; `session_key` holds a SHA-256 of the cookie value, not the value."""

    session_key = models.CharField(max_length=64, primary_key=True)

    @classmethod
    def get_session_store_class(cls) -> Any:
        return import_module("staff.sessions").SessionStore
