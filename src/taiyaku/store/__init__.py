"""Storage: one SQLite file per project holds the translation memory and the glossary."""

from taiyaku.store.db import default_db_path, open_db, transaction
from taiyaku.store.glossary import Glossary, TermHit
from taiyaku.store.tm import AddResult, TranslationMemory

__all__ = [
    "AddResult",
    "Glossary",
    "TermHit",
    "TranslationMemory",
    "default_db_path",
    "open_db",
    "transaction",
]
