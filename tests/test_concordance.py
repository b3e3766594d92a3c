"""Concordance: substrings of any length, including the 1–2 character Japanese terms FTS5 misses."""

from __future__ import annotations

import random
import sqlite3

import pytest

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


def test_one_character_wherever_it_stands(db):
    """One character found at the start, the middle and the end of keys (the end is only in
    grams that end with it), and as a whole key; units without it are not counted."""
    TranslationMemory(db).add_many(
        [
            Unit("寺町通り", "Teramachi Street"),
            Unit("山寺の鐘", "The bell of the mountain temple"),
            Unit("京都の東寺", "To-ji in Kyoto"),
            Unit("寺", "temple"),
            Unit("お茶の時間", "Tea time"),
        ]
    )
    result = concordance(db, "寺", lang="ja")
    assert (result.total, result.exact) == (4, True)
    assert [h.unit.source_text for h in result.hits] == ["寺", "寺町通り", "山寺の鐘", "京都の東寺"]
    assert all(h.field == "source" for h in result.hits)
    last = result.hits[-1]
    assert last.unit.source_text[last.start : last.end] == "寺"
    assert concordance(db, "茶", lang="ja").total == 1
    assert concordance(db, "鯖", lang="ja").total == 0


def test_english_words_inside_target_words(db):
    """Targets are found by the words that contain the query, not only by whole words."""
    TranslationMemory(db).add_many(
        [
            Unit("寺", "Temple"),
            Unit("京都の寺々", "The temples of Kyoto"),
            Unit("見本", "A sample"),
            Unit("速さ", "Tempo"),
            Unit("熟考する", "to contemplate"),
        ]
    )
    result = concordance(db, "mpl", lang="en")
    assert [h.unit.target_text for h in result.hits] == [
        "Temple",
        "A sample",
        "to contemplate",
        "The temples of Kyoto",
    ]
    assert (result.total, result.exact) == (4, True)
    assert {h.field for h in result.hits} == {"target"}
    hit = result.hits[3]
    assert hit.unit.target_text[hit.start : hit.end] == "mpl"
    assert concordance(db, "temple", lang="en").total == 2
    assert concordance(db, "templar", lang="en").total == 0


def test_queries_of_several_words_and_punctuation(db):
    TranslationMemory(db).add_many(
        [
            Unit("京都、日本", "Kyoto, Japan"),
            Unit("日本、京都", "Japan, Kyoto"),
            Unit("京都日本", "Kyoto Japan"),
            Unit("本当？", "Really?!"),
        ]
    )
    [hit] = concordance(db, "kyoto, japan", lang="en").hits
    assert hit.unit.target_text == "Kyoto, Japan"
    assert concordance(db, "o, j", lang="en").total == 1
    assert concordance(db, "kyoto japan", lang="en").total == 1
    # no word characters at all: the targets are scanned
    [hit] = concordance(db, "?!", lang="en").hits
    assert hit.unit.target_text == "Really?!"


def test_a_unit_is_counted_once(db):
    TranslationMemory(db).add_many([Unit("ICT戦略", "ICT strategy")])
    result = concordance(db, "ict", lang="en")
    assert result.total == 1
    # the Japanese source holds no English gram index; the target finds the unit
    assert [h.field for h in result.hits] == ["target"]
    result = concordance(db, "ict戦略", lang="ja")
    assert (result.total, [h.field for h in result.hits]) == (1, ["source"])


def test_target_index_follows_inserts_and_deletes(db):
    tm = TranslationMemory(db)
    tm.add_many([Unit("京都の寺", "A temple in Kyoto", document="a")])
    tm.add(Unit("奈良の寺", "A temple in Nara", document="b"))
    tm.add(Unit("奈良の鹿", "The deer of Nara", document="b"))
    assert concordance(db, "nara", lang="en").total == 2
    assert concordance(db, "temple", lang="en").total == 2
    tm.delete_document("b")
    assert concordance(db, "nara", lang="en").total == 0
    assert concordance(db, "temple", lang="en").total == 1
    assert concordance(db, "奈", lang="ja").total == 0
    assert not db.execute("SELECT count(*) FROM match_words WHERE gram = 'nara'").fetchone()[0]
    tm.add(Unit("奈良の鹿", "The deer of Nara", document="c"))
    assert [h.unit.document for h in concordance(db, "nara", lang="en").hits] == ["c"]


def test_a_failed_import_leaves_no_target_words(db):
    tm = TranslationMemory(db)

    def broken():
        for n in range(12000):
            yield Unit(f"文その{n}", f"Sentence {n}")
        raise ValueError("the file broke half-way")

    try:
        tm.add_many(broken())
    except ValueError:
        pass
    for table in ("match_words", "match_word_sizes", "match_vocab"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    tm.add_many([Unit("文その1", "Sentence 1")])
    assert concordance(db, "sentence", lang="en").total == 1


@pytest.mark.sqlite_only("a SQLite file from before SQLite schema steps m006 and m009")
def test_existing_targets_are_indexed_by_the_migration(db_target):
    from taiyaku.store.db import open_db

    database = open_db(db_target)
    TranslationMemory(database).add_many([Unit("古い単位", "An old unit")])
    # Back to a database written before m006 (and so before m009).
    for table in ("match_words", "match_word_sizes", "match_vocab"):
        database.execute(f"DROP TABLE {table}")
    database.execute("CREATE INDEX units_source_key ON units (source_key)")
    database.execute("CREATE INDEX units_target_key ON units (target_key)")
    database.execute(
        "DELETE FROM _sqlite_migrations WHERE name IN "
        "('m006_index_targets_for_concordance', 'm009_compact_match_index')"
    )
    database.close()
    again = open_db(db_target)
    assert concordance(again, "old", lang="en").total == 1
    assert concordance(again, "位", lang="ja").total == 1
    again.close()


def test_the_indexed_concordance_agrees_with_a_scan(db):
    """A property test: totals and ranked hits equal those of a plain substring scan."""
    from taiyaku.text.normalize import match_key

    rng = random.Random(6)
    kana = "あいうえおかきくけこ寺京都山。、"
    words = ["temple", "temples", "kyoto", "nara", "deer", "the", "of", "a", "tea", "time"]
    units = []
    for n in range(600):
        ja = "".join(rng.choice(kana) for _ in range(rng.randint(1, 12)))
        en = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
        en += rng.choice(["", ".", "!", ", ok"])
        if n % 5 == 0:  # some en→ja units: English sources, Japanese targets
            units.append(Unit(f"{en} {n}", f"{ja}{n}", source_lang="en", target_lang="ja"))
        else:
            units.append(Unit(f"{ja}{n}", f"{en} {n}"))
    TranslationMemory(db).add_many(units)
    rows = db.execute(
        "SELECT id, source_lang, coalesce(source_key, source_text), target_key FROM units"
    ).fetchall()
    queries = [(c, "ja") for c in kana] + [("寺京", "ja"), ("山。", "ja"), ("あいう", "ja")]
    queries += [(w, "en") for w in words] + [("mple", "en"), ("e", "en"), ("te", "en")]
    queries += [("temple kyoto", "en"), ("a t", "en"), ("nara.", "en"), (", ok", "en")]
    for query, lang in queries:
        key = match_key(query)
        expected = []
        for unit_id, source_lang, source, target in rows:
            if source_lang == lang and key in source:
                expected.append((len(source), unit_id, "source"))
            elif key in target:
                expected.append((len(target), unit_id, "target"))
        expected.sort()
        result = concordance(db, query, lang=lang, limit=15)
        assert (result.total, result.exact) == (len(expected), True), query
        got = [(h.unit.id, h.field) for h in result.hits]
        assert got == [(i, field) for _, i, field in expected[:15]], query


def test_very_many_candidates_give_an_upper_bound(db):
    """A query of several common words has its candidates checked in rank order only until
    the limit is reached; the total is then an upper bound, the hits still the first ones."""
    units = [Unit(f"文{n}", f"the end of story number {n}") for n in range(6000)]
    units += [Unit(f"句{n}", f"{'x' * n} of the day") for n in range(1, 31)]
    TranslationMemory(db).add_many(units)
    result = concordance(db, "of the", lang="en", limit=3)
    assert [h.unit.target_text for h in result.hits] == [
        "x of the day",
        "xx of the day",
        "xxx of the day",
    ]
    assert not result.exact and 30 <= result.total <= 6030
    # fewer hits than the limit: every candidate is checked, and the total is exact
    everything = concordance(db, "of the", lang="en", limit=50)
    assert (everything.exact, everything.total, len(everything.hits)) == (True, 30, 30)


def test_an_empty_memory_finds_nothing(db):
    for query in ("寺", "寺院", "temple", "of the", "?!"):
        result = concordance(db, query)
        assert (result.total, result.hits, result.exact) == (0, [], True)


def test_a_word_character_is_an_ascii_letter_or_digit_or_above_u007f():
    # The target words' pattern names the ASCII characters that are not word characters;
    # every code point is checked against the rule it stands for.
    from taiyaku.text.grams import _WORD_RE

    wrong = [
        c
        for c in range(0x110000)
        if (_WORD_RE.fullmatch(chr(c)) is not None)
        != ((chr(c).isascii() and chr(c).isalnum()) or c >= 0x80)
    ]
    assert wrong == []
