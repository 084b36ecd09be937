"""Local settings for `make run`: production behaviour over plain HTTP on 127.0.0.1."""

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import BAKEN_HELPLINE_FILE, BASE_DIR, VAR_DIR

# The server's secrets, kept apart from the data (var/, the database): a copy of one is not a
# copy of the other, and each is backed up on its own (docs/operations.md). Only the server's
# user may read them.
SECRETS_DIR = Path(os.environ.get("BAKEN_SECRETS_DIR", BASE_DIR / "secrets"))


def _local_secret(name: str) -> str:
    """Keep one random secret per checkout so sessions and journals survive a restart."""
    path = SECRETS_DIR / name
    if not path.exists():
        SECRETS_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        earlier = VAR_DIR / name  # where checkouts kept them before: moved, not made anew
        if earlier.exists():
            earlier.replace(path)
        else:
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(50))
    SECRETS_DIR.chmod(0o700)
    path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("BAKEN_SECRET_KEY") or _local_secret("secret-key")
BAKEN_PEPPERS = {
    "lookup": os.environ.get("BAKEN_LOOKUP_PEPPER") or _local_secret("lookup-pepper"),
    "key": os.environ.get("BAKEN_KEY_PEPPER") or _local_secret("key-pepper"),
}
DEBUG = os.environ.get("BAKEN_DEBUG") == "1"
# Editors see their drafts locally (marked as such); BAKEN_SHOW_DRAFTS=0 shows the site as
# production does.
BAKEN_SHOW_DRAFTS = os.environ.get("BAKEN_SHOW_DRAFTS", "1") == "1"

# Without a helpline file of its own, `make run` shows the shipped example, so the pages look as
# they will with one; every page marks its details "example, not a real helpline". A public
# site never does this: `manage.py check --deploy` refuses the example (docs/helpline.md).
if not os.environ.get("BAKEN_HELPLINE_FILE") and not BAKEN_HELPLINE_FILE.exists():
    BAKEN_HELPLINE_FILE = BASE_DIR / "config" / "helpline.example.yaml"
