"""Concordance: substrings of any length, including the 1–2 character Japanese terms FTS5 misses."""

from __future__ import annotations

import sqlite3

from taiyaku import TranslationMemory, Unit
from taiyaku.match import concordance

UNITS = [
    Unit("翻訳メモリの使い方", "How to use a translation memory"),
    Unit("機械翻訳と人手翻訳を比べる。", "Compare machine and human translation."),
    Unit("国際戦略局", "Global Strategy Bureau"),
    Unit("戦略", "strategy"),
    Unit("局", "bureau"),
    Unit("Global Strategy Bureau", "国際戦略局", source_lang="en", target_lang="ja"),
]


def test_sqlite_trigram_search_cannot_find_two_characters():
    """Why taiyaku does not use FTS5: measured here, not assumed."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='trigram')")
    conn.execute("INSERT INTO t VALUES ('機械翻訳と人手翻訳を比べる。')")
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH '翻訳を'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH '翻訳'").fetchone()[0] == 0
    if sqlite3.sqlite_version.startswith("3.40."):
        # and its LIKE path, which should fall back to a scan, silently finds nothing
        assert conn.execute("SELECT count(*) FROM t WHERE text LIKE '%翻訳%'").fetchone()[0] == 0


def test_two_character_japanese_terms_are_found(db):
    TranslationMemory(db).add_many(UNITS)
    result = concordance(db, "翻訳")
    assert result.total == 2 and result.exact
    assert [h.unit.source_text for h in result.hits] == [
        "翻訳メモリの使い方",
        "機械翻訳と人手翻訳を比べる。",
    ]
    assert all(h.field == "source" for h in result.hits)
    first = result.hits[0]
    assert first.unit.source_text[first.start : first.end] == "翻訳"


def test_one_character_and_longer_queries(db):
    TranslationMemory(db).add_many(UNITS)
    assert {h.unit.source_text for h in concordance(db, "局").hits} == {
        "国際戦略局",
        "局",
        "Global Strategy Bureau",
    }
    assert [h.unit.source_text for h in concordance(db, "戦略").hits][:2] == ["戦略", "国際戦略局"]
    assert concordance(db, "人手翻訳を").total == 1
    assert concordance(db, "翻訳者").total == 0


def test_targets_and_english_queries(db):
    TranslationMemory(db).add_many(UNITS)
    result = concordance(db, "strategy")
    fields = {(h.field, h.unit.source_text) for h in result.hits}
    assert ("source", "Global Strategy Bureau") in fields
    assert ("target", "戦略") in fields
    assert result.total == 3


def test_width_and_case_do_not_matter(db):
    TranslationMemory(db).add_many([Unit("ＩＣＴ分野の国際戦略", "International ICT strategy")])
    [hit] = concordance(db, "ict分野").hits
    assert hit.unit.source_text[hit.start : hit.end] == "ＩＣＴ分野"


def test_limit_keeps_the_total(db):
    TranslationMemory(db).add_many([Unit(f"京都の寺その{n}", f"Temple {n}") for n in range(30)])
    result = concordance(db, "寺", limit=5)
    assert (result.total, len(result.hits)) == (30, 5)
