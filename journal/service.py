"""The journal's life: create it, open it with the phrase, save and read answers, end, delete.

Views call these functions; they hold no crypto of their own.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from core.db import one_writer

from . import crypto, throttle
from .models import Entry, Journal

logger = logging.getLogger(__name__)
SESSION_KEY = "journal"
STARTED, SEEN = "started", "seen"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


# --- the session -----------------------------------------------------------------------------


def has_journal(session: Any) -> bool:
    return SESSION_KEY in session


def open_journal(session: Any) -> JournalHandle | None:
    """A handle on this session's open journal, or None. Its key is unwrapped only for this
    request."""
    data = session.get(SESSION_KEY)
    if not data or session.session_key is None:
        return None
    try:
        material = crypto.unwrap(session.session_key, "journal key", _unb64(data["wrapped"]))
    except (crypto.CryptoError, KeyError, ValueError):
        return None
    return JournalHandle(data["pk"], crypto.JournalKeys(data["lookup"], material))


def phrase_from_session(session: Any) -> str | None:
    """The phrase of a journal created in this session, to show again; None after a resume."""
    data = session.get(SESSION_KEY) or {}
    if "phrase" not in data or session.session_key is None:
        return None
    try:
        return crypto.unwrap(session.session_key, "phrase", _unb64(data["phrase"])).decode()
    except crypto.CryptoError:
        return None


def _attach(
    session: Any, journal: Journal, keys: crypto.JournalKeys, phrase: str | None = None
) -> None:
    """Put the wrapped key in a fresh session (a new key: no session fixation)."""
    session.cycle_key()
    secret = session.session_key
    data = {
        "pk": journal.pk,
        "lookup": keys.lookup_id,
        "wrapped": _b64(crypto.wrap(secret, "journal key", keys.material)),
    }
    if phrase is not None:
        data["phrase"] = _b64(crypto.wrap(secret, "phrase", phrase.encode()))
    session[SESSION_KEY] = data
    session[STARTED] = session[SEEN] = this_minute()


def this_minute() -> int:
    """Now, to the minute: what the session's lifetimes (30 minutes, 8 hours) need, and no
    finer, so a session row does not tell the second of a visit."""
    return int(time.time()) // 60 * 60


def end_session(session: Any) -> None:
    """Forget the session on the server: the wrapped key goes with it."""
    session.flush()


# --- creating and opening --------------------------------------------------------------------


class TooManyNewJournals(Exception):
    """The site's budget of new journals for this second is spent: nothing was made."""


def create(session: Any, language: str, waited: bool = False) -> tuple[JournalHandle, str]:
    """A new journal with a new phrase, opened in this session (TooManyNewJournals: none).
    `waited`: the visitor was turned away before (throttle.has_waited)."""
    with throttle.making_slot(waited) as free:
        # Both before the key derivation, which is the cost.
        if not free or not throttle.allow_new_journal(waited):
            raise TooManyNewJournals
        phrase = crypto.generate_phrase(language)
        keys = crypto.derive(crypto.normalise(phrase))
        with one_writer():
            journal = Journal.objects.create(
                lookup_id=keys.lookup_id, kdf=keys.kdf, last_active=timezone.localdate()
            )
    _attach(session, journal, keys, phrase)
    return JournalHandle(journal.pk, keys), phrase


@dataclass(frozen=True)
class ResumeResult:
    ok: bool
    reason: str = ""  # "unknown-words", "wrong-length", "not-found", "throttled"
    detail: tuple[Any, ...] = ()


def resume(session: Any, phrase: str) -> ResumeResult:
    """Open a journal with its phrase. A wrong phrase and a missing journal look the same."""
    words = crypto.normalise(phrase)
    from . import wordlists

    unknown = tuple(i + 1 for i, w in enumerate(words) if w not in wordlists.known_words())
    if unknown:
        return ResumeResult(False, "unknown-words", unknown)
    if len(words) != wordlists.PHRASE_WORDS:
        return ResumeResult(False, "wrong-length", (len(words),))
    if not throttle.allow_attempt(session):
        return ResumeResult(False, "throttled")
    found = _find(words)
    if found is None:
        throttle.record_failure(session)
        return ResumeResult(False, "not-found")
    journal, keys = found
    if keys.kdf != crypto.current_kdf().label:
        keys = _move_to_current_kdf(journal, keys, words)
    Journal.objects.filter(pk=journal.pk).update(last_active=timezone.localdate())
    _attach(session, journal, keys)
    return ResumeResult(True)


def _find(words: list[str]) -> tuple[Journal, crypto.JournalKeys] | None:
    """The journal this phrase opens, and its keys: tried with the current derivation first,
    then with each other one that journals in the database were made with (a wrong phrase
    costs one key derivation per derivation in use, usually one)."""
    current = crypto.current_kdf()
    others = Journal.objects.exclude(kdf=current.label).values_list("kdf", flat=True).distinct()
    for kdf in [current, *(crypto.Kdf.parse(label) for label in sorted(others))]:
        keys = crypto.derive(words, kdf)
        journal = Journal.objects.filter(lookup_id=keys.lookup_id, kdf=kdf.label).first()
        if journal is not None:
            return journal, keys
    return None


def _move_to_current_kdf(
    journal: Journal, old: crypto.JournalKeys, words: list[str]
) -> crypto.JournalKeys:
    """Re-key a journal made with an earlier derivation: its answers decrypted with the old
    keys and sealed again with the current ones, its lookup id and label replaced, at once."""
    new = crypto.derive(words)
    with one_writer(), transaction.atomic():
        # Locked first (as a save and a deletion do), so no save in another tab is lost.
        list(Journal.objects.select_for_update().filter(pk=journal.pk).values_list("pk"))
        answers = JournalHandle(journal.pk, old).read()
        Entry.objects.filter(journal_id=journal.pk).delete()
        Journal.objects.filter(pk=journal.pk).update(lookup_id=new.lookup_id, kdf=new.kdf)
        if answers:
            JournalHandle(journal.pk, new).write(answers)
    return new


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalHandle:
    """An open journal: its row and its keys, for the length of one request."""

    pk: int
    keys: crypto.JournalKeys

    def conversation_seed(self) -> bytes:
        """The seed of this journal's key pair for messages (conversations/)."""
        return crypto.conversation_seed(self.keys)

    def read(self, answer_ids: Iterable[str] | None = None) -> dict[str, Any]:
        """Answers decrypted, by answer id: those of `answer_ids` that are saved, or all.

        A page reads only the answers it shows, in one query: their slots are computed here, so
        the database sees only opaque slots.
        """
        asked: dict[str, str] = {}
        if answer_ids is not None:
            asked = {crypto.slot(self.keys, i): i for i in answer_ids}
            if not asked:
                return {}
        rows = self._select(list(asked) if answer_ids is not None else None)
        result = {}
        for slot_id, sealed in rows:
            answer_id, value = crypto.open_sealed(self.keys, slot_id, sealed, asked.get(slot_id))
            result[answer_id] = value
        return result

    def _select(self, slots: list[str] | None) -> list[tuple[str, bytes]]:
        # Plain SQL: every page runs this, and building it with the ORM costs more than the
        # query. Names are quoted identifiers; values (the pk, the slots) are parameters.
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('slot')}, {quote('sealed')} "  # noqa: S608
            f"FROM {quote(Entry._meta.db_table)} WHERE {quote('journal_id')} = %s"
        )
        params: list[Any] = [self.pk]
        if slots is not None:
            sql += f" AND {quote('slot')} IN ({', '.join(['%s'] * len(slots))})"
            params += slots
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def write(
        self, values: dict[str, Any], update: tuple[str, Callable[[Any], Any]] | None = None
    ) -> None:
        """Save answers (None deletes one) in one transaction: all of them, or none.

        `update` is an answer id and a function from its saved value (None when there is none)
        to the value to save: it is read and written while the journal is locked, so two saves
        at once (two tabs) each see what the other saved. The module's progress is kept so.

        Plain SQL, as in `read`: lock the journal row (gone: JournalGone), read what `update`
        needs, remove the emptied answers, insert or replace the others, and mark the journal
        active today.
        """
        today = connection.ops.adapt_datefield_value(timezone.localdate())
        if connection.vendor == "postgresql":
            with transaction.atomic():
                self._lock_postgresql()
                values = self._updated(values, update)
                self._write_in_one_statement(today, *self._sealed(values))
            return
        q = connection.ops.quote_name
        journals, entries = q(Journal._meta.db_table), q(Entry._meta.db_table)
        # SQLite locks the whole database when the transaction begins (BEGIN IMMEDIATE): the
        # journal, and the answer `update` reads, are read under that lock, in one query.
        with one_writer(), transaction.atomic(), connection.cursor() as cursor:
            read_slot = crypto.slot(self.keys, update[0]) if update else ""
            cursor.execute(
                f"SELECT {q('last_active')}, {entries}.{q('sealed')} FROM {journals} "  # noqa: S608
                f"LEFT JOIN {entries} ON {entries}.{q('journal_id')} = {journals}.{q('id')} "
                f"AND {entries}.{q('slot')} = %s WHERE {journals}.{q('id')} = %s",
                [read_slot, self.pk],
            )
            found = cursor.fetchone()
            if found is None:
                raise JournalGone
            if update is not None:
                answer_id, change = update
                saved = None
                if found[1] is not None:
                    saved = crypto.open_sealed(self.keys, read_slot, bytes(found[1]), answer_id)[1]
                values = {**values, answer_id: change(saved)}
            gone, rows = self._sealed(values)
            if gone:
                cursor.execute(
                    f"DELETE FROM {entries} WHERE {q('journal_id')} = %s "  # noqa: S608
                    f"AND {q('slot')} IN ({', '.join(['%s'] * len(gone))})",
                    [self.pk, *gone],
                )
            if rows:
                cursor.execute(
                    f"INSERT INTO {entries} ({q('journal_id')}, {q('slot')}, {q('sealed')}) "  # noqa: S608
                    f"VALUES {', '.join(['(%s, %s, %s)'] * len(rows))} {_upsert()}",
                    [value for slot_id, sealed in rows for value in (self.pk, slot_id, sealed)],
                )
            if str(found[0]) != str(today):
                cursor.execute(
                    f"UPDATE {journals} SET {q('last_active')} = %s "  # noqa: S608
                    f"WHERE {q('id')} = %s",
                    [today, self.pk],
                )

    def _sealed(self, values: dict[str, Any]) -> tuple[list[str], list[tuple[str, bytes]]]:
        """The slots to empty, and the (slot, ciphertext) rows to write."""
        gone = [crypto.slot(self.keys, k) for k, v in values.items() if v is None]
        rows = [crypto.seal(self.keys, k, v) for k, v in values.items() if v is not None]
        return gone, rows

    def _lock_postgresql(self) -> None:
        """Lock the journal row until the transaction ends (gone: JournalGone).

        Under READ COMMITTED every later statement of the transaction sees what a save that
        held the lock before committed; a deletion that held it leaves no row to find.
        """
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {q(Journal._meta.db_table)} "  # noqa: S608
                f"WHERE {q('id')} = %s FOR UPDATE",
                [self.pk],
            )
            if cursor.fetchone() is None:
                raise JournalGone

    def _updated(
        self, values: dict[str, Any], update: tuple[str, Callable[[Any], Any]] | None
    ) -> dict[str, Any]:
        """`values` with `update`'s answer worked out from what is saved now."""
        if update is None:
            return values
        answer_id, change = update
        return {**values, answer_id: change(self.read([answer_id]).get(answer_id))}

    def _write_in_one_statement(
        self, today: Any, gone: list[str], rows: list[tuple[str, bytes]]
    ) -> None:
        """PostgreSQL: the whole save as one statement, so one round trip and one transaction.

        Each part is a data-modifying WITH clause that works on the journal row locked by the
        first; when the journal is gone, that row is missing, so nothing is written.
        """
        q = connection.ops.quote_name
        journals, entries = q(Journal._meta.db_table), q(Entry._meta.db_table)
        parts = [
            f"journal AS (SELECT {q('id')} FROM {journals} "  # noqa: S608
            f"WHERE {q('id')} = %s FOR UPDATE)"
        ]
        params: list[Any] = [self.pk]
        if gone:
            parts.append(
                f"emptied AS (DELETE FROM {entries} "  # noqa: S608
                f"WHERE {q('journal_id')} IN (SELECT {q('id')} FROM journal) "
                f"AND {q('slot')} IN ({', '.join(['%s'] * len(gone))}))"
            )
            params += gone
        if rows:
            parts.append(
                f"saved AS (INSERT INTO {entries} ({q('journal_id')}, {q('slot')}, {q('sealed')}) "  # noqa: S608
                f"SELECT journal.{q('id')}, answer.slot, answer.sealed FROM journal, "
                f"(VALUES {', '.join(['(%s, %s::bytea)'] * len(rows))}) AS answer (slot, sealed) "
                f"{_upsert()})"
            )
            params += [value for row in rows for value in row]
        parts.append(
            f"active AS (UPDATE {journals} SET {q('last_active')} = %s "  # noqa: S608
            f"WHERE {q('id')} IN (SELECT {q('id')} FROM journal) "
            f"AND {q('last_active')} <> %s)"
        )
        params += [today, today]
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(parts)} SELECT count(*) FROM journal", params)  # noqa: S608
            (found,) = cursor.fetchone()
        if not found:
            raise JournalGone


def _upsert() -> str:
    """An answer saved again replaces the one in its slot (both databases, same SQL)."""
    q = connection.ops.quote_name
    return (
        f"ON CONFLICT ({q('journal_id')}, {q('slot')}) "
        f"DO UPDATE SET {q('sealed')} = excluded.{q('sealed')}"
    )


class JournalGone(Exception):
    """The journal was deleted (elsewhere, or it expired) while a session still had its key."""


# --- deleting --------------------------------------------------------------------------------


def delete(session: Any) -> bool:
    """Delete the session's journal and every entry at once, then end the session."""
    handle = open_journal(session)
    deleted = False
    if handle is not None:
        # The journal row first, then its answers, then the row: a save locks in the same
        # order, so the two take turns (on PostgreSQL they deadlocked), and a save that comes
        # second finds no journal and writes nothing (JournalGone).
        with one_writer(), transaction.atomic():
            list(Journal.objects.select_for_update().filter(pk=handle.pk).values_list("pk"))
            Entry.objects.filter(journal_id=handle.pk).delete()
            Journal.objects.filter(pk=handle.pk).delete()
        _scrub_sqlite()
        deleted = True
    end_session(session)
    return deleted


def expire(days: int | None = None) -> int:
    """Delete journals inactive for longer than the configured period; returns how many."""
    days = settings.BAKEN_JOURNAL_EXPIRY_DAYS if days is None else days
    cutoff = timezone.localdate() - timedelta(days=days)
    count, _ = Journal.objects.filter(last_active__lt=cutoff).delete()
    from .models import VisitorSession

    VisitorSession.objects.filter(expire_date__lt=timezone.now()).delete()
    throttle.clear_old()
    return count


def _scrub_sqlite() -> int | None:
    """Empty SQLite's write-ahead log now if no one is reading, without waiting for anyone.

    `secure_delete` zeroes freed pages in the database, but older copies of them (a deleted
    answer, its lookup id, earlier versions of edited answers) wait in the -wal file until it
    is emptied. A truncating checkpoint empties it, but it has to wait for every open reader
    (a backup, a slow export), and while it waits no one can save: a deletion under a reader
    took 20 s and stalled every save on the site (issue 16, finding 4). So it is tried without
    waiting; when a reader is open the log's pages are copied as far as the reader allows
    (which never blocks anyone), the pages left are counted in the log, and `expirejournals`
    or the next checkpoint (with `journal_size_limit=0`, SQLite then truncates the log) empties
    it. Returns the number of log pages left holding older data (0: emptied; None: not SQLite).
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None  # PostgreSQL: see purge_postgresql
    left = _checkpoint_without_waiting()
    if left:
        logger.warning(
            "could not empty the SQLite log after a deletion (a reader is open): %d pages wait "
            "for the next checkpoint or expirejournals",
            left,
        )
    return left


def _checkpoint_without_waiting() -> int:
    """A truncating checkpoint that gives up at once if a reader is open, then a passive one;
    the number of log pages left (0: the -wal file is empty)."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (timeout,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            try:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy, log, _done = cursor.fetchone()
            except OperationalError:  # a writer holds the database this instant
                busy, log = 1, -1
            if not busy:
                return 0
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            _busy, log, _done = cursor.fetchone()
            return max(int(log), 1)
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def scrub_sqlite_log(seconds: float = 10.0) -> int | None:
    """For `expirejournals`: empty SQLite's log, trying again for up to `seconds` while a reader
    is open (without ever making a save wait). The pages left (0: emptied; None: not SQLite)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None  # a checkpoint cannot run inside a transaction (the tests' own)
    deadline = time.monotonic() + seconds
    while True:
        left = _checkpoint_without_waiting()
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.2)


def purge_postgresql(lock_timeout_seconds: int = 5) -> float | None:
    """Rewrite the journal tables on PostgreSQL so deleted rows leave the data files; seconds
    taken (None: not PostgreSQL).

    A plain VACUUM (and autovacuum) only marks dead rows' space as free: their bytes stay in
    the data files until new rows overwrite them. VACUUM FULL rewrites each table without
    them, holding an ACCESS EXCLUSIVE lock on it meanwhile: every read and save of that table
    waits until it ends. The lock timeout makes it give up, rather than queue everyone behind
    it, when a long transaction holds the table (then run it again later). See
    docs/operations.md for the measured time.
    """
    if connection.vendor != "postgresql":
        return None
    tables = [Entry._meta.db_table, Journal._meta.db_table]
    from .models import ThrottleWindow, VisitorSession

    tables += [VisitorSession._meta.db_table, ThrottleWindow._meta.db_table]
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{int(lock_timeout_seconds)}s'")
        try:
            for table in tables:
                cursor.execute(f"VACUUM (FULL) {connection.ops.quote_name(table)}")
        finally:
            cursor.execute("RESET lock_timeout")
    return time.monotonic() - started
