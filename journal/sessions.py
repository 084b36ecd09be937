"""The visitor's sessions: Django's database sessions keyed by a hash (core.sessions).

The journal key kept in the session is wrapped by a key derived from the cookie's value, which
the database does not hold.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.sessions import HashedKeySessionStore, hashed

from .models import VisitorSession

__all__ = ["SessionStore", "hashed"]


class SessionStore(HashedKeySessionStore):
    @classmethod
    def get_model_class(cls) -> type[VisitorSession]:
        return VisitorSession

    def get_expiry_date(self, **kwargs: Any) -> Any:
        """When the row may be dropped, rounded up to the hour: the row does not tell when the
        visitor was last here (the session's own lifetimes are kept in minutes, and enforced by
        journal.middleware)."""
        expiry = super().get_expiry_date(**kwargs)
        hour = expiry.replace(minute=0, second=0, microsecond=0)
        return hour if hour == expiry else hour + timedelta(hours=1)
