"""Opening a taiyaku database: one SQLite file holds a project's TM and glossary.

``open_db`` sets the pragmas every connection needs (WAL, a busy timeout, foreign keys)
and applies pending migrations, so a new file and an old file behave alike. Writers use
``transaction``: ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes
importing at once queue behind the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from taiyaku.errors import DatabaseError
from taiyaku.store.migrations import migrations

DEFAULT_DB = "taiyaku.db"
BUSY_TIMEOUT_SECONDS = 30.0
PAGE_CACHE_KIB = 196_608


def default_db_path() -> str:
    """Return ``$TAIYAKU_DB`` if set, else ``./taiyaku.db``."""
    return os.environ.get("TAIYAKU_DB") or DEFAULT_DB


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with a ``Z``, to the second."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def busy_timeout_seconds() -> float:
    """``$TAIYAKU_BUSY_TIMEOUT`` (seconds) if set, else 30: how long a writer waits for a lock."""
    try:
        return float(os.environ.get("TAIYAKU_BUSY_TIMEOUT") or BUSY_TIMEOUT_SECONDS)
    except ValueError:
        return BUSY_TIMEOUT_SECONDS


def open_db(
    path: str | os.PathLike[str] | None = None, *, busy_timeout: float | None = None
) -> Database:
    """Open (creating if needed) a taiyaku database and bring its schema up to date.

    :param path: the SQLite file; ``None`` means :func:`default_db_path`; ``":memory:"``
        gives an in-memory database
    :param busy_timeout: seconds to wait for another process's write lock (default:
        :func:`busy_timeout_seconds`)
    :raises DatabaseError: the file is not a database, is locked beyond the timeout, or
        was written by a newer taiyaku
    """
    name = os.fspath(path) if path is not None else default_db_path()
    if busy_timeout is None:
        busy_timeout = busy_timeout_seconds()
    if name != ":memory:" and Path(name).is_dir():
        raise DatabaseError(f"{name}: is a directory, not a database file")
    try:
        conn = sqlite3.connect(name, timeout=busy_timeout, isolation_level=None)
        db = Database(conn)
        # WAL lets readers (a `match`) run beside a writer (an import).
        if name != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        # Imports and the fuzzy index work on large B-trees: with SQLite's default 2 MB page
        # cache a million-unit import spends a third of its time re-reading pages. This is a
        # ceiling, not an allocation.
        db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        _refuse_newer_schema(db, name)
        if migrations.pending(db):
            with transaction(db):
                # Another process may have migrated while we waited for the lock.
                migrations.apply(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{name}: {describe_sqlite_error(error)}") from error
    return db


def _refuse_newer_schema(db: Database, name: str) -> None:
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise DatabaseError(
            f"{name}: written by a newer taiyaku (schema step {unknown[-1]} is unknown here); "
            "upgrade taiyaku to open it"
        )


def describe_sqlite_error(error: sqlite3.Error) -> str:
    """Turn an sqlite3 error into a sentence a user can act on."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"database is locked by another program (waited {busy_timeout_seconds():g} s)"
    if "file is not a database" in text or "malformed" in text:
        return f"not a taiyaku database ({text})"
    return text


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run a block as one write transaction: all of it is committed, or none of it.

    Nested use becomes a savepoint inside the outer transaction.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
