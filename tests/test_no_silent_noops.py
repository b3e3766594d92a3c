"""Silent no-ops get honest answers: warnings with counts, clear errors, one rule for queries."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from taiyaku.cli import cli
from tests.conftest import query_rows, table_digest

TBX = """<?xml version="1.0" encoding="utf-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
{concepts}
  </body></text>
</tbx>
"""
CONCEPT = """    <conceptEntry id="c{n}">
{sides}
    </conceptEntry>"""
SIDE = """      <langSec xml:lang="{lang}"><termSec><term>{term}</term></termSec></langSec>"""


def tbx(path, *concepts):
    body = "\n".join(
        CONCEPT.format(
            n=n, sides="\n".join(SIDE.format(lang=lang, term=term) for lang, term in sides)
        )
        for n, sides in enumerate(concepts)
    )
    path.write_text(TBX.format(concepts=body), encoding="utf-8")
    return path


def run(db, *args, status=0, **kwargs):
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], **kwargs)
    assert result.exit_code == status, result.output
    return result.output


def test_tbx_without_japanese_is_an_error_not_zero_added(new_db_target, tmp_path):
    db = new_db_target("g")
    source = tbx(tmp_path / "de.tbx", [("de", "Regierung"), ("en", "government")])
    out = run(db, "term", "import", source, status=1)
    assert "no ja–en entries: the termbase's languages are de, en" in out
    assert "0 terms added" not in out
    # Japanese and English, but never in the same concept: nothing to add is an error too.
    apart = tbx(tmp_path / "apart.tbx", [("ja", "政府")], [("en", "government")])
    out = run(db, "term", "import", apart, status=1)
    assert "no entry with both a Japanese and an English term" in out
    assert "2 concept(s) without both a ja and a en term skipped" in out


def test_tbx_concepts_missing_a_side_are_counted(new_db_target, tmp_path):
    db = new_db_target("g")
    source = tbx(
        tmp_path / "g.tbx",
        [("ja", "政府"), ("en", "government")],
        [("ja", "総務省")],
        [("en", "bureau")],
    )
    out = run(db, "term", "import", source)
    assert "Warning: " in out and "2 concept(s) without both a ja and a en term skipped" in out
    assert "1 terms added" in out


def test_export_does_not_offer_what_it_cannot_write(new_db_target, tmp_path):
    out = run(new_db_target("g"), "term", "export", "--help")
    assert "jlt" not in out
    assert "'jlt' is not one of" in run(
        new_db_target("g"), "term", "export", "--format", "jlt", tmp_path / "x.xml", status=2
    )


def test_lookup_limit_must_be_positive(new_db_target, tmp_path):
    assert "-1 is not in the range" in run(
        new_db_target("g"), "term", "lookup", "x", "--limit", "-1", status=2
    )


@pytest.mark.parametrize(
    "command",
    [
        ["match", ""],
        ["match", "  "],
        ["concordance", ""],
        ["term", "lookup", " "],
        ["term", "find", ""],
    ],
)
def test_one_rule_for_empty_queries(new_db_target, tmp_path, command):
    assert "the query is empty" in run(new_db_target("g"), *command, status=2)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["match", "国際戦略局"], "(no match)"),
        (["concordance", "国際戦略局"], "0 units contain"),
        (["term", "lookup", "国際戦略局"], "no glossary entry matches"),
        (["term", "find", "国際戦略局"], "no glossary term found"),
    ],
)
def test_nothing_found_is_a_message_and_exit_zero(new_db_target, tmp_path, command, message):
    run(new_db_target("g"), "upgrade")  # an empty database
    assert message in run(new_db_target("g"), *command)


def test_a_pair_under_en_and_en_us_is_stored_once(new_db_target, tmp_path):
    db = new_db_target("t")
    table = tmp_path / "l.tsv"
    table.write_text(
        "source\ttarget\tsource_lang\ttarget_lang\n"
        "国際戦略局\tGlobal Strategy Bureau\tja\ten\n"
        "国際戦略局\tGlobal Strategy Bureau\tja-JP\ten-US\n",
        encoding="utf-8",
    )
    assert "1 units added, 1 already present" in run(db, "tm", "import", table)
    assert "0 units added, 2 already present" in run(db, "tm", "import", table)
    assert query_rows(db, "SELECT source_lang, target_lang FROM units") == [("ja", "en")]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (None, "a zip archive (a Word .docx"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Word .doc"),
    ],
)
def test_binary_document_renamed_txt_is_named(new_db_target, tmp_path, content, kind):
    path = tmp_path / "report.txt"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(content)
    db = new_db_target("t")
    run(db, "term", "add", "政府", "government")
    before = table_digest(db)
    out = run(db, "match", "--file", path, status=1)
    assert f"this is {kind}" in out and "--encoding" not in out
    assert table_digest(db) == before


def test_update_from_a_file_without_entries_removes_nothing(new_db_target, tmp_path):
    db = new_db_target("g")
    run(db, "term", "add", "政府", "government")
    before = table_digest(db)
    source = tbx(tmp_path / "apart.tbx", [("ja", "政府")], [("en", "government")])
    out = run(db, "term", "import", source, "--update", "--yes", status=1)
    assert "nothing to compare the glossary with" in out and "removed" not in out
    assert table_digest(db) == before
