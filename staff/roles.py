"""Who may do what in the staff area: the one place permissions are decided.

Every staff page names the one permission it needs (or none: any signed-in staff member with
a verified second factor). `allowed` is the only check; the permission ladder test walks every
staff address with every role against it.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from core.choices import Labelled


class Role(Labelled):
    """A staff member's role: its value, stored, and its label, shown (Role.choices())."""

    COUNSELLOR = "counsellor", _("Counsellor")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class Permission(StrEnum):
    MESSAGES = "messages"  # read and answer visitors' messages
    EVALUATION = "evaluation"  # see the anonymous evaluation figures
    ACCOUNTS = "accounts"  # invite staff, reset a second factor, deactivate an account
    AUDIT = "audit"  # read and export the audit log


GRANTS: dict[str, frozenset[str]] = {
    Role.COUNSELLOR: frozenset({Permission.MESSAGES}),
    Role.COORDINATOR: frozenset({Permission.MESSAGES, Permission.EVALUATION}),
    Role.ADMINISTRATOR: frozenset({Permission.ACCOUNTS, Permission.AUDIT}),
}


def allowed(role: str, permission: str | None) -> bool:
    """Whether a staff member with `role` has `permission` (None: every role has it)."""
    return permission is None or permission in GRANTS.get(role, frozenset())
