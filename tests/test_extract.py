"""Term extraction: candidates from a small aligned fixture, C-value, glossary status, and the
review flow: ``term extract -o`` → mark rows → ``term import --update`` (CliRunner, real files)."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from taiyaku.cli import cli
from taiyaku.extract import extract_terms
from taiyaku.extract.japanese import candidates
from taiyaku.formats import read_units
from taiyaku.glossary import Glossary
from taiyaku.models import Term, Unit
from tests.conftest import FIXTURES, ROOT

SESSHU = FIXTURES / "kyoto-wiki-sesshu.tsv"
SEED_GLOSSARY = ROOT / "glossary" / "mic-global-strategy-bureau.tsv"


def test_candidates_are_noun_runs_and_latin_sequences():
    found = {c.text for c in candidates("次世代の情報通信インフラであるBeyond 5Gの研究開発を推進")}
    assert {"情報通信インフラ", "研究開発", "Beyond 5G", "次世代"} <= found
    # Particles, verbs and one-kanji words are not candidates.
    assert not found & {"の", "である", "を", "推進し", "次"}


def test_sesshu_is_paired_with_its_romanised_name():
    units = list(read_units(SESSHU))
    found = extract_terms(units, min_count=2, limit=10)
    assert found[0].ja == "雪舟"
    assert (found[0].en, found[0].transliterated, found[0].glossary) == ("Sesshu", True, "new")
    assert found[0].documents == ("BDS00001",)
    assert found[0].examples and "雪舟" in found[0].examples[0].ja
    pairs = {(c.ja, c.en) for c in found}
    assert ("京都国立博物館", "Kyoto National Museum") in pairs


def test_c_value_ranks_the_whole_term_above_its_pieces():
    units = [
        Unit("国際戦略局は会議を開いた。", "The Global Strategy Bureau held a meeting."),
        Unit("国際戦略局の紹介", "About the Global Strategy Bureau"),
        Unit(
            "国際戦略局が報告書を公表した。",
            "A report was published by the Global Strategy Bureau.",
        ),
        Unit("会議は東京で開かれた。", "The meeting was held in Tokyo."),
    ]
    found = extract_terms(units, min_count=2, limit=None)
    by_ja = {c.ja: c for c in found}
    assert by_ja["国際戦略局"].en == "Global Strategy Bureau"
    # 戦略局 occurs only inside 国際戦略局: no termhood of its own, not offered.
    assert "戦略局" not in by_ja


def test_glossary_status_same_different_new():
    units = list(read_units(SESSHU))
    glossary = [Term("雪舟", "Sesshu"), Term("山水図", "sansui-zu")]
    found = {c.ja: c for c in extract_terms(units, glossary_terms=glossary, limit=20)}
    assert found["雪舟"].glossary == "same"
    assert (found["山水図"].glossary, found["山水図"].glossary_en) == ("different", ("sansui-zu",))
    assert found["京都国立博物館"].glossary == "new"


def test_frequency_baseline_and_bad_method():
    units = list(read_units(SESSHU))
    baseline = extract_terms(units, limit=5, method="frequency")
    counts = [c.count for c in baseline]
    assert counts == sorted(counts, reverse=True)
    with pytest.raises(ValueError):
        extract_terms(units, method="magic")


def test_english_to_japanese_units_are_read_the_other_way():
    units = [Unit(u.target_text, u.source_text, "en", "ja") for u in read_units(SESSHU)]
    assert extract_terms(units, limit=1)[0].ja == "雪舟"


@pytest.fixture
def project(runner, db_target):
    def run(*args):
        result = runner.invoke(cli, ["--db", str(db_target), *args])
        assert result.exit_code == 0, result.output
        return result

    run("tm", "import", str(SESSHU))
    run("term", "import", str(SEED_GLOSSARY))
    return run


def test_extract_review_import_flow_xlsx(project, db, tmp_path):
    sheet_path = tmp_path / "candidates.xlsx"
    result = project("term", "extract", "-o", str(sheet_path), "--limit", "20")
    assert result.output.startswith(f"{sheet_path}: 20 candidates from 69 units")
    book = load_workbook(sheet_path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["keep", "ja", "en", "status", "note", "source"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    rows["雪舟"][0].value = "x"  # keep as extracted
    rows["京都国立博物館"][0].value = "✓"  # keep, with the English edited
    rows["京都国立博物館"][2].value = "Kyoto National Museum (KNM)"
    book.save(sheet_path)
    before = Glossary(db).count()

    preview = project("term", "import", "--update", str(sheet_path))
    assert "+ 雪舟 → Sesshu (preferred)" in preview.output
    assert "+ 京都国立博物館 → Kyoto National Museum (KNM) (preferred)" in preview.output
    assert "to remove" in preview.output and "0 to remove" in preview.output
    assert Glossary(db).count() == before  # nothing written without --yes

    project("term", "import", "--update", "--yes", str(sheet_path))
    terms = {t.ja: t for t in Glossary(db).iter_terms()}
    assert Glossary(db).count() == before + 2  # the seed glossary is all still there
    assert terms["雪舟"].en == "Sesshu"
    assert terms["雪舟"].source == "BDS00001"
    assert terms["京都国立博物館"].en == "Kyoto National Museum (KNM)"
    assert "国際戦略局" in terms

    # Extracting again: the kept term is now in the glossary.
    again = project("term", "extract", "--json", "--limit", "5")
    first = json.loads(again.output.splitlines()[0])
    assert (first["ja"], first["glossary"]) == ("雪舟", "same")


def test_extract_review_import_flow_tsv(project, db, tmp_path):
    sheet_path = tmp_path / "candidates.tsv"
    project("term", "extract", "-o", str(sheet_path), "--limit", "5", "--document", "BDS00001")
    lines = sheet_path.read_text(encoding="utf-8").splitlines()
    kept = [("x" + line) if line.split("\t")[1] == "雪舟" else line for line in lines]
    sheet_path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    project("term", "import", "--update", "--yes", str(sheet_path))
    assert [t.en for t in Glossary(db).iter_terms() if t.ja == "雪舟"] == ["Sesshu"]


def test_extract_errors(runner, db_target, project):
    result = runner.invoke(cli, ["--db", str(db_target), "term", "extract", "--document", "nope"])
    assert result.exit_code == 1
    assert "no units in document 'nope'" in result.output
