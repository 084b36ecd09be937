"""`manage.py kdftime`: how long the phrase's key derivation takes here, with the settings."""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from journal import crypto


class Command(BaseCommand):
    help = "Time the recovery phrase's key derivation (Argon2id) with the configured parameters."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs=5, **options):
        words = crypto.normalise(crypto.generate_phrase(settings.LANGUAGE_CODE))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            crypto.derive(words)
            times.append(time.perf_counter() - start)
        kdf = crypto.current_kdf()
        self.stdout.write(
            f"{kdf.label} (Argon2id memory={kdf.memory_kib} KiB iterations={kdf.iterations} "
            f"lanes={kdf.lanes}): median {statistics.median(times):.3f} s, "
            f"min {min(times):.3f} s, max {max(times):.3f} s over {runs} runs"
        )
