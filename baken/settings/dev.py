"""Local settings for `make run`: production behaviour over plain HTTP on 127.0.0.1."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret_key() -> str:
    """Keep one random key per checkout so sessions survive a restart of `make run`."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("BAKEN_SECRET_KEY") or _local_secret_key()
DEBUG = os.environ.get("BAKEN_DEBUG") == "1"
