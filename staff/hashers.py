"""A cheap Argon2 for the test suite only (baken.settings.test): hundreds of sign-ins run there."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2ForTests(Argon2PasswordHasher):
    algorithm = "argon2"  # the same format: a hash made here verifies with Django's hasher
    time_cost = 1
    memory_cost = 64
    parallelism = 1
