"""One project, one file: the translation memory and the glossary, opened once.

:class:`Project` is the entry point for Python callers and the ``taiyaku`` command alike::

    from taiyaku import Project

    with Project.open("project.db", write=True) as project:
        project.tm.add_many(read_units("memory.tmx"))
        project.lookup("国際戦略")
        project.match("令和5年度の予算")

A project opened for reading (the default) changes nothing in its file, and can be read
from read-only media (see :func:`taiyaku.store.db.open_db`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from taiyaku.store.db import Db, default_db_path, open_db, shown_name
from taiyaku.store.keys import Progress, stale_keys_message
from taiyaku.store.pg import safe_url

if TYPE_CHECKING:
    from taiyaku.align.core import Alignment
    from taiyaku.glossary import Glossary, TermHit, TermOccurrence
    from taiyaku.match.analyze import Analysis
    from taiyaku.match.concordance import Concordance
    from taiyaku.match.search import Match, Matcher
    from taiyaku.models import Side, Unit
    from taiyaku.store.tm import AddResult, TranslationMemory

# What a project does is imported when first done: `taiyaku match` loads no glossary, no
# analysis and no aligner, `taiyaku term lookup` no matcher.


class Project:
    """A taiyaku database: its translation memory, its glossary, and what is built on them.

    >>> from taiyaku import Term, Unit
    >>> project = Project.open(":memory:", write=True)
    >>> project.tm.add_many([Unit("国際戦略局の組織", "Organisation of the Bureau")]).added
    1
    >>> project.glossary.add(Term("国際戦略局", "Global Strategy Bureau"))
    1
    >>> [m.score for m in project.match("国際戦略局の組識")]
    [87.5]
    >>> [hit.term.en for hit in project.lookup("kokusai senryaku")]
    ['Global Strategy Bureau']

    :param db: an open database (see :meth:`open`)
    :param name: how the project names its file in messages and exports
    """

    def __init__(self, db: Db, name: str = ":memory:"):
        self.db = db
        self.name = name
        #: What a reader should know: stored keys made under another key signature.
        self.notices: list[str] = []
        stale = stale_keys_message(db, name)
        if stale:
            self.notices.append(stale)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        write: bool = False,
        progress: Progress | None = None,
    ) -> Project:
        """Open the project file ``path`` for reading, or with ``write=True`` for writing.

        A writing open brings the schema and the stored keys up to date first; a reading
        open changes nothing and says in :attr:`notices` when keys are stale.

        :param progress: shows a rebuild of the stored keys (see :mod:`taiyaku.store.keys`)
        :raises DatabaseError: see :func:`taiyaku.store.db.open_db`
        """
        name = os.fspath(path) if path is not None else default_db_path()
        # Messages name a PostgreSQL database by its URL without the password.
        return cls(open_db(name, write=write, progress=progress), safe_url(name))

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @cached_property
    def tm(self) -> TranslationMemory:
        """The translation memory."""
        from taiyaku.store.tm import TranslationMemory

        return TranslationMemory(self.db)

    @cached_property
    def glossary(self) -> Glossary:
        """The glossary."""
        from taiyaku.glossary import Glossary

        return Glossary(self.db)

    @cached_property
    def matcher(self) -> Matcher:
        """The fuzzy matcher, which keeps what it loads between queries."""
        from taiyaku.match.search import Matcher

        return Matcher(self.db)

    def lookup(self, query: str, *, limit: int = 20, min_score: float = 70) -> list[TermHit]:
        """Glossary entries for ``query`` (see :meth:`Glossary.lookup`)."""
        return self.glossary.lookup(query, limit=limit, min_score=min_score)

    def find_terms(
        self, text: str, *, sides: tuple[Side, ...] = ("ja", "en")
    ) -> list[TermOccurrence]:
        """Every glossary term occurring in ``text`` (see :meth:`Glossary.find`)."""
        return self.glossary.find(text, sides=sides)

    def match(self, query: str, *, min_score: float = 70, limit: int = 5) -> list[Match]:
        """The TM units closest to ``query``, best first (see :class:`Matcher`)."""
        return self.matcher.search(query, min_score=min_score, limit=limit)

    def match_many(
        self,
        queries: Sequence[str],
        *,
        min_score: float = 70,
        limit: int = 5,
        workers: int | None = None,
    ) -> Iterator[list[Match]]:
        """The matches of every query, in order, the queries spread over the cores
        (see :func:`taiyaku.match.batch.search_many`).

        :param workers: processes to use; default: ``$TAIYAKU_WORKERS``, else one per core
        """
        from taiyaku.match.batch import search_many

        return search_many(self.matcher, queries, min_score=min_score, limit=limit, workers=workers)

    def concordance(self, query: str, *, limit: int = 20) -> Concordance:
        """The units whose source or target contains ``query``."""
        from taiyaku.match.concordance import concordance

        return concordance(self.matcher, query, limit=limit)

    def analyze(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Callable[[int], None] | None = None,
        workers: int | None = None,
    ) -> Analysis:
        """A document's sentences counted by TM match band.

        :param progress: called with 1 after each sentence matched
        :param workers: processes to match with; default: ``$TAIYAKU_WORKERS``, else one
            per core
        """
        from taiyaku.match.analyze import analyze_file

        return analyze_file(self.matcher, path, progress=progress, workers=workers)

    def align(
        self,
        source: str | os.PathLike[str],
        target: str | os.PathLike[str],
        *,
        encoding: str | None = None,
        source_lang: str | None = None,
        target_lang: str | None = None,
        dictionary: str | os.PathLike[str] | bool = True,
    ) -> Alignment:
        """Align two documents, the glossary's usable terms as anchors; store nothing.

        :param dictionary: an EDICT file whose word pairs are anchors too; ``True``: the
            installed one if any (:func:`taiyaku.align.dictionary.default_path`); ``False``:
            none
        """
        from taiyaku.align.dictionary import resolve
        from taiyaku.align.document import align_files  # the aligner loads only when used

        return align_files(
            source,
            target,
            encoding=encoding,
            source_lang=source_lang,
            target_lang=target_lang,
            glossary=self.glossary.usable_pairs(),
            dictionary=resolve(dictionary),
        )

    def alignment_units(self, alignment: Alignment, document: str) -> list[Unit]:
        """The units :meth:`save_alignment` would store (the document's reviewed pairs win)."""
        from taiyaku.align.document import alignment_units, reviewed_units

        return alignment_units(alignment, document, reviewed_units(self.db, document))

    def save_alignment(self, alignment: Alignment, document: str) -> tuple[int, AddResult]:
        """Store an alignment's pairs as ``document``, replacing an earlier run's."""
        from taiyaku.align.document import save_alignment

        return save_alignment(self.db, alignment, document)

    def glossary_about(self, what: str) -> list[tuple[str, str]]:
        """The About rows of a glossary export (the database by its file name only)."""
        return self.glossary.about(what, shown_name(self.name))
