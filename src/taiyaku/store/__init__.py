"""Storage: one SQLite file per project holds the translation memory and the glossary.

Or one PostgreSQL database, for a team sharing them (:mod:`taiyaku.store.pg`): the same
classes run on either engine. This package is the only code that knows SQL and the schema.
"""

from taiyaku.store.db import default_db_path, open_db, transaction
from taiyaku.store.glossary import GlossaryStore
from taiyaku.store.tm import AddResult, TranslationMemory

__all__ = [
    "AddResult",
    "GlossaryStore",
    "TranslationMemory",
    "default_db_path",
    "open_db",
    "transaction",
]
