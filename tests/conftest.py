"""Shared fixtures: real SQLite files in tmp_path, a real PostgreSQL server, the shipped data.

PostgreSQL: ``pg_server`` starts one throwaway server for the session (``tests/pgserver.py``)
and ``pg_url`` gives each test a fresh empty database on it. ``backend`` runs a test once per
backend (``sqlite``, ``postgres``) and ``db_target`` is what that test passes to ``--db`` or
``open_db``. Tests that use PostgreSQL get the ``postgres`` marker (``-m "not postgres"``
leaves them out). When the server cannot be started they FAIL, so CI cannot pass without
PostgreSQL; ``TAIYAKU_TEST_NO_PG=1`` turns that into an explicit skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from taiyaku.store.db import open_db
from tests.pgserver import PostgresServer, PostgresUnavailable, start_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("TAIYAKU_SHARED", ROOT.parent / "shared"))


@pytest.fixture(autouse=True)
def _no_installed_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Alignment in tests uses no dictionary unless the test gives one: what a test expects
    must not depend on whether this machine has Debian's edict package installed."""
    monkeypatch.setattr("taiyaku.align.dictionary.DEFAULT_PATH", Path("/nonexistent/edict"))
    monkeypatch.delenv("TAIYAKU_EDICT", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


BACKENDS = ("sqlite", "postgres")
PG_FIXTURES = {"pg_server", "pg_url"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the PostgreSQL server ``postgres``."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("backend") == "postgres"
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


@pytest.fixture
def pg_url(pg_server: PostgresServer):
    """A fresh, empty database of its own for this test: its ``postgresql://`` URL."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def new_db_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """Make ``new_db_target(name)``: a new SQLite file's path or a new empty PG database's URL.

    What ``--db`` names on this test's backend; the PG databases are dropped after the test.
    """
    server: PostgresServer | None = None
    made: list[str] = []
    if backend == "postgres":
        server = request.getfixturevalue("pg_server")

    def make(name: str = "test") -> str:
        if server is None:
            return str(tmp_path / f"{name}.db")
        made.append(server.create_database())
        return made[-1]

    yield make
    for url in made:
        assert server is not None
        server.drop_database(url)


@pytest.fixture
def db_target(new_db_target) -> str:
    """What ``--db`` names for this test's backend: a new SQLite file or an empty PG database."""
    return str(new_db_target())


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv("TAIYAKU_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, or a skip saying why it is missing."""
    path = SHARED.joinpath("data", *parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared/data is only beside a developer checkout)")
    return path


def table_digest(db_path: Path) -> str:
    """A hash of every row of every taiyaku table: equal digests mean an unchanged database."""
    import hashlib
    import sqlite3

    conn = sqlite3.connect(db_path)
    digest = hashlib.sha256()
    tables = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    for table in tables:
        digest.update(table.encode())
        for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid"):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


@pytest.fixture
def backend_db(db_target: str):
    """An open, empty writable database on this test's backend (SQLite, then PostgreSQL).

    A module whose tests should run on both engines overrides ``db`` with it.
    """
    database = open_db(db_target)
    yield database
    database.close()
