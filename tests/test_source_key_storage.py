"""A source key equal to its text, and a ``changed`` equal to ``created``, are stored as NULL
(m021/pg003), and every reader still gets them: matching, concordance, units read back,
document listings, keys rebuild, and an upgraded old database."""

from __future__ import annotations

import pytest

from taiyaku import TranslationMemory, Unit, open_db
from taiyaku.match import fuzzy_matches
from taiyaku.match.concordance import concordance
from taiyaku.store.keys import bring_keys_up_to_date
from taiyaku.text.normalize import match_key

SAME = "日本の水墨画を一変させた。"  # already its own match key
DIFFERENT = "ＩＣＴ分野の国際戦略を担う。"  # full-width letters: its key differs
UNITS = [
    Unit(SAME, "He revolutionized the Japanese ink painting."),
    Unit("画聖と称えられる。", "He was called a master painter.", created="2020-01-02T03:04:05Z"),
    Unit(DIFFERENT, "It is in charge of the ICT strategy."),
    Unit("雪舟は画僧である。", "Sesshu was a painter monk."),
]


def answers(db):
    """What matching and concordance say about both kinds of unit."""
    found = []
    for query in (SAME, DIFFERENT, "ICT分野の国際戦略を担う", "水墨画を一変させた"):
        found.append(
            [(m.unit.source_text, m.score) for m in fuzzy_matches(db, query, min_score=50)]
        )
    for query, lang in (("水墨画", "ja"), ("ict", "ja"), ("ＩＣＴ分野", "ja"), ("painter", "en")):
        hits = concordance(db, query, lang=lang)
        found.append((hits.total, sorted(h.unit.source_text for h in hits.hits)))
    return found


def test_a_key_equal_to_its_text_is_stored_as_null(db):
    assert match_key(SAME) == SAME and match_key(DIFFERENT) != DIFFERENT
    TranslationMemory(db).add_many(UNITS)
    rows = dict(db.execute("SELECT source_text, source_key FROM units").fetchall())
    assert rows[SAME] is None
    assert rows[DIFFERENT] == match_key(DIFFERENT)


def test_both_kinds_round_trip_and_match_alike(db):
    tm = TranslationMemory(db)
    tm.add_many(UNITS)
    assert [(u.source_text, u.target_text) for u in tm.iter_units()] == [
        (u.source_text, u.target_text) for u in UNITS
    ]
    [same] = fuzzy_matches(db, SAME)
    [different] = fuzzy_matches(db, "ICT分野の国際戦略を担う。")
    assert (same.unit.source_text, same.score) == (SAME, 100)
    assert (different.unit.source_text, different.score) == (DIFFERENT, 100)
    assert concordance(db, "ict分野", lang="ja").total == 1
    assert concordance(db, "一変", lang="ja").total == 1


def test_a_keys_rebuild_keeps_the_answers(db):
    TranslationMemory(db).add_many(UNITS)
    before = answers(db)
    db.execute("UPDATE units SET source_key = source_text")  # stale keys, as an old taiyaku's
    db.execute("DELETE FROM meta WHERE key = 'keys_signature'")
    assert bring_keys_up_to_date(db)
    assert db.execute("SELECT count(*) FROM units WHERE source_key IS NULL").fetchone()[0] == 3
    assert answers(db) == before


@pytest.mark.sqlite_only("a SQLite file from before SQLite schema step m021")
def test_an_old_database_is_upgraded_and_answers_the_same(tmp_path):
    db_path = tmp_path / "test.db"
    database = open_db(db_path)
    TranslationMemory(database).add_many(UNITS)
    before = answers(database)
    units_before = list(TranslationMemory(database).iter_units())
    # Back to a database written before m021: every key stored, NOT NULL.
    schema = database.execute("SELECT sql FROM sqlite_master WHERE name = 'units'").fetchone()[0]
    old = schema.replace("source_key TEXT,", "source_key TEXT NOT NULL,")
    old = old.replace("changed TEXT,", "changed TEXT NOT NULL,")
    assert old != schema
    with database.conn:
        database.execute("ALTER TABLE units RENAME TO units_new")
        database.execute("UPDATE units_new SET source_key = source_text WHERE source_key IS NULL")
        database.execute("UPDATE units_new SET changed = created WHERE changed IS NULL")
        database.execute(old)
        database.execute("INSERT INTO units SELECT * FROM units_new")
        database.execute("DROP TABLE units_new")
        database.execute(
            "DELETE FROM _sqlite_migrations WHERE name = 'm021_units_derived_values_null'"
        )
    assert (
        database.execute("SELECT count(*) FROM units WHERE source_key IS NULL").fetchone()[0] == 0
    )
    database.close()

    again = open_db(db_path)
    nulls = again.execute("SELECT source_text FROM units WHERE source_key IS NULL").fetchall()
    assert sorted(nulls) == sorted([(SAME,), ("画聖と称えられる。",), ("雪舟は画僧である。",)])
    indexes = {r[0] for r in again.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"units_document", "units_pair_hash"} <= indexes
    assert answers(again) == before
    assert list(TranslationMemory(again).iter_units()) == units_before
    assert again.execute("SELECT count(*) FROM units WHERE changed IS NULL").fetchone()[0] == 4
    again.close()


def test_changed_equal_to_created_is_stored_as_null_and_read_back(db):
    tm = TranslationMemory(db)
    dated = [
        Unit("一つ目の文。", "First.", created="2020-01-02T03:04:05Z", document="d", position=1),
        Unit(
            "二つ目の文。",
            "Second.",
            created="2020-01-02T03:04:05Z",
            changed="2020-01-02T03:04:05Z",
            document="d",
            position=2,
        ),
        Unit(
            "三つ目の文。",
            "Third.",
            created="2020-01-02T03:04:05Z",
            changed="2021-06-07T08:09:10Z",
            document="d",
            position=3,
        ),
        Unit("四つ目の文。", "Fourth.", origin="added", document="e"),
    ]
    tm.add_many(dated)
    stored = db.execute("SELECT changed FROM units ORDER BY id").fetchall()
    assert stored == [(None,), (None,), ("2021-06-07T08:09:10Z",), (None,)]
    back = [(u.created, u.changed) for u in tm.iter_units()]
    assert back[:3] == [
        ("2020-01-02T03:04:05Z", None),
        ("2020-01-02T03:04:05Z", "2020-01-02T03:04:05Z"),
        ("2020-01-02T03:04:05Z", "2021-06-07T08:09:10Z"),
    ]
    assert back[3][0] is not None and back[3][1] == back[3][0]
    documents = {d["name"]: d["changed"] for d in tm.documents()}
    assert documents == {"d": "2021-06-07T08:09:10Z", "e": back[3][0]}


@pytest.mark.sqlite_only("SQLite's free pages (VACUUM); PostgreSQL leaves them to autovacuum")
def test_upgrade_gives_back_the_free_pages_a_copied_table_left(tmp_path):
    db_path = tmp_path / "test.db"
    from click.testing import CliRunner

    from taiyaku.cli import cli

    database = open_db(db_path)
    tm = TranslationMemory(database)
    tm.add_many(Unit(f"文その{n}。", f"Sentence {n}.") for n in range(3000))
    tm.delete_all()
    tm.add_many(UNITS)
    free, pages = (
        database.execute(f"PRAGMA {p}").fetchone()[0] for p in ("freelist_count", "page_count")
    )
    assert free * 4 >= pages
    database.close()
    size_before = db_path.stat().st_size
    result = CliRunner().invoke(cli, ["--db", str(db_path), "upgrade"])
    assert result.exit_code == 0, result.output
    assert "MB of free space given back" in result.output
    assert db_path.stat().st_size < size_before
    again = open_db(db_path)
    assert again.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert [u.source_text for u in TranslationMemory(again).iter_units()] == [
        u.source_text for u in UNITS
    ]
    again.close()
    result = CliRunner().invoke(cli, ["--db", str(db_path), "upgrade"])
    assert "given back" not in result.output
