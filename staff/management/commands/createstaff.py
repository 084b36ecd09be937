"""`manage.py createstaff NAME`: make a staff account (the first administrator, usually).

Everyone else is invited by an administrator in the staff area (docs/staff.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from staff import service
from staff.models import Action, Staff
from staff.roles import Role

from ._prompt import secret


class Command(BaseCommand):
    help = "Make a staff account; asks for its password (twice) at the terminal or on stdin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=[r.value for r in Role], default=Role.ADMINISTRATOR)

    def handle(self, *args: Any, username: str, role: str, **options: Any) -> None:
        if Staff.objects.filter(username__iexact=username).exists():
            raise CommandError(f"There is already an account called {username}.")
        password = secret("Password: ")
        if secret("The password again: ") != password:
            raise CommandError("The two passwords are not the same.")
        try:
            password_validation.validate_password(password, Staff(username=username))
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from problem
        staff = Staff.objects.create_user(username, password, role=role)
        service.audit(staff, Action.ACCOUNT_CREATED, role)
        self.stdout.write(
            f"Made {username} ({role}). They sign in at /{_prefix()}/sign-in/ and set up the "
            "second factor there."
        )
        if role == Role.ADMINISTRATOR and service.inbox() is None:
            self.stdout.write(f"Next: manage.py initinbox {username} (makes the inbox key).")


def _prefix() -> str:
    from django.conf import settings

    return settings.BAKEN_STAFF_PREFIX
