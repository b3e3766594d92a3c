"""The glossary: Japanese/English term pairs with their notes, status and provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from taiyaku.errors import TaiyakuError
from taiyaku.models import STATUSES, Term
from taiyaku.store.db import now_iso, transaction
from taiyaku.text.lang import detect_lang
from taiyaku.text.normalize import match_key

_FIELDS = ("ja", "en", "note", "domain", "pos", "status", "source")


@dataclass(frozen=True)
class TermHit:
    """A glossary entry found by a lookup, with how it was found.

    :param term: the entry
    :param kind: ``exact``, ``prefix``, ``substring`` or ``fuzzy``
    :param score: 0–100; 100 for exact
    :param side: the side the query matched: ``ja`` or ``en``
    """

    term: Term
    kind: str
    score: float
    side: str


@dataclass(frozen=True)
class TermsResult:
    """What :meth:`Glossary.add_many` did: entries added, updated, left as they were."""

    added: int
    updated: int
    unchanged: int


class Glossary:
    """The term entries of one taiyaku database."""

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
        conn = self.db.conn
        with transaction(self.db):
            for term in terms:
                _check(term)
                now = now_iso()
                existing = conn.execute(
                    "SELECT id, note, domain, pos, status, source FROM terms "
                    "WHERE ja = ? AND en = ?",
                    [term.ja, term.en],
                ).fetchone()
                fields = (term.note, term.domain, term.pos, term.status, term.source)
                if existing is None:
                    conn.execute(
                        "INSERT INTO terms (ja, en, ja_key, en_key, note, domain, pos, status, "
                        "source, created, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            term.ja,
                            term.en,
                            match_key(term.ja),
                            match_key(term.en),
                            *fields,
                            term.created or now,
                            term.changed or term.created or now,
                        ],
                    )
                    added += 1
                elif tuple(existing[1:]) != fields:
                    conn.execute(
                        "UPDATE terms SET note = ?, domain = ?, pos = ?, status = ?, source = ?, "
                        "changed = ? WHERE id = ?",
                        [*fields, term.changed or now, existing[0]],
                    )
                    updated += 1
                else:
                    unchanged += 1
        return TermsResult(added, updated, unchanged)

    def delete(self, term_id: int) -> None:
        """Delete one entry by id."""
        with transaction(self.db):
            self.db.conn.execute("DELETE FROM terms WHERE id = ?", [term_id])

    def iter_terms(self) -> Iterator[Term]:
        """Yield every entry, ordered by Japanese term then English."""
        for row in self.db.query("SELECT * FROM terms ORDER BY ja, en, id"):
            yield term_from_row(row)

    def count(self) -> int:
        """Return the number of entries."""
        return int(self.db.conn.execute("SELECT count(*) FROM terms").fetchone()[0])

    def lookup(self, query: str, *, limit: int = 20) -> list[TermHit]:
        """Find entries whose Japanese or English side equals or contains ``query``.

        Comparison is on match keys, so width, case and spacing do not matter. Exact
        hits come first, then prefix, then substring hits, shorter terms first.

        :param query: Japanese or English text; the side searched first follows its script
        :param limit: at most this many hits
        """
        key = match_key(query)
        if not key:
            return []
        first = "ja" if detect_lang(query) == "ja" else "en"
        sides = (first, "en" if first == "ja" else "ja")
        hits: list[TermHit] = []
        seen: set[int] = set()
        for side in sides:
            rows = self.db.query(
                f"SELECT * FROM terms WHERE instr({side}_key, ?) > 0 "
                f"ORDER BY length({side}_key), {side}, id",
                [key],
            )
            for row in rows:
                if row["id"] in seen:
                    continue
                seen.add(row["id"])
                term_key = row[f"{side}_key"]
                kind = (
                    "exact"
                    if term_key == key
                    else ("prefix" if term_key.startswith(key) else "substring")
                )
                score = 100.0 * len(key) / len(term_key)
                hits.append(TermHit(term_from_row(row), kind, round(score, 1), side))
        order = {"exact": 0, "prefix": 1, "substring": 2}
        hits.sort(key=lambda h: (order[h.kind], -h.score))
        return hits[:limit]


def _check(term: Term) -> None:
    if not term.ja.strip() or not term.en.strip():
        raise TaiyakuError(f"a term needs both sides: {term.ja!r} / {term.en!r}")
    if term.status not in STATUSES:
        raise TaiyakuError(f"status must be one of {', '.join(STATUSES)}, not {term.status!r}")


def term_from_row(row: dict[str, Any]) -> Term:
    """Build a :class:`Term` from a row of the ``terms`` table."""
    return Term(
        **{f: row[f] for f in _FIELDS}, created=row["created"], changed=row["changed"], id=row["id"]
    )
