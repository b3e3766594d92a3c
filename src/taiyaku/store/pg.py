"""PostgreSQL: the same store on a server, so a team shares one TM and glossary.

A ``postgresql://`` URL given as the database (``--db``, ``$TAIYAKU_DB``) opens a
:class:`PgDatabase` instead of a SQLite file. The store's classes
(:class:`~taiyaku.store.tm.TranslationMemory`, :class:`~taiyaku.store.glossary.GlossaryStore`,
the fuzzy index) run unchanged on either engine: they talk to ``db.conn`` as to a DB-API
connection with ``?`` placeholders, in the SQL both engines share. :class:`PgConnection` gives
a psycopg connection that shape; the few places where the engines really differ (bulk
inserts by ``COPY``, server-side cursors for exports, the change stamp, the write lock) ask
:func:`is_postgres`. So there is one copy of the store logic, not two that drift.

The guarantees are SQLite's:

- writers queue: every write transaction first takes one advisory lock
  (``pg_advisory_xact_lock``), as SQLite's ``BEGIN IMMEDIATE`` takes the write lock, so two
  importers never interleave their index updates nor deadlock; readers never wait (MVCC);
- a reading open sets ``default_transaction_read_only``: it cannot change the database,
  and never migrates it;
- the schema comes from append-only steps (:mod:`taiyaku.store.pg_migrations`) recorded in
  ``taiyaku_migrations``; a writing open applies the pending ones in one transaction under
  an advisory lock, so several processes starting at once do not race; a schema newer than
  this taiyaku is refused.

psycopg is an optional dependency (``pip install 'taiyaku[postgres]'``), imported only when
a URL is opened.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from taiyaku.errors import DatabaseError, DatabaseFault, DatabaseUnavailable

if TYPE_CHECKING:
    import psycopg

    from taiyaku.store.keys import Progress

SCHEMES = ("postgresql://", "postgres://")
# Advisory lock keys (any 64-bit numbers, the same in every taiyaku): one for writers, one
# for schema steps.
WRITE_LOCK = 0x7461_6979_616B_7501
MIGRATE_LOCK = 0x7461_6979_616B_7502
STREAM_BATCH = 2000  # rows a server-side cursor fetches at a time
NUL_ON_POSTGRES = "a PostgreSQL database cannot store it (nothing of this file was stored)"
_cursor_numbers = itertools.count(1)


def is_url(name: str) -> bool:
    """True when ``name`` names a PostgreSQL database rather than a SQLite file."""
    return name.startswith(SCHEMES)


def is_postgres(db: Any) -> bool:
    """True when ``db`` is a :class:`PgDatabase` (else a SQLite one: a sqlite-utils ``Database``
    or, opened for reading, a :class:`taiyaku.store.db.SqliteReader`)."""
    return isinstance(db, PgDatabase)


def safe_url(url: str) -> str:
    """``url`` without its password: how messages name a database."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


@functools.lru_cache(maxsize=1024)
def _pg_sql(sql: str) -> str:
    """The store's SQL with ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


_READS = re.compile(r"\s*(SELECT|WITH|SHOW)\b", re.IGNORECASE)


def any_of(values: Sequence[Any]) -> str:
    """``= ANY(?)`` with the array's type said: the same statement (prepared once) whether
    psycopg would send the ids as ``int2[]`` or ``int8[]``, and one that an empty list can
    bind. Text for strings; bigint for ids (and for an empty list).
    """
    return " = ANY(?::text[])" if values and isinstance(values[0], str) else " = ANY(?::bigint[])"


# SQLSTATE classes (PostgreSQL's manual, appendix A) of the errors that say what was sent
# is wrong: data exceptions (22: a NUL character, a number out of range) and integrity
# constraint violations (23).
_INPUT_CLASSES = ("22", "23")
# ... and of those that pass: connection exceptions (08), transaction rollbacks (40: a
# serialization failure, a deadlock), insufficient resources (53: disk full, out of memory,
# too many connections), operator intervention (57: a shutdown, a cancelled statement);
# with a write refused by a read-only server (25006: a standby, a database set read-only).
_PASSING_CLASSES = ("08", "40", "53", "57")
_PASSING_STATES = ("25006",)
_LOCKED = "55P03"  # lock_not_available: told as SQLite's "database is locked"


def error_kind(error: Exception) -> type[DatabaseError]:
    """Which :class:`~taiyaku.errors.DatabaseError` a psycopg error is, by its SQLSTATE:
    the input's fault or a lock (``DatabaseError``, as psycopg's own refusals before
    sending, which have none), passing (:class:`~taiyaku.errors.DatabaseUnavailable`), or
    the server's own (:class:`~taiyaku.errors.DatabaseFault`: a table missing, privileges
    taken away). A server answers them 400, 503 and 500."""
    state = getattr(error, "sqlstate", None)
    if not state or state[:2] in _INPUT_CLASSES or state == _LOCKED:
        return DatabaseError
    if state[:2] in _PASSING_CLASSES or state in _PASSING_STATES:
        return DatabaseUnavailable
    return DatabaseFault


def describe_pg_error(error: Exception, busy_timeout: float | None = None) -> str:
    """Turn a psycopg error into a sentence a user can act on (SQLite's words where the
    engines agree: a lock waited for ``busy_timeout`` seconds)."""
    import psycopg.errors

    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, psycopg.errors.LockNotAvailable):
        waited = "its write to finish" if busy_timeout is None else f"{busy_timeout:g} s"
        return f"database is locked by another program (waited {waited})"
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
        return f"opened for reading only ({text})"
    if isinstance(error, psycopg.DataError) and "NUL (0x00)" in text:
        # psycopg refuses the text before sending it: say it in the words an import uses
        return "a NUL character (U+0000) in a text: a PostgreSQL database cannot store it"
    return text


class PgConnection:
    """A psycopg connection with the shape the store uses of ``sqlite3.Connection``.

    ``execute``/``executemany`` take ``?`` placeholders and raise
    :class:`~taiyaku.errors.DatabaseError` naming the database. ``total_changes`` counts
    the writing statements run on this connection (with the database's ``data_version``
    it makes the change stamp of :func:`taiyaku.store.index_reader.change_stamp`).
    """

    def __init__(self, raw: psycopg.Connection[Any], url: str, busy_timeout: float | None = None):
        self.raw = raw
        self.url = url
        self.name = safe_url(url)
        self.busy_timeout = busy_timeout
        self.total_changes = 0
        # Statements sent on this connection, and the data_version read after the n-th.
        self.statements = 0
        self.version_read: tuple[int, str] | None = None

    def _failed(self, error: Exception) -> DatabaseError:
        lost = self.raw.closed  # the server ended the connection: this one is done for
        kind = DatabaseUnavailable if lost else error_kind(error)
        return kind(f"{self.name}: {describe_pg_error(error, self.busy_timeout)}")

    def execute(self, sql: str, params: Sequence[Any] = (), *, binary: bool = False) -> Any:
        """Run one statement; return its cursor (``fetchone``, ``fetchall``, iteration),
        typed loosely as ``sqlite3.Cursor`` is, so the store's code reads either alike.

        :param binary: results in binary format (see :func:`taiyaku.store.db.read_blobs`)
        """
        import psycopg

        self.statements += 1
        if not _READS.match(sql):
            self.total_changes += 1
        try:
            return self.raw.execute(_pg_sql(sql), list(params), binary=binary)
        except psycopg.Error as error:
            raise self._failed(error) from error

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for every row (psycopg pipelines them)."""
        import psycopg

        self.statements += 1
        self.total_changes += 1
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(_pg_sql(sql), rows)
        except psycopg.Error as error:
            raise self._failed(error) from error

    def copy_rows(self, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
        """Stream ``rows`` into ``table`` with ``COPY``: the fast way in for a bulk import."""
        import psycopg

        self.statements += 1
        self.total_changes += 1
        try:
            with self.raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        except psycopg.Error as error:
            raise self._failed(error) from error

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Generator[dict[str, Any], None, None]:
        """Yield the rows of a query as dicts through a server-side (named) cursor.

        Rows come in batches of a few thousand, so an export of millions of units keeps
        memory flat. A named cursor lives in a transaction: inside the caller's, when one is
        open (its own writes are seen); else in a read-only one on a connection of its own,
        so a stream left half-read never holds this connection's later writes.
        """
        import psycopg
        from psycopg.rows import dict_row

        name = f"taiyaku_stream_{next(_cursor_numbers)}"
        self.statements += 1
        try:
            if self.in_transaction:
                with self.raw.cursor(name=name, row_factory=dict_row) as cursor:
                    cursor.itersize = STREAM_BATCH
                    cursor.execute(_pg_sql(sql), list(params))
                    yield from cursor
                return
            with psycopg.connect(self.url) as other:
                other.read_only = True
                with other.cursor(name=name, row_factory=dict_row) as cursor:
                    cursor.itersize = STREAM_BATCH
                    cursor.execute(_pg_sql(sql), list(params))
                    yield from cursor
        except psycopg.Error as error:
            raise self._failed(error) from error

    @property
    def in_transaction(self) -> bool:
        """True inside a transaction (as ``sqlite3.Connection.in_transaction``)."""
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


class PgDatabase:
    """An open taiyaku database on PostgreSQL: what the store needs of a sqlite_utils ``Database``.

    :param conn: the connection
    :param url: the URL it was opened with (kept, password included, for worker processes
        that open it again; messages use :func:`safe_url`)
    """

    def __init__(self, conn: PgConnection, url: str):
        self.conn = conn
        self.url = url

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Yield the rows of a query as dicts (as ``sqlite_utils.Database.query``)."""
        cursor = self.conn.execute(sql, params)
        columns = [c.name for c in cursor.description or ()]
        for row in cursor.fetchall():
            yield dict(zip(columns, row, strict=True))

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (as ``sqlite_utils.Database.execute``)."""
        return self.conn.execute(sql, params)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """A savepoint inside the current transaction (or a transaction outside one)."""
        with self.conn.raw.transaction():
            yield

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


@contextlib.contextmanager
def transaction(db: PgDatabase) -> Iterator[PgDatabase]:
    """One write transaction (a savepoint when nested), all of it committed or none.

    The outermost one queues behind any other taiyaku writer (an advisory lock held until it
    ends) and, before it commits, sets ``meta.data_version`` to its transaction id, which is
    how other connections' caches see that the database changed.
    """
    import psycopg

    conn = db.conn
    outermost = not conn.in_transaction
    try:
        with conn.raw.transaction():
            if outermost:
                conn.execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
            yield db
            if outermost:
                conn.execute(
                    "UPDATE meta SET value = txid_current()::text WHERE key = 'data_version'"
                )
    except psycopg.Error as error:  # the commit itself (statements raise DatabaseError)
        raise conn._failed(error) from error


def data_version(db: PgDatabase, *, again: bool = False) -> str:
    """A value that changes with every committed write transaction (see :func:`transaction`).

    Asked again with no statement sent between, it gives the value it just read, without a
    round trip (a search asks at several layers before its first read): as if the second
    asking had come at the moment of the first, which nothing on this connection could tell
    apart.

    :param again: read the server even so (the start of a search that may send nothing
        else, its postings all cached: it must see what was committed since)
    """
    conn = db.conn
    if not again and conn.version_read is not None and conn.version_read[0] == conn.statements:
        return conn.version_read[1]
    row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    value = str(row[0]) if row else ""
    conn.version_read = (conn.statements, value)
    return value


def _import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError(
            "a PostgreSQL database needs psycopg: pip install 'taiyaku[postgres]'"
        ) from None
    return psycopg


def is_set_up(url: str) -> bool:
    """Whether the database of ``url`` holds taiyaku's schema (an empty one does not).

    :raises DatabaseError: the server cannot be reached
    """
    psycopg = _import_psycopg()
    from taiyaku.store.pg_migrations import TABLE

    try:
        with psycopg.connect(url, autocommit=True) as raw:
            row = raw.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE]).fetchone()
    except psycopg.Error as error:
        raise DatabaseError(
            f"{safe_url(url)}: cannot connect ({describe_pg_error(error)})"
        ) from None
    return bool(row and row[0])


def open_postgres(
    url: str,
    *,
    write: bool = True,
    busy_timeout: float,
    progress: Progress | None = None,
) -> PgDatabase:
    """Open a taiyaku database on a PostgreSQL server (see :func:`taiyaku.store.db.open_db`).

    A writing open applies pending schema steps and rebuilds keys made under another key
    signature; a reading open changes nothing (its sessions are read-only).

    :param url: ``postgresql://user:password@host:port/dbname`` (libpq's URI syntax: a
        Unix socket as ``?host=/path``, a schema as ``?options=-csearch_path%3Dname``)
    :param busy_timeout: seconds a writer waits for another writer's lock
    :raises DatabaseError: the server cannot be reached, the database is not taiyaku's,
        needs upgrading (reading), was written by a newer taiyaku, or is not UTF-8
    """
    psycopg = _import_psycopg()
    from taiyaku.store import pg_migrations

    name = safe_url(url)
    try:
        # Statements are prepared on their second use: a search runs the same few each time.
        raw = psycopg.connect(url, autocommit=True, prepare_threshold=1)
    except psycopg.Error as error:
        raise DatabaseError(f"{name}: cannot connect ({describe_pg_error(error)})") from None
    conn = PgConnection(raw, url, busy_timeout)
    db = PgDatabase(conn, url)
    try:
        encoding = conn.execute("SHOW server_encoding").fetchone()[0]
        if encoding.upper() not in ("UTF8", "UTF-8"):
            raise DatabaseError(
                f"{name}: the database's encoding is {encoding}; taiyaku needs UTF8 "
                "(createdb -E UTF8 -T template0)"
            )
        # 0 would mean "wait forever" to PostgreSQL, "do not wait" to SQLite: at least 1 ms.
        conn.execute(f"SET lock_timeout = {max(1, int(busy_timeout * 1000))}")
        if not write:
            conn.execute("SET default_transaction_read_only = on")
        pg_migrations.refuse_foreign(db)
        pg_migrations.refuse_newer(db)
        migrated = False
        if pg_migrations.pending(db):
            if not write:
                raise DatabaseError(pg_migrations.needs_upgrade(db))
            migrated = pg_migrations.apply(db)
        if write:
            from taiyaku.store.keys import bring_keys_up_to_date

            bring_keys_up_to_date(db, progress, always=migrated)
    except BaseException:
        raw.close()
        raise
    return db
