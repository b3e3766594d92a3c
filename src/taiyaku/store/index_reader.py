"""The read side of the match index: per-language sizes arrays and posting lookups.

:mod:`taiyaku.store.index_writer` writes the tables (``match_postings``/``match_sizes`` for source
q-grams, ``match_words``/``match_word_sizes``/``match_vocab`` for target words); this module
reads them for the fuzzy search (:mod:`taiyaku.match.search`) and the concordance.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from taiyaku.store import pg, postings
from taiyaku.store.blocks import read_blocks
from taiyaku.store.db import Db, in_list, in_params, read_blobs
from taiyaku.store.groups import Groups, read_changes, read_leaders
from taiyaku.store.index_writer import CHARS, TARGETS
from taiyaku.text.grams import gram_size

# The postings of a gram that fill at least CACHE_FROM bytes (the commonest characters of a
# language: ``の``, ``。``, bitmaps of 125 KB each at 1M units) are kept between searches, up
# to CACHE_BYTES per reader, least recently used dropped first: most of what a Japanese
# query reads (at 1M units, 1.4 of its 1.9 MB of postings), read again by the next query.
CACHE_FROM = 16_384
CACHE_BYTES = 64 << 20

Stamp = tuple[int | str, int]
"""What :func:`change_stamp` returns: compared for equality, never read."""


def change_stamp(db: Db, *, again: bool = False) -> Stamp:
    """Return a value that changes whenever the database does (by another connection or this one).

    ``PRAGMA data_version`` (on PostgreSQL ``meta.data_version``, see
    :func:`taiyaku.store.pg.transaction`) changes on other connections' commits, the
    connection's change count on its own writes: caches built from the database compare it
    before reuse.

    :param again: on PostgreSQL, read it from the server even if nothing was sent since it
        was last read (see :func:`taiyaku.store.pg.data_version`); SQLite always does
    """
    if isinstance(db, pg.PgDatabase):
        return pg.data_version(db, again=again), db.conn.total_changes
    return db.conn.execute("PRAGMA data_version").fetchone()[0], db.conn.total_changes


class IndexReader:
    """Read side of the index for one language: sizes arrays and postings.

    The sizes, and the postings of the commonest grams (see :data:`CACHE_FROM`), are loaded
    once and reused while the database is unchanged (checked through ``PRAGMA data_version``
    and the connection's change count). ``IndexReader(db, TARGETS)``
    reads the target words instead (its "grams" are words), if the database has them.
    """

    def __init__(self, db: Db, lang: str):
        self.db = db
        self.lang = lang
        self.q = gram_size(lang)
        words = lang == TARGETS
        self._postings = "match_words" if words else "match_postings"
        self._sizes = "match_word_sizes" if words else "match_sizes"
        self._stamp: Stamp | None = None
        self._vocabulary: tuple[Stamp | None, str] = (None, "")
        self._columns: dict[str, np.ndarray] = {}
        self._groups: Groups | None = None
        self._any: bool | None = None  # whether the language has postings (has_postings)
        # gram -> (units holding it, its chunks), oldest use first; their size in bytes.
        self._cached: OrderedDict[str, tuple[int, list[bytes]]] = OrderedDict()
        self._cached_bytes = 0

    @property
    def lengths(self) -> np.ndarray:
        """Every unit's key length, by unit id (0: no unit, or another language)."""
        return self._column("lengths")

    @property
    def gram_counts(self) -> np.ndarray:
        """How many grams (with repeats) every unit's key has, by unit id."""
        return self._column("grams")

    def groups(self) -> Groups:
        """The near-duplicate groups of this language's units (:mod:`taiyaku.store.groups`),
        read once per stamp."""
        if self._groups is None:
            lengths = self.lengths
            leaders, distances = read_leaders(self.db, self.lang, len(lengths))
            changes = read_changes(self.db, self.lang, len(lengths))
            self._groups = Groups.of(leaders, distances, lengths, changes)
        return self._groups

    def has_groups(self) -> bool:
        """True when :meth:`groups` are read for the database as it is now (no read)."""
        self.refresh()
        return self._groups is not None

    def refresh(self) -> None:
        """Forget the sizes and cached postings if the database changed since they were read.

        Each array is read again when next asked for: a reader used only for its postings
        (the layered characters of the fuzzy search) never reads one, the character bound
        only the lengths.
        """
        stamp = change_stamp(self.db)
        if stamp != self._stamp:
            self._stamp, self._columns, self._groups, self._any = stamp, {}, None, None
            self._cached, self._cached_bytes = OrderedDict(), 0

    def _column(self, name: str) -> np.ndarray:
        """One sizes column (``lengths`` or ``grams``) of every unit, read once per stamp."""
        found = self._columns.get(name)
        if found is not None:
            return found
        if self._stamp is None:
            self._stamp = change_stamp(self.db)
        (values,) = read_blocks(self.db, self._sizes, self.lang, {name: "<u2"}, into=np.int32)
        self._columns[name] = values
        return values

    def has_postings(self) -> bool:
        """True when this language has any postings (read once per stamp): a database
        indexed before its groups' postings existed has none for them."""
        self.refresh()
        if self._any is None:
            row = self.db.conn.execute(
                f"SELECT 1 FROM {self._postings} WHERE lang = ? LIMIT 1", [self.lang]
            ).fetchone()
            self._any = row is not None
        return self._any

    def frequencies(self, grams: Sequence[str]) -> dict[str, int]:
        """Return how many units contain each gram (grams no unit has are left out)."""
        if not grams:
            return {}
        test, values = in_params(self.db, grams)
        rows = self.db.conn.execute(
            f"SELECT gram, sum(n) FROM {self._postings} WHERE lang = ? AND gram{test} "
            "GROUP BY gram",
            [self.lang, *values],
        )
        return {gram: int(n) for gram, n in rows}

    def postings(self, grams: Sequence[str]) -> list[tuple[str, np.ndarray]]:
        """Return ``(gram, unit ids)`` for every stored chunk of these grams."""
        return [(gram, postings.decode(blob)) for gram, blob in self.chunks(grams)]

    def chunks(self, grams: Sequence[str]) -> list[tuple[str, bytes]]:
        """Return ``(gram, coded chunk)`` for every stored chunk of these grams, undecoded
        (for :func:`taiyaku.store.postings.contains`)."""
        if not grams:
            return []
        test, values = in_params(self.db, grams)
        return read_blobs(
            self.db,
            f"SELECT gram, ids FROM {self._postings} WHERE lang = ? AND gram{test}",
            [self.lang, *values],
        )

    def counted_chunks(
        self, grams: Sequence[str]
    ) -> tuple[dict[str, int], list[tuple[str, bytes]]]:
        """Return :meth:`frequencies` and :meth:`chunks` of these grams in one read: for a
        search that reads the postings of every gram the TM has (one round trip to a
        server instead of two or three). The commonest grams' come from the cache while
        the database is unchanged, and only the others are read.
        """
        self.refresh()
        frequencies: dict[str, int] = {}
        chunks: list[tuple[str, bytes]] = []
        missing = []
        for gram in dict.fromkeys(grams):
            cached = self._cached.get(gram)
            if cached is None:
                missing.append(gram)
                continue
            self._cached.move_to_end(gram)
            frequencies[gram] = cached[0]
            chunks.extend((gram, blob) for blob in cached[1])
        if not missing:
            return frequencies, chunks
        test, values = in_params(self.db, missing)
        rows = read_blobs(
            self.db,
            f"SELECT gram, n, ids FROM {self._postings} WHERE lang = ? AND gram{test}",
            [self.lang, *values],
        )
        read: dict[str, list[bytes]] = {}
        for gram, n, blob in rows:
            frequencies[gram] = frequencies.get(gram, 0) + n
            read.setdefault(gram, []).append(blob)
            chunks.append((gram, blob))
        for gram, blobs in read.items():
            self._keep(gram, frequencies[gram], blobs)
        return frequencies, chunks

    def _keep(self, gram: str, n: int, blobs: list[bytes]) -> None:
        """Cache a gram's postings if they are large (:data:`CACHE_FROM`), within
        :data:`CACHE_BYTES`."""
        size = sum(len(blob) for blob in blobs)
        if size < CACHE_FROM or size > CACHE_BYTES:
            return
        self._cached[gram] = (n, blobs)
        self._cached_bytes += size
        while self._cached_bytes > CACHE_BYTES:
            _, (_, dropped) = self._cached.popitem(last=False)
            self._cached_bytes -= sum(len(blob) for blob in dropped)

    def union(self, grams: Sequence[str], size: int) -> np.ndarray:
        """Return a mask of ``size`` units: those in the postings of any of ``grams``."""
        mask = np.zeros(size, dtype=bool)
        for start in range(0, len(grams), 500):
            test, values = in_list(self.db, grams[start : start + 500])
            rows = read_blobs(
                self.db,
                f"SELECT ids FROM {self._postings} WHERE lang = ? AND gram{test}",
                [self.lang, values],
            )
            for (blob,) in rows:
                mask[postings.decode(blob)] = True
        return mask

    def containing(self, part: str, size: int) -> np.ndarray:
        """Return a mask of ``size`` units whose key contains ``part``, a part shorter than a gram.

        One character: the postings of its layered-character token (the units holding it at
        least once). Two characters of a trigram: the grams that start with it (a range of
        the ``(lang, gram)`` index) and those that end with it (a scan of the language's
        grams: a few hundred thousand short strings in the index, no postings read).
        """
        mask = np.zeros(size, dtype=bool)
        if len(part) == 1:
            sql = f"SELECT ids FROM {self._postings} WHERE lang = ? AND gram = ?"
            args = [self.lang + CHARS, part]
        else:
            top = part + "\U0010ffff" * (self.q - len(part))
            sql = (
                f"SELECT ids FROM {self._postings} WHERE lang = ? AND gram BETWEEN ? AND ? "
                f"UNION ALL SELECT ids FROM {self._postings} WHERE lang = ? "
                "AND substr(gram, 2) = ?"
            )
            args = [self.lang, part, top, self.lang, part]
        for (blob,) in read_blobs(self.db, sql, args):
            mask[postings.decode(blob)] = True
        return mask

    def vocabulary(self, part: str) -> list[str]:
        """Return the indexed words (of a :data:`TARGETS` reader) that contain ``part``."""
        stamp = change_stamp(self.db)
        if self._vocabulary[0] != stamp:
            rows = self.db.conn.execute(
                "SELECT words FROM match_vocab WHERE lang = ? ORDER BY rowid", [self.lang]
            )
            self._vocabulary = (stamp, "\n" + "".join(w for (w,) in rows))
        text = self._vocabulary[1]
        found: dict[str, None] = {}
        at = text.find(part)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            found[text[start:end]] = None
            at = text.find(part, end)
        return list(found)
