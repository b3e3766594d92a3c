"""Shared fixtures: real SQLite files in tmp_path, a real PostgreSQL server, the shipped data.

PostgreSQL: ``pg_server`` starts one throwaway server for the session (``tests/pgserver.py``)
and ``pg_url`` gives each test a fresh empty database on it. ``backend`` runs a test once per
backend (``sqlite``, ``postgres``) and ``db_target`` is what that test passes to ``--db`` or
``open_db``. Tests that use PostgreSQL get the ``postgres`` marker (``-m "not postgres"``
leaves them out). When the server cannot be started they FAIL, so CI cannot pass without
PostgreSQL; ``TAIYAKU_TEST_NO_PG=1`` turns that into an explicit skip.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from taiyaku.store.db import open_db, transaction
from tests.pgserver import DatabasePool, PostgresServer, PostgresUnavailable, start_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("TAIYAKU_SHARED", ROOT.parent / "shared"))


@pytest.fixture(autouse=True)
def _no_installed_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Alignment in tests uses no dictionary unless the test gives one: what a test expects
    must not depend on whether this machine has Debian's edict package installed."""
    monkeypatch.setattr("taiyaku.align.dictionary.DEFAULT_PATH", Path("/nonexistent/edict"))
    monkeypatch.delenv("TAIYAKU_EDICT", raising=False)


@pytest.fixture(autouse=True)
def _every_database_test_runs_on_both_backends(request: pytest.FixtureRequest):
    """Fail a test that made a SQLite database in its ``tmp_path`` without the ``backend``
    parameter: it must take its database from ``new_db_target``/``db_target``/``db`` (and so
    run on PostgreSQL too), or say why it is ``sqlite_only``. A test that takes ``pg_url``
    or ``pg_server`` may make a SQLite file beside (a copy between the engines)."""
    yield
    if "tmp_path" not in request.fixturenames or "backend" in request.fixturenames:
        return
    if PG_FIXTURES & set(request.fixturenames):  # both engines on purpose (db copy, parity)
        return
    if request.node.get_closest_marker("sqlite_only"):
        return
    folder = request.node.funcargs["tmp_path"]  # its fixture has ended; its folder stays
    made = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.db"))
    if made:
        pytest.fail(
            f"made SQLite databases {made} without the backend parameter: use new_db_target "
            "(or mark the test sqlite_only with the reason)",
            pytrace=False,
        )


BACKENDS = ("sqlite", "postgres")
PG_FIXTURES = {"pg_server", "pg_url"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses a database once per backend: ``backend`` is its parameter.

    A test marked ``sqlite_only(reason)`` checks something only a SQLite file has (its
    bytes, PRAGMAs, WAL, a foreign or old SQLite file) and runs on SQLite alone; a test that
    takes ``pg_url`` or ``pg_server`` is about PostgreSQL and runs on it alone (its
    ``runner``'s default database on the server too).
    """
    if "backend" not in metafunc.fixturenames:
        return
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only")
    if sqlite_only is not None and not sqlite_only.args:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs its reason")
    if sqlite_only:
        metafunc.parametrize("backend", BACKENDS[:1])
    elif PG_FIXTURES & set(metafunc.fixturenames):
        metafunc.parametrize("backend", BACKENDS[1:])
    else:
        metafunc.parametrize("backend", BACKENDS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the PostgreSQL server ``postgres``."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        # "backend" or a module fixture's own backend parameter (tests/test_match.py)
        on_postgres = callspec is not None and "postgres" in callspec.params.values()
        if on_postgres or PG_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL server for the whole session, stopped and deleted at the end."""
    if os.environ.get("TAIYAKU_TEST_NO_PG") == "1":
        pytest.skip("TAIYAKU_TEST_NO_PG=1: the PostgreSQL tests are switched off")
    try:
        server = start_server()
    except PostgresUnavailable as error:
        pytest.fail(
            f"cannot start PostgreSQL for the tests: {error}\n"
            "(set TAIYAKU_TEST_NO_PG=1 to skip the PostgreSQL tests on purpose)",
            pytrace=False,
        )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_pool(pg_server: PostgresServer) -> DatabasePool:
    """Empty databases handed out to tests and emptied again after (see :class:`DatabasePool`)."""
    return DatabasePool(pg_server)


@pytest.fixture
def pg_url(pg_pool: DatabasePool):
    """A fresh, empty database of its own for this test: its ``postgresql://`` URL."""
    url = pg_pool.take()
    yield url
    pg_pool.give_back(url)


@pytest.fixture
def backend() -> str:
    """``sqlite`` or ``postgres``: set per test by :func:`pytest_generate_tests`."""
    raise AssertionError("pytest_generate_tests parametrizes backend")


@pytest.fixture
def new_db_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """Make ``new_db_target(name)``: what ``--db`` names for a new database on this test's backend.

    SQLite: the path of a file not yet there, ``tmp_path / f"{name}.db"`` (a ``Path``).
    PostgreSQL: the URL (a ``str``) of an empty database of its own, emptied again after the
    test. The same name gives the same database within a test; ``empty=True`` empties it
    first (each example of a hypothesis test starts from an empty database).
    """
    pool: DatabasePool | None = None
    made: dict[str, str] = {}
    if backend == "postgres":
        pool = request.getfixturevalue("pg_pool")

    def make(name: str = "test", *, empty: bool = False) -> Path | str:
        if pool is None:
            path = tmp_path / f"{name}.db"
            if empty:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            return path
        if name not in made:
            made[name] = pool.take()
        elif empty:
            pool.server.empty_database(made[name])
        return made[name]

    yield make
    for url in made.values():
        assert pool is not None
        pool.give_back(url)


@pytest.fixture
def db_target(new_db_target) -> str:
    """What ``--db`` names for this test's backend: a new SQLite file or an empty PG database."""
    return str(new_db_target())


@pytest.fixture
def db(db_target: str):
    """An open, empty writable database on this test's backend (SQLite, then PostgreSQL)."""
    database = open_db(db_target)
    yield database
    database.close()


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, new_db_target) -> CliRunner:
    """A CliRunner in ``tmp_path`` whose default database (``$TAIYAKU_DB``) is this test's
    backend's ``new_db_target("taiyaku")``: ``./taiyaku.db`` on SQLite."""
    monkeypatch.setenv("TAIYAKU_DB", str(new_db_target("taiyaku")))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, or a skip saying why it is missing."""
    path = SHARED.joinpath("data", *parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared/data is only beside a developer checkout)")
    return path


def table_digest(target: str | os.PathLike[str]) -> str:
    """A hash of every row of every table of a database (a SQLite file or a PG URL): equal
    digests mean an unchanged database."""
    import hashlib

    digest = hashlib.sha256()
    for table, rows in _table_rows(os.fspath(target)):
        digest.update(table.encode())
        for row in sorted(repr(row) for row in rows):
            digest.update(row.encode())
    return digest.hexdigest()


def query_rows(target: str | os.PathLike[str], sql: str, params: list | tuple = ()) -> list[tuple]:
    """The rows of ``sql`` (``?`` placeholders) in the database ``target``, either backend,
    read through taiyaku's own reading open."""
    database = open_db(target, write=False)
    try:
        return [tuple(row) for row in database.execute(sql, params).fetchall()]
    finally:
        database.close()


@contextlib.contextmanager
def holding_the_write_lock(target: str | os.PathLike[str]) -> Iterator[None]:
    """Meanwhile another writer holds the database's write lock: taiyaku's own write
    transaction, open (SQLite ``BEGIN IMMEDIATE``; PostgreSQL the writers' advisory lock)."""
    holder = open_db(target)
    try:
        with transaction(holder):
            yield
    finally:
        holder.close()


def execute_behind_taiyaku(target: str | os.PathLike[str], *statements: tuple[str, list]) -> None:
    """Run SQL statements (``?`` placeholders) on the database ``target``, either backend,
    in one transaction and NOT through taiyaku's open (which would migrate or rebuild keys):
    how a test plays another program or an older taiyaku."""
    target = os.fspath(target)
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            for sql, params in statements:
                conn.execute(sql.replace("?", "%s"), params)
        return
    import sqlite3

    conn = sqlite3.connect(target)
    try:
        with conn:
            for sql, params in statements:
                conn.execute(sql, params)
    finally:
        conn.close()


def table_names(target: str | os.PathLike[str]) -> list[str]:
    """The tables of a database (a SQLite file or a PG URL), in name order; none when a
    SQLite file is not there."""
    target = os.fspath(target)
    if not target.startswith("postgresql://") and not Path(target).exists():
        return []
    return [table for table, _ in _table_rows(target)]


def _table_rows(target: str) -> list[tuple[str, list[tuple]]]:
    """Every table of the database, in name order, with all its rows."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            return [(t, conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables]
    import sqlite3

    conn = sqlite3.connect(target)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return [(t, conn.execute(f"SELECT * FROM [{t}]").fetchall()) for t in tables]
    finally:
        conn.close()
