"""Settings for the test suite: real databases, production error handling."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
BAKEN_PEPPERS = {"lookup": "test-lookup-pepper", "key": "test-key-pepper"}
# Cheap in tests: the KDF's cost is measured in the benchmark and shown by `manage.py kdftime`.
BAKEN_KDF = {"memory_kib": 64, "iterations": 1, "lanes": 1}
BAKEN_KDF_LEGACY = {"memory_kib": 64, "iterations": 1, "lanes": 1}
# Tests make journals faster than visitors do, and at once in parallel test processes (which
# share var/); the tests of these limits set their own.
BAKEN_RESUME_LIMITS = {
    **BAKEN_RESUME_LIMITS,  # noqa: F405
    "new_journals_per_second": 1000,
    "one_new_journal_at_a_time": 0,
}
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Cheap in tests: staff passwords' hash and the inbox key's wraps (the real costs are in base).
PASSWORD_HASHERS = ["staff.hashers.QuickArgon2ForTests"]
BAKEN_STAFF_KDF = {"opslimit": 1, "memlimit": 8192}
# The tests walk the draft modules too; tests/modules/test_drafts.py turns this off.
BAKEN_SHOW_DRAFTS = True
# Evaluation rows written at once, so a test sees them (the batching has a test of its own).
BAKEN_EVALUATION_BATCH = 1
