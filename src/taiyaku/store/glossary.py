"""The glossary: Japanese/English term pairs with their notes, status and provenance.

Each entry is stored verbatim with its keys (:mod:`taiyaku.text.keys`): the match keys,
the forgiving lookup keys, the recognizer's keys and the reading. Every write changes
``meta.glossary_version`` (a trigger sets a fresh random value), which is how the lookup
index and the term automaton of :mod:`taiyaku.glossary` know they must be rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from taiyaku.errors import TaiyakuError
from taiyaku.models import STATUSES, Term, now_iso
from taiyaku.store.db import database_identity, transaction
from taiyaku.text.keys import term_keys
from taiyaku.text.normalize import match_key

_FIELDS = ("ja", "en", "note", "domain", "pos", "status", "source")
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

    def __init__(self, db: Database):
        self.db = db

    def add(self, term: Term) -> int:
        """Store one entry (or update the note/status/... of the same ja/en pair); return its id."""
        self.add_many([term])
        row = self.db.conn.execute(
            "SELECT id FROM terms WHERE ja = ? AND en = ?", [term.ja, term.en]
        ).fetchone()
        return int(row[0])

    def add_many(self, terms: Iterable[Term]) -> TermsResult:
        """Store entries in one transaction.

        An entry whose ja/en pair is already stored updates that entry's other fields
        when they differ (an edited glossary re-imported), keeping its ``created`` time.
        """
        added = updated = unchanged = 0
        with transaction(self.db):
            batch: list[Term] = []
            for term in terms:
                _check(term)
                batch.append(term)
                if len(batch) >= _BATCH:
                    a, u, n = self._store_batch(batch)
                    added, updated, unchanged = added + a, updated + u, unchanged + n
                    batch = []
            a, u, n = self._store_batch(batch)
            added, updated, unchanged = added + a, updated + u, unchanged + n
        return TermsResult(added, updated, unchanged)

    def _store_batch(self, batch: list[Term]) -> tuple[int, int, int]:
        """Insert or update a batch: one query finds the stored pairs, two statements write."""
        if not batch:
            return 0, 0, 0
        conn = self.db.conn
        now = now_iso()
        stored: dict[tuple[str, str], tuple[Any, ...]] = {}
        names = sorted({t.ja for t in batch})
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            rows = conn.execute(
                "SELECT ja, en, id, note, domain, pos, status, source FROM terms "
                f"WHERE ja IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                stored[(row[0], row[1])] = tuple(row[2:])
        inserts: dict[tuple[str, str], list[Any]] = {}
        updates: dict[int, list[Any]] = {}
        unchanged = repeated = 0
        for term in batch:
            pair = (term.ja, term.en)
            fields = (term.note, term.domain, term.pos, term.status, term.source)
            if pair in inserts:  # the same pair twice in one import: the last row wins
                if tuple(inserts[pair][4:9]) == fields:
                    unchanged += 1
                else:
                    inserts[pair][4:9] = fields
                    repeated += 1
                continue
            existing = stored.get(pair)
            if existing is None:
                ja_key, en_key, *lookup_keys = _key_columns(term.ja, term.en)
                inserts[pair] = [
                    term.ja,
                    term.en,
                    ja_key,
                    en_key,
                    *fields,
                    term.created or now,
                    term.changed or term.created or now,
                    *lookup_keys,
                ]
            elif tuple(existing[1:]) != fields:
                updates[existing[0]] = [*fields, term.changed or now, existing[0]]
                stored[pair] = (existing[0], *fields)
            else:
                unchanged += 1
        conn.executemany(
            "INSERT INTO terms (ja, en, ja_key, en_key, note, domain, pos, status, source, "
            "created, changed, ja_fold, en_fold, ja_find, en_find, ja_reading) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(inserts.values()),
        )
        conn.executemany(
            "UPDATE terms SET note = ?, domain = ?, pos = ?, status = ?, source = ?, changed = ? "
            "WHERE id = ?",
            list(updates.values()),
        )
        return len(inserts), len(updates) + repeated, unchanged

    def recompute_keys(self, progress: Callable[[int], None] | None = None) -> None:
        """Compute every entry's keys again, in the caller's transaction.

        :param progress: called with the number of entries done after each batch
        """
        conn = self.db.conn
        rows = conn.execute("SELECT id, ja, en FROM terms ORDER BY id").fetchall()
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            conn.executemany(
                "UPDATE terms SET ja_key = ?, en_key = ?, ja_fold = ?, en_fold = ?, "
                "ja_find = ?, en_find = ?, ja_reading = ? WHERE id = ?",
                [(*_key_columns(ja, en), term_id) for term_id, ja, en in batch],
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

    def iter_terms(self) -> Iterator[Term]:
        """Yield every entry, ordered by Japanese term then English."""
        for row in self.db.query("SELECT * FROM terms ORDER BY ja, en, id"):
            yield term_from_row(row)

    def count(self) -> int:
        """Return the number of entries."""
        return int(self.db.conn.execute("SELECT count(*) FROM terms").fetchone()[0])

    def status_counts(self) -> dict[str, int]:
        """Return the number of entries of each status (statuses with no entry left out)."""
        rows = self.db.conn.execute("SELECT status, count(*) FROM terms GROUP BY status")
        return {status: int(n) for status, n in rows}

    def usable_pairs(self) -> list[tuple[str, str]]:
        """Return the ``(ja, en)`` pairs of every entry neither deprecated nor forbidden."""
        rows = self.db.conn.execute(
            "SELECT ja, en FROM terms WHERE status NOT IN ('deprecated', 'forbidden')"
        )
        return [(ja, en) for ja, en in rows]

    def find_keys(self) -> list[tuple[int, str, str]]:
        """Return ``(id, ja_find, en_find)`` of every entry in id order: the recognizer's keys."""
        rows = self.db.conn.execute("SELECT id, ja_find, en_find FROM terms ORDER BY id")
        return [(int(i), ja, en) for i, ja, en in rows]

    def lookup_keys(self) -> list[tuple[int, str, str, str]]:
        """Return ``(id, ja_fold, en_fold, ja_reading)`` of every entry: the lookup keys."""
        rows = self.db.conn.execute("SELECT id, ja_fold, en_fold, ja_reading FROM terms")
        return [(int(i), ja, en, reading) for i, ja, en, reading in rows]

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


def _key_columns(ja: str, en: str) -> tuple[str, ...]:
    """An entry's stored keys: ja_key, en_key, ja_fold, en_fold, ja_find, en_find, ja_reading."""
    return (match_key(ja), match_key(en), *term_keys(ja, en))


def _check(term: Term) -> None:
    if not term.ja.strip() or not term.en.strip():
        raise TaiyakuError(f"a term needs both sides: {term.ja!r} / {term.en!r}")
    if any(c in term.ja or c in term.en for c in "\n\r"):
        raise TaiyakuError(f"a term is one line: {term.ja!r} / {term.en!r}")
    if term.status not in STATUSES:
        raise TaiyakuError(f"status must be one of {', '.join(STATUSES)}, not {term.status!r}")


def term_from_row(row: dict[str, Any]) -> Term:
    """Build a :class:`Term` from a row of the ``terms`` table."""
    return Term(
        **{f: row[f] for f in _FIELDS}, created=row["created"], changed=row["changed"], id=row["id"]
    )


def glossary_version(db: Database) -> tuple[str, int]:
    """Return (glossary id, version) of a database: equal pairs mean an unchanged glossary."""
    rows = dict(
        db.conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('glossary_id', 'glossary_version')"
        ).fetchall()
    )
    return str(rows.get("glossary_id", "")), int(rows.get("glossary_version", 0))
