"""The translation memory: units stored verbatim beside their match keys."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from taiyaku.errors import TaiyakuError
from taiyaku.formats.inline import from_json, to_json
from taiyaku.models import ORIGINS, Unit, annotations_from_json, annotations_to_json, now_iso
from taiyaku.store.db import Db, in_list, insert_rows, stream_rows, transaction
from taiyaku.store.pg import is_postgres
from taiyaku.text.lang import normalize_lang_tag, primary_lang
from taiyaku.text.normalize import match_key

_COLUMNS = (
    "source_lang, target_lang, source_text, target_text, source_key, target_key, origin, "
    "document, position, confidence, bead, created, changed, metadata, source_markup, "
    "target_markup, annotations, created_absent, changed_absent, pair_hash"
)
_BATCH = 5000
Warn = Callable[[str], None]
Keys = tuple[int, str, str, str]
"""A unit's ``(id, source_lang, source key, target key)``: what the fuzzy index is built from."""
# A unit's source match key, as SQL. Most sources are their own key (Japanese text already
# in NFKC, without case), so the column holds NULL for "the text itself" (``m021``): every
# read of the key goes through this expression. ``changed`` likewise holds NULL for "the
# same as ``created``" (most units were never changed).
SOURCE_KEY = "coalesce(source_key, source_text)"


@dataclass(frozen=True)
class AddResult:
    """What :meth:`TranslationMemory.add_many` did.

    :param added: units newly stored
    :param skipped: units already in the TM (same languages and texts), left alone
    """

    added: int
    skipped: int


class TranslationMemory:
    """The units of one taiyaku database.

    >>> from taiyaku.store.db import open_db
    >>> tm = TranslationMemory(open_db(":memory:"))
    >>> tm.add_many([Unit("国際戦略局", "Global Strategy Bureau")]).added
    1
    """

    def __init__(self, db: Db):
        self.db = db
        # Called with the ids of units added or about to be deleted, inside the same
        # transaction: how indexes kept beside the units (the fuzzy index) stay in step.
        # ``on_added`` hooks also get the units' keys, ``(id, source_lang, source key,
        # target key)`` in the order of the ids, when the writer has them (else ``None``:
        # the hook reads them), so an import does not read back what it just wrote.
        self.on_added: list[Callable[[Db, list[int], list[Keys] | None], None]] = []
        self.on_deleting: list[Callable[[Db, list[int]], None]] = []
        # Called once at the end of each add/add_many: with True inside the transaction just
        # before it commits, or with False when the write failed. Hooks that collect work
        # across batches (the fuzzy index builds postings in memory) write it or drop it here.
        self.on_finished: list[Callable[[Db, bool], None]] = []
        # Every write through a TranslationMemory keeps the fuzzy-match index in step.
        # (Imported here: the writer needs numpy, which commands that only read units skip.)
        from taiyaku.store.index_writer import attach

        attach(self)

    def add_many(
        self, units: Iterable[Unit], *, progress: Callable[[int], None] | None = None
    ) -> AddResult:
        """Store units in one transaction, skipping pairs already stored.

        If reading ``units`` fails half-way (a broken file), nothing is stored.

        :param units: units to store; missing timestamps are set to now
        :param progress: called with the number of units handled after each batch
        """
        return self._add_rows(unit_rows(units), progress)

    def import_units(
        self,
        read: Callable[[Warn], Iterable[Unit]],
        warn: Warn | None = None,
        *,
        background: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> AddResult:
        """Store the units ``read(warn)`` yields, as :meth:`add_many` does.

        :param read: reads the units (a file's), passing its warnings to the ``warn`` given
        :param warn: where the reader's warnings go
        :param background: call ``read`` and compute the units' rows (match keys, pair
            hashes) in a forked child process (:func:`~taiyaku.formats.background.read_in_child`),
            so that a large file is parsed and keyed on one core while this process
            stores and indexes on another (see
            :func:`~taiyaku.formats.background.worth_a_process`)
        :param progress: called with the number of units handled after each batch
        """
        if background:
            from taiyaku.formats.background import read_in_child

            return self._add_rows(read_in_child(lambda w: unit_rows(read(w)), warn), progress)
        return self.add_many(read(warn or _ignore), progress=progress)

    def _add_rows(
        self, rows: Iterable[tuple[Any, ...]], progress: Callable[[int], None] | None
    ) -> AddResult:
        """Store the rows of :func:`unit_rows` in one transaction (see :meth:`add_many`)."""
        added = skipped = 0
        with self._writing():
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= _BATCH:
                    n = self._insert(batch)
                    added, skipped = added + n, skipped + len(batch) - n
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                n = self._insert(batch)
                added, skipped = added + n, skipped + len(batch) - n
                if progress:
                    progress(len(batch))
        return AddResult(added, skipped)

    def _insert(self, rows: list[tuple[Any, ...]]) -> int:
        rows = self._not_stored(rows)
        if not rows:
            return 0
        ids = self._insert_copied(rows) if is_postgres(self.db) else self._insert_each(rows)
        if ids:
            # Every row stored (none refused by a conflict): the ids are the rows', in order.
            keys = _keys(ids, rows) if len(ids) == len(rows) else None
            for hook in self.on_added:
                hook(self.db, ids, keys)
        return len(ids)

    def _insert_each(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert rows one statement each (SQLite, where that is fast); return the new ids."""
        conn = self.db.conn
        before = conn.total_changes
        first_new = (conn.execute("SELECT max(id) FROM units").fetchone()[0] or 0) + 1
        marks = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO units ({_COLUMNS}) VALUES ({marks})", rows)
        if conn.total_changes == before:
            return []
        return [r[0] for r in conn.execute("SELECT id FROM units WHERE id >= ?", [first_new])]

    def _insert_copied(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert rows by ``COPY`` into a temporary table and one ``INSERT ... SELECT``
        (PostgreSQL: one round trip per batch, not per unit); return the new ids.

        The ids are SQLite's: the rows' order from one above the largest id stored (writers
        queue on the write lock, so no other can take them meanwhile), so the same files
        imported, deleted and imported again give the same ids on either engine.
        """
        conn = self.db.conn
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM units").fetchone()[0]
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS taiyaku_incoming AS "
            f"SELECT 0::bigint AS seq, {_COLUMNS} FROM units WITH NO DATA"
        )
        conn.execute("TRUNCATE taiyaku_incoming")
        insert_rows(
            self.db,
            "taiyaku_incoming",
            f"seq, {_COLUMNS}",
            ((i, *row) for i, row in enumerate(rows)),
        )
        inserted = conn.execute(
            f"INSERT INTO units (id, {_COLUMNS}) SELECT ? + seq, {_COLUMNS} "
            "FROM taiyaku_incoming ORDER BY seq ON CONFLICT DO NOTHING RETURNING id",
            [first],
        )
        return sorted(r[0] for r in inserted)

    def _not_stored(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """``rows`` without the pairs already stored, or earlier in ``rows``, under the same
        primary languages: a pair tagged ``en`` and again ``en-US`` is one pair, not two.

        The stored units that may be the same pair are found by their ``pair_hash``
        (an indexed lookup, whatever the size of the TM), then compared text for text.
        """
        seen: set[tuple[str, str, str, str]] = set()
        test, values = in_list(self.db, sorted({row[-1] for row in rows}))
        found = self.db.conn.execute(
            "SELECT source_lang, target_lang, source_text, target_text FROM units "
            f"WHERE pair_hash{test}",
            [values],
        )
        seen.update((_primary(a), _primary(b), c, d) for a, b, c, d in found)
        fresh = []
        for row in rows:
            pair = (_primary(row[0]), _primary(row[1]), row[2], row[3])
            if pair not in seen:
                seen.add(pair)
                fresh.append(row)
        return fresh

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction, ended by the ``on_finished`` hooks."""
        try:
            with transaction(self.db):
                yield
                for hook in self.on_finished:
                    hook(self.db, True)
        except BaseException:
            for hook in self.on_finished:
                hook(self.db, False)
            raise

    def restore(
        self, units: Iterable[Unit], *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Store units with the ids they have (a copy of another database), in one transaction.

        Every field is kept; the fuzzy index is built as for an import. The TM must not hold
        these ids already (:meth:`delete_all` empties it).

        :param units: whole units with their ids, as :meth:`iter_units` yields them
        :param progress: called with the number of units stored after each batch
        :return: the number of units stored
        """
        now = now_iso()
        rows = ((unit.id, *_row(unit, now)) for unit in units)
        stored = 0
        with self._writing():
            while batch := list(itertools.islice(rows, _BATCH)):
                insert_rows(self.db, "units", f"id, {_COLUMNS}", batch)
                ids = [row[0] for row in batch]
                keys = _keys(ids, [row[1:] for row in batch])
                for hook in self.on_added:
                    hook(self.db, ids, keys)
                stored += len(batch)
                if progress:
                    progress(len(batch))
        return stored

    def delete_all(self) -> int:
        """Delete every unit and empty the fuzzy index, in one transaction; return how many.

        What ``taiyaku db copy --force`` does to the database it copies into.
        """
        from taiyaku.store.index_writer import rebuild_index

        with transaction(self.db):
            count = self.count()
            self.db.conn.execute("DELETE FROM units")
            rebuild_index(self.db)
        return count

    def add(self, unit: Unit) -> int | None:
        """Store one unit; return its id, or ``None`` if the pair was already stored."""
        with self._writing():
            if self._insert([_row(unit, now_iso())]):
                return int(self.db.conn.execute("SELECT max(id) FROM units").fetchone()[0])
        return None

    def delete_document(self, document: str, *, origin: str | None = None) -> int:
        """Delete the units of one document (optionally only those of one origin).

        :return: the number of units deleted
        """
        return self.delete(document=document, origin=origin)

    def delete(
        self,
        *,
        document: str | None = None,
        origin: str | None = None,
        ids: Iterable[int] | None = None,
        dry_run: bool = False,
    ) -> int:
        """Delete the units matching every condition given, in one transaction.

        The fuzzy index is kept in step (the ``on_deleting`` hooks run in the same
        transaction). At least one condition is required: this never empties the TM by
        accident.

        :param document: units of this document
        :param origin: units of this origin (``imported``, ``aligned``, ...)
        :param ids: units with these ids
        :param dry_run: count what would be deleted, delete nothing
        :return: the number of units deleted (or that would be)
        :raises TaiyakuError: no condition given
        """
        where, params = self._where(document, origin, ids)
        if dry_run:  # a read: works on a database opened read-only
            count = self.db.conn.execute(f"SELECT count(*) FROM units WHERE {where}", params)
            return int(count.fetchone()[0])
        with self._writing():
            found = [
                r[0] for r in self.db.conn.execute(f"SELECT id FROM units WHERE {where}", params)
            ]
            if found:
                for hook in self.on_deleting:
                    hook(self.db, found)
                for start in range(0, len(found), 500):
                    chunk = found[start : start + 500]
                    self.db.conn.execute(
                        f"DELETE FROM units WHERE id IN ({', '.join('?' * len(chunk))})", chunk
                    )
        return len(found)

    @staticmethod
    def _where(
        document: str | None, origin: str | None, ids: Iterable[int] | None
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if document is not None:
            clauses.append("document = ?")
            params.append(document)
        if origin is not None:
            clauses.append("origin = ?")
            params.append(origin)
        if ids is not None:
            id_list = sorted(set(ids))
            clauses.append(f"id IN ({', '.join('?' * len(id_list))})" if id_list else "1 = 0")
            params += id_list
        if not clauses:
            raise TaiyakuError("say which units to delete: a document, an origin or ids")
        return " AND ".join(clauses), params

    def source_before(self, unit: Unit) -> str | None:
        """The source text of the unit just before ``unit`` in its document, if known.

        What a context match compares with the segment before the one being translated.
        """
        if unit.document is None or unit.position is None:
            return None
        row = self.db.conn.execute(
            "SELECT source_text FROM units WHERE document = ? AND position = ? "
            "AND source_lang = ? ORDER BY id LIMIT 1",
            [unit.document, unit.position - 1, unit.source_lang],
        ).fetchone()
        return row[0] if row else None

    def replace_positions(self, units: Iterable[Unit]) -> AddResult:
        """Store units, each replacing the unit of the same origin, document and position.

        How a translated file is imported again after further edits: a segment's earlier
        translation is updated, not kept beside the new one. A unit whose pair is already
        stored (from any origin) is skipped.

        :return: ``added`` counts units stored (new or replacing), ``skipped`` the rest
        """
        added = skipped = 0
        now = now_iso()
        with self._writing():
            for unit in units:
                row = self.db.conn.execute(
                    "SELECT id, source_text, target_text FROM units "
                    "WHERE origin = ? AND document = ? AND position = ?",
                    [unit.origin, unit.document, unit.position],
                ).fetchone()
                if row and (row[1], row[2]) == (unit.source_text, unit.target_text):
                    skipped += 1
                    continue
                if row:
                    for hook in self.on_deleting:
                        hook(self.db, [row[0]])
                    self.db.conn.execute("DELETE FROM units WHERE id = ?", [row[0]])
                inserted = self._insert([_row(unit, now)])
                added, skipped = added + inserted, skipped + 1 - inserted
        return AddResult(added, skipped)

    def get(self, unit_id: int) -> Unit | None:
        """Return the unit with this id, or ``None``."""
        rows = list(self.db.query("SELECT * FROM units WHERE id = ?", [unit_id]))
        return unit_from_row(rows[0]) if rows else None

    def iter_units(self, *, document: str | None = None) -> Generator[Unit, None, None]:
        """Yield every unit (of one document, if given) in id order, read as they are
        wanted (memory stays flat however large the TM). Closing the generator ends the
        read (see :func:`~taiyaku.store.db.stream_rows`)."""
        if document is None:
            rows = stream_rows(self.db, "SELECT * FROM units ORDER BY id")
        else:
            rows = stream_rows(
                self.db, "SELECT * FROM units WHERE document = ? ORDER BY position, id", [document]
            )
        with contextlib.closing(rows):
            for row in rows:
                yield unit_from_row(row)

    def units_by_ids(self, ids: Iterable[int]) -> dict[int, Unit]:
        """Return the units with these ids (whole units, every field), by id; missing ids are left out."""
        test, values = in_list(self.db, list(ids))
        rows = self.db.query(f"SELECT * FROM units WHERE id{test}", [values])
        return {row["id"]: unit_from_row(row) for row in rows}

    def source_keys_by_ids(self, ids: Iterable[int]) -> dict[int, str]:
        """Return the source match keys of the units with these ids, by id."""
        test, values = in_list(self.db, list(ids))
        return dict(
            self.db.conn.execute(
                f"SELECT id, {SOURCE_KEY} FROM units WHERE id{test}", [values]
            ).fetchall()
        )

    def source_keys_in_lang(self, lang: str) -> tuple[list[int], list[str]]:
        """Return the ids and source keys, in id order, of the units whose source is in ``lang``.

        :param lang: a primary language subtag (``ja``, ``en``)
        """
        ids, keys = [], []
        primary: dict[str, str] = {}
        for unit_id, source_lang, key in self.db.conn.execute(
            f"SELECT id, source_lang, {SOURCE_KEY} FROM units ORDER BY id"
        ):
            tag = primary.get(source_lang) or primary.setdefault(
                source_lang, primary_lang(source_lang)
            )
            if tag == lang:
                ids.append(unit_id)
                keys.append(key)
        return ids, keys

    def ids_containing(self, ids: Iterable[int], key: str, *, side: str) -> list[int]:
        """Return those of ``ids`` whose source or target match key contains ``key``.

        :param side: ``source`` or ``target``
        """
        column = {"source": SOURCE_KEY, "target": "target_key"}[side]
        test, values = in_list(self.db, list(ids))
        return [
            i
            for (i,) in self.db.conn.execute(
                f"SELECT id FROM units WHERE id{test} AND instr({column}, ?) > 0", [values, key]
            )
        ]

    def target_key_lengths_containing(self, key: str) -> list[tuple[int, int]]:
        """Return ``(id, target key length)`` of every unit whose target match key contains ``key``.

        A scan of every unit: for queries the target-word index cannot answer.
        """
        return self.db.conn.execute(
            "SELECT id, length(target_key) FROM units WHERE instr(target_key, ?) > 0", [key]
        ).fetchall()

    def recompute_keys(self, progress: Callable[[int], None] | None = None) -> None:
        """Compute every unit's match keys again, in the caller's transaction.

        The fuzzy index is not touched: rebuild it afterwards
        (:func:`taiyaku.store.index_writer.rebuild_index`).

        :param progress: called with the number of units done after each batch
        """
        conn = self.db.conn
        last = 0
        while True:
            rows = conn.execute(
                "SELECT id, source_lang, target_lang, source_text, target_text FROM units "
                "WHERE id > ? ORDER BY id LIMIT ?",
                [last, _BATCH],
            ).fetchall()
            if not rows:
                return
            conn.executemany(
                "UPDATE units SET source_key = ?, target_key = ?, pair_hash = ? WHERE id = ?",
                [
                    (stored_key(s), match_key(t), pair_hash(a, b, s, t), unit_id)
                    for unit_id, a, b, s, t in rows
                ],
            )
            last = rows[-1][0]
            if progress:
                progress(len(rows))

    def count(self) -> int:
        """Return the number of units."""
        return int(self.db.conn.execute("SELECT count(*) FROM units").fetchone()[0])

    def documents(self, *, low_confidence: float = 0.5) -> list[dict[str, Any]]:
        """The named documents, by name: units, aligned units, low-confidence units, languages.

        :param low_confidence: aligned units below this confidence count as low
        """
        sql = (
            "SELECT document AS name, count(*) AS units, "
            "sum(CASE WHEN origin = 'aligned' THEN 1 ELSE 0 END) AS aligned, "
            "sum(CASE WHEN confidence < ? THEN 1 WHEN confidence IS NOT NULL THEN 0 END) "
            "AS low_confidence, "
            "min(source_lang) AS source_lang, min(target_lang) AS target_lang, "
            "max(coalesce(changed, created)) AS changed "
            "FROM units WHERE document IS NOT NULL GROUP BY document ORDER BY document"
        )
        return [dict(r) for r in self.db.query(sql, [low_confidence])]

    def dominant_source_lang(self) -> str | None:
        """The primary language (``ja``, ``en``, ...) most units have as source; ``None``
        for an empty TM. What an export for a CAT project assumes when not told."""
        row = self.db.conn.execute(
            "SELECT lower(substr(source_lang, 1, instr(source_lang || '-', '-') - 1)) AS lang, "
            "count(*) AS n FROM units GROUP BY lang ORDER BY n DESC, lang LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def stats(self) -> dict[str, Any]:
        """Counts of units in all, by language pair, by origin and by document."""

        def grouped(expr: str) -> list[dict[str, Any]]:
            sql = (
                f"SELECT {expr} AS name, count(*) AS units FROM units "
                "GROUP BY name ORDER BY units DESC, name"
            )
            return [dict(r) for r in self.db.query(sql)]

        return {
            "units": self.count(),
            "language_pairs": grouped("source_lang || '→' || target_lang"),
            "origins": grouped("origin"),
            "documents": grouped("coalesce(document, '')"),
        }


# A million units carry a handful of distinct tags: normalise each once.
_lang_tag = functools.lru_cache(maxsize=512)(normalize_lang_tag)
_primary = functools.lru_cache(maxsize=512)(primary_lang)


def _ignore(message: str) -> None:
    """A ``warn`` that drops the message (a caller that passed none)."""


def _keys(ids: list[int], rows: list[tuple[Any, ...]]) -> list[Keys]:
    """The :data:`Keys` of the units ``ids`` stored from ``rows`` (see :func:`_row`)."""
    return [
        (unit_id, row[0], row[2] if row[4] is None else row[4], row[5])
        for unit_id, row in zip(ids, rows, strict=True)
    ]


def unit_rows(units: Iterable[Unit]) -> Iterator[tuple[Any, ...]]:
    """The ``units`` rows of ``units`` (what :meth:`TranslationMemory.add_many` stores), all
    stamped with the time the first is made (one import, one time; see :func:`_row`)."""
    now = now_iso()
    for unit in units:
        yield _row(unit, now)


def _row(unit: Unit, now: str) -> tuple[Any, ...]:
    """The ``units`` row of ``unit``; ``now`` stamps a unit that has no timestamps.

    A unit taiyaku made (``added``, ``aligned``) is dated ``now``; an imported one without a
    date gets ``now`` for ordering, flagged absent, so export does not invent a date.
    """
    if unit.origin not in ORIGINS:
        raise TaiyakuError(f"origin must be one of {', '.join(ORIGINS)}, not {unit.origin!r}")
    imported = unit.origin == "imported"
    created = unit.created or now
    changed = unit.changed or created
    source_lang, target_lang = _lang_tag(unit.source_lang), _lang_tag(unit.target_lang)
    return (
        source_lang,
        target_lang,
        unit.source_text,
        unit.target_text,
        stored_key(unit.source_text),
        match_key(unit.target_text),
        unit.origin,
        unit.document or None,
        unit.position,
        unit.confidence,
        unit.bead,
        created,
        None if changed == created else changed,
        json.dumps(unit.metadata, ensure_ascii=False, sort_keys=True) if unit.metadata else "{}",
        to_json(unit.source_markup),
        to_json(unit.target_markup),
        annotations_to_json(unit.annotations),
        int(imported and unit.created is None),
        int(imported and unit.changed is None),
        pair_hash(source_lang, target_lang, unit.source_text, unit.target_text),
    )


def stored_key(text: str) -> str | None:
    """The ``source_key`` column for a source ``text``: its match key, or ``None`` when the key
    is the text itself (read back through :data:`SOURCE_KEY`)."""
    key = match_key(text)
    return None if key == text else key


def pair_hash(source_lang: str, target_lang: str, source_text: str, target_text: str) -> int:
    """A signed 64-bit hash of a pair under its primary languages (the ``pair_hash`` column).

    Equal for the pairs an import takes as the same (``en`` and ``en-US`` alike); a
    collision only costs a comparison of texts.
    """
    data = "\0".join((_primary(source_lang), _primary(target_lang), source_text, target_text))
    digest = hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def unit_from_row(row: dict[str, Any]) -> Unit:
    """Build a :class:`Unit` from a row of the ``units`` table."""
    return Unit(
        source_text=row["source_text"],
        target_text=row["target_text"],
        source_lang=row["source_lang"],
        target_lang=row["target_lang"],
        origin=row["origin"],
        document=row["document"],
        position=row["position"],
        confidence=row["confidence"],
        bead=row["bead"],
        created=None if row.get("created_absent") else row["created"],
        changed=None if row.get("changed_absent") else row["changed"] or row["created"],
        metadata=json.loads(row["metadata"] or "{}"),
        annotations=annotations_from_json(row.get("annotations")),
        source_markup=from_json(row.get("source_markup")),
        target_markup=from_json(row.get("target_markup")),
        id=row["id"],
    )
