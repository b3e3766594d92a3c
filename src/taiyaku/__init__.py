"""taiyaku: a Japanese↔English translation memory and glossary toolkit.

Everything the ``taiyaku`` command does is callable from here::

    from taiyaku import open_db, TranslationMemory, Glossary, read_units

    db = open_db("project.db")
    TranslationMemory(db).add_many(read_units("memory.tmx"))
    Glossary(db).lookup("国際戦略")
"""

__version__ = "0.1.0"

from taiyaku.errors import DatabaseError, FormatError, NotFound, TaiyakuError
from taiyaku.formats import read_terms, read_units, write_terms, write_units
from taiyaku.models import Term, Unit
from taiyaku.store import Glossary, TermHit, TranslationMemory, open_db
from taiyaku.text import detect_lang, match_key

__all__ = [
    "DatabaseError",
    "FormatError",
    "Glossary",
    "NotFound",
    "TaiyakuError",
    "Term",
    "TermHit",
    "TranslationMemory",
    "Unit",
    "__version__",
    "detect_lang",
    "match_key",
    "open_db",
    "read_terms",
    "read_units",
    "write_terms",
    "write_units",
]
