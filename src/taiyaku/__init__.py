"""taiyaku: a Japanese↔English translation memory and glossary toolkit.

Everything the ``taiyaku`` command does is callable from here::

    from taiyaku import Project, read_units

    with Project.open("project.db", write=True) as project:
        project.tm.add_many(read_units("memory.tmx"))
        project.lookup("国際戦略")
"""

__version__ = "0.1.0"

from taiyaku.errors import DatabaseError, FormatError, NotFound, TaiyakuError
from taiyaku.formats import read_terms, read_units, write_terms, write_units
from taiyaku.glossary import Glossary, TermHit
from taiyaku.models import Term, Unit
from taiyaku.project import Project
from taiyaku.store import TranslationMemory, open_db
from taiyaku.text import detect_lang, match_key

__all__ = [
    "DatabaseError",
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
