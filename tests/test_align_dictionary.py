"""The dictionary anchor: reading EDICT, its word pairs deciding a bead, the CLI's options."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from taiyaku.align import align, align_files
from taiyaku.align.dictionary import DEFAULT_PATH, load, resolve
from taiyaku.errors import FormatError
from taiyaku.formats.edict import read_edict

from .conftest import FIXTURES, ROOT, table_digest
from .test_align import _gold

SAMPLE = FIXTURES / "edict-sample.euc"
SEED = ROOT / "tm" / "mic-global-strategy-bureau"


@pytest.fixture(autouse=True)
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test its own cache folder, and no dictionary read earlier by another test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load.cache_clear()
    yield tmp_path / "cache" / "taiyaku"
    load.cache_clear()


def _fukuzawa() -> tuple[list[str], list[str]]:
    with open(FIXTURES / "kyoto-fukuzawa-untranslated.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r["text"] for r in rows if r["lang"] == "ja"], [
        r["text"] for r in rows if r["lang"] == "en"
    ]


def test_read_edict_debian_file_euc_jp() -> None:
    entries = list(read_edict(SAMPLE))
    assert len(entries) == 15  # the header line naming the file and licence is not an entry
    culture = next(e for e in entries if e.headwords == ("文化",))
    assert culture.readings == ("ぶんか",)
    # Part-of-speech and sense marks go, and so does the (P) "common word" mark.
    assert culture.glosses == (
        "culture",
        "civilization",
        "civilisation",
        "Bunka era (1804.2.11-1818.4.22)",
    )


def test_read_edict2_utf8_several_headwords(tmp_path: Path) -> None:
    path = tmp_path / "edict2.txt"
    path.write_text(
        "掲示板(P);ＢＢＳ [けいじばん] /(n) (1) bulletin board/(n) (2) {comp} BBS/(P)/EntL1/\n"
        "４° [しど] /\n",
        encoding="utf-8",
    )
    first, second = read_edict(path)
    assert first.headwords == ("掲示板", "ＢＢＳ")
    assert first.glosses == ("bulletin board", "BBS")
    assert second.glosses == ()


def test_read_edict_bad_line_names_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("文化 [ぶんか] /(n) culture/\nnot an entry\n", encoding="utf-8")
    with pytest.raises(FormatError, match="line 2 is not an EDICT entry"):
        list(read_edict(path))


def test_dictionary_tells_the_untranslated_sentence_from_the_translated_one() -> None:
    # Kyoto corpus: the third Japanese sentence has no English. By lengths and names the
    # first English sentence looks like the first two Japanese ones together; the dictionary's
    # 科学 ↔ science, 書物 ↔ book, 文化 ↔ culture put each where it belongs.
    ja, en = _fukuzawa()
    without = align(ja, en, source_lang="ja", target_lang="en")
    assert [b.type for b in without] != ["1-1", "1-1", "1-0", "1-1"]
    beads = align(ja, en, source_lang="ja", target_lang="en", dictionary=load(SAMPLE))
    assert [(b.source, b.target) for b in beads] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), ()),
        ((3,), (2,)),
    ]


def test_dictionary_is_cached_and_the_cache_follows_the_file(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "edict"
    path.write_bytes(SAMPLE.read_bytes())
    first = load(path)
    assert first.table["科学"] == frozenset({"science"})
    assert len(list(cache.glob("edict-*.tsv"))) == 1
    load.cache_clear()
    assert load(path).table == first.table  # read back from the cache
    path.write_text("科学 [かがく] /(n) natural science/\n", encoding="utf-8")
    load.cache_clear()
    assert load(path).table == {"科学": frozenset({"natural", "science"})}


def test_resolve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TAIYAKU_EDICT", str(SAMPLE))
    assert resolve(False) is None
    assert "文化" in resolve(True).table
    assert "文化" in resolve(SAMPLE).table
    with pytest.raises(FormatError, match="cannot read"):
        resolve(tmp_path / "missing")


@pytest.mark.skipif(not DEFAULT_PATH.exists(), reason="Debian's edict package is not installed")
def test_seed_page_gold_holds_with_the_whole_dictionary() -> None:
    alignment = align_files(
        SEED.with_suffix(".ja.txt"), SEED.with_suffix(".en.txt"), dictionary=load(DEFAULT_PATH)
    )
    assert [(b.source_text, b.target_text, b.type) for b in alignment.beads] == _gold()


def test_cli_dictionary_options(new_db_target, runner, tmp_path: Path) -> None:
    from taiyaku.cli import cli

    ja_sentences, en_sentences = _fukuzawa()
    ja, en = tmp_path / "f.ja.txt", tmp_path / "f.en.txt"
    ja.write_text("".join(ja_sentences) + "\n", encoding="utf-8")
    en.write_text(" ".join(en_sentences) + "\n", encoding="utf-8")
    db = str(new_db_target("t"))
    result = runner.invoke(
        cli, ["--db", db, "align", str(ja), str(en), "--dictionary", str(SAMPLE)]
    )
    assert result.exit_code == 0, result.output
    assert "4 beads (1-1 3, 1-0 1)" in result.output
    before = table_digest(db)
    bad = tmp_path / "bad.edict"
    bad.write_text("no entry here\n", encoding="utf-8")
    result = runner.invoke(cli, ["--db", db, "align", str(ja), str(en), "--dictionary", str(bad)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "bad.edict: line 1" in result.output
    assert table_digest(db) == before
    result = runner.invoke(
        cli, ["align", str(ja), str(en), "--dictionary", str(SAMPLE), "--no-dictionary"]
    )
    assert result.exit_code == 2 and "exclude each other" in result.output
