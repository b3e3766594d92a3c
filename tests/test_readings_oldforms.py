"""Readings a source gives are lookup keys; recognition forgives old kanji forms as lookup does."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from taiyaku.cli import cli
from tests.conftest import FIXTURES, query_rows


def run(db, *args):
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_dictionary_reading_finds_the_term(new_db_target, tmp_path):
    db = new_db_target("g")
    source = shutil.copy(FIXTURES / "jlt-keibai-slice.xml", tmp_path / "law.xml")
    run(db, "term", "import", source)
    assert query_rows(db, "SELECT ja, reading FROM terms") == [("競売", "けいばい")]
    assert (
        run(db, "term", "lookup", "けいばい").splitlines()[0]
        == "競売 → auction  (reading 100; law)"
    )
    # The computed reading is a key too.
    assert run(db, "term", "lookup", "きょうばい").startswith("競売 → auction  (reading 100")


def test_reading_column_of_a_table_round_trips(new_db_target, tmp_path):
    db = new_db_target("g")
    table = tmp_path / "g.tsv"
    table.write_text("ja\ten\t読み\n競売\tauction\tけいばい\n", encoding="utf-8")
    run(db, "term", "import", table)
    run(db, "term", "export", tmp_path / "out.tsv")
    header, row = (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()
    assert dict(zip(header.split("\t"), row.split("\t"), strict=True))["reading"] == "けいばい"


def test_recognition_forgives_old_kanji_forms(new_db_target, tmp_path):
    db = new_db_target("g")
    run(db, "term", "add", "総務省", "Ministry of Internal Affairs and Communications")
    run(db, "term", "add", "国際戦略局", "Global Strategy Bureau")
    run(db, "term", "add", "弁護士", "attorney")
    run(db, "term", "add", "広島", "Hiroshima")
    found = run(db, "term", "find", "總務省の國際戰略局は廣島の辯護士と")
    assert [line.split()[0] for line in found.splitlines()] == ["0-3", "4-9", "10-12", "13-16"]
    assert "國際戰略局  →  国際戦略局 / Global Strategy Bureau" in found


def test_old_form_term_is_found_in_modern_text(new_db_target, tmp_path):
    db = new_db_target("g")
    run(db, "term", "add", "齋藤", "Saito")
    assert "斎藤  →  齋藤 / Saito" in run(db, "term", "find", "斎藤さん")
    assert run(db, "term", "lookup", "斎藤").startswith("齋藤 → Saito  (exact 100")
