"""Forgiving lookup and recognition in sentences, on a real database of each backend."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taiyaku import Glossary, Term
from taiyaku.glossary import find_terms, lookup
from taiyaku.store.db import open_db

SEED = [
    Term("国際戦略局", "Global Strategy Bureau", note="bureau of MIC", domain="organisation"),
    Term("国際戦略課", "Global Strategy Division"),
    Term("国際", "international"),
    Term("政府", "government"),
    Term("電子政府", "e-government"),
    Term("取扱い", "handling"),
    Term("サーバー", "server"),
    Term("政府", "the Government", status="forbidden", note="no capital in running text"),
    Term("情報通信技術", "information and communications technology"),
]


@pytest.fixture
def glossary(db):
    g = Glossary(db)
    g.add_many(SEED)
    return g


def first(glossary, query):
    hits = glossary.lookup(query)
    assert hits, query
    return hits[0]


@pytest.mark.parametrize(
    ("query", "ja", "kind"),
    [
        ("国際戦略局", "国際戦略局", "exact"),
        ("國際戰略局", "国際戦略局", "exact"),  # old kanji
        ("取り扱い", "取扱い", "exact"),  # okurigana
        ("ｻｰﾊﾞ", "サーバー", "exact"),  # half width, long vowel
        ("global strategy bureaus", "国際戦略局", "exact"),  # case, plural
        ("E-Government", "電子政府", "exact"),  # hyphen
        ("国際戦略", "国際戦略局", "prefix"),
        ("戦略局", "国際戦略局", "substring"),
        ("kokusai senryaku", "国際戦略課", "reading"),
        ("こくさいせんりゃくきょく", "国際戦略局", "reading"),
        ("Global Strateggy Bureau", "国際戦略局", "fuzzy"),  # typo
    ],
)
def test_lookup_forgives(glossary, query, ja, kind):
    hit = first(glossary, query)
    assert (hit.term.ja, hit.kind) == (ja, kind)


def test_ranking_and_fields(glossary):
    hits = glossary.lookup("国際")
    assert [h.kind for h in hits][:3] == ["exact", "prefix", "prefix"]
    assert hits[0].score == 100 and hits[0].side == "ja"
    bureau = next(h for h in hits if h.term.ja == "国際戦略局")
    assert (bureau.term.note, bureau.term.domain, bureau.term.status) == (
        "bureau of MIC",
        "organisation",
        "preferred",
    )
    kinds = [h.kind for h in hits]
    order = ["exact", "prefix", "substring", "reading", "fuzzy"]
    assert kinds == sorted(kinds, key=order.index)


def test_reading_query_finds_kanji_term(glossary):
    hits = glossary.lookup("kokusai senryaku kyoku")
    assert hits[0].term.ja == "国際戦略局" and hits[0].kind == "reading" and hits[0].score == 100


def test_forbidden_term_shows_the_preferred_one(glossary):
    hit = next(h for h in glossary.lookup("the Government") if h.term.en == "the Government")
    assert hit.term.status == "forbidden"
    assert [t.en for t in hit.preferred] == ["government"]


def test_no_hit_and_empty_query(glossary):
    assert glossary.lookup("zzzzqqq") == []
    assert glossary.lookup("   ") == []


def test_lookup_sees_new_terms(glossary):
    assert not any(h.term.ja == "総務省" for h in lookup(glossary.db, "総務省"))
    glossary.add(Term("総務省", "Ministry of Internal Affairs and Communications"))
    assert lookup(glossary.db, "総務省")[0].term.ja == "総務省"
    glossary.delete(glossary.lookup("総務省")[0].term.id)
    assert not any(h.term.ja == "総務省" for h in lookup(glossary.db, "総務省"))


def spans(found):
    return [(o.start, o.end, o.text, o.term.en, o.side) for o in found]


def test_find_japanese_no_word_boundaries(glossary):
    text = "日本政府は国際戦略局を通じて"
    found = find_terms(glossary, text)
    assert [(o.text, o.term.en) for o in found] == [
        ("政府", "government"),
        ("政府", "the Government"),  # every entry of the key, preferred first
        ("国際戦略局", "Global Strategy Bureau"),  # longest wins over 国際
    ]
    assert all(text[o.start : o.end] == o.text for o in found)


def test_find_keeps_original_positions_through_folding(db):
    Glossary(db).add(Term("コンピューター", "computer"))
    text = "ＡＢ、ｺﾝﾋﾟｭｰﾀを"
    (found,) = find_terms(db, text)
    assert found.text == "ｺﾝﾋﾟｭｰﾀ" and text[found.start : found.end] == found.text


def test_find_english_word_boundaries_case_plural(glossary):
    text = "Governments and the Global Strategy Bureaus; no e-governmental."
    found = find_terms(glossary, text, sides=("en",))
    assert [(o.text, o.term.ja) for o in found] == [
        ("Governments", "政府"),
        ("Global Strategy Bureaus", "国際戦略局"),
    ]


def test_find_sides_and_version_cache(glossary):
    assert find_terms(glossary, "government", sides=("ja",)) == []
    assert find_terms(glossary, "総務省の政府") != []
    before = glossary.version()
    glossary.add(Term("総務省", "MIC"))
    assert glossary.version()[1] != before[1]  # a random value per write (m007), not a counter
    assert next(o.text for o in find_terms(glossary, "総務省の政府")) == "総務省"


def test_find_in_empty_glossary(db):
    assert find_terms(db, "政府") == []


def test_cache_is_not_fooled_by_a_rolled_back_write(new_db_target, tmp_path):
    from taiyaku.glossary import Glossary, find_terms
    from taiyaku.models import Term
    from taiyaku.store.db import transaction

    db = open_db(new_db_target("g"))
    glossary = Glossary(db)
    glossary.add(Term("政府", "government"))

    class Abandon(Exception):
        pass

    try:
        with transaction(db):
            glossary.add(Term("国会", "Diet"))
            assert [t.term.en for t in find_terms(db, "国会")] == ["Diet"]
            raise Abandon
    except Abandon:
        pass
    glossary.add(Term("内閣", "Cabinet"))
    assert find_terms(db, "国会") == []
    assert [t.term.en for t in find_terms(db, "内閣")] == ["Cabinet"]


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.text(alphabet="abcあい国際ー", max_size=9), max_size=40),
    query=st.text(alphabet="abcあい国際ー", min_size=2, max_size=9),
    min_score=st.sampled_from([0, 40, 70, 85, 100]),
    limit=st.integers(1, 30),
)
def test_fuzzy_scores_only_reachable_keys_and_finds_what_a_full_scan_finds(
    keys, query, min_score, limit
):
    from rapidfuzz import fuzz, process

    from taiyaku.glossary.termlookup import _Field, _fuzzy

    field = _Field.of(keys)
    full = process.extract(
        query, keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=max(limit, 10)
    )
    expected = [(position, float(score)) for _, score, position in full] if keys else []
    assert _fuzzy(query, field, limit, min_score) == expected


def test_fuzzy_candidates_leave_out_keys_sharing_too_few_characters():
    from taiyaku.glossary.termlookup import _Field

    field = _Field.of(["国際戦略局", "国際戦略課", "政府", "電子政府", "サーバー"])
    assert list(field.fuzzy_candidates("国際戦略局", 70)) == [0, 1]
    assert list(field.fuzzy_candidates("国際戦略局", 0)) == [0, 1, 2, 3, 4]
