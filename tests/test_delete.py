"""Deleting units and terms: counts first with --dry-run, one transaction, index in step."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from taiyaku.cli import cli
from taiyaku.store.db import open_db
from taiyaku.store.tm import TranslationMemory
from tests.conftest import table_digest

UNITS = (
    "source\ttarget\tdocument\torigin\n"
    "国際戦略局の概要\tOutline of the Global Strategy Bureau\tA\timported\n"
    "情報通信の国際戦略\tInternational ICT strategy\tB\timported\n"
    "国際戦略局の組織\tOrganisation of the Global Strategy Bureau\tA\taligned\n"
)


def run(db, *args, status=0):
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)])
    assert result.exit_code == status, result.output
    return result.output


@pytest.fixture
def tm_db(new_db_target, tmp_path):
    (tmp_path / "u.tsv").write_text(UNITS, encoding="utf-8")
    run(new_db_target("t"), "tm", "import", tmp_path / "u.tsv")
    return new_db_target("t")


def test_dry_run_counts_and_changes_nothing(tm_db):
    before = table_digest(tm_db)
    out = run(tm_db, "tm", "delete", "--document", "A", "--dry-run")
    assert out == "2 units would be deleted (nothing changed: --dry-run)\n"
    assert table_digest(tm_db) == before


def matches(db, query):
    import json

    found = json.loads(run(db, "match", query, "--min-score", "90", "--json"))["matches"]
    return [m["source"] for m in found]


def test_delete_by_document_origin_and_id_keeps_the_index_in_step(tm_db):
    assert matches(tm_db, "国際戦略局の組織") == ["国際戦略局の組織"]
    out = run(tm_db, "tm", "delete", "--document", "A", "--origin", "aligned")
    assert out == "1 unit deleted\n"
    assert matches(tm_db, "国際戦略局の組織") == []
    assert matches(tm_db, "国際戦略局の概要") == ["国際戦略局の概要"]
    assert run(tm_db, "tm", "delete", "--id", "1") == "1 unit deleted\n"
    assert matches(tm_db, "国際戦略局の概要") == []
    db = open_db(tm_db)
    assert [u.source_text for u in TranslationMemory(db).iter_units()] == ["情報通信の国際戦略"]
    db.close()
    assert matches(tm_db, "情報通信の国際戦略") == ["情報通信の国際戦略"]


def test_delete_needs_a_condition_and_says_when_nothing_matches(tm_db):
    assert "say which units" in run(tm_db, "tm", "delete", status=2)
    assert run(tm_db, "tm", "delete", "--document", "Z") == "no unit matches: nothing deleted\n"


def test_failed_delete_changes_nothing(tm_db):
    db = open_db(tm_db)
    memory = TranslationMemory(db)
    before = table_digest(tm_db)

    def broken(database, ids):
        raise RuntimeError("disk full")

    memory.on_deleting.append(broken)
    with pytest.raises(RuntimeError):
        memory.delete(document="A")
    db.close()
    assert table_digest(tm_db) == before


def test_term_remove(new_db_target, tmp_path):
    db = new_db_target("g")
    run(db, "term", "add", "政府", "government")
    run(db, "term", "add", "政府", "the State")
    before = table_digest(db)
    assert run(db, "term", "remove", "政府", "government", "--dry-run") == (
        "would remove: 政府 → government\n"
    )
    assert table_digest(db) == before
    assert run(db, "term", "remove", "政府", "government") == "removed: 政府 → government\n"
    assert "government" not in run(db, "term", "lookup", "政府")
    assert "no glossary entry 政府 → government" in run(
        db, "term", "remove", "政府", "government", status=1
    )
