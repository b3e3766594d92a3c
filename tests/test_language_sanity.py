"""A file that is not Japanese–English is refused, naming its languages, unless told."""

from __future__ import annotations

import pytest

from taiyaku import FormatError, Term, Unit, read_terms
from taiyaku.cli import cli
from taiyaku.formats.langcheck import checked_terms, checked_units
from tests.conftest import FIXTURES

KOREAN = "ja\ten\n사랑\tlove\n행복\thappiness\n학교\tschool\n친구\tfriend\n바다\tsea\n"


def test_french_tmx_is_refused_naming_its_languages_unless_told(new_db_target, tmp_path, runner):
    db = str(new_db_target("tm"))
    fixture = str(FIXTURES / "lisa-ImportTest2A.tmx")
    refused = runner.invoke(cli, ["--db", db, "tm", "import", fixture])
    assert refused.exit_code == 1
    assert "en-US → fr-CA" in refused.output and "--src-lang" in refused.output
    told = runner.invoke(
        cli, ["--db", db, "tm", "import", fixture, "--src-lang", "en", "--tgt-lang", "fr"]
    )
    assert told.exit_code == 0, told.output
    assert "7 units added" in told.output
    half = runner.invoke(cli, ["--db", db, "tm", "import", fixture, "--src-lang", "en"])
    assert half.exit_code == 2 and "together" in half.output


def test_units_tagged_ja_but_written_in_hangul_are_refused():
    korean = ["사랑해요", "학교에 가요", "친구", "바다", "행복"]
    units = [Unit(text, f"English {n}") for n, text in enumerate(korean)]
    with pytest.raises(FormatError, match="Hangul script, not Japanese"):
        list(checked_units("k.tmx", units))
    with pytest.raises(FormatError, match="Cyrillic script, not Latin"):
        list(checked_units("r.tmx", [Unit(f"学校{n}", f"Школа {n}") for n in range(5)]))
    # four entries say too little to refuse a file
    assert len(list(checked_units("few.tmx", units[:4]))) == 4


def test_japanese_english_either_way_passes_with_english_words_in_japanese():
    units = [
        Unit("Microsoft Wordの新機能", "New in Microsoft Word"),
        Unit("Global Strategy Bureau", "国際戦略局", "en-US", "ja"),
    ]
    assert list(checked_units("ok.tmx", units)) == units


def test_korean_glossary_is_refused_unless_told(new_db_target, tmp_path, runner):
    path = tmp_path / "ko.tsv"
    path.write_text(KOREAN, encoding="utf-8")
    with pytest.raises(FormatError, match="Hangul"):
        list(checked_terms(path, read_terms(path)))
    db = str(new_db_target("g"))
    refused = runner.invoke(cli, ["--db", db, "term", "import", str(path)])
    assert refused.exit_code == 1 and "Hangul script, not Japanese" in refused.output
    told = ["--src-lang", "ko", "--tgt-lang", "en"]
    accepted = runner.invoke(cli, ["--db", db, "term", "import", str(path), *told])
    assert accepted.exit_code == 0, accepted.output
    assert "5 terms added" in accepted.output


def test_tbx_without_japanese_names_its_languages(tmp_path):
    path = tmp_path / "es.tbx"
    path.write_text(
        '<martif type="TBX" xml:lang="en"><text><body><termEntry>'
        '<langSet xml:lang="en"><tig><term>star</term></tig></langSet>'
        '<langSet xml:lang="es"><tig><term>estrella</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="languages are en, es"):
        list(read_terms(path))
    (term,) = read_terms(path, langs=("es", "en"))
    assert (term.ja, term.en) == ("estrella", "star")


def test_japanese_glossary_passes():
    terms = [Term("国際戦略局", "Global Strategy Bureau"), Term("ICTの海外展開", "ICT abroad")]
    assert list(checked_terms("g.tsv", terms)) == terms
