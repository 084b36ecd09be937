"""The models and their migrations agree: nothing is left for `makemigrations` to write."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


def test_every_model_change_has_its_migration(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"a migration is missing (manage.py makemigrations):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
