"""Glossary terms found in a query, shown beside its fuzzy matches.

The glossary's own recognizer (:func:`taiyaku.glossary.find_terms`: Aho–Corasick over all
terms, longest match first, Japanese anywhere, English on whole words with case and plural
variants) finds them; this module turns its occurrences into what a match shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from taiyaku.models import Side
from taiyaku.store.db import Db


@dataclass(frozen=True)
class FoundTerm:
    """A glossary entry whose term occurs in a query.

    :param text: the term, in the query's language, as the glossary writes it
    :param translation: the glossary's rendering in the other language
    :param status: ``preferred``, ``admitted``, ``deprecated`` or ``forbidden``
    :param start: where the term starts in the query (a string index)
    :param term_id: the glossary entry's id
    """

    text: str
    translation: str
    status: str
    start: int
    term_id: int


def find_glossary_terms(db: Db, text: str, lang: str) -> list[FoundTerm]:
    """Return the glossary terms that occur in ``text``, in order of position, longest first.

    :param lang: the language of ``text``: ``ja`` looks up the Japanese side, anything
        else the English side
    """
    from taiyaku.glossary import find_terms

    side: Side
    other: Side
    side, other = ("ja", "en") if lang == "ja" else ("en", "ja")
    return [
        FoundTerm(
            getattr(hit.term, side),
            getattr(hit.term, other),
            hit.term.status,
            hit.start,
            hit.term.id or 0,
        )
        for hit in find_terms(db, text, sides=(side,))
    ]
