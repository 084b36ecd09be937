from urllib.parse import urlencode

import pytest
from django.test import Client


class BrowserClient(Client):
    """Posts forms url-encoded, as a browser does, and checks CSRF tokens."""

    def __init__(self, **defaults: str) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)

    def post(self, path, data=None, **extra):  # type: ignore[no-untyped-def,override]
        if isinstance(data, dict):
            data = urlencode(data, doseq=True)
            extra.setdefault("content_type", "application/x-www-form-urlencoded")
        return super().post(path, data, **extra)


@pytest.fixture
def client(db) -> Client:  # noqa: ARG001 (sessions live in the database)
    return BrowserClient()


@pytest.fixture
def copy(tmp_path):  # type: ignore[no-untyped-def]
    """A private copy of the shipped content, to break."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    target = tmp_path / "content"
    shutil.copytree(Path(settings.BAKEN_CONTENT_DIR), target)
    return target


@pytest.fixture
def module():  # type: ignore[no-untyped-def]
    from modules.content import get_library

    return get_library().module("reality", "nl")
