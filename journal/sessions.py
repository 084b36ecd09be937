"""Django's database sessions, storing a hash of the session key instead of the key itself.

The cookie's value is the only copy of the session key. The journal key kept in the session is
wrapped by a key derived from it, so a copy of the database cannot unwrap it.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import connections, router
from django.utils import timezone

from core.db import one_writer

from .models import VisitorSession


def hashed(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> type[VisitorSession]:
        return VisitorSession

    def _get_session_from_db(self) -> Any:
        # Django's own lookup, by the hash of the key, as one plain query with bound
        # parameters: every request with a cookie runs it, and building it with the ORM cost
        # ten times the query itself (445 against 42 µs, measured in process).
        if self.session_key is not None:
            connection = connections[router.db_for_read(self.model)]
            q = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {q('session_data')} FROM {q(self.model._meta.db_table)} "  # noqa: S608
                    f"WHERE {q('session_key')} = %s AND {q('expire_date')} > %s",
                    [
                        hashed(self.session_key),
                        connection.ops.adapt_datetimefield_value(timezone.now()),
                    ],
                )
                found = cursor.fetchone()
            if found is not None:
                return SimpleNamespace(session_data=found[0])  # what load() reads of a row
        self._session_key = None  # expired, ended, or never made
        return None

    def get_expiry_date(self, **kwargs: Any) -> Any:
        """When the row may be dropped, rounded up to the hour: the row does not tell when the
        visitor was last here (the session's own lifetimes are kept in minutes, and enforced by
        journal.middleware)."""
        expiry = super().get_expiry_date(**kwargs)
        hour = expiry.replace(minute=0, second=0, microsecond=0)
        return hour if hour == expiry else hour + timedelta(hours=1)

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key=hashed(session_key)).exists()

    def create_model_instance(self, data: dict[str, Any]) -> VisitorSession:
        return self.model(
            session_key=hashed(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def save(self, must_create: bool = False) -> None:
        with one_writer():  # on SQLite, writers take turns in the kernel (core.db)
            super().save(must_create)

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        with one_writer():
            self.model.objects.filter(session_key=hashed(session_key)).delete()

    # The async variants are not used: Baken runs under WSGI.
    async def _aget_session_from_db(self) -> Any:
        raise NotImplementedError

    async def aexists(self, session_key: str) -> bool:
        raise NotImplementedError
