"""Failed sign-ins, counted without addresses, and what they change: never a lockout.

A password guess costs the attacker an Argon2 hash on the server per try. After
`account_failures` wrong tries on one user name within `account_window` seconds (counted
under a keyed hash of the name as typed, so unknown names behave like known ones), or after
`site_failures` wrong tries on the whole site within a minute, a sign-in must carry the
password *and* a current code from the second factor in one form, and a refusal does not say
which was wrong. An attacker who floods a counsellor's name therefore gains nothing and locks
nobody out: the counsellor, who has both, signs in as before. Guessing a password and a
six-digit code together is hopeless, and every try still pays for the hash.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F

from core.db import one_writer

from .models import LoginWindow

SITE = "site"


def _limits() -> dict[str, int]:
    return {"account_failures": 5, "account_window": 15 * 60, "site_failures": 30} | dict(
        settings.BAKEN_STAFF_LOGIN_LIMITS
    )


def name_key(username: str) -> str:
    """The counter's key for a user name as typed: keyed, so the table holds no names."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), username.strip().lower().encode(), hashlib.sha256
    )
    return "name:" + digest.hexdigest()[:40]


def _window(key: str) -> tuple[int, int]:
    limits = _limits()
    seconds = 60 if key == SITE else limits["account_window"]
    limit = limits["site_failures" if key == SITE else "account_failures"]
    return int(time.time()) // seconds, limit


def _count(key: str) -> int:
    window, _ = _window(key)
    found = LoginWindow.objects.filter(key=key, window=window).values_list("count", flat=True)
    return next(iter(found), 0)


def protected(username: str) -> bool:
    """Whether a sign-in with this name must carry both factors in one form."""
    limits = _limits()
    return (
        _count(name_key(username)) >= limits["account_failures"]
        or _count(SITE) >= limits["site_failures"]
    )


def failed(username: str) -> None:
    """Count one failed sign-in for this name and for the site."""
    for key in (name_key(username), SITE):
        window, _ = _window(key)
        with one_writer(), transaction.atomic():
            updated = LoginWindow.objects.filter(key=key, window=window).update(
                count=F("count") + 1
            )
            if not updated:
                LoginWindow.objects.update_or_create(
                    key=key, defaults={"window": window, "count": 1}
                )
