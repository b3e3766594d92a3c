"""Storage: one SQLite file per project holds the translation memory and the glossary.

Or one PostgreSQL database, for a team sharing them (:mod:`taiyaku.store.pg`): the same
classes run on either engine. This package is the only code that knows SQL and the schema.
"""

from typing import TYPE_CHECKING

from taiyaku.lazy import lazy_exports

if TYPE_CHECKING:
    from taiyaku.store.db import default_db_path, open_db, transaction
    from taiyaku.store.glossary import GlossaryStore
    from taiyaku.store.tm import AddResult, TranslationMemory

# A command that only opens the file (or only matches) does not load the glossary's store.
__getattr__ = lazy_exports(
    __name__,
    {
        **dict.fromkeys(("default_db_path", "open_db", "transaction"), "taiyaku.store.db"),
        "GlossaryStore": "taiyaku.store.glossary",
        **dict.fromkeys(("AddResult", "TranslationMemory"), "taiyaku.store.tm"),
    },
)

__all__ = [
    "AddResult",
    "GlossaryStore",
    "TranslationMemory",
    "default_db_path",
    "open_db",
    "transaction",
]
