import re

import pytest

from taiyaku import DatabaseError, Glossary, Term, TranslationMemory, Unit, open_db
from taiyaku.store.db import transaction
from taiyaku.store.migrations import migrations


@pytest.mark.sqlite_only("the SQLite schema through sqlite-utils (PostgreSQL's: test_pg_backend)")
def test_fresh_database_has_the_schema(db):
    assert set(db.table_names()) >= {"units", "terms", "meta", "_sqlite_migrations"}
    # Other migrations add columns; these are the ones every version has.
    assert (
        db["units"].columns_dict.items()
        >= {
            "id": int,
            "source_lang": str,
            "target_lang": str,
            "source_text": str,
            "target_text": str,
            "source_key": str,
            "target_key": str,
            "origin": str,
            "document": str,
            "position": int,
            "confidence": float,
            "bead": str,
            "created": str,
            "changed": str,
            "metadata": str,
            "source_markup": str,
            "target_markup": str,
            "annotations": str,
            "created_absent": int,
            "changed_absent": int,
        }.items()
    )
    assert {
        "ja",
        "en",
        "ja_key",
        "en_key",
        "note",
        "domain",
        "pos",
        "status",
        "source",
        "created",
        "changed",
    } <= set(db["terms"].columns_dict)
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]


@pytest.mark.sqlite_only("SQLite's journal mode (WAL)")
def test_database_uses_wal_and_reopens_without_reapplying(db_target):
    first = open_db(db_target)
    assert first.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = len(migrations.applied(first))
    first.close()
    again = open_db(db_target)
    assert len(migrations.applied(again)) == applied


@pytest.mark.sqlite_only("writes SQLite's migrations table (PostgreSQL's: test_pg_backend)")
def test_newer_schema_is_refused_unchanged(db_target):
    db = open_db(db_target)
    db["_sqlite_migrations"].insert(
        {"migration_set": "taiyaku", "name": "m999_from_the_future", "applied_at": "x"}
    )
    db.close()
    with pytest.raises(DatabaseError, match="newer taiyaku"):
        open_db(db_target)


@pytest.mark.sqlite_only("a text file where a SQLite file should be")
def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not SQLite " * 100, encoding="utf-8")
    with pytest.raises(DatabaseError, match="not a taiyaku database"):
        open_db(bogus)


def test_units_keep_text_verbatim_and_keys(db):
    tm = TranslationMemory(db)
    tm.add_many([Unit("  ＩＣＴ分野 ", "ICT  field", document="d", position=3)])
    row = db.execute("SELECT source_text, source_key, target_key FROM units").fetchone()
    assert row == ("  ＩＣＴ分野 ", "ict分野", "ict field")
    unit = next(tm.iter_units())
    assert (unit.document, unit.position, unit.origin) == ("d", 3, "imported")
    # An imported unit without dates keeps none (the import time only orders the rows) ...
    assert (unit.created, unit.changed) == (None, None)
    assert db.execute("SELECT created FROM units").fetchone()[0].endswith("Z")


def test_units_taiyaku_makes_get_its_dates_and_given_dates_stay(db):
    tm = TranslationMemory(db)
    tm.add_many(
        [
            Unit("一", "one", origin="added"),
            Unit("二", "two", origin="aligned"),
            Unit("三", "three", created="2001-02-03T04:05:06Z"),
        ]
    )
    added, aligned, dated = tm.iter_units()
    assert added.created and added.changed and aligned.created and aligned.changed
    assert (dated.created, dated.changed) == ("2001-02-03T04:05:06Z", None)


def test_failed_import_stores_nothing(db):
    tm = TranslationMemory(db)

    def broken():
        yield Unit("一", "one")
        raise RuntimeError("file ended early")

    with pytest.raises(RuntimeError):
        tm.add_many(broken())
    assert tm.count() == 0


def test_delete_document_and_stats(db):
    tm = TranslationMemory(db)
    tm.add_many(
        [
            Unit("一", "one", document="a", origin="aligned"),
            Unit("二", "two", document="a", origin="aligned"),
            Unit("三", "three", document="b"),
        ]
    )
    assert tm.delete_document("a", origin="aligned") == 2
    stats = tm.stats()
    assert stats["units"] == 1
    assert stats["language_pairs"] == [{"name": "ja→en", "units": 1}]
    assert stats["documents"] == [{"name": "b", "units": 1}]


def test_glossary_updates_fields_of_the_same_pair(db):
    glossary = Glossary(db)
    first = glossary.add_many([Term("政府", "government")])
    again = glossary.add_many([Term("政府", "government", note="the State", status="admitted")])
    same = glossary.add_many([Term("政府", "government", note="the State", status="admitted")])
    assert (first.added, again.updated, same.unchanged) == (1, 1, 1)
    (term,) = glossary.iter_terms()
    assert (term.note, term.status) == ("the State", "admitted")


def test_lookup_both_directions_ignores_width_and_case(db):
    glossary = Glossary(db)
    glossary.add_many([Term("情報通信技術", "ICT"), Term("国際戦略局", "Global Strategy Bureau")])
    assert glossary.lookup("ｉｃｔ")[0].term.ja == "情報通信技術"
    hits = glossary.lookup("strategy")
    assert [(h.term.ja, h.kind, h.side) for h in hits] == [("国際戦略局", "substring", "en")]
    assert glossary.lookup("国際戦略局")[0].kind == "exact"


def test_second_writer_waits_for_the_lock(db_target):
    first = open_db(db_target)
    second = open_db(db_target, busy_timeout=0.2)
    insert = "INSERT INTO meta (key, value) VALUES (?, ?)"
    with transaction(first):
        first.execute(insert, ["a", "1"])
        # The same error on either engine, naming the database.
        with pytest.raises(DatabaseError, match=f"^{re.escape(db_target)}: database is locked"):
            with transaction(second):
                pass
    with transaction(second):
        second.execute(insert, ["b", "2"])
    assert first.execute("SELECT count(*) FROM meta WHERE key IN ('a', 'b')").fetchone()[0] == 2


def test_nul_in_a_term_or_unit_is_kept_on_sqlite_and_refused_plainly_on_postgres(db, backend):
    glossary, memory = Glossary(db), TranslationMemory(db)
    glossary.add(Term("国", "country"))
    terms, units = [Term("政府", "government"), Term("二\x00つ目", "second")], [Unit("文\x00", "x")]
    if backend == "sqlite":
        glossary.add_many(terms)
        memory.add_many(units)
        assert "二\x00つ目" in {t.ja for t in glossary.iter_terms()}
        assert [u.source_text for u in memory.iter_units()] == ["文\x00"]
        return
    refusal = "a NUL character \\(U\\+0000\\) in a text: a PostgreSQL database cannot store it"
    with pytest.raises(DatabaseError, match=refusal):
        glossary.add_many(terms)
    with pytest.raises(DatabaseError, match=refusal):
        memory.add_many(units)
    assert [t.ja for t in glossary.iter_terms()] == ["国"] and memory.count() == 0


def test_whole_glossary_reads_come_in_id_order_after_an_update(db):
    """PostgreSQL writes an updated row anew at the end of the table, SQLite keeps it in
    place: a read without an order would put an edited term last on one engine only (and
    alignment anchors and lookup ties follow that order)."""
    glossary = Glossary(db)
    glossary.add_many([Term("国際", "international"), Term("政府", "government")])
    glossary.add_many([Term("国際", "international", note="edited")], fields={"note"})
    first, second = sorted(glossary.iter_terms(), key=lambda t: t.id or 0)
    assert (first.ja, first.note) == ("国際", "edited")
    assert glossary.usable_pairs() == [("国際", "international"), ("政府", "government")]
    assert [row[0] for row in glossary.lookup_keys()] == [first.id, second.id]
