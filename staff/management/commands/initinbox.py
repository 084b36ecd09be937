"""`manage.py initinbox NAME`: make the inbox key pair, once, and print its recovery code.

The private key is wrapped for the named account (its password is asked for) and for the
recovery code printed here, once. Print it on paper and keep it offline: it is the only way
back when every password with the key is lost.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from staff import service
from staff.models import Staff

from ._prompt import secret


class Command(BaseCommand):
    help = "Make the inbox key for visitors' messages and print its recovery code once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The account that gets the key (an administrator).")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if service.inbox() is not None:
            raise CommandError(
                "The inbox key exists already. To give it to an account again, use "
                "manage.py recoverinbox with the recovery code."
            )
        staff = Staff.objects.filter(username=username, is_active=True).first()
        if staff is None:
            raise CommandError(f"There is no active account called {username}.")
        password = secret(f"Password of {username}: ")
        if not staff.check_password(password):
            raise CommandError("That is not the password of this account.")
        code = service.create_inbox(staff, password)
        self.stdout.write(
            "The inbox key is made. Its recovery code, shown this once:\n\n"
            f"    {code}\n\n"
            "Write or print it and keep it offline (a safe). With it, manage.py recoverinbox\n"
            "gives the key back to an account when every password that held it is lost."
        )
