"""The glossary: Japanese/English term pairs with their notes, status and provenance.

Each entry is stored verbatim with its keys (:mod:`taiyaku.text.keys`): the match keys,
the forgiving lookup keys, the recognizer's keys and the reading. Every write changes
``meta.glossary_version`` (a trigger sets a fresh random value), which is how the lookup
index and the term automaton of :mod:`taiyaku.glossary` know they must be rebuilt.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Collection, Generator, Iterable
from dataclasses import dataclass, replace
from typing import Any

from taiyaku.errors import TaiyakuError
from taiyaku.models import STATUSES, Term, now_iso
from taiyaku.store.db import Db, database_identity, insert_rows, stream_rows, transaction
from taiyaku.text.keys import term_keys
from taiyaku.text.normalize import match_key
from taiyaku.text.romaji import reading_key

_FIELDS = ("ja", "en", "note", "domain", "pos", "status", "source", "reading")
# The fields of an entry besides its pair: what an import may set, and what it may leave alone.
OPTIONAL_FIELDS = ("note", "domain", "pos", "status", "source", "reading")
_BATCH = 2000


@dataclass(frozen=True)
class TermsResult:
    """What :meth:`GlossaryStore.add_many` did: entries added, updated, left as they were."""

    added: int
    updated: int
    unchanged: int


class GlossaryStore:
    """The term entries of one taiyaku database: their rows and keys, nothing more.

    Finding entries (lookup, recognition) is :class:`taiyaku.glossary.Glossary`, which
    builds on this class.
    """

    def __init__(self, db: Db):
        self.db = db

    def add(self, term: Term, *, fields: Collection[str] = OPTIONAL_FIELDS) -> int:
        """Store one entry, or update the ``fields`` of the same ja/en pair; return its id.

        The values given are the user's word: an empty one clears the stored value.
        """
        self.add_many([term], fields=fields, clear_empty=True)
        row = self.db.conn.execute(
            "SELECT id FROM terms WHERE ja = ? AND en = ?", [term.ja, term.en]
        ).fetchone()
        return int(row[0])

    def add_many(
        self,
        terms: Iterable[Term],
        *,
        fields: Collection[str] = OPTIONAL_FIELDS,
        clear_empty: bool = False,
    ) -> TermsResult:
        """Store entries in one transaction.

        An entry whose ja/en pair is already stored updates that entry (an edited glossary
        re-imported), keeping its ``created`` time, by the rule of :func:`merge_term`: only
        the ``fields`` the source carries change, and an empty value erases a stored one only
        with ``clear_empty``.

        :param fields: the optional fields (:data:`OPTIONAL_FIELDS`) the terms carry: a file
            without a note column has no say about notes
        :param clear_empty: an empty value in a carried field clears the stored value
        """
        added = updated = unchanged = 0
        with transaction(self.db):
            batch: list[Term] = []
            for term in terms:
                _check(term)
                batch.append(term)
                if len(batch) >= _BATCH:
                    a, u, n = self._store_batch(batch, fields, clear_empty)
                    added, updated, unchanged = added + a, updated + u, unchanged + n
                    batch = []
            a, u, n = self._store_batch(batch, fields, clear_empty)
            added, updated, unchanged = added + a, updated + u, unchanged + n
        return TermsResult(added, updated, unchanged)

    def _store_batch(
        self, batch: list[Term], fields: Collection[str], clear_empty: bool
    ) -> tuple[int, int, int]:
        """Insert or update a batch: one query finds the stored pairs, two statements write."""
        if not batch:
            return 0, 0, 0
        conn = self.db.conn
        now = now_iso()
        stored: dict[tuple[str, str], Term] = {}
        names = sorted({t.ja for t in batch})
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            rows = self.db.query(
                f"SELECT * FROM terms WHERE ja IN ({', '.join('?' * len(chunk))})", chunk
            )
            for row in rows:
                stored[(row["ja"], row["en"])] = term_from_row(row)
        inserts: dict[tuple[str, str], Term] = {}
        updates: dict[int, Term] = {}
        unchanged = repeated = 0
        for term in batch:
            pair = (term.ja, term.en)
            if pair in inserts:  # the same pair twice in one import: the later row wins
                merged = merge_term(inserts[pair], term, fields, clear_empty)
                if merged == inserts[pair]:
                    unchanged += 1
                else:
                    inserts[pair] = merged
                    repeated += 1
                continue
            existing = stored.get(pair)
            if existing is None:
                inserts[pair] = replace(term, status=term.status or "preferred")
                continue
            merged = merge_term(existing, term, fields, clear_empty)
            if merged == existing:
                unchanged += 1
            else:
                assert existing.id is not None
                updates[existing.id] = replace(merged, changed=term.changed or now)
                stored[pair] = merged
        # Ids as SQLite draws them (one above the largest, in order), given explicitly so that
        # PostgreSQL, whose sequence never goes back, gives the same ones after a removal.
        first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM terms").fetchone()[0])
        conn.executemany(
            "INSERT INTO terms (id, ja, en, note, domain, pos, status, source, reading, created, "
            f"changed, {_KEY_COLUMNS}) VALUES ({', '.join('?' * 19)})",
            [
                [
                    first + i,
                    t.ja,
                    t.en,
                    *(getattr(t, f) for f in OPTIONAL_FIELDS),
                    t.created or now,
                    t.changed or t.created or now,
                    *_key_columns(t.ja, t.en, t.reading),
                ]
                for i, t in enumerate(inserts.values())
            ],
        )
        conn.executemany(
            "UPDATE terms SET note = ?, domain = ?, pos = ?, status = ?, source = ?, "
            "reading = ?, changed = ?, reading_key = ? WHERE id = ?",
            [
                [
                    *(getattr(t, f) for f in OPTIONAL_FIELDS),
                    t.changed,
                    reading_key(t.reading),
                    term_id,
                ]
                for term_id, t in updates.items()
            ],
        )
        return len(inserts), len(updates) + repeated, unchanged

    def restore(
        self, terms: Iterable[Term], *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Store entries with the ids, times and fields they have (a copy of another
        database), in one transaction; their keys are computed here.

        The glossary must not hold these ids or pairs already (:meth:`delete_all`).

        :param progress: called with the number of entries stored after each batch
        :return: the number of entries stored
        """
        columns = f"id, {', '.join(_FIELDS)}, created, changed, {_KEY_COLUMNS}"
        rows = (
            (
                term.id,
                *(getattr(term, f) for f in _FIELDS),
                term.created,
                term.changed,
                *_key_columns(term.ja, term.en, term.reading),
            )
            for term in terms
        )
        stored = 0
        with transaction(self.db):
            while batch := list(itertools.islice(rows, _BATCH)):
                insert_rows(self.db, "terms", columns, batch)
                stored += len(batch)
                if progress:
                    progress(len(batch))
        return stored

    def delete_all(self) -> int:
        """Delete every entry, in one transaction; return how many."""
        with transaction(self.db):
            count = self.count()
            self.db.conn.execute("DELETE FROM terms")
        return count

    def remove(self, ja: str, en: str, *, dry_run: bool = False) -> int:
        """Delete the entry of this exact ja/en pair; return how many were deleted (0 or 1).

        :param dry_run: count, delete nothing
        """
        count = "SELECT count(*) FROM terms WHERE ja = ? AND en = ?"
        if dry_run:  # a read: works on a database opened read-only
            return int(self.db.conn.execute(count, [ja, en]).fetchone()[0])
        with transaction(self.db):
            found = int(self.db.conn.execute(count, [ja, en]).fetchone()[0])
            if found:
                self.db.conn.execute("DELETE FROM terms WHERE ja = ? AND en = ?", [ja, en])
        return found

    def recompute_keys(self, progress: Callable[[int], None] | None = None) -> None:
        """Compute every entry's keys again, in the caller's transaction.

        :param progress: called with the number of entries done after each batch
        """
        conn = self.db.conn
        rows = conn.execute("SELECT id, ja, en, reading FROM terms ORDER BY id").fetchall()
        assignments = ", ".join(f"{name} = ?" for name in _KEY_COLUMNS.split(", "))
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            conn.executemany(
                f"UPDATE terms SET {assignments} WHERE id = ?",
                [(*_key_columns(ja, en, reading), term_id) for term_id, ja, en, reading in batch],
            )
            if progress:
                progress(len(batch))

    def delete(self, term_id: int) -> None:
        """Delete one entry by id."""
        with transaction(self.db):
            self.db.conn.execute("DELETE FROM terms WHERE id = ?", [term_id])

    def get(self, term_id: int) -> Term | None:
        """Return the entry with id ``term_id``, or ``None`` (as :meth:`TranslationMemory.get`)."""
        return self.get_many([term_id]).get(term_id)

    def get_many(self, term_ids: Iterable[int]) -> dict[int, Term]:
        """Return the entries with these ids, by id (ids that do not exist are left out)."""
        ids = sorted(set(term_ids))
        found: dict[int, Term] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.db.query(
                f"SELECT * FROM terms WHERE id IN ({', '.join('?' * len(chunk))})", chunk
            )
            for row in rows:
                found[row["id"]] = term_from_row(row)
        return found

    def version(self) -> tuple[str, int]:
        """Return (glossary id, version): the version changes on every write to the glossary."""
        return glossary_version(self.db)

    def identity(self) -> str:
        """The database file (so separate connections share a cache), or the connection's id."""
        return database_identity(self.db)

    def iter_terms(self) -> Generator[Term, None, None]:
        """Yield every entry, ordered by Japanese term then English. Closing the generator
        ends the read (see :func:`~taiyaku.store.db.stream_rows`)."""
        with contextlib.closing(
            stream_rows(self.db, "SELECT * FROM terms ORDER BY ja, en, id")
        ) as rows:
            for row in rows:
                yield term_from_row(row)

    def count(self) -> int:
        """Return the number of entries."""
        return int(self.db.conn.execute("SELECT count(*) FROM terms").fetchone()[0])

    def status_counts(self) -> dict[str, int]:
        """Return the number of entries of each status (statuses with no entry left out)."""
        rows = self.db.conn.execute("SELECT status, count(*) FROM terms GROUP BY status")
        return {status: int(n) for status, n in rows}

    def usable_pairs(self) -> list[tuple[str, str]]:
        """Return the ``(ja, en)`` pairs of every entry neither deprecated nor forbidden, in
        id order (on either engine: PostgreSQL's table order moves an updated row last)."""
        rows = self.db.conn.execute(
            "SELECT ja, en FROM terms WHERE status NOT IN ('deprecated', 'forbidden') ORDER BY id"
        )
        return [(ja, en) for ja, en in rows]

    def find_keys(self) -> list[tuple[int, str, str]]:
        """Return ``(id, ja_find, en_find)`` of every entry in id order: the recognizer's keys."""
        rows = self.db.conn.execute("SELECT id, ja_find, en_find FROM terms ORDER BY id")
        return [(int(i), ja, en) for i, ja, en in rows]

    def lookup_keys(self) -> list[tuple[int, str, str, str, str]]:
        """Return ``(id, ja_fold, en_fold, ja_reading, reading_key)`` of every entry, in id order.

        ``ja_reading`` is the computed reading's key, ``reading_key`` the key of the reading
        the source gave (empty where it gave none).
        """
        rows = self.db.conn.execute(
            "SELECT id, ja_fold, en_fold, ja_reading, reading_key FROM terms ORDER BY id"
        )
        return [(int(i), ja, en, r, given) for i, ja, en, r, given in rows]

    def preferred_renderings(self, term: Term) -> list[Term]:
        """Return the preferred entries sharing ``term``'s Japanese or English side.

        Those sharing its Japanese term come first; ``term`` itself is left out.
        """
        rows = self.db.query(
            "SELECT * FROM terms WHERE status = 'preferred' AND (ja = ? OR en = ?) AND id != ? "
            "ORDER BY ja = ? DESC, ja, en",
            [term.ja, term.en, term.id, term.ja],
        )
        return [term_from_row(row) for row in rows]


_KEY_COLUMNS = "ja_key, en_key, ja_fold, en_fold, ja_find, en_find, ja_reading, reading_key"


def _key_columns(ja: str, en: str, reading: str) -> tuple[str, ...]:
    """An entry's stored keys, in the order of :data:`_KEY_COLUMNS`."""
    return (match_key(ja), match_key(en), *term_keys(ja, en), reading_key(reading))


def merge_term(old: Term, new: Term, fields: Collection[str], clear_empty: bool) -> Term:
    """``old`` updated by ``new`` (the same pair): what an import makes of a stored entry.

    A field ``new``'s source does not carry (not in ``fields``) keeps its stored value; an
    empty value (an empty cell; for status, a blank status cell) keeps it too unless
    ``clear_empty``, when it clears it (a blank status becomes ``preferred``). Timestamps
    and id are ``old``'s.
    """
    values: dict[str, Any] = {}
    for field in OPTIONAL_FIELDS:
        value = getattr(new, field)
        if field in fields and (value or clear_empty):
            values[field] = value or ("preferred" if field == "status" else "")
    return replace(old, **values)


def _check(term: Term) -> None:
    if not term.ja.strip() or not term.en.strip():
        raise TaiyakuError(f"a term needs both sides: {term.ja!r} / {term.en!r}")
    if any(c in term.ja or c in term.en for c in "\n\r"):
        raise TaiyakuError(f"a term is one line: {term.ja!r} / {term.en!r}")
    if term.status and term.status not in STATUSES:
        # An empty status means "not stated": a new entry is preferred, a stored one keeps its own.
        raise TaiyakuError(f"status must be one of {', '.join(STATUSES)}, not {term.status!r}")


def term_from_row(row: dict[str, Any]) -> Term:
    """Build a :class:`Term` from a row of the ``terms`` table."""
    return Term(
        **{f: row[f] for f in _FIELDS}, created=row["created"], changed=row["changed"], id=row["id"]
    )


def glossary_version(db: Db) -> tuple[str, int]:
    """Return (glossary id, version) of a database: equal pairs mean an unchanged glossary."""
    rows = dict(
        db.conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('glossary_id', 'glossary_version')"
        ).fetchall()
    )
    return str(rows.get("glossary_id", "")), int(rows.get("glossary_version", 0))
