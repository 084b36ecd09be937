"""Staff sessions: their own table and cookie, keyed by a hash as the visitor's are."""

from __future__ import annotations

from core.sessions import HashedKeySessionStore

from .models import StaffSession


class SessionStore(HashedKeySessionStore):
    @classmethod
    def get_model_class(cls) -> type[StaffSession]:
        return StaffSession
