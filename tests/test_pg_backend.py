"""The PostgreSQL backend on a real server: opening, schema steps, reading only, streaming,
and ``taiyaku db copy`` between SQLite and PostgreSQL in both directions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from taiyaku import DatabaseError, Term, TranslationMemory, Unit, open_db
from taiyaku.cli import cli
from taiyaku.errors import DatabaseUnavailable, TaiyakuError
from taiyaku.project import Project
from taiyaku.store import pg_migrations
from taiyaku.store.copy import copy_database
from taiyaku.store.glossary import GlossaryStore
from taiyaku.store.pg import STREAM_BATCH, data_version, safe_url
from tests.conftest import FIXTURES, ROOT


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
        return {name for (name,) in rows}


def test_a_writing_open_sets_up_the_schema_once(pg_url: str) -> None:
    open_db(pg_url).close()
    open_db(pg_url).close()
    assert {"units", "terms", "meta", "match_postings", "taiyaku_migrations"} <= _tables(pg_url)
    with psycopg.connect(pg_url) as conn:
        steps = conn.execute("SELECT name FROM taiyaku_migrations").fetchall()
        collations = conn.execute(
            "SELECT DISTINCT collation_name FROM information_schema.columns "
            "WHERE table_name = 'units' AND data_type = 'text'"
        ).fetchall()
    assert [name for (name,) in steps] == [name for name, _ in pg_migrations.STEPS]
    assert collations == [("C",)]  # code-point order, as SQLite


def test_a_reading_open_of_an_empty_database_changes_nothing(pg_url: str) -> None:
    with pytest.raises(DatabaseError, match="an empty database"):
        open_db(pg_url, write=False)
    assert _tables(pg_url) == set()


def test_a_reading_open_cannot_write(pg_url: str) -> None:
    open_db(pg_url).close()
    reader = open_db(pg_url, write=False)
    with pytest.raises(DatabaseError, match="opened for reading only"):
        TranslationMemory(reader).add_many([Unit("一", "one")])
    reader.close()
    assert TranslationMemory(open_db(pg_url, write=False)).count() == 0


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        ("22P02", "DatabaseError"),  # invalid text representation: what was sent
        ("23505", "DatabaseError"),  # a unique value twice
        ("55P03", "DatabaseError"),  # a lock not granted: "database is locked"
        ("53100", "DatabaseUnavailable"),  # disk full
        ("40P01", "DatabaseUnavailable"),  # a deadlock: the transaction given up
        ("57014", "DatabaseUnavailable"),  # a statement cancelled
        ("25006", "DatabaseUnavailable"),  # a write on a read-only server
        ("42P01", "DatabaseFault"),  # a table missing
        ("42501", "DatabaseFault"),  # privileges taken away
        ("XX000", "DatabaseFault"),  # the server's internal error
    ],
)
def test_a_server_error_is_told_by_whose_fault_it_is(pg_url: str, state: str, kind: str) -> None:
    """The SQLSTATE of an error the server raises decides what it is: the input's fault (a
    server answers 400), passing (503, try again) or the server's own (500)."""
    database = open_db(pg_url)
    try:
        with pytest.raises(DatabaseError) as raised:
            database.conn.execute(
                f"DO $$ BEGIN RAISE EXCEPTION 'raised here' USING ERRCODE = '{state}'; END $$"
            )
        assert type(raised.value).__name__ == kind
        assert str(raised.value).startswith(f"{safe_url(pg_url)}: ")
        if state != "55P03":
            assert "raised here" in str(raised.value)
    finally:
        database.close()


def test_a_commit_refused_by_the_server_is_told_and_writes_nothing(pg_url: str) -> None:
    """An error the server raises only at the commit (a deferred check: here a disk full)
    is told like one raised by a statement, and nothing of the write stays."""
    database = open_db(pg_url)
    try:
        database.conn.execute(
            "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device' "
            "USING ERRCODE = '53100'; END $$"
        )
        database.conn.execute(
            "CREATE CONSTRAINT TRIGGER disk_full AFTER INSERT ON units "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION disk_full()"
        )
        with pytest.raises(DatabaseUnavailable, match="No space left on device"):
            TranslationMemory(database).add_many([Unit("一", "one")])
        assert TranslationMemory(database).count() == 0
    finally:
        database.close()


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    open_db(pg_url).close()
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            "INSERT INTO taiyaku_migrations (migration_set, name) VALUES ('taiyaku', 'pg999_future')"
        )
    for write in (True, False):
        with pytest.raises(DatabaseError, match=r"newer taiyaku.*pg999_future"):
            open_db(pg_url, write=write)


def test_a_database_with_other_tables_is_left_untouched(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(DatabaseError, match=r"not a taiyaku database.*invoices"):
        open_db(pg_url)
    assert _tables(pg_url) == {"invoices"}


def test_messages_never_show_the_password() -> None:
    url = "postgresql://alice:s3cret@127.0.0.1:1/team"
    assert safe_url(url) == "postgresql://alice:***@127.0.0.1:1/team"
    with pytest.raises(DatabaseError) as raised:
        open_db(url)
    assert "s3cret" not in str(raised.value) and "cannot connect" in str(raised.value)


def test_units_stream_in_order_inside_and_outside_a_transaction(pg_url: str) -> None:
    """More units than one server-side cursor batch: every one comes, in id order."""
    db = open_db(pg_url)
    tm = TranslationMemory(db)
    count = STREAM_BATCH * 2 + 7
    tm.add_many(Unit(f"文{i}です", f"Sentence {i}.") for i in range(count))
    streamed = [u.id for u in tm.iter_units()]
    assert streamed == list(range(1, count + 1))
    with db.atomic():  # inside a transaction the stream reads through its connection
        tm.add_many([Unit("最後の文", "The last sentence.")])
        assert [u.source_text for u in tm.iter_units()][-1] == "最後の文"
    glossary = GlossaryStore(db)
    glossary.add_many([Term("局", "bureau"), Term("国際", "international")])
    assert [t.ja for t in glossary.iter_terms()] == ["国際", "局"]


def test_ids_follow_a_copy_and_identical_pairs_are_stored_once(pg_url: str) -> None:
    db = open_db(pg_url)
    tm = TranslationMemory(db)
    assert tm.restore([Unit("一", "one", id=5), Unit("二", "two", id=9)]) == 2
    assert tm.add_many([Unit("三", "three"), Unit("一", "one"), Unit("三", "three")]).added == 1
    assert [(u.id, u.source_text) for u in tm.iter_units()] == [(5, "一"), (9, "二"), (10, "三")]


def _import(runner: Any, db: str) -> None:
    for command in (
        ["tm", "import", str(ROOT / "tm" / "mic-global-strategy-bureau.pairs.tsv")],
        ["tm", "import", str(FIXTURES / "memoq-context.tmx")],
        ["term", "import", str(ROOT / "glossary" / "mic-global-strategy-bureau.tsv")],
    ):
        result = runner.invoke(cli, ["--db", db, *command])
        assert result.exit_code == 0, result.output


def _run(runner: Any, *args: str, status: int = 0) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == status, result.output
    return str(result.output)


def _exports(runner: Any, db: str, folder: Path) -> tuple[str, str, str]:
    """The TM as TMX (its header's date left out), the glossary as TSV, a match's JSON."""
    _run(runner, "--db", db, "tm", "export", str(folder / "tm.tmx"))
    _run(runner, "--db", db, "term", "export", str(folder / "terms.tsv"))
    tmx = (folder / "tm.tmx").read_text(encoding="utf-8")
    tmx = "\n".join(line for line in tmx.splitlines() if "<header" not in line)
    match = _run(runner, "--db", db, "match", "--json", "--min", "50", "国際戦略局の組識です")
    return tmx, (folder / "terms.tsv").read_text(encoding="utf-8"), match


def test_db_copy_from_a_file_to_the_server_and_back(runner: Any, tmp_path: Path, pg_url: str):
    lite, back = str(tmp_path / "lite.db"), str(tmp_path / "back.db")
    _import(runner, lite)
    printed = _run(runner, "db", "copy", "--json", lite, pg_url)
    summary = json.loads(printed)
    assert (summary["units"], summary["terms"], summary["replaced_units"]) == (37, 119, 0)
    assert "units and" in _run(runner, "db", "copy", pg_url, back)
    original = _exports(runner, lite, tmp_path)
    assert "国際戦略局" in original[0] and original[2]
    # Every field, id and date survives both trips: the exports and a match are identical.
    assert _exports(runner, pg_url, tmp_path) == original
    assert _exports(runner, back, tmp_path) == original


def test_db_copy_refuses_a_non_empty_destination_unless_forced(
    runner: Any, tmp_path: Path, pg_url: str
):
    lite = str(tmp_path / "lite.db")
    _import(runner, lite)
    other = str(tmp_path / "other.db")
    _run(runner, "--db", other, "tm", "import", str(FIXTURES / "kyoto-wiki-sesshu.tsv"))
    _run(runner, "db", "copy", other, pg_url)
    refused = _run(runner, "db", "copy", lite, pg_url, status=1)
    assert "not empty (69 units, 0 terms); --force replaces them" in refused
    assert Project.open(pg_url).tm.count() == 69
    summary = json.loads(_run(runner, "db", "copy", "--force", "--json", lite, pg_url))
    assert (summary["units"], summary["replaced_units"]) == (37, 69)
    with Project.open(pg_url) as project:
        assert project.tm.count() == 37
        assert project.match("雪舟", min_score=50) == []  # the old units left the index too
        assert [m.score for m in project.match("国際戦略局", min_score=100)] == [100.0]


def test_a_failed_copy_leaves_the_destination_as_it_was(tmp_path: Path, pg_url: str):
    """PostgreSQL text cannot hold NUL, SQLite's can: the copy fails on it, all or nothing."""
    lite = str(tmp_path / "lite.db")
    with Project.open(lite, write=True) as project:
        project.tm.add_many([Unit(f"文{i}", f"Sentence {i}") for i in range(6000)])
        project.tm.add_many([Unit("壊れた\x00文", "broken")])
    with Project.open(pg_url, write=True) as project:
        project.tm.add_many([Unit("元の文", "The original")])
    with pytest.raises(TaiyakuError):
        copy_database(lite, pg_url, force=True)
    with Project.open(pg_url) as project:
        assert [u.source_text for u in project.tm.iter_units()] == ["元の文"]
        assert [m.unit.source_text for m in project.match("元の文")] == ["元の文"]


def test_db_copy_of_a_database_onto_itself_is_refused(runner: Any, pg_url: str) -> None:
    assert "is the database being copied" in _run(runner, "db", "copy", pg_url, pg_url, status=1)


def test_the_change_stamp_costs_one_round_trip_between_statements(pg_url: str) -> None:
    db, other = open_db(pg_url), open_db(pg_url)
    first = data_version(db)
    sent = db.conn.statements
    assert data_version(db) == first and db.conn.statements == sent  # asked again: no trip
    GlossaryStore(other).add(Term("政府", "government"))
    # Nothing sent between: as if asked at the moment of the first asking.
    assert data_version(db) == first
    db.execute("SELECT 1")
    assert data_version(db) != first  # after a statement it reads the server again
    assert db.conn.statements == sent + 2


def test_a_library_user_catches_a_lost_server_as_database_unavailable(pg_url):
    """The server ended the connection (a restart, a failover): the call fails with
    ``taiyaku.DatabaseUnavailable``, a ``DatabaseError`` a caller may retry on a new one."""
    import psycopg

    import taiyaku

    database = open_db(pg_url)
    tm = TranslationMemory(database)
    tm.add_many([Unit("国際戦略局", "Global Strategy Bureau")])
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(taiyaku.DatabaseUnavailable) as raised:
        tm.count()
    assert isinstance(raised.value, DatabaseError)
    assert "DatabaseUnavailable" in taiyaku.__all__
    again = open_db(pg_url)
    try:
        assert TranslationMemory(again).count() == 1
    finally:
        again.close()
