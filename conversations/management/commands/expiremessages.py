"""`manage.py expiremessages`: delete conversations closed or silent for a while."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from conversations import service


class Command(BaseCommand):
    help = "Delete conversations closed, or without a new message, for the configured days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        count = service.expire(days)
        self.stdout.write(f"Deleted {count} conversation(s).")
