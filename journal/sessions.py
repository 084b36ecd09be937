"""The visitor's sessions: Django's database sessions keyed by a hash (core.sessions).

The journal key kept in the session is wrapped by a key derived from the cookie's value, which
the database does not hold.
"""

from __future__ import annotations

from core.sessions import HashedKeySessionStore, hashed

from .models import VisitorSession

__all__ = ["SessionStore", "hashed"]


class SessionStore(HashedKeySessionStore):
    @classmethod
    def get_model_class(cls) -> type[VisitorSession]:
        return VisitorSession
