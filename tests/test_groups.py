"""Near-duplicate groups (taiyaku.store.groups): grouped, kept in step, and never a lost match."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from taiyaku import TranslationMemory, Unit
from taiyaku.errors import TaiyakuError
from taiyaku.match.search import Matcher
from taiyaku.store.db import open_db
from taiyaku.store.groups import (
    KNOWN,
    Grouper,
    Groups,
    layer_changes,
    read_leaders,
)
from taiyaku.text.grams import char_counts, char_layers, pack_char_layers
from tests.groupcheck import assert_groups_cover_their_members, group_postings
from tests.nearcopies import near_copies

BASE = "京都の寺院は平安時代に建てられた建築が多く残っている"
VARIANTS = [
    BASE,
    "京都の寺院は平安時代に建てられた建築が多く残っている。",  # one insertion
    "京都の寺院は鎌倉時代に建てられた建築が多く残っている",  # two substitutions
    "なお、京都の寺院は平安時代に建てられた建築が多く残っている",  # a prefix
    "京都の神社は平安時代に建てられた建築が多く残っている",  # two substitutions
]
_EXAMPLES = itertools.count()
OTHER = "国際戦略局は情報通信分野の国際協力を担当している"


@pytest.fixture(autouse=True)
def _searches_read_the_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search here bounds the groups from its first query: a matcher otherwise bounds
    the units alone until it has counted enough postings (``Matcher._grouping``)."""
    from taiyaku.match import search

    monkeypatch.setattr(search, "RENT_IDS_PER_UNIT", 0.0)


def _units(texts: list[str]) -> list[Unit]:
    return [Unit(text, f"unit {n}") for n, text in enumerate(texts)]


def test_the_grouper_joins_near_duplicates_to_their_first_unit_and_keeps_the_rest_apart():
    grouper = Grouper()
    texts = [*VARIANTS, OTHER, "短い文"]
    leaders, distances = grouper.add(list(range(1, len(texts) + 1)), texts)
    assert leaders.tolist() == [1, 1, 1, 1, 1, 6, 7]
    assert distances.tolist() == [0, *(Levenshtein.distance(BASE, v) for v in VARIANTS[1:]), 0, 0]
    # A later batch of the same write joins the groups of the earlier ones.
    leaders, _ = grouper.add([8, 9], [BASE + "よ", OTHER + "。"])
    assert leaders.tolist() == [1, 6]


def test_an_import_stores_each_units_group_and_the_union_of_its_characters(db):
    TranslationMemory(db).add_many(_units([*VARIANTS, OTHER]))
    assert assert_groups_cover_their_members(db) == 4
    leaders, distances = read_leaders(db, "ja", 7)
    assert leaders[1:7].tolist() == [1, 1, 1, 1, 1, 6]
    assert distances[2:6].tolist() == [Levenshtein.distance(BASE, v) for v in VARIANTS[1:]]
    found = group_postings(db)
    # 鎌 and 神 are only in variants: the group of unit 1 holds them for its members.
    assert found["鎌"] == {1} and found["神"] == {1}
    assert found["国"] == {6}


def test_a_search_finds_every_member_with_its_own_score(db):
    TranslationMemory(db).add_many(_units([*VARIANTS, OTHER]))
    matcher = Matcher(db)
    query = "京都の神社は鎌倉時代に建てられた建築が多く残っている"
    for min_score in (50, 70, 90):
        for limit in (1, 3, 10):
            indexed = matcher.scores(query, min_score=min_score, limit=limit, lang="ja")
            exhaustive = matcher.scores(
                query, min_score=min_score, limit=limit, lang="ja", exhaustive=True
            )
            assert indexed == exhaustive
    assert len(matcher.scores(query, min_score=50, limit=10, lang="ja")) == 5


def test_deleting_a_leader_leaves_its_members_found(db):
    tm = TranslationMemory(db)
    tm.add_many(_units([*VARIANTS, OTHER]))
    tm.delete(ids=[1])
    assert db.execute("SELECT count(*) FROM units").fetchone()[0] == 5
    matcher = Matcher(db)
    for query in (BASE, VARIANTS[2], "京都の神社は鎌倉時代に建てられた建築が多く残っている"):
        found = matcher.scores(query, min_score=60, limit=10, lang="ja")
        assert found == matcher.scores(query, min_score=60, limit=10, lang="ja", exhaustive=True)
        assert {unit_id for _, unit_id in found} == {2, 3, 4, 5}
    # The group keeps its postings while it has members; with none left, they go.
    assert 1 in group_postings(db)["鎌"]
    tm.delete(ids=[2, 3, 4, 5])
    assert all(1 not in leaders for leaders in group_postings(db).values())
    assert matcher.scores(BASE, min_score=30, lang="ja") == []


@pytest.mark.parametrize("bulk", [False, True], ids=["small-write", "bulk-write"])
def test_a_second_import_finds_the_first_ones_and_a_bulk_one_joins_their_groups(
    db, monkeypatch, bulk
):
    from taiyaku.store import index_writer

    tm = TranslationMemory(db)
    tm.add_many(_units(VARIANTS[:2]))
    if bulk:  # a write of 3 units taken as a bulk one: it joins the groups written before
        monkeypatch.setattr(index_writer, "SEED_FROM", 3)
    tm.add_many([Unit(v, f"again {n}") for n, v in enumerate(VARIANTS[2:])])
    leaders, _ = read_leaders(db, "ja", 6)
    if bulk:  # 3, 4 and 5 are 2–3 edits from 1
        assert leaders[1:6].tolist() == [1, 1, 1, 1, 1]
    else:  # 2 joins 1 (first write); 5 joins 3, and 4 is 5 edits from 3
        assert leaders[1:6].tolist() == [1, 1, 3, 4, 3]
    assert assert_groups_cover_their_members(db) == (4 if bulk else 2)
    matcher = Matcher(db)
    found = matcher.scores(BASE, min_score=80, limit=10, lang="ja")
    assert found == matcher.scores(BASE, min_score=80, limit=10, lang="ja", exhaustive=True)
    assert len(found) == 5


@pytest.mark.sqlite_only("a SQLite file from before SQLite schema step m022 or m023")
@pytest.mark.parametrize("before", ["m022", "m023"], ids=["without-groups", "without-changes"])
def test_an_index_without_groups_or_changes_is_rebuilt_with_them(db_target, before):
    database = open_db(db_target)
    TranslationMemory(database).add_many(_units(VARIANTS))
    database.execute("DELETE FROM _sqlite_migrations WHERE name = 'm023_match_changes'")
    database.execute("DROP TABLE match_changes")
    if before == "m022":
        database.execute("DELETE FROM match_postings WHERE lang = 'ja/g'")
        database.execute("DELETE FROM _sqlite_migrations WHERE name = 'm022_match_groups'")
        database.execute("DROP TABLE match_groups")
    old = "index:2" if before == "m022" else "index:3"
    database.execute(
        "UPDATE meta SET value = replace(value, 'index:6', ?) WHERE key = 'keys_signature'", [old]
    )
    database.close()
    with pytest.raises(TaiyakuError, match="upgrade"):  # reading: told what to run
        open_db(db_target, write=False)
    again = open_db(db_target)
    assert assert_groups_cover_their_members(again) == 4  # the changes too
    matcher = Matcher(again)
    found = matcher.scores(BASE, min_score=50, limit=10, lang="ja")
    assert found == matcher.scores(BASE, min_score=50, limit=10, lang="ja", exhaustive=True)
    assert len(found) == len(VARIANTS)


def test_a_postgres_index_without_groups_is_rebuilt_with_them(pg_url):
    import psycopg

    database = open_db(pg_url)
    TranslationMemory(database).add_many(_units(VARIANTS))
    database.close()
    with psycopg.connect(pg_url) as conn:  # as a server left by the taiyaku before groups
        conn.execute("DROP TABLE match_groups")
        conn.execute("DROP TABLE match_changes")
        conn.execute("DELETE FROM match_postings WHERE lang = 'ja/g'")
        conn.execute(
            "DELETE FROM taiyaku_migrations "
            "WHERE name IN ('pg004_match_groups', 'pg005_match_changes')"
        )
        conn.execute(
            "UPDATE meta SET value = replace(value, 'index:6', 'index:2') "
            "WHERE key = 'keys_signature'"
        )
    with pytest.raises(TaiyakuError, match="upgrade"):  # reading: told what to run
        open_db(pg_url, write=False)
    again = open_db(pg_url)
    try:
        assert assert_groups_cover_their_members(again) == 4
        matcher = Matcher(again)
        found = matcher.scores(BASE, min_score=50, limit=10, lang="ja")
        assert found == matcher.scores(BASE, min_score=50, limit=10, lang="ja", exhaustive=True)
        assert len(found) == len(VARIANTS)
    finally:
        again.close()


def test_db_reindex_regroups_what_small_writes_left_apart(runner, db_target):
    import json

    from taiyaku.cli import cli

    database = open_db(db_target)
    tm = TranslationMemory(database)
    for unit in _units([*VARIANTS, OTHER]):  # a server's additions: one write each
        tm.add_many([unit])
    matcher = Matcher(database)
    query = "京都の神社は鎌倉時代に建てられた建築が多く残っている"
    before = matcher.scores(query, min_score=50, limit=10, lang="ja")
    assert len(before) == len(VARIANTS)
    assert assert_groups_cover_their_members(database) == 0
    database.close()

    result = runner.invoke(cli, ["--db", db_target, "db", "reindex", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["groups"] == {"ja": {"units": 6, "groups": 2}}
    again = open_db(db_target)
    try:
        assert assert_groups_cover_their_members(again) == 4
        assert Matcher(again).scores(query, min_score=50, limit=10, lang="ja") == before
    finally:
        again.close()
    result = runner.invoke(cli, ["--db", db_target, "db", "reindex"])
    assert "6 units in 2 groups" in result.output


def _near_copies(rng: random.Random, count: int) -> list[str]:
    words = ["京都", "寺", "の", "は", "を", "歴史", "建築", "年", "に", "が", "した", "。"]
    return near_copies(rng, count, words)


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_groups_across_writes_and_deletions_never_lose_a_match(
    new_db_target, monkeypatch, seed, data
):
    from taiyaku.store import index_writer

    # 1: every write joins the groups of those before it; 1000: none of these does
    monkeypatch.setattr(index_writer, "SEED_FROM", data.draw(st.sampled_from([1, 1000])))
    rng = random.Random(seed)
    texts = _near_copies(rng, 120)
    cut = data.draw(st.integers(0, len(texts)))
    going = data.draw(st.lists(st.integers(0, len(texts) - 1), max_size=30, unique=True))
    database = open_db(new_db_target(f"groups{next(_EXAMPLES)}"))
    try:
        tm = TranslationMemory(database)
        tm.add_many(_units(texts[:cut]))
        ids = [i for (i,) in database.execute("SELECT id FROM units ORDER BY id")]
        first = [ids[i] for i in going[:5] if i < len(ids)]  # leaders may go before a write
        if first:
            tm.delete(ids=first)
        tm.add_many(_units(texts[cut:]))
        ids = [i for (i,) in database.execute("SELECT id FROM units ORDER BY id")]
        then = [ids[i] for i in going[5:] if i < len(ids)]
        if then:
            tm.delete(ids=then)
        if database.execute("SELECT count(*) FROM units").fetchone()[0]:
            assert_groups_cover_their_members(database)
        matcher = Matcher(database)
        for _ in range(5):
            query = data.draw(st.sampled_from(texts)) + data.draw(
                st.sampled_from(["", "の", "京寺"])
            )
            for min_score in (40, 60, 80):
                limit = data.draw(st.sampled_from([1, 5]))
                indexed = matcher.scores(query, min_score=min_score, limit=limit, lang="ja")
                exhaustive = matcher.scores(
                    query, min_score=min_score, limit=limit, lang="ja", exhaustive=True
                )
                assert indexed == exhaustive
    finally:
        database.close()


def test_the_members_order_is_a_stable_sort_by_leader():
    from taiyaku.store.groups import _by_leader

    rng = np.random.default_rng(7)
    for high in (10, 70_000, 2**31 - 1):  # few leaders, many, the widest ids
        units = np.unique(rng.integers(0, high, size=5000))
        leaders = rng.integers(0, units + 1)  # a leader's id is at most its member's
        expected = units[np.argsort(leaders, kind="stable")]
        assert _by_leader(units, leaders).tolist() == expected.tolist()


def _edited(rng: random.Random, text: str, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        at = rng.randrange(len(chars) + 1)
        kind = rng.random()
        if kind < 0.33 and at < len(chars):
            del chars[at]
        elif kind < 0.66 and at < len(chars):
            chars[at] = rng.choice("のはを京寺年a1𠮷")
        else:
            chars.insert(at, rng.choice("のはを京寺年a1𠮷"))
    return "".join(chars)


def _shared(a: str, b: str) -> int:
    return len(set(char_layers(a)) & set(char_layers(b)))


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 100_000), members=st.integers(0, 6), far=st.booleans())
def test_members_counts_follow_from_their_groups_and_changes(seed, members, far):
    """A group's count of shared characters and its members' changes give every member's
    and the leader's own count: exactly for changes within 7 tokens, else the group's."""
    rng = random.Random(seed)
    leader = "".join(
        rng.choice("京都の寺院は平安時代にのの年𠮷") for _ in range(rng.randint(1, 20))
    )
    keys = [
        # far: a key of its own, more than 7 tokens away from the leader's, sometimes
        "".join(rng.choice("国際戦略局情報通信") for _ in range(rng.randint(9, 15)))
        if far and rng.random() < 0.5
        else _edited(rng, leader, rng.randint(0, 4))
        for _ in range(members)
    ]
    query = _edited(rng, leader, rng.randint(0, 8)) + rng.choice(["", "国際", "のの"])
    counts, codes = layer_changes(keys, [leader] * len(keys))
    ids = np.arange(1, len(keys) + 2)
    all_counts = np.concatenate([[0, KNOWN], counts]).astype(np.uint8)
    sizes = ((all_counts >> 4) & 7).astype(np.int64) + (all_counts & 7)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    groups = Groups.of(
        np.concatenate([[0], np.ones(len(keys) + 1, np.int64)]),
        np.zeros(len(ids) + 1, np.uint8),
        np.array([0, *(len(k) or 1 for k in [leader, *keys])]),
        (all_counts, starts, codes),
    )
    union: set[str] = set().union(*(char_layers(k) for k in [leader, *keys]))
    group_count = len(set(char_layers(query)) & union)
    found = char_counts(query)
    layers = np.sort(pack_char_layers([query])[1])
    counted = groups.shared(np.array([1]), np.array([group_count]), found, layers)
    members, owners, lengths, leader_counts, member_counts = counted
    assert members.tolist() == ids[1:].tolist() and not owners.any()
    assert lengths.tolist() == [len(k) or 1 for k in keys]
    # The same from the members' changes copied in group order.
    assert groups.in_group_order(len(keys)) is not None or not keys
    again = groups.shared(np.array([1]), np.array([group_count]), found, layers)
    assert [a.tolist() for a in again] == [a.tolist() for a in counted]
    if counts.all():  # every change known: exact
        assert leader_counts.tolist() == [_shared(query, leader)]
        assert member_counts.tolist() == [_shared(query, k) for k in keys]
    else:
        assert leader_counts[0] >= _shared(query, leader)
    for key, count, member_count in zip(keys, counts, member_counts, strict=True):
        if count:
            assert member_count >= _shared(query, key)
        else:  # more than 7 tokens changed: the group's count bounds the member
            assert sum(1 for t in char_layers(key) if t not in char_layers(leader)) > 7 or (
                sum(1 for t in char_layers(leader) if t not in char_layers(key)) > 7
            )
            assert member_count == group_count


def test_a_search_stays_exact_when_a_members_changes_are_not_known(db):
    """Changes a write did not store (count 0) leave the member bounded by its group."""
    TranslationMemory(db).add_many(_units([*VARIANTS, OTHER]))
    matcher = Matcher(db)
    query = "京都の神社は鎌倉時代に建てられた建築が多く残っている"
    before = matcher.scores(query, min_score=50, limit=10, lang="ja")
    assert matcher.reader("ja").groups().changes[1:7].all()
    db.execute("DELETE FROM match_changes")
    again = Matcher(db)
    assert not again.reader("ja").groups().changes.any()
    for min_score in (50, 80):
        found = again.scores(query, min_score=min_score, limit=10, lang="ja")
        assert found == again.scores(
            query, min_score=min_score, limit=10, lang="ja", exhaustive=True
        )
    assert again.scores(query, min_score=50, limit=10, lang="ja") == before
    assert len(before) == len(VARIANTS)


def test_changes_written_by_several_writes_into_one_block_are_kept_in_place(db, monkeypatch):
    """A later write rewrites its units' changes in a block that holds earlier ones."""
    from taiyaku.store import index_writer

    monkeypatch.setattr(index_writer, "SEED_FROM", 1)  # each write joins the earlier groups
    tm = TranslationMemory(db)
    rng = random.Random(3)
    for round_ in range(4):
        texts = [_edited(rng, BASE, rng.randint(0, 4)) for _ in range(6)]
        tm.add_many([Unit(t, f"round {round_} {n}") for n, t in enumerate(dict.fromkeys(texts))])
    tm.delete(ids=[3, 9])
    assert assert_groups_cover_their_members(db) > 10


def test_a_member_whose_changes_do_not_fit_is_bounded_by_its_group(db):
    """A token of a character repeated 1,024 times or more does not fit 31 bits: the member's
    changes are not stored, and the search still finds it with its own score."""
    leader, member = "あ" * 1030 + "終", "あ" * 1032 + "終"
    TranslationMemory(db).add_many(_units([leader, member]))
    groups = Matcher(db).reader("ja").groups()
    assert read_leaders(db, "ja", 3)[0][1:3].tolist() == [1, 1]
    assert groups.changes[1] == KNOWN and groups.changes[2] == 0
    matcher = Matcher(db)
    for query in (member, "あ" * 1031 + "終"):
        found = matcher.scores(query, min_score=90, limit=5, lang="ja")
        assert found == matcher.scores(query, min_score=90, limit=5, lang="ja", exhaustive=True)
        assert {unit_id for _, unit_id in found} == {1, 2}


@pytest.mark.parametrize("seed", [3, 17])
def test_a_search_counts_the_same_from_the_changes_copied_in_group_order(db, seed):
    """Searches that have counted as many members as there are copy the members' changes in
    group order: the scores are the same as from the changes in unit order."""
    rng = random.Random(seed)
    texts = _near_copies(rng, 400)
    tm = TranslationMemory(db)
    tm.add_many(_units(texts))
    tm.delete(ids=[i for (i,) in db.execute("SELECT id FROM units WHERE id % 7 = 0")])
    queries = [rng.choice(texts) + rng.choice(["", "の", "京寺"]) for _ in range(12)]
    copied, in_unit_order = Matcher(db), Matcher(db)
    groups = copied.reader("ja").groups()
    assert groups.in_group_order(len(groups.members)) is not None  # copied now
    unit_order = in_unit_order.reader("ja").groups()
    unit_order.ordered.counted = -(10**18)  # never copied
    for query in queries:
        for min_score in (40, 60, 80):
            found = copied.scores(query, min_score=min_score, limit=5, lang="ja")
            assert found == in_unit_order.scores(query, min_score=min_score, limit=5, lang="ja")
            assert found == copied.scores(
                query, min_score=min_score, limit=5, lang="ja", exhaustive=True
            )
    assert unit_order.ordered.made is False and len(groups.ordered.codes)
