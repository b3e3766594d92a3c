"""Glossary lookup and recognition over the stored entries.

The store (:mod:`taiyaku.store.glossary`) keeps the entries and their keys (computed by
:mod:`taiyaku.text.keys`); this package finds them. :class:`Glossary` is the store plus
``lookup(query)`` (exact, prefix, substring, reading, fuzzy) and ``find(text)`` (every
term occurring in a sentence). Both build an index once per glossary version and keep it
in the process.
"""

from typing import TYPE_CHECKING

from taiyaku.lazy import lazy_exports

if TYPE_CHECKING:
    from taiyaku.glossary.facade import Glossary
    from taiyaku.glossary.find import TermOccurrence, find_terms
    from taiyaku.glossary.termlookup import TermHit, lookup

__getattr__ = lazy_exports(
    __name__,
    {
        "Glossary": "taiyaku.glossary.facade",
        **dict.fromkeys(("TermOccurrence", "find_terms"), "taiyaku.glossary.find"),
        **dict.fromkeys(("TermHit", "lookup"), "taiyaku.glossary.termlookup"),
    },
)

__all__ = ["Glossary", "TermHit", "TermOccurrence", "find_terms", "lookup"]
