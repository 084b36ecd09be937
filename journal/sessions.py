"""Django's database sessions, storing a hash of the session key instead of the key itself.

The cookie's value is the only copy of the session key. The journal key kept in the session is
wrapped by a key derived from it, so a copy of the database cannot unwrap it.
"""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import connections, router
from django.utils import timezone


def hashed(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):  # type: ignore[no-untyped-def]
        from .models import VisitorSession

        return VisitorSession

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        # Every request with a cookie runs this: one plain query, without the ORM's cost of
        # building it (which is several times the query's own). Names are quoted identifiers;
        # values are parameters.
        row = None
        if self.session_key is not None:
            connection = connections[router.db_for_read(self.model)]
            meta, quote = self.model._meta, connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {quote('session_data')} FROM {quote(meta.db_table)} "  # noqa: S608
                    f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                    [hashed(self.session_key),
                     connection.ops.adapt_datetimefield_value(timezone.now())])
                row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key=hashed(session_key)).exists()

    def create_model_instance(self, data):  # type: ignore[no-untyped-def]
        return self.model(
            session_key=hashed(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=hashed(session_key)).delete()

    # The async variants are not used: Baken runs under WSGI.
    async def _aget_session_from_db(self):  # type: ignore[no-untyped-def,override]
        raise NotImplementedError

    async def aexists(self, session_key):  # type: ignore[no-untyped-def,override]
        raise NotImplementedError
