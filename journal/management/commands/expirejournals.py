"""`manage.py expirejournals`: delete inactive journals, ended sessions and old rate counters,
then scrub what deletions left: SQLite's write-ahead log, or (with --purge) PostgreSQL's data
files.

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
        parser.add_argument(
            "--purge",
            action="store_true",
            help="PostgreSQL: rewrite the journal tables (VACUUM FULL) so deleted rows leave "
            "the data files; locks each table while it runs (docs/operations.md)",
        )

    def handle(self, *args, days=None, purge=False, **options):
        count = service.expire(days)
        self.stdout.write(f"Deleted {count} inactive journal{'s' * (count != 1)}.")
        left = service.scrub_sqlite_log()
        if left == 0:
            self.stdout.write("SQLite log scrubbed.")
        elif left is not None:
            # A count only, on stdout and in the log: the next run tries again.
            service.logger.warning("the SQLite log still holds %d pages (a reader is open)", left)
            self.stdout.write(
                f"SQLite log not scrubbed: {left} pages wait (a reader is open); run again later."
            )
        if purge:
            taken = service.purge_postgresql()
            if taken is None:
                self.stdout.write("--purge is for PostgreSQL; SQLite needs none.")
            else:
                self.stdout.write(
                    f"Purged deleted rows from PostgreSQL's data files in {taken:.1f} s."
                )
