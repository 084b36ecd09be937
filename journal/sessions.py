"""Django's database sessions, storing a hash of the session key instead of the key itself.

The cookie's value is the only copy of the session key. The journal key kept in the session is
wrapped by a key derived from it, so a copy of the database cannot unwrap it.
"""

from __future__ import annotations

import hashlib
from types import SimpleNamespace
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.dispatch import receiver
from django.utils import timezone


def hashed(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


MAX_DECODED = 2048  # sessions whose data each worker keeps decoded (see SessionStore.decode)
_decoded: dict[str, dict[str, Any]] = {}


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """Data checked with one key is not taken as checked with another (tests change keys; a
    server whose key changes restarts, and starts with nothing remembered)."""
    if setting in {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SESSION_SERIALIZER"}:
        _decoded.clear()


def _copy(value: Any) -> Any:
    """A copy of decoded JSON (dicts, lists and plain values), deep: requests change sessions."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


_queries: dict[tuple[str, bool], str] = {}


def _session_sql(connection: BaseDatabaseWrapper, together: bool) -> str:
    """The session's query, built once per database and shape."""
    key = (connection.vendor, together)
    if key not in _queries:
        _queries[key] = _build_session_sql(connection, together)
    return _queries[key]


def _build_session_sql(connection: BaseDatabaseWrapper, together: bool) -> str:
    # Names are quoted identifiers; values are parameters.
    from .models import Entry, VisitorSession

    q = connection.ops.quote_name
    sessions = q(VisitorSession._meta.db_table)
    entries = q(Entry._meta.db_table)
    where = f"WHERE s.{q('session_key')} = %s AND s.{q('expire_date')} > %s"
    if not together:
        return f"SELECT s.{q('session_data')} FROM {sessions} s {where}"  # noqa: S608
    # The session's row first, then one row per entry (the session's data once).
    return (f"SELECT s.{q('session_data')}, s.{q('journal_pk')}, NULL, NULL "  # noqa: S608
            f"FROM {sessions} s {where} UNION ALL "
            f"SELECT NULL, NULL, e.{q('slot')}, e.{q('sealed')} FROM {entries} e "
            f"JOIN {sessions} s ON e.{q('journal_id')} = s.{q('journal_pk')} {where}")


class SessionStore(DBStore):
    # Set before the session is read (journal.middleware) on pages that show answers: the
    # session's query then brings the journal's stored answers along, still encrypted.
    with_answers = False
    # What that query brought: (journal row, {slot: sealed}); None when it brought nothing.
    entries: tuple[int, dict[str, bytes]] | None = None

    @classmethod
    def get_model_class(cls):  # type: ignore[no-untyped-def]
        from .models import VisitorSession

        return VisitorSession

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        # Every request with a cookie runs this: one plain query, without the ORM's cost of
        # building it (which is several times the query's own). On a page that shows answers,
        # on PostgreSQL, the same query reads the journal's entries: one round trip to the
        # database instead of two.
        rows = []
        together = False  # did the query bring the journal's entries?
        if self.session_key is not None:
            connection = connections[router.db_for_read(self.model)]
            # Over a network a query's round trip costs more than the rows; on SQLite a query
            # is a function call, and reading only the answers a page shows is cheaper.
            together = self.with_answers and connection.vendor != "sqlite"
            params = [hashed(self.session_key),
                      connection.ops.adapt_datetimefield_value(timezone.now())]
            with connection.cursor() as cursor:
                cursor.execute(_session_sql(connection, together),
                               params + params if together else params)
                rows = cursor.fetchall()
        session = next((row for row in rows if row[0] is not None), None)
        if session is None:
            self._session_key = None
            return None
        if together and session[1] is not None:
            self.entries = (session[1], {row[2]: row[3] for row in rows if row[0] is None})
        return SimpleNamespace(session_data=session[0])

    def decode(self, session_data: str) -> dict[str, Any]:
        # Checking the signature (and unpacking) is the dearest part of reading a session, and
        # a session's data changes only when it is saved: data already checked once is taken
        # from memory. Memory holds only what the database row holds (the journal key in it is
        # wrapped with the cookie's key), and only data that passed the check; each request
        # gets its own copy to change.
        found = _decoded.get(session_data)
        if found is None:
            found = super().decode(session_data)
            if not found:  # a bad signature or no data: nothing to remember
                return found
            if len(_decoded) >= MAX_DECODED:
                _decoded.clear()
            _decoded[session_data] = found
        return _copy(found)

    def exists(self, session_key: str) -> bool:
        return self.model.objects.filter(session_key=hashed(session_key)).exists()

    def create_model_instance(self, data):  # type: ignore[no-untyped-def]
        from .service import SESSION_KEY

        return self.model(
            session_key=hashed(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
            journal_pk=(data.get(SESSION_KEY) or {}).get("pk"),
        )

    def save(self, must_create: bool = False) -> None:
        from .service import one_writer

        with one_writer():  # on SQLite, writers take turns in the kernel (journal.service)
            super().save(must_create)

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        from .service import one_writer

        with one_writer():
            self.model.objects.filter(session_key=hashed(session_key)).delete()

    # The async variants are not used: Baken runs under WSGI.
    async def _aget_session_from_db(self):  # type: ignore[no-untyped-def,override]
        raise NotImplementedError

    async def aexists(self, session_key):  # type: ignore[no-untyped-def,override]
        raise NotImplementedError
