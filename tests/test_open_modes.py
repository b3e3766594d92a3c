"""Reading commands change no database; no command touches a SQLite file that is not taiyaku's.

Issue 9, items 3 and 4: a command that only reads never creates, migrates or switches the
journal mode of a database; a foreign SQLite file is refused with one ``Error:`` line and
keeps every byte; a database on read-only media (a folder and file the user may not write)
can be read.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from taiyaku import DatabaseError, Term, Unit, open_db
from taiyaku.cli import cli
from taiyaku.glossary import Glossary
from taiyaku.store.db import transaction
from taiyaku.store.migrations import migrations
from taiyaku.store.tm import TranslationMemory
from tests.conftest import FIXTURES, ROOT, table_digest, table_names

SENTENCE = "国際戦略局の組織"
PAGE = ROOT / "tm" / "mic-global-strategy-bureau"


def reading_commands(tmp_path: Path) -> list[list[str]]:
    """Every command that only reads the database, with arguments that work on a real one."""
    text = tmp_path / "doc.txt"
    text.write_text(SENTENCE + "。\n", encoding="utf-8")
    return [
        ["tm", "stats"],
        ["tm", "export", str(tmp_path / "out.tmx")],
        ["match", SENTENCE],
        ["concordance", "国際"],
        ["analyze", str(text)],
        ["term", "lookup", "国際戦略局"],
        ["term", "find", SENTENCE],
        ["term", "export", str(tmp_path / "out.tsv")],
        ["align", "--dry-run", f"{PAGE}.ja.txt", f"{PAGE}.en.txt"],
    ]


def writing_commands(tmp_path: Path) -> list[list[str]]:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("ja\ten\n政府\tgovernment\n", encoding="utf-8")
    return [
        ["tm", "import", str(FIXTURES / "omegat-shape.tmx")],
        ["term", "add", "政府", "government"],
        ["term", "import", str(glossary)],
        ["align", f"{PAGE}.ja.txt", f"{PAGE}.en.txt"],
        ["upgrade"],
    ]


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_project(path: Path) -> None:
    db = open_db(path)
    TranslationMemory(db).add_many([Unit(SENTENCE, "Organisation of the Global Strategy Bureau")])
    Glossary(db).add(Term("国際戦略局", "Global Strategy Bureau"))
    db.close()


def test_reading_commands_never_create_a_database(runner, tmp_path, new_db_target, backend):
    # SQLite: a file not there stays absent; PostgreSQL: an empty database stays empty.
    typo = new_db_target("typo")
    refusal = "no such database" if backend == "sqlite" else "an empty database"
    for args in reading_commands(tmp_path):
        result = runner.invoke(cli, ["--db", str(typo), *args])
        assert result.exit_code == 1, (args, result.output)
        assert refusal in result.output, (args, result.output)
        assert table_names(typo) == [], args
        assert not list(tmp_path.glob("typo.db*")), args


def test_reading_commands_leave_every_byte(runner, tmp_path, new_db_target, backend):
    path = new_db_target("p")
    make_project(path)
    if backend == "sqlite":
        # A rollback-journal database: a reading command must not switch it to WAL.
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()
        before = file_hash(path)
    rows = table_digest(path)
    for args in reading_commands(tmp_path):
        result = runner.invoke(cli, ["--db", str(path), *args])
        assert result.exit_code in (0, 1), (args, result.output)  # 1: lookup found nothing
        assert "Error" not in result.output, (args, result.output)
        assert table_digest(path) == rows, args
        if backend == "sqlite":
            assert file_hash(path) == before, args
            assert not list(tmp_path.glob("p.db-*")), args


@pytest.mark.sqlite_only("a SQLite file of another program (PostgreSQL's: test_pg_backend)")
@pytest.mark.parametrize("kind", ["reading", "writing"])
def test_foreign_sqlite_file_is_refused_untouched(runner, tmp_path, kind):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO units (name) VALUES ('kept')")
    conn.commit()
    conn.close()
    before = file_hash(path)
    commands = reading_commands(tmp_path) if kind == "reading" else writing_commands(tmp_path)
    for args in commands:
        result = runner.invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.output)
        assert "not a taiyaku database" in lines[0]
        assert file_hash(path) == before, args
        assert not list(tmp_path.glob("other.db-*")), args


@pytest.mark.sqlite_only("a SQLite file of another program (PostgreSQL's: test_pg_backend)")
def test_foreign_file_refused_by_the_library_too(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = file_hash(path)
    for write in (True, False):
        with pytest.raises(DatabaseError, match="not a taiyaku database"):
            open_db(path, write=write)
    assert file_hash(path) == before


@pytest.mark.sqlite_only("a zero-byte SQLite file")
def test_an_empty_sqlite_file_becomes_a_database_when_written(runner, tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    result = runner.invoke(cli, ["--db", str(path), "tm", "stats"])
    assert result.exit_code == 1 and "empty database" in result.output
    assert path.stat().st_size == 0
    result = runner.invoke(cli, ["--db", str(path), "term", "add", "政府", "government"])
    assert result.exit_code == 0, result.output


@pytest.mark.sqlite_only("an old SQLite file made by the first SQLite schema steps")
def test_an_old_database_is_upgraded_only_by_a_writing_command(runner, tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    from sqlite_utils import Database

    migrations.apply(Database(conn), stop_before="m004_create_match_index")
    conn.close()
    before = file_hash(path)
    result = runner.invoke(cli, ["--db", str(path), "tm", "stats"])
    assert result.exit_code == 1
    assert "older taiyaku" in result.output and "upgrade" in result.output
    assert file_hash(path) == before
    result = runner.invoke(cli, ["--db", str(path), "upgrade"])
    assert result.exit_code == 0, result.output
    assert not migrations.pending(open_db(path, write=False))


def _run_as_reader_who_cannot_write(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run ``taiyaku ARGS`` as a user who may not write the database or its folder.

    root may write anything, whatever the permission bits: as root the command runs without
    the capabilities that override them (``setpriv``: dac_override, dac_read_search and fowner
    dropped from its bounding set), so the bits bind it as they bind any owner. It stays root,
    so it can still read the checkout and its virtual environment wherever CI cloned them (a
    switch to ``nobody`` could not, under a private ``mktemp -d`` folder). Otherwise the
    permission bits alone suffice.
    """
    command = [sys.executable, "-c", "from taiyaku.cli import cli; cli()", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot act as a user without rights")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    env = {**os.environ, "TAIYAKU_DB": ""}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def read_only_folder():
    """A folder others may enter (pytest's tmp folders are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="taiyaku-ro-"))
    yield folder
    os.chmod(folder, 0o700)
    shutil.rmtree(folder)


@pytest.mark.sqlite_only("file permissions of a SQLite file on read-only media")
@pytest.mark.slow
def test_reading_from_read_only_media(read_only_folder):
    folder = read_only_folder
    path = folder / "project.db"
    make_project(path)  # a WAL database, checkpointed and closed: no -wal/-shm left
    assert not list(folder.glob("project.db-*"))
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    before = file_hash(path)
    probe = _run_as_reader_who_cannot_write(["--db", str(path), "term", "add", "a", "b"], folder)
    assert probe.returncode != 0, "the user can write here: the test would prove nothing"
    for args in (["tm", "stats", "--json"], ["term", "lookup", "国際戦略局"], ["match", SENTENCE]):
        done = _run_as_reader_who_cannot_write(["--db", str(path), *args], folder)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    stats = _run_as_reader_who_cannot_write(["--db", str(path), "tm", "stats", "--json"], folder)
    assert '"units": 1' in stats.stdout
    lookup = _run_as_reader_who_cannot_write(["--db", str(path), "term", "lookup", "国際"], folder)
    assert "Global Strategy Bureau" in lookup.stdout
    assert file_hash(path) == before


@pytest.mark.sqlite_only("SQLite's -wal file in a read-only folder")
@pytest.mark.slow
def test_reading_from_a_read_only_folder_sees_the_wal(read_only_folder):
    # A writer still has the file open: its last import is in the -wal file, not yet in the
    # database file. A reader who may not write the folder must still see it (SQLite reads
    # existing -wal/-shm files read-only; immutable=1 would ignore them).
    path = read_only_folder / "project.db"
    make_project(path)
    writer = open_db(path)
    try:
        TranslationMemory(writer).add_many([Unit("二つ目の文", "The second sentence")])
        assert Path(f"{path}-wal").stat().st_size > 0
        os.chmod(read_only_folder, 0o555)
        done = _run_as_reader_who_cannot_write(
            ["--db", str(path), "tm", "stats", "--json"], read_only_folder
        )
        assert done.returncode == 0, done.stderr
        assert '"units": 2' in done.stdout
    finally:
        writer.close()


@pytest.mark.sqlite_only("what a read-only SQLite open imports and reads")
def test_reading_commands_need_no_sqlite_utils(tmp_path):
    """A reading open is a SqliteReader and imports no sqlite-utils (0.16 s of a start-up on a
    slow core); matching and reading every unit then work on it as on a writing open."""
    path = tmp_path / "tm.db"
    db = open_db(path)
    TranslationMemory(db).add_many([Unit(SENTENCE + "です。", "This is the organisation.")])
    db.close()
    script = f"""
import sys
from taiyaku import open_db
from taiyaku.match import Matcher
from taiyaku.store.db import SqliteReader, is_db
from taiyaku.store.tm import TranslationMemory
db = open_db({str(path)!r}, write=False)
assert isinstance(db, SqliteReader) and is_db(db)
(found,) = Matcher(db).search({SENTENCE!r}, min_score=50)
print(found.unit.target_text, len(list(TranslationMemory(db).iter_units())))
print("sqlite_utils" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == ["This is the organisation. 1", "False"]


@pytest.mark.sqlite_only("a read-only SQLite connection's savepoints")
def test_a_reader_nests_transactions_as_savepoints(tmp_path):
    """transaction() nested on a reading open is a savepoint of SqliteReader.atomic: a failed
    inner block rolls back to it and the outer transaction goes on; writing stays refused."""
    path = tmp_path / "tm.db"
    db = open_db(path)
    TranslationMemory(db).add_many([Unit(SENTENCE + "です。", "This is the organisation.")])
    db.close()
    reader = open_db(path, write=False)
    try:
        with transaction(reader):
            with pytest.raises(KeyError), transaction(reader):
                assert reader.conn.in_transaction
                raise KeyError("inner")
            assert reader.conn.in_transaction  # the outer one goes on after the savepoint
            with transaction(reader):
                (count,) = reader.execute("SELECT count(*) FROM units").fetchone()
            assert count == 1 and reader.conn.in_transaction
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                reader.execute("DELETE FROM units")
        assert not reader.conn.in_transaction
        assert [u.target_text for u in TranslationMemory(reader).iter_units()] == [
            "This is the organisation."
        ]
    finally:
        reader.close()


@pytest.mark.sqlite_only("the schema steps' table that sqlite-utils writes in a SQLite file")
def test_steps_read_the_table_sqlite_utils_writes(tmp_path):
    """migrations.applied/pending read _sqlite_migrations with plain SQL: the same names and
    times as sqlite-utils' own Migrations reads, in the same order, part way and at the end."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    peer = Migrations(migrations.name)
    for name in migrations.names:
        peer(name=name)(lambda db: None)
    conn = sqlite3.connect(tmp_path / "steps.db", isolation_level=None)
    db = Database(conn)
    assert migrations.applied(db) == [] and migrations.pending(db)
    migrations.apply(db, stop_before=migrations.names[3])  # the first three applied
    assert [step.name for step in migrations.applied(db)] == migrations.names[:3]
    assert [tuple(step) for step in migrations.applied(db)] == [
        (step.name, step.applied_at) for step in peer.applied(db)
    ]
    assert [step.name for step in migrations.pending(db)] == migrations.names[3:]
    migrations.apply(db)
    assert migrations.pending(db) == [] and peer.pending(db) == []
    with pytest.raises(ValueError, match="registered twice"):
        migrations()(migrations._migrations[0].fn)
