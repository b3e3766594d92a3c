"""Glossary lookup and recognition: forgiving keys, readings, the term automaton.

The store (:mod:`taiyaku.store.glossary`) keeps the entries; this package finds them.
``lookup(db, query)`` ranks entries for a query (exact, prefix, substring, reading, fuzzy);
``find_terms(db, text)`` returns every term occurring in a sentence. Both build an index
once per glossary version and keep it in the process.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TermOccurrence", "find_terms", "lookup"]


def __getattr__(name: str) -> Any:
    # Lazy: the store imports taiyaku.glossary.keys, and find/lookup import the store.
    if name in ("TermOccurrence", "find_terms"):
        from taiyaku.glossary import find

        return getattr(find, name)
    if name == "lookup":
        from taiyaku.glossary.termlookup import lookup

        return lookup
    raise AttributeError(name)
