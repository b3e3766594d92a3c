"""What the store reports about itself, the same on both backends."""

from __future__ import annotations

from taiyaku import TranslationMemory, Unit, open_db
from taiyaku.store.db import database_size_bytes


def test_database_size_grows_with_the_units(db_target: str):
    db = open_db(db_target)
    try:
        empty = database_size_bytes(db)
        TranslationMemory(db).add_many(
            Unit(f"これは{i}番目の長めの文で、索引にも載ります。", f"Sentence {i}.")
            for i in range(3000)
        )
        assert database_size_bytes(db) > empty + 200_000
    finally:
        db.close()
