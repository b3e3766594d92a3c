"""Fuzzy matching: the score, the diff, the index kept in step, indexed == exhaustive."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from taiyaku import Term, TranslationMemory, Unit
from taiyaku.errors import TaiyakuError
from taiyaku.glossary import Glossary
from taiyaku.match import diff_spans, fuzzy_matches, similarity
from taiyaku.match.score import METRIC
from taiyaku.match.search import Matcher
from taiyaku.store.tm import AddResult
from taiyaku.text.normalize import match_key
from tests.conftest import BACKENDS
from tests.groupcheck import assert_groups_cover_their_members
from tests.nearcopies import near_copies


def score(a: str, b: str) -> float:
    return similarity(match_key(a), match_key(b))


def test_exact_match_scores_100(db):
    tm = TranslationMemory(db)
    tm.add_many([Unit("国際戦略局は総務省の内部部局である。", "The bureau is part of MIC.")])
    [match] = fuzzy_matches(tm, "国際戦略局は総務省の内部部局である。")
    assert match.score == 100
    assert match.metric == METRIC == "levenshtein-normalized-similarity"
    assert [s.op for s in match.diff] == ["equal"]


def test_full_width_and_half_width_digits_score_100(db):
    tm = TranslationMemory(db)
    tm.add_many([Unit("令和４年度の予算は１，０００万円", "The FY2022 budget is 10 million yen")])
    [match] = fuzzy_matches(tm, "令和4年度の予算は1,000万円")
    assert match.score == 100.0
    assert score("ＩＣＴ　分野", "ict 分野") == 100


def test_one_edit_in_twenty_characters_scores_95():
    source = "国際戦略局は総務省の内部部局であります。"
    assert len(source) == 20
    assert score(source, source[:10] + "外" + source[11:]) == 95.0
    assert score(source, source + "。") == 95.24  # an insertion: 1 - 1/21
    assert score("abcdefghijklmnopqrst", "abcdefghijklmnopqrsx") == 95.0


@pytest.mark.parametrize(
    ("source", "query"),
    [
        ("令和４年の予算", "令和5年の決算"),
        ("国際戦略局の組織", "国際戦略局の組識について"),
        ("", "新しい文"),
        ("The  Bureau", "the bureau has eight units"),
        ("同じ", "同じ"),
    ],
)
def test_diff_spans_rebuild_both_strings(source, query):
    spans = diff_spans(source, query)
    assert "".join(s.source for s in spans) == source
    assert "".join(s.query for s in spans) == query
    assert all(s.op in ("equal", "insert", "delete", "replace") for s in spans)


@given(st.text(max_size=30), st.text(max_size=30))
def test_diff_spans_rebuild_any_strings(source, query):
    spans = diff_spans(source, query)
    assert "".join(s.source for s in spans) == source
    assert "".join(s.query for s in spans) == query


def test_diff_treats_width_variants_as_equal():
    assert [s.op for s in diff_spans("ＩＣＴ２０２３", "ict2023")] == ["equal"]


def test_match_explains_itself(db):
    tm = TranslationMemory(db)
    tm.add_many(
        [
            Unit(
                "令和4年7月の予算は1,000万円",
                "The budget for July 2022 was 10 million yen",
                document="budget.docx",
            )
        ]
    )
    Glossary(db).add(Term("予算", "budget"))
    [match] = fuzzy_matches(tm, "令和5年8月の予算は2,000万円")
    assert match.numbers_only
    assert match.adapted_target == "The budget for August 2023 was 20 million yen"
    assert [(t.text, t.translation) for t in match.terms] == [("予算", "budget")]
    assert match.unit.document == "budget.docx"
    assert 70 <= match.score < 100


def test_english_queries_match_english_sources(db):
    tm = TranslationMemory(db)
    tm.add_many(
        [
            Unit("国際戦略局", "Global Strategy Bureau"),
            Unit("Global Strategy Bureau", "国際戦略局", source_lang="en", target_lang="ja"),
        ]
    )
    [match] = fuzzy_matches(tm, "Global Strategy Bureaus")
    assert (match.source, match.target) == ("Global Strategy Bureau", "国際戦略局")
    assert fuzzy_matches(tm, "国際戦略局")[0].target == "Global Strategy Bureau"


def test_english_sources_searched_through_bitmaps_equal_exhaustive_search(db):
    """English keys take the trigram bound: the grams in many units are stored as bitmaps
    and counted bit by bit, the keys scored together; the results are the exhaustive ones,
    ties and scores shown at the threshold included."""
    from taiyaku.store import postings

    rng = random.Random(5)
    texts = _english_texts(rng, 2500)
    tm = TranslationMemory(db)
    tm.add_many(
        [Unit(t, f"訳{n}", source_lang="en", target_lang="ja") for n, t in enumerate(texts)]
    )
    kinds = {blob[0] for (blob,) in db.execute("SELECT ids FROM match_postings WHERE lang = 'en'")}
    assert postings.BITMAP in kinds
    matcher = Matcher(tm)
    found = 0
    for _ in range(60):
        query = rng.choice(texts)
        if rng.random() < 0.5:
            query = query[: rng.randrange(1, len(query) + 1)] + rng.choice(["", " temple", "x"])
        for min_score in (30, 60, 80):
            for limit in (1, 5):
                indexed = matcher.scores(query, min_score=min_score, limit=limit, lang="en")
                assert indexed == matcher.scores(
                    query, min_score=min_score, limit=limit, lang="en", exhaustive=True
                )
                found += len(indexed)
    assert found


def test_english_sources_bounded_by_bigrams_equal_exhaustive_search(db, monkeypatch):
    """English keys are bounded by the bigrams they share with the query (each unit posted
    under ``en/g``): the results are the exhaustive ones, at every threshold the bigram
    bound is used at, before and after deletions and additions."""
    from taiyaku.match import search
    from taiyaku.match.bounds import BIGRAMS

    rng = random.Random(7)
    words = "the of a to in temple garden was built by période naïve café x".split()
    texts = near_copies(rng, 1500, words, sep=" ", sentences=120, lengths=(1, 12), inserted="aeé ")
    texts += ["a", "ab", "é", "ba ab"]
    tm = TranslationMemory(db)
    tm.add_many(
        [Unit(t, f"訳{n}", source_lang="en", target_lang="ja") for n, t in enumerate(texts)]
    )
    by_bigrams = []
    bounds = search.Matcher._char_bounds

    def counting(self, key, lang, min_score, tokens, *args):
        by_bigrams.append(tokens is BIGRAMS)
        return bounds(self, key, lang, min_score, tokens, *args)

    monkeypatch.setattr(search.Matcher, "_char_bounds", counting)
    matcher = Matcher(tm)

    def same(queries: list[str]) -> int:
        found = 0
        for query in queries:
            for min_score in (60, 66.67, 75, 80, 90, 100):
                for limit in (1, 5):
                    indexed = matcher.scores(query, min_score=min_score, limit=limit, lang="en")
                    assert indexed == matcher.scores(
                        query, min_score=min_score, limit=limit, lang="en", exhaustive=True
                    ), (query, min_score, limit)
                    found += len(indexed)
        return found

    def queries() -> list[str]:
        chosen = []
        for _ in range(25):
            query = rng.choice(texts)
            if rng.random() < 0.5:
                query = "".join(c if rng.random() > 0.1 else rng.choice("xé ") for c in query)
            chosen.append(
                query[: rng.randrange(1, len(query) + 1)] if rng.random() < 0.3 else query
            )
        # Short queries, whose few bigrams are all needed (at 75, 1 of a 4-letter word's 3).
        return [*chosen, *words, *(text[:4] for text in rng.sample(texts, 10))]

    assert same(queries())
    tm.delete(ids=[i for (i,) in db.execute("SELECT id FROM units WHERE id % 4 = 1")])
    tm.add_many([Unit(t + " x", "新", source_lang="en", target_lang="ja") for t in texts[:100]])
    assert same(queries())
    assert by_bigrams and all(by_bigrams)


@pytest.mark.sqlite_only("a SQLite file indexed by taiyaku's index 5")
def test_an_english_index_without_bigram_postings_is_rebuilt_with_them(db_target):
    """A database indexed before English sources had bigram postings (index 5): opened to
    read, it is searched by trigrams, with the exhaustive results; opened to write, it is
    rebuilt with them."""
    from taiyaku import open_db

    database = open_db(db_target)
    texts = _english_texts(random.Random(3), 300)
    units = [Unit(t, f"訳{n}", source_lang="en", target_lang="ja") for n, t in enumerate(texts)]
    TranslationMemory(database).add_many(units)
    database.execute("DELETE FROM match_postings WHERE lang = 'en/g'")
    database.execute(
        "UPDATE meta SET value = replace(value, 'index:6', 'index:5') WHERE key = 'keys_signature'"
    )
    database.close()
    queries = [text + "s" for text in texts[:20]]

    def searched(database) -> None:
        matcher = Matcher(database)
        for query in queries:
            found = matcher.scores(query, min_score=75, lang="en")
            assert found
            assert found == matcher.scores(query, min_score=75, lang="en", exhaustive=True)

    old = open_db(db_target, write=False)
    searched(old)
    assert not Matcher(old).reader("en/g").has_postings()
    old.close()
    again = open_db(db_target)
    assert Matcher(again).reader("en/g").has_postings()
    searched(again)


def _english_texts(rng: random.Random, count: int) -> list[str]:
    words = "the of a to in temple garden was built by and period for its city".split()
    return near_copies(
        rng,
        count,
        words,
        sep=" ",
        sentences=300,
        lengths=(3, 14),
        inserted="aeiout ",
        deletions=False,
    )


def test_english_keys_held_in_memory_once_many_were_read_give_the_same_results(db):
    """A matcher that has read a third as many keys as there are units holds them all (rent
    or buy): the same results as one that reads them each time, and as exhaustive search,
    also after units are deleted and added."""
    rng = random.Random(11)
    texts = _english_texts(rng, 1500)
    tm = TranslationMemory(db)
    tm.add_many(
        [Unit(t, f"訳{n}", source_lang="en", target_lang="ja") for n, t in enumerate(texts)]
    )
    holding, reading = Matcher(tm), Matcher(tm)
    reading._keys_of = reading._keys_by_ids  # never holds them
    queries = [rng.choice(texts) + rng.choice(["", " temple", "e"]) for _ in range(30)]

    def same(queries: list[str]) -> None:
        for query in queries:
            for min_score in (40, 70):
                found = holding.scores(query, min_score=min_score, lang="en")
                assert found == reading.scores(query, min_score=min_score, lang="en")
                assert found == holding.scores(
                    query, min_score=min_score, lang="en", exhaustive=True
                )

    same(queries)
    assert "en" in holding._all_keys and "en" not in reading._all_keys
    gone = [i for (i,) in db.execute("SELECT id FROM units WHERE id % 3 = 0")]
    tm.delete(ids=gone)
    tm.add_many([Unit(q, "新", source_lang="en", target_lang="ja") for q in queries[:5]])
    # The held keys are stale now: a query reading few keys reads them from the database
    # and does not load them all again.
    stale = holding._all_keys["en"]
    found = holding.scores(queries[0], min_score=95, lang="en")
    assert found == reading.scores(queries[0], min_score=95, lang="en")
    assert holding._all_keys["en"] is stale
    same(queries)
    found = holding.scores(queries[0], min_score=40, limit=50, lang="en")
    live = {i for (i,) in db.execute("SELECT id FROM units")}
    assert found and {unit_id for _, unit_id in found} <= live
    assert len(live) < len(texts)  # (ids of deleted units may be given to new ones)
    # Held keys are looked up by id: a unit that is not there has none.
    assert holding._held_keys("en")
    kept, missing = max(live), min(set(gone) - live)
    expected = [None, reading._keys_by_ids("en", [kept])[0], None]
    assert holding._keys_of("en", [missing, kept, 10**9]) == expected


def test_min_score_and_limit(db):
    tm = TranslationMemory(db)
    tm.add_many([Unit(f"この文は{n}番目の例文です", f"Sentence {n}") for n in range(10)])
    assert len(fuzzy_matches(tm, "この文は1番目の例文です", limit=3)) == 3
    assert fuzzy_matches(tm, "まったく関係のない言葉", min_score=70) == []
    with pytest.raises(TaiyakuError):
        fuzzy_matches(tm, "x", min_score=101)


def test_index_follows_inserts_and_deletes(db):
    tm = TranslationMemory(db)
    tm.add_many([Unit("京都の寺を訪ねる", "Visit temples in Kyoto", document="a")])
    tm.add(Unit("京都の寺を訪ねた", "Visited temples in Kyoto", document="b"))
    assert [m.unit.document for m in fuzzy_matches(tm, "京都の寺を訪ねた")] == ["b", "a"]
    tm.delete_document("b")
    assert [m.unit.document for m in fuzzy_matches(tm, "京都の寺を訪ねた")] == ["a"]
    assert not db.execute("SELECT count(*) FROM match_postings WHERE gram = 'ねた'").fetchone()[0]


def test_a_failed_import_leaves_no_units_and_no_index_rows(db):
    tm = TranslationMemory(db)

    def broken():
        for n in range(12000):
            yield Unit(f"文その{n}", f"Sentence {n}")
        raise ValueError("the file broke half-way")

    with pytest.raises(ValueError):
        tm.add_many(broken())
    assert tm.count() == 0
    assert db.execute("SELECT count(*) FROM match_postings").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM match_sizes").fetchone()[0] == 0
    # The next import starts clean: nothing of the failed one leaks into the index.
    assert tm.add_many([Unit("文その1", "Sentence 1")]) == AddResult(1, 0)
    assert db.execute("SELECT sum(n) FROM match_postings WHERE lang = 'ja'").fetchone()[0] == 3
    assert db.execute("SELECT sum(n) FROM match_postings WHERE lang = 'ja/c'").fetchone()[0] == 4


@pytest.mark.sqlite_only("a SQLite file from before SQLite schema step m004")
def test_existing_units_are_indexed_by_the_migration(db_target):
    import sqlite3

    from taiyaku.store.db import open_db

    database = open_db(db_target)
    TranslationMemory(database).add_many([Unit("古い単位です", "An old unit")])
    database.execute("DELETE FROM match_postings")
    database.execute("DELETE FROM match_sizes")
    database.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_create_match_index'")
    database.execute("DROP TABLE match_postings")
    database.execute("DROP TABLE match_sizes")
    database.close()
    assert sqlite3.connect(db_target).execute("SELECT count(*) FROM units").fetchone()[0] == 1
    again = open_db(db_target)
    assert fuzzy_matches(again, "古い単位です")[0].score == 100


def _generated_units(seed: int, count: int) -> list[Unit]:
    rng = random.Random(seed)
    words = [
        "京都",
        "寺",
        "の",
        "は",
        "を",
        "歴史",
        "建築",
        "国際",
        "戦略",
        "局",
        "天皇",
        "年",
        "に",
        "が",
        "した",
        "である",
        "庭園",
        "美術",
        "１",
        "2",
        "。",
        "、",
        "ICT",
    ]
    bases = [
        "".join(rng.choice(words) for _ in range(rng.randint(3, 12))) for _ in range(count // 4)
    ]
    units, seen = [], set()
    for n in range(count):
        text = list(rng.choice(bases))
        for _ in range(rng.randint(0, 3)):
            text.insert(rng.randrange(len(text) + 1), rng.choice("のはをにがで京寺年局"))
        source = "".join(text)
        if source not in seen:
            seen.add(source)
            units.append(Unit(source, f"unit {n}"))
    return units


@pytest.fixture(scope="module", params=BACKENDS)
def generated(request, tmp_path_factory):
    """A 4,000-unit TM on each backend, shared by the module's tests (made once per backend)."""
    from taiyaku.store.db import open_db

    if request.param == "postgres":
        pool = request.getfixturevalue("pg_pool")
        target = pool.take()
    else:
        target = tmp_path_factory.mktemp("match") / "generated.db"
    database = open_db(target)
    units = _generated_units(4, 4000)
    TranslationMemory(database).add_many(units)
    yield Matcher(database), units
    database.close()
    if request.param == "postgres":
        pool.give_back(target)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_indexed_search_equals_exhaustive_search(generated, data):
    matcher, units = generated
    _assert_an_edited_unit_found_as_exhaustive_search(matcher, units, data)


def _assert_an_edited_unit_found_as_exhaustive_search(
    matcher: Matcher, units: list[Unit], data: st.DataObject
) -> None:
    """Search for a unit with up to 4 characters inserted, at a threshold and limit drawn
    by hypothesis, as the index and as exhaustive search: the same answer."""
    base = data.draw(st.sampled_from(units)).source_text
    chars = list(base)
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(chars)))
        chars.insert(at, data.draw(st.sampled_from("の京寺局年はをICT１")))
    query = "".join(chars) or "の"
    min_score = data.draw(st.sampled_from([1, 20, 35, 50, 60, 70, 85, 100]))
    limit = data.draw(st.sampled_from([1, 5]))
    indexed = matcher.scores(query, min_score=min_score, limit=limit, lang="ja")
    exhaustive = matcher.scores(query, min_score=min_score, limit=limit, lang="ja", exhaustive=True)
    assert indexed == exhaustive


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(alphabet="の京寺局年はを", min_size=1, max_size=4))
def test_short_queries_equal_exhaustive_search(generated, query):
    matcher, _ = generated
    for min_score in (10, 30, 50, 70):
        assert matcher.scores(query, min_score=min_score, lang="ja") == matcher.scores(
            query, min_score=min_score, lang="ja", exhaustive=True
        )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.text(
        alphabet="の京寺局年はをがにで歴史建築国際戦略天皇庭園美術。、１2ICT", max_size=30
    ),
    min_score=st.sampled_from([5, 25, 40, 50, 55, 65]),
)
def test_unrelated_queries_at_low_thresholds_equal_exhaustive_search(generated, query, min_score):
    # Queries that are no edit of any unit: at low thresholds nearly every unit shares
    # characters with them, and the bound must still leave none out.
    matcher, _ = generated
    assert matcher.scores(query, min_score=min_score, limit=5, lang="ja") == matcher.scores(
        query, min_score=min_score, limit=5, lang="ja", exhaustive=True
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_units_bounded_alone_equal_exhaustive_search(generated, monkeypatch, data):
    # Before a matcher reads the groups it bounds every unit by its own postings.
    from taiyaku.match import search

    monkeypatch.setattr(search, "RENT_IDS_PER_UNIT", float("inf"))
    shared, units = generated
    matcher = Matcher(shared.db)  # its own: one that never reads the groups
    _assert_an_edited_unit_found_as_exhaustive_search(matcher, units, data)
    assert not matcher.reader("ja").has_groups()


def test_a_matcher_bounds_units_alone_until_it_has_paid_for_the_groups(db, monkeypatch):
    from taiyaku.match import search

    tm = TranslationMemory(db)
    tm.add_many(_generated_units(5, 400))
    matcher = Matcher(db)
    queries = ["京都の寺の歴史", "国際戦略局の庭園", "天皇の美術である", "寺は建築した年"]
    monkeypatch.setattr(search, "RENT_IDS_PER_UNIT", 1000.0)
    rent = search.RENT_IDS_PER_UNIT * len(matcher.reader("ja").lengths)

    def searched(query: str) -> list[tuple[float, int]]:
        found = matcher.scores(query, min_score=40, limit=5, lang="ja")
        assert found == matcher.scores(query, min_score=40, limit=5, lang="ja", exhaustive=True)
        return found

    # A query that counts fewer ids than the rent does not read the groups.
    assert searched(queries[0])
    assert not matcher.reader("ja").has_groups()
    paid = matcher._rent["ja"].paid
    assert 0 < paid < rent
    # Once as many ids are counted as the rent, the next search reads the groups.
    monkeypatch.setattr(search, "RENT_IDS_PER_UNIT", paid / len(matcher.reader("ja").lengths))
    searched(queries[1])
    assert matcher.reader("ja").has_groups()
    # Bought: no more rent is paid, and the units' cached postings are let go.
    assert "ja" not in matcher._rent and "ja/c" not in matcher._readers
    searched(queries[2])
    assert matcher.reader("ja").has_groups() and "ja" not in matcher._rent
    # A write makes the groups stale: the rent starts again from nothing, after every write.
    monkeypatch.setattr(search, "RENT_IDS_PER_UNIT", 1000.0)
    for n, text in enumerate(["京都の寺の歴史である", "京都の寺の歴史だ"]):
        tm.add_many([Unit(text, f"new {n}")])
        found = searched(queries[0])
        assert f"new {n}" in [u.target_text for u in tm.units_by_ids(i for _, i in found).values()]
        assert not matcher.reader("ja").has_groups()
        assert paid <= matcher._rent["ja"].paid < 2 * paid  # this one query's, not added up


def test_a_batch_announced_reads_the_groups_at_once(db, monkeypatch):
    from taiyaku.match import search
    from taiyaku.match.batch import scores_many

    monkeypatch.setattr(search, "RENT_IDS_PER_UNIT", 1e9)  # only an announcement buys
    tm = TranslationMemory(db)
    tm.add_many(_generated_units(6, 300))
    queries = [u.source_text for u in _generated_units(7, 2 * search.BUY_FROM)]
    exhaustive = [Matcher(db).scores(q, min_score=60, exhaustive=True) for q in queries]
    few, many = Matcher(db), Matcher(db)
    few.expect(search.BUY_FROM - 1)
    assert few.scores(queries[0], min_score=60) == exhaustive[0]
    assert not few.reader("ja").has_groups()
    many.expect(search.BUY_FROM)
    assert many.scores(queries[0], min_score=60) == exhaustive[0]
    assert many.reader("ja").has_groups() and not many._rent
    # Until the database changes: then it rents again.
    tm.add_many([Unit(queries[0] + "。", "new")])
    many.scores(queries[1], min_score=60)
    assert not many.reader("ja").has_groups() and many._rent
    # A batch answered in this process announces itself.
    matcher = Matcher(db)
    exhaustive = [matcher.scores(q, min_score=60, exhaustive=True) for q in queries]
    assert list(scores_many(matcher, queries, min_score=60, workers=1)) == exhaustive
    assert matcher.reader("ja").has_groups()


def test_indexed_search_is_exact_when_many_candidates_tie_at_min_score(generated):
    # hypothesis found this one: thousands of units share the query's の grams, and a cap of
    # 3,000 candidates dropped a unit scoring exactly min_score.
    matcher, _ = generated
    query = "ののの美術をがに庭園"
    indexed = matcher.scores(query, min_score=50, limit=5, lang="ja")
    exhaustive = matcher.scores(query, min_score=50, limit=5, lang="ja", exhaustive=True)
    assert len(exhaustive) == 4 and indexed == exhaustive


def _tied_edits(query: str, count: int, seed: int) -> list[str]:
    """``count`` strings 5 edits from ``query`` (a transposition, 3 substitutions) and more
    than 3 from one another (so each leads a group of its own), sharing 7 of its characters."""
    rng = random.Random(seed)
    made: list[str] = []
    while len(made) < count:
        chars = list(query)
        at = rng.randrange(len(chars) - 1)
        chars[at], chars[at + 1] = chars[at + 1], chars[at]
        for i in rng.sample([i for i in range(len(chars)) if i not in (at, at + 1)], 3):
            chars[i] = chr(rng.randrange(0x4E00, 0x9FA0))
        text = "".join(chars)
        if Levenshtein.distance(query, text) == 5 and all(
            Levenshtein.distance(text, other) > 3 for other in made
        ):
            made.append(text)
    return made


@pytest.mark.parametrize("limit", [1, 3])
def test_older_units_tied_at_the_worst_score_kept_replace_newer_ones(new_db_target, limit):
    # Units tied with the worst score kept can replace it only as older units, and the
    # search skips newer ones unread. Every unit here scores exactly 50. The 80 newer ones
    # share 7 of the query's 10 characters (bound 70): their groups are scored first, in a
    # batch of their own. The older ones share 5 (bound 50, a tie at best) and must still
    # displace them.
    from taiyaku.store.db import open_db

    query = "国際戦略局の組織改編"
    older = [query[:5] + tail for tail in ("歴史建築天", "寺庭園美術", "年京都がに", "をはでしI")]
    units = [Unit(text, f"older {n}") for n, text in enumerate(older)]
    units += [Unit(text, "newer") for text in _tied_edits(query, 80, seed=5)]
    matcher = Matcher(open_db(new_db_target("ties")))
    matcher.tm.add_many(units)
    options = {"min_score": 50, "limit": limit, "lang": "ja"}
    indexed = matcher.scores(query, **options)
    assert indexed == matcher.scores(query, **options, exhaustive=True)
    found = matcher.tm.units_by_ids(unit_id for _, unit_id in indexed)
    assert [found[i].target_text for _, i in indexed] == [f"older {n}" for n in range(limit)]
    assert all(score == 50.0 for score, _ in indexed)


@pytest.mark.parametrize("min_score", [40, 50, 60, 69.99, 70, 70.01])
def test_units_shorter_than_the_query_are_kept_up_to_the_bound_edge(
    new_db_target, tmp_path, min_score
):
    # A unit shares at most as many characters as it has, so the search drops units too
    # short to reach min_score before testing the common characters. The prefix of k of the
    # query's 10 characters scores exactly 10 * k: the one at min_score must stay in.
    from taiyaku.store.db import open_db

    query = "国際戦略局の組織改編"
    units = [Unit(query[:k], f"prefix {k}") for k in range(3, 11)]
    units += _generated_units(7, 600)  # the query's characters common, as in a real TM
    matcher = Matcher(open_db(new_db_target("edge")))
    matcher.tm.add_many(units)
    options = {"min_score": min_score, "limit": len(units), "lang": "ja"}
    indexed = matcher.scores(query, **options)
    assert indexed == matcher.scores(query, **options, exhaustive=True)
    found = matcher.tm.units_by_ids(unit_id for _, unit_id in indexed).values()
    prefixes = [u.source_text for u in found if u.target_text.startswith("prefix")]
    assert min(map(len, prefixes)) == math.ceil(min_score / 10)


def test_batches_on_several_cores_answer_in_input_order(generated):
    from taiyaku.match.batch import scores_many, search_many

    matcher, units = generated
    queries = [u.source_text + "の" * (n % 3) for n, u in enumerate(units[:120:2])]
    alone = [matcher.scores(q, min_score=60, limit=3) for q in queries]
    assert list(scores_many(matcher, queries, min_score=60, limit=3, workers=2)) == alone
    found = list(search_many(matcher, queries, min_score=60, limit=3, workers=2))
    assert [[(m.score, m.unit.id) for m in ms] for ms in found] == alone
    assert found[0][0].unit == matcher.tm.units_by_ids([alone[0][0][1]])[alone[0][0][1]]


def test_batches_run_in_as_many_worker_processes_as_asked(generated, monkeypatch):
    # Every worker's first query waits at a barrier for the other's: with fewer than two
    # processes answering, the barrier breaks (timeout) and the batch fails.
    import multiprocessing
    import os

    from taiyaku.match.batch import scores_many

    matcher, units = generated
    barrier = multiprocessing.get_context("fork").Barrier(2, timeout=60)
    parent, waited = os.getpid(), []

    def scores(self, query, **options):
        if os.getpid() != parent and not waited:
            waited.append(barrier.wait())
        return os.getpid()

    monkeypatch.setattr(Matcher, "scores", scores)
    queries = [u.source_text for u in units[:64]]
    pids = set(scores_many(matcher, queries, workers=2))
    assert len(pids) == 2 and parent not in pids
    monkeypatch.setenv("TAIYAKU_WORKERS", "1")
    assert set(scores_many(matcher, queries)) == {parent}


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_workers_variable_is_refused(generated, monkeypatch, value):
    from taiyaku.match.batch import scores_many

    matcher, units = generated
    monkeypatch.setenv("TAIYAKU_WORKERS", value)
    with pytest.raises(TaiyakuError, match="TAIYAKU_WORKERS must be a whole number"):
        scores_many(matcher, [units[0].source_text])


def _postings_by_gram(database, *, groups: bool = True) -> dict[tuple[str, str], list[int]]:
    from taiyaku.store import postings

    found: dict[tuple[str, str], list[int]] = {}
    for lang, gram, blob in database.execute("SELECT lang, gram, ids FROM match_postings"):
        if groups or not lang.endswith("/g"):
            found.setdefault((lang, gram), []).extend(postings.decode(blob).tolist())
    return {key: sorted(ids) for key, ids in found.items()}


@pytest.mark.parametrize("hold", [1 << 40, 0], ids=["held-to-the-end", "written-each-flush"])
def test_an_import_flushed_many_times_indexes_as_one_flush(
    new_db_target, tmp_path, monkeypatch, hold
):
    from taiyaku.store import index_writer
    from taiyaku.store.db import open_db

    units = _generated_units(7, 3000)
    whole = open_db(new_db_target("whole"))
    TranslationMemory(whole).add_many(units)
    monkeypatch.setattr(index_writer, "FLUSH_POSTINGS", 5000)
    monkeypatch.setattr(index_writer, "CARRY_BELOW", 20)
    monkeypatch.setattr(index_writer, "MERGE_BELOW", 0)  # every flush a chunk, as in a big import
    monkeypatch.setattr(index_writer, "HOLD_AT_MOST", hold)  # 0: memory bound reached at once
    monkeypatch.setattr(index_writer, "JOIN_POSTINGS", 500)  # lists joined a few at a time
    monkeypatch.setattr("taiyaku.store.tm._BATCH", 300)
    flushed = open_db(new_db_target("flushed"))
    TranslationMemory(flushed).add_many(units)
    assert _postings_by_gram(flushed) == _postings_by_gram(whole)
    sizes = "SELECT lang, block, lengths, grams FROM match_sizes ORDER BY lang, block"
    assert flushed.execute(sizes).fetchall() == whole.execute(sizes).fetchall()
    # Rare grams wait for the end of the import, and the others' chunks are merged then:
    # one row per gram, as a search reads them best.
    rows = "SELECT count(*) FROM match_postings"
    grams = "SELECT count(*) FROM (SELECT DISTINCT lang, gram FROM match_postings) AS g"
    assert flushed.execute(rows).fetchone() == flushed.execute(grams).fetchone()


def test_a_big_import_into_an_indexed_tm_leaves_one_chunk_per_gram(
    new_db_target, tmp_path, monkeypatch
):
    from taiyaku.store import index_writer
    from taiyaku.store.db import open_db

    units = _generated_units(11, 3000)
    whole = open_db(new_db_target("whole"))
    TranslationMemory(whole).add_many(units)
    monkeypatch.setattr(index_writer, "FLUSH_POSTINGS", 5000)
    monkeypatch.setattr(index_writer, "MERGE_BELOW", 0)
    monkeypatch.setattr("taiyaku.store.tm._BATCH", 300)
    twice = open_db(new_db_target("twice"))
    TranslationMemory(twice).add_many(units[:1000])
    TranslationMemory(twice).add_many(units[1000:])  # held chunks meet stored ones
    # The groups differ (a write groups its own units), every other list is the same.
    assert _postings_by_gram(twice, groups=False) == _postings_by_gram(whole, groups=False)
    assert_groups_cover_their_members(twice)
    words = "SELECT gram, ids FROM match_words ORDER BY gram"
    assert [(g, postings_of(b)) for g, b in twice.execute(words)] == [
        (g, postings_of(b)) for g, b in whole.execute(words)
    ]
    rows = "SELECT count(*) FROM match_postings"
    grams = "SELECT count(*) FROM (SELECT DISTINCT lang, gram FROM match_postings) AS g"
    assert twice.execute(rows).fetchone() == twice.execute(grams).fetchone()
    vocabulary = "SELECT words FROM match_vocab"
    stored = "".join(w for (w,) in twice.execute(vocabulary)).split("\n")[:-1]
    assert sorted(stored) == sorted({g for g, _ in twice.execute(words)})


def postings_of(blob: bytes) -> list[int]:
    from taiyaku.store import postings

    return postings.decode(blob).tolist()


@pytest.mark.parametrize("with_bitmap", [False, True])
@pytest.mark.parametrize("at_least", [1, 2, 3, 5])
def test_counted_finds_the_ids_in_at_least_so_many_postings(with_bitmap, at_least):
    # The counting behind the character bound, against a plain count: lists only (one sort)
    # and lists with a dense bitmap (a vector over all units).
    from collections import Counter

    import numpy as np

    from taiyaku.match.search import _counted
    from taiyaku.store import postings

    rng = random.Random(at_least * 2 + with_bitmap)
    size = 30000  # lists of ids a few apart (gap-coded), some past `size`
    lists = [sorted(rng.sample(range(0, size + 400, 7), rng.randint(200, 1500))) for _ in range(7)]
    if with_bitmap:
        lists.append(sorted(rng.sample(range(size), size // 2)))
    chunks = [("x", postings.encode(np.array(ids, dtype=np.int64))) for ids in lists]
    assert (chunks[-1][1][0] == postings.BITMAP) is with_bitmap
    counts = Counter(i for ids in lists for i in ids if i < size)
    want = sorted((i, n) for i, n in counts.items() if n >= at_least)
    ids, found_in = _counted(chunks, at_least, size)
    assert list(zip(ids.tolist(), found_in.tolist(), strict=True)) == want
    assert want


def test_cached_postings_follow_every_change_to_the_database(new_db_target, monkeypatch):
    from taiyaku.store import index_reader
    from taiyaku.store.db import open_db

    monkeypatch.setattr(index_reader, "CACHE_FROM", 1)  # every character's postings kept
    target = new_db_target()
    mine, other = open_db(target), open_db(target)
    TranslationMemory(other).add_many([Unit("京都の寺の庭園", "The garden of a temple")])
    matcher = Matcher(mine)

    def found(query: str, min_score: float) -> list[tuple[float, str]]:
        return [(m.score, m.source) for m in matcher.search(query, min_score=min_score)]

    assert found("京都の寺の美しい庭園", 50) == [(70, "京都の寺の庭園")]
    assert "の" in matcher.reader("ja/c")._cached  # a first search bounds the units alone
    # A unit added by another connection: the next query reads its postings, not the cache's.
    TranslationMemory(other).add_many([Unit("京都の寺の美しい庭園", "A fine one")])
    assert found("京都の寺の美しい庭園", 50) == [
        (100, "京都の寺の美しい庭園"),
        (70, "京都の寺の庭園"),
    ]
    # And one added through the matcher's own connection.
    TranslationMemory(mine).add_many([Unit("京都の寺の美しい庭", "Mine")])
    assert found("京都の寺の美しい庭", 95) == [(100, "京都の寺の美しい庭")]


@pytest.mark.parametrize(("rent", "postings"), [(0.0, "ja/g"), (float("inf"), "ja/c")])
def test_the_postings_cache_keeps_within_its_budget_and_changes_no_result(
    generated, monkeypatch, rent, postings
):
    from taiyaku.match import search
    from taiyaku.store import index_reader

    plain_matcher, units = generated
    queries = [u.source_text for u in units[:40]]
    plain = [plain_matcher.scores(q, min_score=60) for q in queries]
    monkeypatch.setattr(index_reader, "CACHE_FROM", 1)
    monkeypatch.setattr(index_reader, "CACHE_BYTES", 600)
    monkeypatch.setattr(search, "RENT_IDS_PER_UNIT", rent)  # the groups' postings, or the units'
    matcher = Matcher(plain_matcher.db)
    assert [matcher.scores(q, min_score=60) for q in queries] == plain
    chars = matcher.reader(postings)
    sizes = [sum(len(b) for b in blobs) for _, blobs in chars._cached.values()]
    assert chars._cached and chars._cached_bytes == sum(sizes) <= 600


def test_an_exhaustive_search_sees_another_connections_change(new_db_target):
    from taiyaku.store.db import open_db

    target = new_db_target()
    mine, other = open_db(target), open_db(target)
    TranslationMemory(other).add_many([Unit("京都の寺の庭園", "The garden of a temple")])
    matcher = Matcher(mine)
    assert [s for s, _ in matcher.scores("京都の寺の庭園", exhaustive=True)] == [100]
    # Every key is cached now: the next search sends nothing but the change stamp's read.
    assert [s for s, _ in matcher.scores("京都の寺の庭園", exhaustive=True)] == [100]
    TranslationMemory(other).add_many([Unit("京都の寺の美しい庭園", "A fine one")])
    assert [s for s, _ in matcher.scores("京都の寺の庭園", exhaustive=True)] == [100, 70]
