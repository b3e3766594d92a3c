"""Copying a whole project from one database to another, SQLite or PostgreSQL either way.

How a translator's file becomes the team's server (``taiyaku db copy project.db
postgresql://...``) and how a server's TM comes back into a file for work offline. Units
and terms keep their ids and every field (texts, languages, provenance, dates, markup,
notes, metadata); keys and the fuzzy index are computed at the destination. ``meta`` is
not copied: it holds facts about the destination itself (its key signature, its glossary's
id and version), which the destination sets.

The copy is one transaction at the destination: a failure (a full disk, a lost
connection, Ctrl-C) leaves it as it was. A destination that already holds units or terms
is refused unless ``force`` is given, when its contents are replaced in that same
transaction: a copy makes the destination equal to the source, so it cannot merge into
existing ids, and a team's server must not be overwritten by arguments given in the wrong
order. (To merge one TM into another, export it and ``tm import`` the file.)
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from taiyaku.errors import TaiyakuError
from taiyaku.store.db import Db, open_db, transaction
from taiyaku.store.glossary import GlossaryStore
from taiyaku.store.keys import Progress, no_progress
from taiyaku.store.pg import is_url, safe_url
from taiyaku.store.tm import TranslationMemory


@dataclass(frozen=True)
class Copied:
    """What :func:`copy_database` did.

    :param units: units copied
    :param terms: glossary entries copied
    :param replaced_units: units the destination held before (``force``), now gone
    :param replaced_terms: entries the destination held before (``force``), now gone
    """

    units: int
    terms: int
    replaced_units: int
    replaced_terms: int


def _same(source: str, dest: str) -> bool:
    if is_url(source) or is_url(dest):
        return source == dest
    return Path(source).resolve() == Path(dest).resolve()


def copy_database(
    source: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> Copied:
    """Copy every unit and term of ``source`` into ``dest`` (a file or a ``postgresql://`` URL).

    ``source`` is opened for reading only; ``dest`` is created (a file) or set up (an empty
    PostgreSQL database) as by any writing command.

    :param force: replace what ``dest`` holds instead of refusing
    :param progress: shows the copy (see :data:`taiyaku.store.keys.Progress`)
    :raises TaiyakuError: ``dest`` is ``source``, or is not empty and ``force`` is not given
    :raises DatabaseError: either database cannot be opened
    """
    source, dest = os.fspath(source), os.fspath(dest)
    if _same(source, dest):
        raise TaiyakuError(f"{safe_url(dest)}: is the database being copied")
    reading = open_db(source, write=False)
    try:
        writing = open_db(dest, write=True)
        try:
            return _copy(reading, writing, safe_url(dest), force, progress or no_progress)
        finally:
            writing.close()
    finally:
        reading.close()


def _copy(reading: Db, writing: Db, dest: str, force: bool, progress: Progress) -> Copied:
    units, terms = TranslationMemory(reading), GlossaryStore(reading)
    into_units, into_terms = TranslationMemory(writing), GlossaryStore(writing)
    with transaction(writing):
        held = (into_units.count(), into_terms.count())
        if any(held) and not force:
            raise TaiyakuError(
                f"{dest}: not empty ({held[0]:,} units, {held[1]:,} terms); "
                "--force replaces them with the copy"
            )
        if held[0]:
            into_units.delete_all()
        if held[1]:
            into_terms.delete_all()
        with (
            progress("Copying", units.count() + terms.count()) as advance,
            # A copy that fails ends its reads of the source then, not at garbage collection.
            contextlib.closing(units.iter_units()) as source_units,
            contextlib.closing(terms.iter_terms()) as source_terms,
        ):
            copied_units = into_units.restore(source_units, progress=advance)
            copied_terms = into_terms.restore(source_terms, progress=advance)
    return Copied(copied_units, copied_terms, *held)
