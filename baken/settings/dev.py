"""Local settings for `make run`: production behaviour over plain HTTP on 127.0.0.1."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret(name: str) -> str:
    """Keep one random secret per checkout so sessions and journals survive a restart."""
    path = VAR_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("BAKEN_SECRET_KEY") or _local_secret("secret-key")
BAKEN_PEPPERS = {
    "lookup": os.environ.get("BAKEN_LOOKUP_PEPPER") or _local_secret("lookup-pepper"),
    "key": os.environ.get("BAKEN_KEY_PEPPER") or _local_secret("key-pepper"),
}
DEBUG = os.environ.get("BAKEN_DEBUG") == "1"
