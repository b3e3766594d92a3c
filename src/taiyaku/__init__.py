"""taiyaku: a Japanese↔English translation memory and glossary toolkit.

Everything the ``taiyaku`` command does is callable from here::

    from taiyaku import Project, read_units

    with Project.open("project.db", write=True) as project:
        project.tm.add_many(read_units("memory.tmx"))
        project.lookup("国際戦略")
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from taiyaku.lazy import lazy_exports

if TYPE_CHECKING:
    from taiyaku.errors import (
        DatabaseError,
        DatabaseFault,
        DatabaseUnavailable,
        FormatError,
        NotFound,
        TaiyakuError,
    )
    from taiyaku.formats import read_terms, read_units, write_terms, write_units
    from taiyaku.glossary import Glossary, TermHit
    from taiyaku.models import Term, Unit
    from taiyaku.project import Project
    from taiyaku.store import TranslationMemory, open_db
    from taiyaku.text import detect_lang, match_key

# Imported when first used, so that a command pays only for what it runs (`taiyaku match`
# answers one query in a fraction of a second; MeCab, lxml and openpyxl load only when needed).
_HOMES = {
    "DatabaseError": "taiyaku.errors",
    "DatabaseFault": "taiyaku.errors",
    "DatabaseUnavailable": "taiyaku.errors",
    "FormatError": "taiyaku.errors",
    "NotFound": "taiyaku.errors",
    "TaiyakuError": "taiyaku.errors",
    "read_terms": "taiyaku.formats",
    "read_units": "taiyaku.formats",
    "write_terms": "taiyaku.formats",
    "write_units": "taiyaku.formats",
    "Glossary": "taiyaku.glossary",
    "TermHit": "taiyaku.glossary",
    "Term": "taiyaku.models",
    "Unit": "taiyaku.models",
    "Project": "taiyaku.project",
    "TranslationMemory": "taiyaku.store",
    "open_db": "taiyaku.store",
    "detect_lang": "taiyaku.text",
    "match_key": "taiyaku.text",
}


__getattr__ = lazy_exports(__name__, _HOMES)

__all__ = [
    "DatabaseError",
    "DatabaseFault",
    "DatabaseUnavailable",
    "FormatError",
    "Glossary",
    "NotFound",
    "Project",
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
