"""Glossary files other tools write: the JLT CSV, any table by --columns, OmegaT CSV/TSV."""

from __future__ import annotations

import pytest

from taiyaku import (
    FormatError,
    Glossary,
    Term,
    TranslationMemory,
    Unit,
    read_terms,
    write_terms,
)
from taiyaku.cli import cli
from taiyaku.formats import detect_term_format
from taiyaku.formats.tabular import parse_columns
from taiyaku.store.db import open_db
from tests.conftest import FIXTURES, shared_file


def test_jlt_csv_imports_readings_candidates_and_notes():
    path = FIXTURES / "jlt-legal-terms-slice.csv"
    assert detect_term_format(path) == "jlt"
    terms = list(read_terms(path))
    assert len(terms) == 12
    first = terms[0]
    assert (first.ja, first.en, first.reading, first.status, first.domain) == (
        "相手方",
        "opponent",
        "あいてがた",
        "admitted",
        "law",
    )
    usage, example = first.note.split("\n")
    assert usage == "対審手続の場合"
    assert example.startswith("用例: 検察官、被告人又は弁護人が")
    assert example.endswith("in advance. (刑事訴訟法299条)")
    assert [t.en for t in terms if t.ja == "相手方"] == [
        "opponent",
        "the other party/other parties",
        "opposite party",
        "counterparty",
        "adverse party",
    ]
    assert "v9.0" not in first.source  # the fixture's name carries no version
    assert next(t for t in terms if t.ja == "悪意で").note.startswith("【注】")


@pytest.mark.slow
def test_jlt_csv_whole_file(new_db_target, runner, tmp_path):
    source = shared_file("jlt-legal-terms-ja-en", "utf8_law.je.dic.9.0.a.csv")
    db = str(new_db_target("g"))
    result = runner.invoke(cli, ["--db", db, "term", "import", str(source)])
    assert result.exit_code == 0, result.output
    glossary = Glossary(open_db(db))
    assert glossary.count() > 4500
    readings = {t.reading for t in glossary.iter_terms() if t.ja == "相手方"}
    assert readings == {"あいてがた"}


def test_columns_map_any_layout(new_db_target, tmp_path, runner):
    path = tmp_path / "layout.csv"
    path.write_text(
        "番号,見出し語,訳語,補足,担当\n1,国際戦略局,Global Strategy Bureau,正式名称,佐藤\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="unknown or repeated column"):
        list(read_terms(path))
    columns = parse_columns("ja=見出し語, en=訳語,note=補足")
    (term,) = read_terms(path, columns=columns)
    assert (term.ja, term.en, term.note) == ("国際戦略局", "Global Strategy Bureau", "正式名称")
    with pytest.raises(FormatError, match="no column '訳'"):
        list(read_terms(path, columns={"ja": "見出し語", "en": "訳"}))
    db = str(new_db_target("g"))
    args = ["--db", db, "term", "import", str(path), "--columns", "ja=見出し語,en=訳語"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    bad = runner.invoke(cli, [*args[:-1], "jp=見出し語"])
    assert bad.exit_code != 0 and "FIELD=HEADING" in bad.output


def test_omegat_headerless_csv_is_read():
    path = FIXTURES / "omegat-glossary.csv"
    assert detect_term_format(path) == "omegat"
    assert [(t.ja, t.en, t.note) for t in read_terms(path)] == [
        ("サーバー", "server", ""),
        ("こんにちは", "hello", "挨拶"),
        ("政府, 日本", "government, Japanese", ""),
    ]


def test_omegat_utf16_glossary_is_read(tmp_path):
    path = tmp_path / "glossary.txt"
    path.write_bytes("# OmegaT\nsource string\t原文\n政府\tgovernment\n".encode("utf-16"))
    assert [(t.ja, t.en) for t in read_terms(path)] == [
        ("原文", "source string"),
        ("政府", "government"),
    ]


def test_omegat_bad_line_is_skipped_and_named_on_the_command_line(new_db_target, tmp_path, runner):
    path = tmp_path / "glossary.utf8"
    path.write_text("政府\tgovernment\n総務省\n国\tcountry\n", encoding="utf-8")
    result = runner.invoke(cli, ["--db", str(new_db_target("g")), "term", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "line 2" in result.output and "skipped" in result.output
    assert "2 terms added" in result.output


def _seeded(new_db_target, tmp_path, source_lang):
    db = new_db_target("g")
    database = open_db(db)
    Glossary(database).add_many([Term("国際戦略局", "Global Strategy Bureau")])
    pair = ("国際戦略局の組織", "Organisation of the bureau")
    units = [Unit(*pair) if source_lang == "ja" else Unit(*reversed(pair), "en", "ja")]
    TranslationMemory(database).add_many(units)
    database.close()
    return str(db)


def Term_(ja, en):
    from taiyaku import Term

    return Term(ja, en)


@pytest.mark.parametrize(
    ("tm_source", "option", "first"),
    [
        ("ja", [], "国際戦略局"),
        ("en", [], "Global Strategy Bureau"),
        ("en", ["--source-lang", "ja"], "国際戦略局"),
        ("ja", ["--source-lang", "en"], "Global Strategy Bureau"),
    ],
)
def test_omegat_export_puts_the_project_source_first(
    new_db_target, tmp_path, runner, tm_source, option, first
):
    db = _seeded(new_db_target, tmp_path, tm_source)
    out = tmp_path / "glossary.utf8"
    result = runner.invoke(cli, ["--db", db, "term", "export", str(out), *option])
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()
    line = next(row for row in rows if not row.startswith("#"))
    assert line.split("\t")[0] == first
    # and it reads back the same, whichever side came first
    assert [(t.ja, t.en) for t in read_terms(out)] == [("国際戦略局", "Global Strategy Bureau")]


def test_omegat_export_api_refuses_another_language(tmp_path):
    with pytest.raises(FormatError, match="ja or en"):
        write_terms(tmp_path / "g.utf8", [], source_lang="fr")
