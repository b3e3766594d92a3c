"""Opening a taiyaku database: one SQLite file (or a PostgreSQL database) holds a project's TM and glossary.

``open_db`` opens a file for writing (it sets WAL, a busy timeout and foreign keys, and
applies pending migrations and rebuilds keys made under another key signature, so a new
file and an old file behave alike) or only for
reading (read-only, never created nor migrated: a command that only reads leaves the file
as it was). A SQLite file that is not taiyaku's is refused untouched either way. Writers use
``transaction``: ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes
importing at once queue behind the busy timeout instead of failing half-way.

A ``postgresql://`` URL opens the same store on a server (:mod:`taiyaku.store.pg`), with
the same guarantees; :data:`Db` is the type of either open database. A SQLite file opened
for writing is a sqlite-utils ``Database``; one opened only for reading a
:class:`SqliteReader`, which offers the same four things the store uses of it (``conn``,
``execute``, ``query``, ``close``) without importing sqlite-utils: a command that only reads
starts 0.16 s sooner on a slow core (0.17 against 0.33 s to import numpy, click and
sqlite-utils).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import sys
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from taiyaku.errors import DatabaseError
from taiyaku.store import pg
from taiyaku.store.migrations import MIGRATIONS_TABLE, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

    from taiyaku.store.keys import Progress

Db: TypeAlias = "Database | SqliteReader | pg.PgDatabase"
"""An open taiyaku database, SQLite or PostgreSQL: what the store's classes are built on."""

DEFAULT_DB = "taiyaku.db"
BUSY_TIMEOUT_SECONDS = 30.0
PAGE_CACHE_KIB = 196_608
PAGE_SIZE = 16_384


def default_db_path() -> str:
    """Return ``$TAIYAKU_DB`` if set, else ``./taiyaku.db``."""
    return os.environ.get("TAIYAKU_DB") or DEFAULT_DB


def busy_timeout_seconds() -> float:
    """``$TAIYAKU_BUSY_TIMEOUT`` (seconds) if set, else 30: how long a writer waits for a lock."""
    try:
        return float(os.environ.get("TAIYAKU_BUSY_TIMEOUT") or BUSY_TIMEOUT_SECONDS)
    except ValueError:
        return BUSY_TIMEOUT_SECONDS


def open_db(
    path: str | os.PathLike[str] | None = None,
    *,
    write: bool = True,
    busy_timeout: float | None = None,
    progress: Progress | None = None,
) -> Db:
    """Open a taiyaku database, for writing (the default) or only for reading.

    A writing open creates the file if needed and brings its schema up to date. A reading
    open changes nothing, not even the journal mode: it never creates a file, never
    migrates, and opens the file read-only (SQLite ``mode=ro``, and ``immutable=1`` when
    the folder cannot be written, as on a CD or a read-only share). Either way a SQLite file
    that is not a taiyaku database is refused before anything is written to it.

    :param path: the SQLite file; ``None`` means :func:`default_db_path`; ``":memory:"``
        gives an in-memory database (always writable); a ``postgresql://`` URL a database
        on a PostgreSQL server (:func:`taiyaku.store.pg.open_postgres`)
    :param write: ``False`` for commands that only read
    :param busy_timeout: seconds to wait for another process's write lock (default:
        :func:`busy_timeout_seconds`)
    :param progress: shows a rebuild of the stored keys (writing only; see
        :mod:`taiyaku.store.keys`)
    :raises DatabaseError: the file is missing (reading), is not a taiyaku database, needs
        upgrading (reading), is locked beyond the timeout, or was written by a newer taiyaku
    """
    name = os.fspath(path) if path is not None else default_db_path()
    if busy_timeout is None:
        busy_timeout = busy_timeout_seconds()
    if pg.is_url(name):
        return pg.open_postgres(name, write=write, busy_timeout=busy_timeout, progress=progress)
    if name == ":memory:":
        write = True
    elif Path(name).is_dir():
        raise DatabaseError(f"{name}: is a directory, not a database file")
    elif not write and not Path(name).exists():
        raise DatabaseError(
            f"{name}: no such database (a writing command, such as `taiyaku tm import`, "
            "creates it; --db or $TAIYAKU_DB names another)"
        )
    try:
        if name != ":memory:" and Path(name).exists():
            _refuse_foreign(name)
        db: Database | SqliteReader
        if write:
            from sqlite_utils import Database

            conn = sqlite3.connect(name, timeout=busy_timeout, isolation_level=None)
            # No sqlite-utils plugins: taiyaku's SQL needs none, and finding them reads the
            # metadata of every installed package at every start-up.
            db = Database(conn, execute_plugins=False)
        else:
            db = SqliteReader(_connect_read_only(name, busy_timeout))
        if write and name != ":memory:":
            # A new file gets 16 KiB pages: units of a few hundred bytes and index entries
            # fill them better than 4 KiB ones (a 1M-unit TM is ~5 % smaller). Set before
            # WAL, which fixes the page size; no effect on an existing file.
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            # WAL lets readers (a `match`) run beside a writer (an import).
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        # Imports and the fuzzy index work on large B-trees: with SQLite's default 2 MB page
        # cache a million-unit import spends a third of its time re-reading pages. This is a
        # ceiling, not an allocation.
        db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        _refuse_newer_schema(db, name)
        migrated = False
        if migrations.pending(db):
            if isinstance(db, SqliteReader):
                raise DatabaseError(_needs_upgrade(db, name))
            with transaction(db):
                # Another process may have migrated while we waited for the lock.
                migrated = bool(migrations.pending(db))
                migrations.apply(db)
        if write:
            from taiyaku.store.keys import bring_keys_up_to_date

            # A schema step may have added key columns or index tables: fill them.
            bring_keys_up_to_date(db, progress, always=migrated)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{name}: {describe_sqlite_error(error)}") from error
    return db


def _connect_read_only(name: str, busy_timeout: float) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` when SQLite could not create its lock files."""
    folder = Path(name).resolve().parent
    uri = f"{Path(name).resolve().as_uri()}?mode=ro"
    wal_files = all(Path(f"{name}-{suffix}").exists() for suffix in ("wal", "shm"))
    if not os.access(folder, os.W_OK) and not wal_files:
        # A WAL database needs its -shm file; where it cannot be created, tell SQLite the
        # file will not change under it (no locks, no -shm). With no -wal file either, every
        # write is in the main file, so nothing is missed. (Where both exist SQLite reads
        # them read-only, the WAL's last writes included.)
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)


def _refuse_foreign(name: str) -> None:
    """Raise if ``name`` is a SQLite file with tables but no taiyaku schema steps.

    Looked at through a read-only connection, so a refused file keeps every byte.
    """
    conn = _connect_read_only(name, busy_timeout_seconds())
    try:
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        ours = 0
        if MIGRATIONS_TABLE in tables:
            ours = conn.execute(
                f"SELECT count(*) FROM {MIGRATIONS_TABLE} WHERE migration_set = ?",
                [migrations.name],
            ).fetchone()[0]
    finally:
        conn.close()
    if tables and not ours:
        shown = ", ".join(sorted(tables)[:3]) + (", ..." if len(tables) > 3 else "")
        raise DatabaseError(
            f"{name}: not a taiyaku database (a SQLite file with other tables: {shown}); "
            "left untouched"
        )


def _needs_upgrade(db: Database | SqliteReader, name: str) -> str:
    if not migrations.applied(db):
        return f"{name}: an empty database (a writing command, such as `taiyaku tm import`, sets it up)"
    return (
        f"{name}: written by an older taiyaku; run `taiyaku --db {name} upgrade` "
        "(or any writing command) to bring it up to date"
    )


@functools.cache
def _known_steps() -> frozenset[str]:
    """The names of every schema step this taiyaku knows."""
    return frozenset(migrations.names)


def _refuse_newer_schema(db: Database | SqliteReader, name: str) -> None:
    known = _known_steps()
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise DatabaseError(
            f"{name}: written by a newer taiyaku (schema step {unknown[-1]} is unknown here); "
            "upgrade taiyaku to open it"
        )


def database_exists(name: str) -> bool:
    """Whether there is a database at ``name`` for a reading command to open: a SQLite file
    that is there, a PostgreSQL database that a writing command has set up.

    >>> database_exists("/nonexistent/project.db")
    False
    """
    if pg.is_url(name):
        return pg.is_set_up(name)
    return Path(name).exists()


def shown_name(name: str, *, full: bool = False) -> str:
    """How a spreadsheet names the database ``name``: a file by its name (``full``: its
    absolute path), a PostgreSQL database by its URL without the password.

    >>> shown_name("work/project.db"), shown_name("postgresql://me:secret@host/tm")
    ('project.db', 'postgresql://me:***@host/tm')
    """
    if pg.is_url(name):
        return pg.safe_url(name)
    return os.path.abspath(name) if full else os.path.basename(name)


def is_db(value: object) -> bool:
    """True when ``value`` is an open taiyaku database of either engine."""
    if isinstance(value, (SqliteReader, pg.PgDatabase)):
        return True
    # A sqlite-utils Database (a writing open) exists only once sqlite-utils is imported.
    sqlite_utils = sys.modules.get("sqlite_utils.db")
    return sqlite_utils is not None and isinstance(value, sqlite_utils.Database)


class SqliteReader:
    """A SQLite database opened only for reading (:func:`open_db` with ``write=False``):
    what the store uses of sqlite-utils' ``Database``, for a connection that cannot write.

    :param conn: the read-only connection (autocommit: ``isolation_level=None``)
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> Generator[dict[str, Any], None, None]:
        """Run a query now and yield its rows as dicts (as ``Database.query``)."""
        cursor = self.conn.execute(sql, params)
        columns = [column[0] for column in cursor.description or ()]
        return (dict(zip(columns, row, strict=True)) for row in cursor)

    def execute(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        """Run one statement and return its cursor (as ``Database.execute``)."""
        return self.conn.execute(sql, () if params is None else params)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[SqliteReader]:
        """A savepoint inside the current transaction (as ``Database.atomic`` there)."""
        self.conn.execute("SAVEPOINT taiyaku_reader")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO SAVEPOINT taiyaku_reader")
                self.conn.execute("RELEASE SAVEPOINT taiyaku_reader")
            raise
        else:
            self.conn.execute("RELEASE SAVEPOINT taiyaku_reader")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def in_list(db: Db, values: Sequence[Any]) -> tuple[str, Any]:
    """SQL testing a column against many values bound as one parameter, and that parameter.

    ``column + sql`` is ``IN (SELECT value FROM json_each(?))`` with a JSON list on SQLite
    and ``= ANY(?)`` with an array on PostgreSQL: one statement however many values.
    """
    if isinstance(db, pg.PgDatabase):
        return pg.any_of(values), list(values)
    return " IN (SELECT value FROM json_each(?))", json.dumps(list(values), ensure_ascii=False)


def in_params(db: Db, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """SQL testing a column against a few values, and its parameters: ``IN (?, ?, ...)`` on
    SQLite; ``= ANY(?)`` with one array on PostgreSQL, so the statement's text does not
    change with the number of values and the server plans it once (psycopg prepares it).
    """
    if isinstance(db, pg.PgDatabase):
        return pg.any_of(values), [list(values)]
    return f" IN ({', '.join('?' * len(values))})", list(values)


def read_blobs(db: Db, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Return all rows of a query that reads blobs (posting lists, sizes arrays).

    On PostgreSQL the rows come in binary format: a ``bytea`` arrives as its bytes, not as
    hex text twice its size for the client to decode (the postings of one fuzzy search at
    1M units, about 1.2 MB: 0.8 ms against 3.2 ms on loopback).
    """
    if isinstance(db, pg.PgDatabase):
        return list(db.conn.execute(sql, params, binary=True).fetchall())
    return db.conn.execute(sql, params).fetchall()


def stream_rows(
    db: Db, sql: str, params: Sequence[Any] = ()
) -> Generator[dict[str, Any], None, None]:
    """Yield the rows of a long query as dicts without holding them all (an export's read).

    SQLite steps through its cursor; PostgreSQL reads through a server-side cursor on a
    connection of its own outside a transaction. Close a stream not read to its end
    (``contextlib.closing``): that ends the read at once, not when the garbage is collected.
    """
    if isinstance(db, pg.PgDatabase):
        return db.conn.stream(sql, params)
    return db.query(sql, params)


def insert_rows(db: Db, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
    """Insert many rows into ``table``: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""
    if isinstance(db, pg.PgDatabase):
        db.conn.copy_rows(table, columns, rows)
        return
    marks = ", ".join("?" * len(columns.split(",")))
    db.conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def database_file(db: Db) -> str | None:
    """The file ``db`` is connected to (a PostgreSQL database's URL), or ``None`` for an
    in-memory database: what another process opens to reach the same data."""
    if isinstance(db, pg.PgDatabase):
        return db.url
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else None


def database_size_bytes(db: Db) -> int:
    """The space ``db`` takes: a SQLite file's pages (its WAL included), a PG database's size.

    >>> database_size_bytes(open_db(":memory:")) > 0
    True
    """
    if isinstance(db, pg.PgDatabase):
        return int(db.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    page_size = db.conn.execute("PRAGMA page_size").fetchone()[0]
    name = database_file(db)
    wal = Path(f"{name}-wal") if name else None
    return int(pages * page_size) + (wal.stat().st_size if wal and wal.exists() else 0)


def reclaim_free_space(db: Db) -> int:
    """Give the file's free pages back (SQLite ``VACUUM``) when they are a quarter of it or
    more, as after a schema step that copied a table; return the bytes given back.

    A PostgreSQL database is left to its autovacuum (``0``). Must run outside a transaction.
    """
    if isinstance(db, pg.PgDatabase):
        return 0
    free, pages = (
        db.conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("freelist_count", "page_count")
    )
    if free * 4 < pages:
        return 0
    page_size = db.conn.execute("PRAGMA page_size").fetchone()[0]
    db.conn.execute("VACUUM")
    # In WAL mode VACUUM writes the new pages to the log: the file shrinks at the checkpoint.
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return int(free * page_size)


def database_identity(db: Db) -> str:
    """The file of ``db`` (so separate connections share a cache), or the connection's id."""
    return database_file(db) or f"memory:{id(db.conn)}"


def connection_lost(db: Db) -> bool:
    """True when ``db``'s connection to its PostgreSQL server was lost (the server ended
    it): open it again. A SQLite file has no connection to lose."""
    return isinstance(db, pg.PgDatabase) and db.conn.raw.closed


def describe_sqlite_error(error: sqlite3.Error) -> str:
    """Turn an sqlite3 error into a sentence a user can act on."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"database is locked by another program (waited {busy_timeout_seconds():g} s)"
    if "file is not a database" in text or "malformed" in text:
        return f"not a taiyaku database ({text})"
    return text


@contextlib.contextmanager
def transaction(db: Db) -> Iterator[Db]:
    """Run a block as one write transaction: all of it is committed, or none of it.

    Nested use becomes a savepoint inside the outer transaction.

    :raises DatabaseError: another writer held the database longer than the busy timeout
        (on SQLite as on PostgreSQL, not SQLite's own ``OperationalError``)
    """
    if isinstance(db, pg.PgDatabase):
        with pg.transaction(db):
            yield db
        return
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        name = database_file(db) or ":memory:"
        raise DatabaseError(f"{name}: {describe_sqlite_error(error)}") from error
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
