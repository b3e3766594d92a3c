"""Stored keys carry a signature; a writing command rebuilds them when it differs (issue 12).

The test database plays one made by another taiyaku: its recorded signature names another
unidic-lite or another keys version, and its stored keys and index are what that version
would have made (here: wrong). The next writing command must rebuild them, after which
lookups, recognition and matches agree with a database built fresh.
"""

from __future__ import annotations

import sqlite3

import pytest

from taiyaku import Term, Unit, open_db
from taiyaku.cli import cli
from taiyaku.glossary import Glossary, find_terms
from taiyaku.match import fuzzy_matches
from taiyaku.store.keys import META_KEY, current_signature, stored_signature
from taiyaku.store.migrations import migrations
from taiyaku.store.tm import TranslationMemory
from tests.conftest import execute_behind_taiyaku, query_rows

UNITS = [
    Unit("国際戦略局の組織", "Organisation of the Global Strategy Bureau"),
    Unit("令和4年度の予算", "The budget for fiscal 2022"),
    Unit("情報通信の国際標準化", "International standardisation of ICT"),
]
TERMS = [
    Term("国際戦略局", "Global Strategy Bureau"),
    Term("取り扱い", "handling"),
    Term("競売", "auction"),
]
QUERIES = ["kokusai senryaku", "取扱い", "Global Strategy Bureaus", "きょうばい"]


def build(path):
    db = open_db(path)
    TranslationMemory(db).add_many(UNITS)
    Glossary(db).add_many(TERMS)
    db.close()


def answers(path):
    """What lookups, recognition and fuzzy matching say over the database at ``path``."""
    db = open_db(path, write=False)
    glossary = Glossary(db)
    found = {
        "lookup": [[(h.term.ja, h.term.en, h.kind) for h in glossary.lookup(q)] for q in QUERIES],
        "find": [(o.start, o.end, o.term.en) for o in find_terms(db, "国際戦略局の取扱い")],
        "match": [
            [(m.score, m.target) for m in fuzzy_matches(db, q)]
            for q in ("国際戦略局の組識", "令和5年度の予算", "情報通信の標準化")
        ],
    }
    db.close()
    return found


def stored_keys(path):
    return {
        "units": query_rows(path, "SELECT id, source_key, target_key FROM units ORDER BY id"),
        "terms": query_rows(
            path,
            "SELECT ja, en, ja_key, en_key, ja_fold, en_fold, ja_find, en_find, ja_reading "
            "FROM terms ORDER BY ja, en",
        ),
        "postings": query_rows(path, "SELECT count(*) FROM match_postings"),
        "words": query_rows(path, "SELECT count(*) FROM match_words"),
    }


def play_older_version(path, signature):
    """Make ``path`` look written by another taiyaku: its signature and (wrong) keys."""
    execute_behind_taiyaku(
        path,
        ("UPDATE meta SET value = ? WHERE key = ?", [signature, META_KEY]),
        ("UPDATE units SET source_key = 'stale', target_key = 'stale'", []),
        (
            "UPDATE terms SET ja_fold = 'stale', en_fold = 'stale', ja_find = 'stale', "
            "en_find = 'stale', ja_reading = 'stale'",
            [],
        ),
        *(
            (f"DELETE FROM {table}", [])
            for table in ("match_postings", "match_sizes", "match_words", "match_word_sizes")
        ),
    )


def test_a_new_database_records_the_signature(new_db_target, tmp_path):
    build(new_db_target("new"))
    signature = stored_signature(open_db(new_db_target("new"), write=False))
    assert signature == current_signature()
    keys, dictionary, unicode, index = signature.split("|")
    assert keys.startswith("keys:") and dictionary.startswith("unidic-lite:")
    assert unicode.startswith("unicode:") and index.startswith("index:")


@pytest.mark.parametrize("part", [1, 0], ids=["unidic-lite version", "keys version"])
def test_changed_signature_rebuilds_on_the_next_writing_command(
    new_db_target, runner, tmp_path, part
):
    fresh, old = new_db_target("fresh"), new_db_target("old")
    build(fresh)
    build(old)
    parts = current_signature().split("|")
    parts[part] = "unidic-lite:0.9.0" if part == 1 else "keys:0"
    play_older_version(old, "|".join(parts))
    assert answers(old) != answers(fresh)  # the stale keys do make lookups miss

    # A reading command changes nothing and says what to run.
    result = runner.invoke(cli, ["--db", str(old), "term", "lookup", "国際戦略局"])
    assert "taiyaku --db" in result.output and "upgrade" in result.output
    assert stored_signature(open_db(old, write=False)) == "|".join(parts)

    # A writing command rebuilds keys and index first.
    result = runner.invoke(cli, ["--db", str(old), "term", "add", "政府", "government"])
    assert result.exit_code == 0, result.output
    runner.invoke(cli, ["--db", str(fresh), "term", "add", "政府", "government"])
    assert stored_signature(open_db(old, write=False)) == current_signature()
    assert stored_keys(old) == stored_keys(fresh)
    assert answers(old) == answers(fresh)


@pytest.mark.sqlite_only("an old SQLite file made by the first SQLite schema steps")
def test_upgrading_an_old_schema_builds_keys_outside_the_migrations(tmp_path):
    # Migrations are schema-only: units and terms stored before m004/m005 get their index
    # and lookup keys from the signature's rebuild, which the writing open runs after them.
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    from sqlite_utils import Database

    db = Database(conn)
    migrations.apply(db, stop_before="m004_create_match_index")
    conn.execute(
        "INSERT INTO units (source_lang, target_lang, source_text, target_text, source_key, "
        "target_key, created, changed) VALUES ('ja', 'en', ?, ?, ?, ?, 'now', 'now')",
        [UNITS[0].source_text, UNITS[0].target_text, "国際戦略局の組織", "x"],
    )
    conn.execute(
        "INSERT INTO terms (ja, en, ja_key, en_key, created, changed) "
        "VALUES ('国際戦略局', 'Global Strategy Bureau', '国際戦略局', 'x', 'now', 'now')"
    )
    conn.close()
    upgraded = open_db(path)
    assert [h.term.en for h in Glossary(upgraded).lookup("kokusai senryaku")] == [
        "Global Strategy Bureau"
    ]
    assert [m.score for m in fuzzy_matches(upgraded, "国際戦略局の組識")] == [87.5]


def test_the_dictionary_version_is_the_installed_packages():
    """The signature's dictionary part, read from the dist-info folder beside unidic_lite
    without importing importlib.metadata, is what importlib.metadata says is installed."""
    from importlib.metadata import version

    from taiyaku.text.tagger import dictionary_version

    assert dictionary_version() == f"unidic-lite:{version('unidic-lite')}"
    assert f"|{dictionary_version()}|" in current_signature()
