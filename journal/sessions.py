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
        # building it (which is several times the query's own). Names are quoted identifiers;
        # values are parameters. On a page that shows answers, on PostgreSQL, the same query
        # reads the journal's entries: one round trip to the database instead of two.
        rows = []
        together = False  # did the query bring the journal's entries?
        if self.session_key is not None:
            from .models import Entry

            connection = connections[router.db_for_read(self.model)]
            q = connection.ops.quote_name
            sessions, entries = q(self.model._meta.db_table), q(Entry._meta.db_table)
            where = f"WHERE s.{q('session_key')} = %s AND s.{q('expire_date')} > %s"
            params = [hashed(self.session_key),
                      connection.ops.adapt_datetimefield_value(timezone.now())]
            # Over a network a query's round trip costs more than the rows; on SQLite a query
            # is a function call, and reading only the answers a page shows is cheaper.
            together = self.with_answers and connection.vendor != "sqlite"
            if together:
                # The session's row first, then one row per entry (the session's data once).
                sql = (f"SELECT s.{q('session_data')}, s.{q('journal_pk')}, NULL, NULL "  # noqa: S608
                       f"FROM {sessions} s {where} UNION ALL "
                       f"SELECT NULL, NULL, e.{q('slot')}, e.{q('sealed')} FROM {entries} e "
                       f"JOIN {sessions} s ON e.{q('journal_id')} = s.{q('journal_pk')} {where}")
                params += params
            else:
                sql = f"SELECT s.{q('session_data')} FROM {sessions} s {where}"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        session = next((row for row in rows if row[0] is not None), None)
        if session is None:
            self._session_key = None
            return None
        if together and session[1] is not None:
            self.entries = (session[1], {row[2]: row[3] for row in rows if row[0] is None})
        return SimpleNamespace(session_data=session[0])

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
