"""A killed import loses nothing; two importers at once both land; locks give clear errors.

These run real processes (``python -m taiyaku``) against a real SQLite file and, where a test
takes ``backend``, against a real PostgreSQL server too (``tests/pgserver.py``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taiyaku import Unit, open_db, write_units
from taiyaku.store.migrations import migrations
from tests.conftest import holding_the_write_lock, query_rows

UNITS = 30_000
# Real processes importing tens of thousands of units: seconds each.
pytestmark = pytest.mark.slow


def taiyaku(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "taiyaku", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def big_tmx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.tmx"
    write_units(
        path, (Unit(f"これは{i}番目の文です。", f"This is sentence {i}.") for i in range(UNITS))
    )
    return path


def unit_count(db_path: Path | str) -> int:
    """The units in a database (a SQLite file is integrity-checked first), as `tm stats` says."""
    if not str(db_path).startswith("postgresql://"):
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    stats = taiyaku("--db", db_path, "tm", "stats", "--json")
    out, err = stats.communicate(timeout=120)
    assert stats.returncode == 0, err
    return int(json.loads(out)["units"])


def create_schema(target: str) -> None:
    """Bring an empty database to the current schema (what the first writing command does)."""
    upgrade = taiyaku("--db", target, "upgrade")
    assert upgrade.wait(timeout=120) == 0, upgrade.stderr.read()


def wait_until_writing(
    db: Path | str,
    process: subprocess.Popen,
    request: pytest.FixtureRequest | None = None,
    timeout: float = 120,
) -> bool:
    """Wait until ``process`` is inside a write transaction on ``db``; False if it ended.

    SQLite: a writer takes the write lock (``BEGIN IMMEDIATE``) for its whole transaction,
    so a probe that cannot take it at once knows the writer is mid-transaction.
    PostgreSQL (``request`` gives the server): the server assigns a transaction id at its
    first write.
    """
    deadline = time.monotonic() + timeout
    if str(db).startswith("postgresql://"):
        assert request is not None
        server = request.getfixturevalue("pg_server")
        while process.poll() is None and time.monotonic() < deadline:
            if server.writing(db):
                return process.poll() is None
            time.sleep(0.005)
        return False
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        while process.poll() is None and time.monotonic() < deadline:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError as error:
                if "locked" in str(error):
                    return process.poll() is None
                raise
            time.sleep(0.002)
        return False
    finally:
        probe.close()


def wait_until_deep_in_import(
    target: str, process: subprocess.Popen, request: pytest.FixtureRequest
) -> None:
    """Wait until ``process`` is inside its import transaction (or ended).

    SQLite: it holds the write lock (the WAL is no sign: with a large page cache an import
    writes it only while committing). PostgreSQL: it has written.
    """
    wait_until_writing(target, process, request, timeout=60)


def test_sigkill_during_import_keeps_all_or_nothing(big_tmx, new_db_target, request):
    rng = random.Random(20261124)
    outcomes = set()
    for attempt in range(4):
        db = new_db_target(f"kill{attempt}")
        create_schema(db)
        process = taiyaku("--db", db, "tm", "import", big_tmx)
        # Kill it at a random moment inside its write transaction.
        wait_until_deep_in_import(db, process, request)
        time.sleep(rng.uniform(0, 0.2))
        killed_mid_write = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        count = unit_count(db)
        assert count in (0, UNITS), f"attempt {attempt}: {count} units after a kill"
        if killed_mid_write:
            outcomes.add(count)
        # The database still takes writes after the crash.
        finish = taiyaku("--db", db, "tm", "import", big_tmx)
        assert finish.wait(timeout=120) == 0, finish.stderr.read()
        assert unit_count(db) == UNITS
    assert 0 in outcomes, "no kill landed inside the import transaction: it proved nothing"


def test_two_processes_import_at_once(tmp_path, big_tmx, db_target):
    other = tmp_path / "other.tmx"
    write_units(other, (Unit(f"別の{i}番目の文。", f"Another sentence {i}.") for i in range(5000)))
    create_schema(db_target)
    first = taiyaku("--db", db_target, "tm", "import", big_tmx)
    second = taiyaku("--db", db_target, "tm", "import", other)
    assert first.wait(timeout=120) == 0, first.stderr.read()
    assert second.wait(timeout=120) == 0, second.stderr.read()
    assert unit_count(db_target) == UNITS + 5000
    # Both imports indexed their units: each file's last sentence is found exactly.
    for query, target in (
        ("これは29999番目の文です。", "This is sentence 29999."),
        ("別の4999番目の文。", "Another sentence 4999."),
    ):
        found = taiyaku("--db", db_target, "match", "--json", "--min", "100", query)
        out, err = found.communicate(timeout=120)
        assert found.returncode == 0, err
        assert [m["target"] for m in json.loads(out)["matches"]] == [target]


def test_reader_during_import_sees_all_or_nothing(big_tmx, db_target, request):
    create_schema(db_target)
    importer = taiyaku("--db", db_target, "tm", "import", big_tmx)
    assert wait_until_writing(db_target, importer, request), "the import ended before the reads"
    query = "これは29999番目の文です。"

    def read() -> tuple[int, int]:
        stats = taiyaku("--db", db_target, "tm", "stats", "--json")
        out, err = stats.communicate(timeout=60)
        assert stats.returncode == 0, err
        match = taiyaku("--db", db_target, "match", "--json", "--min", "100", query)
        found, err = match.communicate(timeout=60)
        assert match.returncode == 0, err
        return json.loads(out)["units"], len(json.loads(found)["matches"])

    # The importer is held still inside its write transaction while a reader looks: the
    # reads overlap the import for certain, however fast the import has become.
    os.kill(importer.pid, signal.SIGSTOP)
    try:
        assert read() == (0, 0)
        assert importer.poll() is None
    finally:
        os.kill(importer.pid, signal.SIGCONT)
    seen, matched = set(), set()
    while importer.poll() is None:
        units, matches = read()
        seen.add(units)
        matched.add(matches)
    assert importer.returncode == 0, importer.stderr.read()
    assert seen <= {0, UNITS}
    assert matched <= {0, 1}
    # The index and the units are committed together: once the units are in, so is the match.
    assert read() == (UNITS, 1)


def test_first_writes_at_once_migrate_the_empty_database_once(tmp_path, db_target):
    """Several processes whose first write meets an empty database: one migrates, all land."""
    terms = [("政府", "government"), ("国会", "Diet"), ("内閣", "Cabinet"), ("総務省", "MIC")]
    writers = [taiyaku("--db", db_target, "term", "add", ja, en) for ja, en in terms]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert "Traceback" not in err
    exported = tmp_path / "terms.tsv"
    export = taiyaku("--db", db_target, "term", "export", exported)
    assert export.wait(timeout=120) == 0, export.stderr.read()
    rows = exported.read_text(encoding="utf-8").splitlines()[1:]
    assert sorted(row.split("\t")[:2] for row in rows) == sorted([list(t) for t in terms])
    upgrade = taiyaku("--db", db_target, "upgrade")
    out, err = upgrade.communicate(timeout=120)
    assert upgrade.returncode == 0, err
    assert ": up to date" in out


def test_lock_held_too_long_is_a_clear_error(new_db_target, tmp_path):
    db = new_db_target("locked")
    open_db(db).close()
    with holding_the_write_lock(db):
        blocked = taiyaku(
            "--db", db, "term", "add", "政府", "government", env={"TAIYAKU_BUSY_TIMEOUT": "0.5"}
        )
        _, err = blocked.communicate(timeout=60)
    assert blocked.returncode == 1
    assert err.strip().splitlines() == [
        f"Error: {db}: database is locked by another program (waited 0.5 s)"
    ]
    assert "Traceback" not in err


@pytest.mark.sqlite_only("an old SQLite file made by the first SQLite schema step")
def test_older_schema_is_migrated(tmp_path):
    db_path = tmp_path / "old.db"
    conn = sqlite3.connect(db_path)
    from sqlite_utils import Database

    old = Database(conn)
    first = migrations._migrations[0].name
    second = migrations._migrations[1].name
    migrations.apply(old, stop_before=second)
    assert [m.name for m in migrations.applied(old)] == [first]
    old["units"].insert(
        {
            "source_lang": "ja",
            "target_lang": "en",
            "source_text": "一",
            "target_text": "one",
            "source_key": "一",
            "target_key": "one",
            "created": "2020-01-01T00:00:00Z",
            "changed": "2020-01-01T00:00:00Z",
        }
    )
    conn.close()
    db = open_db(db_path)
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    assert db.execute("SELECT count(*) FROM units").fetchone()[0] == 1


def _write_pages(folder: Path, verb: str) -> tuple[Path, Path]:
    rng = random.Random(7)
    ja, en = [], []
    for p in range(800):
        n = rng.randint(1, 4)
        ja.append(
            "".join(
                f"第{p}段落の{i}番目の文では、国際戦略局が{rng.randint(1, 99)}件の事業を扱います。"
                for i in range(n)
            )
        )
        en.append(
            " ".join(
                f"In sentence {i} of paragraph {p}, the Global Strategy Bureau {verb} projects."
                for i in range(n)
            )
        )
    source, target = folder / "page.ja.txt", folder / f"page-{verb}.en.txt"
    source.write_text("\n\n".join(ja) + "\n", encoding="utf-8")
    target.write_text("\n\n".join(en) + "\n", encoding="utf-8")
    return source, target


def _aligned_targets(db: Path | str) -> set[str]:
    if not str(db).startswith("postgresql://"):
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    return {r[0] for r in query_rows(db, "SELECT target_text FROM units WHERE document = 'page'")}


def test_sigkill_during_realignment_keeps_the_old_or_the_new_pairs(
    new_db_target, tmp_path, request
):
    source, first = _write_pages(tmp_path, "handles")
    _, second = _write_pages(tmp_path, "manages")
    db = new_db_target("align")
    done = taiyaku("--db", db, "align", source, first, "--doc", "page")
    assert done.wait(timeout=120) == 0, done.stderr.read()
    old = _aligned_targets(db)
    assert len(old) > 1000
    new = {t.replace("handles", "manages") for t in old}
    interrupted = 0
    for attempt in range(3):
        process = taiyaku("--db", db, "align", source, second, "--doc", "page")
        # Kill it inside its write transaction (replacing the old pairs by the new ones).
        writing = wait_until_writing(db, process, request)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = _aligned_targets(db)
        assert now in (old, new), (
            f"attempt {attempt}: a mix of {len(now & old)} old and {len(now & new)} new pairs"
        )
        interrupted += writing and now == old
        if now == new:  # the kill came after the commit: put the old pairs back
            again = taiyaku("--db", db, "align", source, first, "--doc", "page")
            assert again.wait(timeout=120) == 0, again.stderr.read()
    assert interrupted >= 1, "no kill landed inside the write transaction: it proved nothing"


def test_sigkill_during_delete_keeps_every_unit_or_none(new_db_target, tmp_path, big_tmx, request):
    """``tm delete`` is one transaction, index included: a kill inside it deletes nothing."""
    rng = random.Random(20261126)
    landed = 0
    for attempt in range(3):
        db = new_db_target(f"delete{attempt}")
        imported = taiyaku("--db", db, "tm", "import", big_tmx, "--document", "big")
        assert imported.wait(timeout=120) == 0, imported.stderr.read()
        process = taiyaku("--db", db, "tm", "delete", "--document", "big")
        writing = wait_until_writing(db, process, request)
        time.sleep(rng.uniform(0, 0.05))
        killed_mid_write = writing and process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        count = unit_count(db)
        if killed_mid_write:
            landed += 1
            assert count == UNITS, f"attempt {attempt}: {count} units after a kill mid-delete"
        else:
            assert count in (0, UNITS), f"attempt {attempt}: {count} units after a kill"
        # The index is in step with the units: a stored sentence is found exactly when stored.
        found = taiyaku("--db", db, "match", "これは5番目の文です。", "--json")
        out, err = found.communicate(timeout=120)
        assert found.returncode == 0, err
        assert ("This is sentence 5." in out) == (count == UNITS)
        # The database still takes the delete after the crash.
        finish = taiyaku("--db", db, "tm", "delete", "--document", "big")
        assert finish.wait(timeout=120) == 0, finish.stderr.read()
        assert unit_count(db) == 0
    assert landed, "no kill landed inside the delete transaction: it proved nothing"
