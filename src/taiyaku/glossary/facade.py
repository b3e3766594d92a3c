"""The glossary as callers use it: the stored entries, plus lookup and recognition.

:class:`taiyaku.store.glossary.GlossaryStore` reads and writes the rows; this class adds
what is built over them (the forgiving lookup and the term automaton), so that the store
never imports the algorithms that use it.
"""

from __future__ import annotations

from taiyaku.glossary.find import SIDES, TermOccurrence, find_terms
from taiyaku.glossary.termlookup import TermHit, lookup
from taiyaku.models import Side
from taiyaku.store.glossary import GlossaryStore


class Glossary(GlossaryStore):
    """The term entries of one taiyaku database, and how to find them.

    >>> from taiyaku import Term, open_db
    >>> glossary = Glossary(open_db(":memory:", write=True))
    >>> glossary.add(Term("国際戦略局", "Global Strategy Bureau"))
    1
    >>> [hit.term.en for hit in glossary.lookup("kokusai senryaku")]
    ['Global Strategy Bureau']
    """

    def lookup(self, query: str, *, limit: int = 20, min_score: float = 70) -> list[TermHit]:
        """Find entries for ``query``, Japanese or English, forgiving spelling variants.

        Ranked exact → prefix → substring → reading → fuzzy (see
        :func:`taiyaku.glossary.termlookup.lookup`).

        :param query: Japanese, English, kana or romaji
        :param limit: at most this many hits
        :param min_score: the lowest fuzzy score (0–100) worth showing
        """
        return lookup(self, query, limit=limit, min_score=min_score)

    def find(self, text: str, *, sides: tuple[Side, ...] = SIDES) -> list[TermOccurrence]:
        """Return every entry occurring in ``text``, in text order (see :func:`find_terms`)."""
        return find_terms(self, text, sides=sides)

    def about(self, what: str, database: str) -> list[tuple[str, str]]:
        """The rows of an export's About sheet: what it is, from where, when, how many.

        :param what: one line saying what the export holds
        :param database: the database's name as the export shows it
        """
        from taiyaku import __version__
        from taiyaku.models import STATUSES, now_iso

        counts = self.status_counts()
        return [
            ("What", what),
            ("Database", database),
            ("Exported", now_iso()),
            ("Terms", str(sum(counts.values()))),
            *((f"Terms {status}", str(counts[status])) for status in STATUSES if status in counts),
            ("taiyaku version", __version__),
        ]
