"""`manage.py expirejournals`: delete inactive journals, ended sessions and old rate counters.

Meant for a daily cron job or systemd timer (see docs/operations.md).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from journal import service


class Command(BaseCommand):
    help = "Delete journals inactive for BAKEN_JOURNAL_EXPIRY_DAYS, and ended sessions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"inactive days (default {settings.BAKEN_JOURNAL_EXPIRY_DAYS})",
        )

    def handle(self, *args, days=None, **options):
        count = service.expire(days)
        self.stdout.write(f"Deleted {count} inactive journal{'s' * (count != 1)}.")
