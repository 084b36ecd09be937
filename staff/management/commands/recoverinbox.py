"""`manage.py recoverinbox NAME`: give an account the inbox key, opened with the recovery code."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from staff import keys, service
from staff.models import Staff

from ._prompt import secret


class Command(BaseCommand):
    help = "Give an account the inbox key again; asks for the recovery code and its password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        staff = Staff.objects.filter(username=username, is_active=True).first()
        if staff is None:
            raise CommandError(f"There is no active account called {username}.")
        code = secret("Recovery code: ")
        password = secret(f"Password of {username}: ")
        if not staff.check_password(password):
            raise CommandError("That is not the password of this account.")
        try:
            service.recover_inbox(staff, code, password)
        except keys.WrongSecret as problem:
            raise CommandError("The recovery code is not right.") from problem
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"{username} holds the inbox key again from their next sign-in.")
