"""Shared fixtures: real SQLite files in tmp_path, the shipped data, ../shared when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from taiyaku.store.db import open_db

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
