"""The fuzzy-match index, kept in the same SQLite file as the units and in step with them.

Two tables (created by migration ``m004_create_match_index``):

- ``match_postings(lang, gram, n, ids)``: for each language and character q-gram
  (:mod:`taiyaku.text.grams`), the ids of the units whose key in that language contains
  it, as packed int32 chunks. A gram may have several chunks: a write of up to
  ``FLUSH_POSTINGS`` postings appends one chunk per gram rather than rewriting the big
  ones; a small write merges into the gram's smallest chunk, so single adds do not leave
  thousands of tiny chunks; a larger write joins its lists to the gram's chunks, one chunk
  a gram (:func:`_merged`).
- ``match_sizes(lang, block, lengths, grams)``: per block of 65,536 unit ids, the key length
  and number of distinct grams of each unit's side in that language (packed uint16, 0 for
  "no side in this language"). With them a search bounds a unit's score from its gram
  count alone.

Units are indexed by their source key under the source's primary language: Japanese queries
are matched against Japanese sources, English queries against English sources, so a TM that
holds both ja→en and en→ja units serves both directions. (Indexing the targets by trigrams
too would cost three times the index size and import time: English trigrams are far more
numerous than Japanese bigrams.)

For the concordance, migration ``m006`` adds an index of the *words* of every target key
(runs of ASCII letters and digits and of characters above U+007F, see
:func:`~taiyaku.text.grams.pack_words`), about half as many postings as the source bigrams:

- ``match_words(lang, gram, n, ids)``: like ``match_postings``, with ``lang`` = :data:`TARGETS`
  and a word as the gram;
- ``match_word_sizes``: like ``match_sizes``, the target key lengths and word counts;
- ``match_vocab(lang, words)``: the distinct words, newline-terminated, in a few rows, so a
  query finds every word that contains it by ``str.find`` over a few hundred kilobytes.

It also indexes ``substr(gram, 2)`` of the source grams, so the grams that end with a
character are found as fast as those that start with it.

Beside the q-grams, ``match_postings`` holds the layered characters of every source key
(``lang`` = ``ja/c``, ``en/c``…, for the concordance's one-character queries; only the
first layer, the characters a key has, for a language bounded by bigrams) and the
postings the fuzzy search counts (``ja/g``, ``en/g``…, :mod:`taiyaku.store.groups`): for
Japanese, Chinese and Korean the layered characters of near-duplicate groups; for other
languages (since ``INDEX_VERSION`` 6) those of every unit's
:func:`~taiyaku.text.grams.bigram_texts`, one character per bigram, each unit its own group.

:class:`IndexWriter` is attached to every :class:`~taiyaku.store.tm.TranslationMemory` through
its ``on_added`` / ``on_deleting`` / ``on_finished`` hooks, so the index changes in the same
transaction as the units. During an import it collects postings in memory (numpy, about
8 bytes per posting), sorts them every ``FLUSH_POSTINGS`` postings into gaps (one or two
bytes each, still in memory: :class:`_Held`) and writes every gram once when the write
finishes; if the write fails, what it collected is dropped along with the rolled-back units.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from taiyaku.errors import TaiyakuError
from taiyaku.store import postings
from taiyaku.store.blocks import read_lengths, write_blocks
from taiyaku.store.db import Db, in_list, insert_rows, read_blobs
from taiyaku.store.groups import Grouper, groups_lang, read_leaders, write_groups
from taiyaku.store.pg import is_postgres
from taiyaku.store.tm import SOURCE_KEY, Keys
from taiyaku.text.grams import (
    CODE_BITS,
    bigram_texts,
    by_bigrams,
    char_layers,
    gram_size,
    key_grams,
    key_words,
    pack_bigram_layers,
    pack_char_layers,
    pack_grams,
    pack_words,
    unpack_char_layers,
    unpack_grams,
)
from taiyaku.text.lang import primary_lang

if TYPE_CHECKING:
    from taiyaku.store.tm import TranslationMemory

FLUSH_POSTINGS = 6_000_000
MERGE_BELOW = 4096
CARRY_BELOW = 16
CARRY_AT_MOST = FLUSH_POSTINGS // 8
SMALL_WRITE_GRAMS = 2000
HOLD_AT_MOST = 192 << 20  # bytes of posting lists held in memory before they are written
JOIN_POSTINGS = 2_000_000  # ids joined and coded at a time at the end of a bulk write
MERGE_SLICE = 4096  # grams whose stored chunks are read together (see _merged)
_REBUILD_BATCH = 5000
SEED_FROM = 1000  # units in a write's first batch from which it joins earlier groups
TARGETS = "*"  # the ``lang`` of the target-word tables: every unit's target, whatever its language
CHARS = "/c"  # appended to a language: the ``lang`` of its layered-character postings


def chars_lang(lang: str) -> str:
    """Return the ``lang`` under which the layered characters of ``lang`` sources are stored."""
    return lang + CHARS


VOCAB_MERGE_BELOW = 1 << 16


def attach(tm: TranslationMemory) -> IndexWriter:
    """Keep the fuzzy index of ``tm``'s database in step with every write through ``tm``."""
    writer = IndexWriter()
    tm.on_added.append(writer.added)
    tm.on_deleting.append(writer.deleting)
    tm.on_finished.append(writer.finished)
    return writer


def source_sides(rows: Iterable[Sequence[Any]]) -> dict[str, tuple[list[int], list[str]]]:
    """Group unit rows ``(id, source_lang, source_key, ...)`` by the primary language of the source.

    :return: ``{lang: (unit ids, source keys)}``
    """
    primary: dict[str, str] = {}
    sides: dict[str, tuple[list[int], list[str]]] = {}
    for unit_id, source_lang, source_key, *_ in rows:
        lang = primary.get(source_lang) or primary.setdefault(
            source_lang, primary_lang(source_lang)
        )
        ids, keys = sides.setdefault(lang, ([], []))
        ids.append(unit_id)
        keys.append(source_key)
    return sides


def _unit_rows(db: Db, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    columns = f"id, source_lang, {SOURCE_KEY}, target_key"
    if ids and max(ids) - min(ids) + 1 == len(ids):
        sql = f"SELECT {columns} FROM units WHERE id BETWEEN ? AND ? ORDER BY id"
        return db.conn.execute(sql, [min(ids), max(ids)]).fetchall()
    test, values = in_list(db, list(ids))
    return db.conn.execute(
        f"SELECT {columns} FROM units WHERE id{test} ORDER BY id", [values]
    ).fetchall()


class _LangBuffer:
    """Postings and sizes of one language collected during a write, not yet stored.

    Each posting is one uint64, ``gram number << 32 | unit id``, so one sort groups them by
    gram and orders each gram's ids. For bigrams the gram number is computed without a
    dictionary: characters get dense numbers (a 1,114,112-entry table) and a bigram is
    ``first * 65536 + second``. Trigrams number their distinct codes through a dict.
    """

    sized = True  # writes the key lengths and gram counts to the sizes table
    ordered = True  # a gram's ids only grow from one flush to the next

    def __init__(self, lang: str):
        self.lang = lang
        self.q = gram_size(lang)
        self.char_numbers = np.full(0x110000, -1, dtype=np.int64) if self.q == 2 else None
        self.chars: list[int] = []
        self.gram_numbers: dict[int, int] = {}
        self.gram_codes: list[int] = []
        self.postings: list[np.ndarray] = []
        self.size_ids: list[np.ndarray] = []
        self.size_lengths: list[np.ndarray] = []
        self.count = 0

    def full(self) -> bool:
        """True when the bigram character table cannot take another batch."""
        return len(self.chars) > 0xFFFF - 20_000

    def add(self, unit_ids: list[int], keys: list[str]) -> None:
        ids = np.asarray(unit_ids, dtype=np.uint64)
        self.size_ids.append(ids.astype(np.int64))
        self.size_lengths.append(np.fromiter((len(k) for k in keys), np.int64, len(keys)))
        owners, codes = pack_grams(keys, self.q)
        if len(codes) == 0:
            return
        if self.char_numbers is not None:
            numbers = self._bigram_numbers(codes)
        else:
            numbers = self._trigram_numbers(codes)
        self.postings.append((numbers.astype(np.uint64) << np.uint64(32)) | ids[owners])
        self.count += len(codes)

    def _bigram_numbers(self, codes: np.ndarray) -> np.ndarray:
        table = self.char_numbers
        assert table is not None
        first, second = codes >> 21, codes & 0x1FFFFF
        for column in (first, second):
            unseen = postings.distinct(column[table[column] < 0])
            if len(self.chars) + len(unseen) > 0xFFFF:
                raise TaiyakuError("more than 65,535 distinct characters in one import batch")
            table[unseen] = np.arange(len(self.chars), len(self.chars) + len(unseen))
            self.chars.extend(unseen.tolist())
        numbers: np.ndarray = table[first] * 65536 + table[second]
        return numbers

    def _trigram_numbers(self, codes: np.ndarray) -> np.ndarray:
        distinct, where = np.unique(codes, return_inverse=True)
        dense = np.empty(len(distinct), dtype=np.int64)
        numbers, gram_codes = self.gram_numbers, self.gram_codes
        for i, code in enumerate(distinct.tolist()):
            number = numbers.get(code)
            if number is None:
                number = numbers[code] = len(gram_codes)
                gram_codes.append(code)
            dense[i] = number
        return dense[where]

    def _codes_of(self, numbers: np.ndarray) -> np.ndarray:
        if self.char_numbers is None:
            codes: np.ndarray = np.asarray(self.gram_codes, dtype=np.int64)[numbers]
            return codes
        chars = np.asarray(self.chars, dtype=np.int64)
        pairs: np.ndarray = (chars[numbers >> 16] << 21) | chars[numbers & 0xFFFF]
        return pairs

    def texts(self, numbers: np.ndarray) -> list[str]:
        """The grams numbered ``numbers`` by this buffer, as text."""
        return unpack_grams(self._codes_of(numbers), self.q)

    def take(
        self, *, final: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Empty the buffer; return gram numbers, group bounds, ids, and the units' sizes.

        :param final: take every posting; otherwise the grams with fewer than
            ``CARRY_BELOW`` postings stay in the buffer for the next take (unless they are
            more than ``CARRY_AT_MOST``: memory stays bounded), so that a rare gram is
            written as one chunk at the end of an import, not as one tiny chunk per flush
        :return: ``(grams, bounds, ids, size_ids, sizes)``: the ids of the gram numbered
            ``grams[i]`` (:meth:`texts` gives its text) are ``ids[bounds[i]:bounds[i + 1]]``,
            in increasing gram numbers; ``sizes`` is ``[lengths, gram counts]``
        """
        packed = np.concatenate(self.postings) if self.postings else np.empty(0, np.uint64)
        self.postings = []
        packed.sort()
        if len(packed):
            keep = np.empty(len(packed), dtype=bool)
            keep[0] = True
            np.not_equal(packed[1:], packed[:-1], out=keep[1:])
            packed = packed[keep]
            del keep
        ids = (packed & np.uint64(0xFFFFFFFF)).astype("<i4")
        numbers = (packed >> np.uint64(32)).astype(np.int64)
        del packed
        size_ids = np.concatenate(self.size_ids) if self.size_ids else np.empty(0, np.int64)
        lengths = np.concatenate(self.size_lengths) if self.size_lengths else np.empty(0, np.int64)
        self.size_ids, self.size_lengths = [], []
        top = int(size_ids.max()) + 1 if len(size_ids) else 0
        counts = np.bincount(ids, minlength=top)[size_ids] if top else size_ids
        firsts = np.flatnonzero(numbers[1:] != numbers[:-1]) + 1
        firsts = np.concatenate([[0], firsts]) if len(ids) else firsts
        self.count = 0
        if not final and len(ids):
            group_sizes = np.diff(np.append(firsts, len(ids)))
            rare = group_sizes < CARRY_BELOW
            carried = np.repeat(rare, group_sizes)
            if np.count_nonzero(carried) <= CARRY_AT_MOST:
                self.postings = [
                    (numbers[carried].astype(np.uint64) << np.uint64(32))
                    | ids[carried].astype(np.uint64)
                ]
                self.count = int(np.count_nonzero(carried))
                ids, numbers = ids[~carried], numbers[~carried]
                firsts = np.concatenate([[0], np.cumsum(group_sizes[~rare])[:-1]])
                firsts = firsts if len(ids) else firsts[:0]
        grams = numbers[firsts]
        del numbers
        bounds = np.append(firsts, len(ids))
        return grams, bounds, ids, size_ids, np.stack([lengths, counts])


class _CharBuffer(_LangBuffer):
    """Postings of the layered characters of source keys (:func:`~taiyaku.text.grams.char_layers`).

    Tokens are numbered through a dict of their packed codes, as trigrams are. Their sizes
    are the key lengths the gram buffer of the same language already writes.
    """

    sized = False

    def __init__(self, lang: str):
        super().__init__(chars_lang(lang))
        self.char_numbers = None

    def full(self) -> bool:
        return False

    def add(self, unit_ids: list[int], keys: list[str]) -> None:
        self.add_numbered(unit_ids, keys)

    def add_numbered(self, unit_ids: list[int], keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`add`, and return every posting's key index and token number."""
        owners, codes = pack_char_layers(keys)
        numbers = self.number(codes)
        self._post(unit_ids, owners, numbers)
        return owners, numbers

    def add_first_layer(self, unit_ids: list[int], keys: list[str]) -> None:
        """Post only the first layer of each key's characters (the characters it has): all
        the concordance reads of a language bounded by bigrams, whose search does not count
        characters. English keys have about four characters for each distinct one."""
        owners, codes = pack_char_layers(keys)
        first = np.flatnonzero((codes >> CODE_BITS) == 1)
        self._post(unit_ids, owners[first], self.number(codes[first]))

    def _post(self, unit_ids: list[int], owners: np.ndarray, numbers: np.ndarray) -> None:
        if len(numbers):
            ids = np.asarray(unit_ids, dtype=np.uint64)
            self.postings.append((numbers.astype(np.uint64) << np.uint64(32)) | ids[owners])
            self.count += len(numbers)

    def number(self, codes: np.ndarray) -> np.ndarray:
        """Number packed layered tokens (:func:`~taiyaku.text.grams.pack_char_layers`, or
        :func:`~taiyaku.text.grams.pack_bigram_layers` for the group buffer of a language
        bounded by bigrams) without posting them."""
        return self._trigram_numbers(codes)

    def texts(self, numbers: np.ndarray) -> list[str]:
        """The grams numbered ``numbers`` by this buffer, as text."""
        return unpack_char_layers(np.asarray(self.gram_codes, dtype=np.int64)[numbers])


class _GroupBuffer(_CharBuffer):
    """Postings of the layered characters of near-duplicate *groups* (:mod:`taiyaku.store.groups`).

    Each unit is grouped as it comes (:class:`~taiyaku.store.groups.Grouper`) and its
    characters are posted under its leader's id, so a group's list entries are the union
    of its members'. A member may come in a later flush than its leader: the lists of a
    gram held across flushes are then sorted when joined (:attr:`ordered` is False).

    A language bounded by bigrams (:func:`~taiyaku.text.grams.by_bigrams`: English) posts
    the layered characters of every unit's :func:`~taiyaku.text.grams.bigram_texts` under
    the unit itself, ungrouped. The grouper costs 16 µs an English unit (its keys are three
    times as long as Japanese ones), and on the benchmark's million English sources it
    found 897,342 groups: 26 s more import and 250 MB more memory for 10 % fewer groups.
    """

    ordered = False

    def __init__(self, chars: _CharBuffer, lang: str):
        _LangBuffer.__init__(self, groups_lang(lang))
        self.char_numbers = None
        self.gram_numbers, self.gram_codes = chars.gram_numbers, chars.gram_codes  # shared
        self.source_lang = lang
        self.by_bigrams = by_bigrams(lang)
        self.grouper = Grouper()
        self.seeded = False
        # per batch: (unit ids, leaders, distances, change counts, change codes)
        self.groups: list[tuple[np.ndarray, ...]] = []

    def add(self, unit_ids: list[int], keys: list[str]) -> None:
        raise TypeError("a group buffer adds what its character buffer numbered: add_grouped")

    def add_grouped(
        self,
        db: Db,
        unit_ids: list[int],
        keys: list[str],
        owners: np.ndarray,
        numbers: np.ndarray,
    ) -> None:
        """Group these units and post their layered tokens under their leaders: the
        characters numbered by the character buffer (:meth:`_CharBuffer.add_numbered`), or
        for a language bounded by bigrams, the characters of their
        :func:`~taiyaku.text.grams.bigram_texts`, each unit its own leader (``owners`` and
        ``numbers``).

        A write whose first batch has at least :data:`SEED_FROM` units (an import, a
        rebuild) first takes the live leaders of earlier writes, so its units may join
        their groups: reading their keys costs about a second a million units, which a
        server's single additions should not pay.
        """
        ids = np.asarray(unit_ids, dtype=np.int64)
        if self.by_bigrams:
            leaders = ids  # each unit its own group: nothing stored beside its postings
        else:
            if not self.seeded:
                self.seeded = True
                if len(unit_ids) >= SEED_FROM:
                    self._seed(db, min(unit_ids))
            leaders, distances = self.grouper.add(unit_ids, keys)
            counts, codes = self.grouper.changes(unit_ids, keys, leaders)
            self.groups.append((ids, leaders, distances, counts, codes))
        if len(numbers):
            posted = leaders.astype(np.uint64)[owners]
            self.postings.append((numbers.astype(np.uint64) << np.uint64(32)) | posted)
            self.count += len(numbers)

    def _seed(self, db: Db, below: int) -> None:
        """Let the grouper know the live leaders with ids below ``below``."""
        lang = self.source_lang
        leaders, _ = read_leaders(db, lang, below)
        live = read_lengths(db, lang, below) > 0
        seeds = np.flatnonzero(live & (leaders == np.arange(below))).tolist()
        for start in range(0, len(seeds), _REBUILD_BATCH):
            chunk = seeds[start : start + _REBUILD_BATCH]
            test, values = in_list(db, chunk)
            rows = db.conn.execute(
                f"SELECT id, {SOURCE_KEY} FROM units WHERE id{test} ORDER BY id", [values]
            ).fetchall()
            self.grouper.claim([r[0] for r in rows], [r[1] for r in rows])

    def take_groups(self) -> tuple[np.ndarray, ...]:
        """Empty the groups collected; return ``(unit ids, leaders, distances, change
        counts, change codes)`` (see :func:`~taiyaku.store.groups.write_groups`)."""
        if not self.groups:
            return tuple(
                np.empty(0, dtype=t) for t in (np.int64, np.int64, np.uint8, np.uint8, np.uint32)
            )
        taken = tuple(np.concatenate(column) for column in zip(*self.groups, strict=True))
        self.groups = []
        return taken


class _WordBuffer(_LangBuffer):
    """Postings of the words of target keys (:func:`~taiyaku.text.grams.pack_words`).

    Words are numbered through the sorted array of their 64-bit hashes (``known``), so a
    batch costs a few numpy sorts and a Python step only per new word. (Two words with the
    same hash would share one posting list under the first one's name: at a million
    distinct words the odds are about 1 in 30 million.) The sizes it collects are the target
    key's length and its number of distinct words.
    """

    def __init__(self) -> None:
        super().__init__(TARGETS)
        self.known = np.empty(0, dtype=np.uint64)  # hashes of the words numbered so far, sorted
        self.known_numbers = np.empty(0, dtype=np.int64)
        self.words: list[str] = []

    def full(self) -> bool:
        return False

    def add(self, unit_ids: list[int], keys: list[str]) -> None:
        ids = np.asarray(unit_ids, dtype=np.uint64)
        self.size_ids.append(ids.astype(np.int64))
        lengths = np.fromiter((len(k) for k in keys), np.int64, len(keys))
        self.size_lengths.append(lengths)
        owners, hashes, text, starts, ends = pack_words(keys, lengths)
        if len(hashes) == 0:
            return
        order = np.argsort(hashes)  # np.unique(return_index=...) would sort stably: slower
        ordered = hashes[order]
        new_group = np.empty(len(ordered), dtype=bool)
        new_group[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=new_group[1:])
        distinct, first = ordered[new_group], order[new_group]  # first: one occurrence each
        where = np.empty(len(ordered), dtype=np.int64)
        where[order] = np.cumsum(new_group) - 1
        at = np.searchsorted(self.known, distinct)
        unseen = np.ones(len(distinct), dtype=bool)
        inside = at < len(self.known)
        unseen[inside] = self.known[at[inside]] != distinct[inside]
        if unseen.any():
            firsts = first[unseen]
            words = self.words
            numbers = np.arange(len(words), len(words) + len(firsts), dtype=np.int64)
            spans = zip(starts[firsts].tolist(), ends[firsts].tolist(), strict=True)
            words.extend(text[a:b] for a, b in spans)
            known = np.concatenate([self.known, distinct[unseen]])
            known_numbers = np.concatenate([self.known_numbers, numbers])
            order = np.argsort(known, kind="stable")
            self.known, self.known_numbers = known[order], known_numbers[order]
            at = np.searchsorted(self.known, distinct)
        numbered = self.known_numbers[at][where].astype(np.uint64)
        self.postings.append((numbered << np.uint64(32)) | ids[owners])
        self.count += len(hashes)

    def texts(self, numbers: np.ndarray) -> list[str]:
        """The grams numbered ``numbers`` by this buffer, as text."""
        words = self.words
        return [words[n] for n in numbers.tolist()]


def targets_indexed(db: Db) -> bool:
    """True when the database has the target-word tables (migration ``m006``; PostgreSQL
    has them from its first schema step)."""
    if is_postgres(db):
        return True
    return (
        db.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'match_words'"
        ).fetchone()
        is not None
    )


class IndexWriter:
    """Keeps the index tables in step with one TM's writes.

    Source keys go to ``match_postings``/``match_sizes`` (q-grams, per source language);
    target keys, once migration ``m006`` made their tables, to ``match_words``,
    ``match_word_sizes`` and ``match_vocab`` (words, for the concordance).
    """

    def __init__(self, *, sources: bool = True, targets: bool | None = None) -> None:
        self._buffers: dict[str, _LangBuffer] = {}
        self._words: _WordBuffer | None = None
        self._sources = sources
        self._targets = targets  # None: find out from the database on first use
        self._carried = 0  # postings of rare grams kept back by the last flush
        # (table, lang) → the posting lists of the current write's flushes so far
        self._held: dict[tuple[str, str], _Held] = {}
        self._held_bytes = 0  # their memory
        # (table, lang) whose held lists this write wrote already: the rest joins them
        self._spilled: set[tuple[str, str]] = set()

    def _with_targets(self, db: Db) -> bool:
        if self._targets is None:
            self._targets = targets_indexed(db)
        return self._targets

    def pending(self) -> int:
        """Return the number of postings collected and not yet written."""
        words = self._words.count if self._words is not None else 0
        return sum(b.count for b in self._buffers.values()) + words

    def added(self, db: Db, ids: list[int], keys: list[Keys] | None = None) -> None:
        """Collect the postings of units just inserted (an ``on_added`` hook).

        :param keys: the units' :data:`~taiyaku.store.tm.Keys`, in the order of ``ids``;
            ``None``: read them from the database
        """
        rows: Sequence[Sequence[Any]] = _unit_rows(db, ids) if keys is None else keys
        if self._sources:
            for lang, (unit_ids, sources) in source_sides(rows).items():
                buffer = self._buffers.get(lang) or self._buffers.setdefault(
                    lang, _LangBuffer(lang)
                )
                if buffer.full():
                    self.flush(db)
                    buffer = self._buffers[lang] = _LangBuffer(lang)
                buffer.add(unit_ids, sources)
                chars = self._buffers.get(chars_lang(lang)) or self._buffers.setdefault(
                    chars_lang(lang), _CharBuffer(lang)
                )
                assert isinstance(chars, _CharBuffer)
                grouped = self._buffers.get(groups_lang(lang)) or self._buffers.setdefault(
                    groups_lang(lang), _GroupBuffer(chars, lang)
                )
                assert isinstance(grouped, _GroupBuffer)
                if grouped.by_bigrams:
                    chars.add_first_layer(unit_ids, sources)
                    owners, codes = pack_bigram_layers(sources)
                    numbers = chars.number(codes)
                else:
                    owners, numbers = chars.add_numbered(unit_ids, sources)
                grouped.add_grouped(db, unit_ids, sources, owners, numbers)
        if rows and self._with_targets(db):
            if self._words is None:
                self._words = _WordBuffer()
            self._words.add([r[0] for r in rows], [r[3] for r in rows])
        if self.pending() >= FLUSH_POSTINGS + self._carried:
            self.flush(db, final=False)
            self._carried = self.pending()

    def finished(self, db: Db, ok: bool) -> None:
        """Write what was collected (``ok``) or drop it (a failed write; an ``on_finished`` hook)."""
        try:
            if ok:
                self.flush(db)
                for table, lang in sorted(self._spilled):
                    _compact(db, table, lang)  # the grams the last flush did not join
        finally:
            self._buffers = {}
            self._words = None
            self._carried = 0
            self._held = {}
            self._held_bytes = 0
            self._spilled = set()

    def flush(self, db: Db, *, final: bool = True) -> None:
        """Write the collected postings and sizes.

        :param final: write every posting; otherwise the postings taken are held in
            memory as gaps (one or two bytes each, see :class:`_Held`) until the final
            flush writes each gram once (or, past ``HOLD_AT_MOST``, until this flush writes
            what is held), and rare grams wait in the buffers (see :meth:`_LangBuffer.take`)
        """
        for buffer in self._buffers.values():
            grams, bounds, ids, size_ids, sizes = buffer.take(final=final)
            self._postings(db, "match_postings", buffer, grams, bounds, ids, final)
            if buffer.sized:
                _write_sizes(db, buffer.lang, size_ids, sizes)
            if isinstance(buffer, _GroupBuffer):
                write_groups(db, buffer.source_lang, *buffer.take_groups())
        if self._words is not None:
            grams, bounds, ids, size_ids, sizes = self._words.take(final=final)
            self._postings(db, "match_words", self._words, grams, bounds, ids, final)
            _write_sizes(db, TARGETS, size_ids, sizes, table="match_word_sizes")
        if self._held_bytes > HOLD_AT_MOST:  # memory stays bounded, however big the import
            for (table, lang), held in sorted(self._held.items()):
                self._write_held(db, table, lang, held, join=False)
                self._spilled.add((table, lang))  # the last flush joins these
            self._held = {}
            self._held_bytes = 0

    def _postings(
        self,
        db: Db,
        table: str,
        buffer: _LangBuffer,
        grams: np.ndarray,
        bounds: np.ndarray,
        ids: np.ndarray,
        final: bool,
    ) -> None:
        """Hold the posting lists of ``grams`` (not ``final``), or write them with those held.

        The ids of a bulk write only grow, so a gram's held chunks and its last list
        are joined in order, without a sort, and every gram is written once: no chunk is
        rewritten at the end, and the table and its index are written in gram order.
        """
        lang = buffer.lang
        held = self._held.pop((table, lang), None)
        if final and held is None and (table, lang) not in self._spilled:
            texts = buffer.texts(grams)
            if table == "match_words":
                _write_vocabulary(db, texts)
            _write_postings(db, lang, texts, bounds, ids, table=table)
            return
        held = held or _Held(buffer)
        added = held.add(grams, bounds, ids)
        if final:
            self._write_held(db, table, lang, held)
            return
        self._held[(table, lang)] = held
        self._held_bytes += added

    def _write_held(self, db: Db, table: str, lang: str, held: _Held, *, join: bool = True) -> None:
        """Write the chunks held for ``(table, lang)``, one row per gram, in gram order:
        joined with those the gram already has (``join``, see :func:`_merged`), or beside
        them (a write that outgrew its memory: its last flush joins them all, once)."""
        grams, rows = held.joined()
        if table == "match_words":
            _write_vocabulary(db, grams)
        if join and _has_postings(db, table, lang):
            _merged(db, table, lang, rows)
        else:
            insert_rows(db, table, "lang, gram, n, ids", ((lang, *row) for row in rows))

    def deleting(self, db: Db, ids: list[int]) -> None:
        """Remove units about to be deleted from the index (an ``on_deleting`` hook)."""
        if not ids:
            return
        rows = _unit_rows(db, ids)
        for lang, (unit_ids, keys) in source_sides(rows).items():
            gone = np.asarray(unit_ids, dtype="<i4")
            grams: dict[str, None] = {}
            for key in keys:
                grams.update(dict.fromkeys(key_grams(key, gram_size(lang))))
            _remove(db, "match_postings", lang, grams, gone)
            tokens: dict[str, None] = {}
            if by_bigrams(lang):  # the characters the keys have; the layers of their bigrams
                _remove(db, "match_postings", chars_lang(lang), set("".join(keys)), gone)
                for text in bigram_texts(keys):
                    tokens.update(dict.fromkeys(char_layers(text)))
            else:
                for key in keys:
                    tokens.update(dict.fromkeys(char_layers(key)))
                _remove(db, "match_postings", chars_lang(lang), tokens, gone)
            _remove_groups(db, lang, gone, tokens)
            zeros = np.zeros((2, len(gone)), dtype=np.int64)
            _write_sizes(db, lang, gone.astype(np.int64), zeros)
        if rows and self._with_targets(db):
            gone = np.asarray([r[0] for r in rows], dtype="<i4")
            words: dict[str, None] = {}
            for row in rows:
                words.update(dict.fromkeys(key_words(row[3])))
            _remove(db, "match_words", TARGETS, words, gone)
            zeros = np.zeros((2, len(gone)), dtype=np.int64)
            _write_sizes(db, TARGETS, gone.astype(np.int64), zeros, table="match_word_sizes")


class _Held:
    """The posting lists of one table and language, held across the flushes of a bulk write.

    A flush's lists are held as their ids' gaps, in ``uint8`` or ``uint16`` (whichever is
    smaller once the gaps that do not fit are kept aside as exceptions), with the gram
    number, id count and first id of each list in numpy arrays: no Python object per list,
    so a million-unit import holds its whole index and writes every gram once, at the end.
    There the lists of one gram from every flush are joined (the ids of a bulk write only
    grow, so flushes in order are ids in order) and coded by
    :func:`~taiyaku.store.postings.encode_groups`, a slice of grams at a time.
    """

    def __init__(self, buffer: _LangBuffer):
        self.buffer = buffer  # numbers the grams of every flush held here
        self.grams: list[np.ndarray] = []  # per flush: the gram number of each list
        self.counts: list[np.ndarray] = []  # ... its number of ids
        self.firsts: list[np.ndarray] = []  # ... its first id
        self.gaps: list[np.ndarray] = []  # per flush: each id's gap from the one before (0 first)
        self.over_at: list[np.ndarray] = []  # ... where a gap did not fit (0 held there)
        self.over: list[np.ndarray] = []  # ... and those gaps

    def add(self, grams: np.ndarray, bounds: np.ndarray, ids: np.ndarray) -> int:
        """Hold one flush's lists (see :meth:`_LangBuffer.take`); return the bytes held."""
        starts = bounds[:-1]
        gaps = np.zeros(len(ids), dtype=np.int64)
        gaps[1:] = np.diff(ids.astype(np.int64))
        gaps[starts] = 0
        over8 = int(np.count_nonzero(gaps >= 1 << 8))
        over16 = int(np.count_nonzero(gaps >= 1 << 16))
        bits = 8 if len(ids) + 12 * over8 <= 2 * len(ids) + 12 * over16 else 16
        over_at = np.flatnonzero(gaps >= 1 << bits)
        self.over.append(gaps[over_at].astype(np.int32))
        gaps[over_at] = 0
        self.over_at.append(over_at)
        self.gaps.append(gaps.astype(np.uint8 if bits == 8 else np.uint16))
        self.grams.append(grams)
        self.counts.append(np.diff(bounds).astype(np.int32))
        self.firsts.append(ids[starts].astype(np.int32))
        parts = (self.grams, self.counts, self.firsts, self.gaps, self.over_at, self.over)
        return sum(part[-1].nbytes for part in parts)

    def joined(self) -> tuple[list[str], Iterator[tuple[str, int, bytes]]]:
        """Return the distinct grams in order, and ``(gram, n, chunk)`` rows in that order."""
        numbers = np.concatenate(self.grams) if self.grams else np.empty(0, np.int64)
        distinct, where = np.unique(numbers, return_inverse=True)
        del numbers
        texts = self.buffer.texts(distinct)
        by_text = sorted(range(len(texts)), key=texts.__getitem__)
        grams = [texts[i] for i in by_text]
        del texts, distinct
        rank = np.empty(len(grams), dtype=np.int32)
        rank[by_text] = np.arange(len(grams), dtype=np.int32)
        del by_text
        return grams, self._rows(grams, rank[where.reshape(-1)])

    def _rows(self, grams: list[str], ranks: np.ndarray) -> Iterator[tuple[str, int, bytes]]:
        """The rows of :meth:`joined`: ``ranks[i]`` is the place in ``grams`` of list ``i``.

        Every list's numbers are taken in gram order (32 bits each: at a million units
        there are a few million lists) and the flushes' own arrays let go, but their gaps.
        """
        if not len(ranks):
            return
        order = np.argsort(ranks, kind="stable").astype(np.int32)  # a gram's lists in flush order
        ranks = ranks[order]
        sizes = [len(g) for g in self.grams]
        flush_of = np.repeat(np.arange(len(sizes), dtype=np.int16), sizes)[order]
        begins = np.concatenate([(np.cumsum(c) - c).astype(np.int32) for c in self.counts])[order]
        firsts = np.concatenate(self.firsts)[order]
        counts = np.concatenate(self.counts)[order]
        del order
        self.grams, self.counts, self.firsts = [], [], []
        # Cut into slices of about JOIN_POSTINGS ids, each ending where a gram ends.
        gram_ends = np.append(np.flatnonzero(ranks[1:] != ranks[:-1]) + 1, len(ranks))
        total = np.cumsum(counts, dtype=np.int64)
        wanted = np.searchsorted(total, np.arange(JOIN_POSTINGS, int(total[-1]), JOIN_POSTINGS))
        cuts = np.append(gram_ends[np.searchsorted(gram_ends, wanted, side="right")], len(ranks))
        for a, b in itertools.pairwise([0, *postings.distinct(cuts).tolist()]):
            ids, bounds = self._ids(flush_of[a:b], begins[a:b], counts[a:b], firsts[a:b])
            starts = np.concatenate([[0], np.flatnonzero(ranks[a + 1 : b] != ranks[a : b - 1]) + 1])
            bounds = np.append(bounds[starts], len(ids))
            if not self.buffer.ordered:
                ids, bounds = _sorted_lists(ids, bounds)
            texts = [grams[r] for r in ranks[a:b][starts].tolist()]
            ns = np.diff(bounds).tolist()
            yield from zip(texts, ns, postings.encode_groups(ids, bounds), strict=True)

    def _ids(
        self, flush_of: np.ndarray, begins: np.ndarray, counts: np.ndarray, firsts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ids of the held lists given (their flush, where their gaps begin there, their
        count and first id), one after another; and where each list starts among them."""
        out_begins = np.cumsum(counts, dtype=np.int64) - counts
        values = np.empty(int(counts.sum()), dtype=np.int64)
        for flush in postings.distinct(flush_of).tolist():
            mine = flush_of == flush
            lengths = counts[mine]
            to = postings.ranges(out_begins[mine], lengths)
            source = to + np.repeat(begins[mine] - out_begins[mine], lengths)
            got = self.gaps[flush][source].astype(np.int64)
            over_at = self.over_at[flush]
            if len(over_at):
                k = np.minimum(np.searchsorted(over_at, source), len(over_at) - 1)
                hit = over_at[k] == source
                got[hit] = self.over[flush][k[hit]]
            values[to] = got
        values[out_begins] = firsts
        running = np.cumsum(values)
        running -= np.repeat(running[out_begins] - firsts, counts)
        return running, out_begins


def _sorted_lists(ids: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort each list ``ids[bounds[i]:bounds[i + 1]]`` and drop its repeated ids."""
    lists = np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), np.diff(bounds))
    packed = postings.distinct((lists << 32) | ids.astype(np.int64))
    lists = packed >> 32
    return packed & 0xFFFFFFFF, np.searchsorted(lists, np.arange(len(bounds)), "left")


def _has_postings(db: Db, table: str, lang: str) -> bool:
    """Whether ``table`` holds any chunk of ``lang``."""
    found = db.conn.execute(f"SELECT 1 FROM {table} WHERE lang = ? LIMIT 1", [lang])
    return found.fetchone() is not None


def _merged(db: Db, table: str, lang: str, rows: Iterable[tuple[str, int, bytes | None]]) -> None:
    """Write ``(gram, n, chunk)`` rows of ``lang`` as the one chunk of each gram, its ids
    joined with those of the chunks it already has (a ``chunk`` of ``None``: only those),
    by :func:`_join`, :data:`MERGE_SLICE` grams at a time: the cost follows the grams
    written, not the size of the table."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, MERGE_SLICE)):
        _join(db, table, lang, batch)


def _compact(db: Db, table: str, lang: str) -> None:
    """Join the chunks of every gram of ``lang`` that has several into one (:func:`_join`)."""
    grams = [
        gram
        for (gram,) in db.conn.execute(
            f"SELECT gram FROM {table} WHERE lang = ? GROUP BY gram HAVING count(*) > 1", [lang]
        )
    ]
    _merged(db, table, lang, ((gram, 0, None) for gram in grams))


def _join(db: Db, table: str, lang: str, batch: Sequence[tuple[str, int, bytes | None]]) -> None:
    """Write each gram of ``batch`` as one chunk: the ids of its stored chunks and of the
    chunk given with it (``None``: none), decoded and coded again together, about
    ``JOIN_POSTINGS`` ids at a time (the chunks' sizes are read first, from the index).

    A bulk write that outgrows its memory (``HOLD_AT_MOST``) writes what it holds beside the
    stored chunks, and its last flush joins them all, once; an import into a TM that
    already has an index joins its lists to the stored ones. A search then reads one chunk
    a gram. (On the benchmark's million-unit import, joining the chunks one gram at a time
    after the write took 22 s; this takes 10–14.)
    """
    test, values = in_list(db, [gram for gram, _, _ in batch])
    stored: dict[str, list[tuple[int, int]]] = {}  # gram -> (rowid, n) of each chunk
    for rowid, gram, n in db.conn.execute(
        f"SELECT rowid, gram, n FROM {table} WHERE lang = ? AND gram{test}", [lang, values]
    ):
        stored.setdefault(gram, []).append((rowid, n))
    new: list[tuple[str, str, int, bytes]] = []
    joining: list[tuple[list[int], bytes | None]] = []  # the rowids and new chunk of a gram
    size = 0
    for gram, n, blob in batch:
        found = sorted(stored.get(gram, ()))
        if not found:
            if blob is not None:
                new.append((lang, gram, n, blob))
            continue
        joining.append(([rowid for rowid, _ in found], blob))
        size += n + sum(count for _, count in found)
        if size >= JOIN_POSTINGS:
            _join_chunks(db, table, joining)
            joining, size = [], 0
    if joining:
        _join_chunks(db, table, joining)
    if new:
        insert_rows(db, table, "lang, gram, n, ids", new)


def _join_chunks(db: Db, table: str, grams: list[tuple[list[int], bytes | None]]) -> None:
    """Join the stored chunks ``rowids`` of each gram and its new chunk (``None``: none)
    into the first of those rows; delete the others."""
    conn = db.conn
    rowids = [rowid for chunk_rows, _ in grams for rowid in chunk_rows]
    test, values = in_list(db, rowids)
    blobs = dict(read_blobs(db, f"SELECT rowid, ids FROM {table} WHERE rowid{test}", [values]))
    chunks: list[bytes] = []  # every gram's chunks, in the order they were written
    owners: list[int] = []  # ... which gram each is
    for owner, (chunk_rows, blob) in enumerate(grams):
        chunks.extend(bytes(blobs[rowid]) for rowid in chunk_rows)
        if blob is not None:
            chunks.append(blob)
        owners.extend([owner] * (len(chunk_rows) + (blob is not None)))
    ids, bounds = postings.decode_groups(chunks)
    owned = np.repeat(np.asarray(owners, dtype=np.int64), np.diff(bounds))
    joined = (owned << 32) | ids
    del ids, owned
    # A bulk write's ids only grow, so chunks in the order they were written hold their ids
    # in order: a sort only when they do not (ids of deleted units used again).
    if len(joined) > 1 and not bool(np.all(joined[1:] > joined[:-1])):
        joined = postings.distinct(joined)
    starts = np.searchsorted(joined >> 32, np.arange(len(grams) + 1))
    coded = postings.encode_groups(joined & 0xFFFFFFFF, starts)
    kept = [chunk_rows[0] for chunk_rows, _ in grams]
    conn.executemany(
        f"UPDATE {table} SET n = ?, ids = ? WHERE rowid = ?",
        zip(np.diff(starts).tolist(), coded, kept, strict=True),
    )
    gone = [(rowid,) for chunk_rows, _ in grams for rowid in chunk_rows[1:]]
    if gone:
        conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", gone)


def _remove(db: Db, table: str, lang: str, grams: Iterable[str], gone: np.ndarray) -> None:
    """Take the units ``gone`` out of the postings of ``grams``."""
    for gram in grams:
        rows = db.conn.execute(
            f"SELECT rowid, ids FROM {table} WHERE lang = ? AND gram = ?", [lang, gram]
        ).fetchall()
        for rowid, blob in rows:
            chunk = postings.decode(blob)
            kept = chunk[~np.isin(chunk, gone)]
            if len(kept) == len(chunk):
                continue
            if len(kept):
                db.conn.execute(
                    f"UPDATE {table} SET n = ?, ids = ? WHERE rowid = ?",
                    [len(kept), postings.encode(kept), rowid],
                )
            else:
                db.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", [rowid])


def _remove_groups(db: Db, lang: str, gone: np.ndarray, tokens: Iterable[str]) -> None:
    """Take the groups left with no member out of the group postings of ``tokens`` (the
    layered characters of the units going), when ``gone`` goes.

    A group keeps its postings while any member other than those going is left (with the
    characters of members gone before: an over-estimate, which only costs speed). A group
    left with none loses the characters of the units going with it (those of members gone
    before stay until the index is rebuilt: a group with no member is never a candidate).
    A member whose leader went is bounded by its own length.
    """
    top = db.conn.execute("SELECT max(id) FROM units").fetchone()[0]
    size = int(top or 0) + 1
    leaders, _ = read_leaders(db, lang, size)
    staying = read_lengths(db, lang, size) > 0
    staying[gone[gone < size]] = False
    kept = np.zeros(size, dtype=bool)
    kept[leaders[staying]] = True  # the groups with a member staying
    inside = gone[gone < size]
    groups = postings.distinct(np.concatenate([inside, leaders[inside]]))
    empty = groups[~kept[groups]]
    if len(empty):
        _remove(db, "match_postings", groups_lang(lang), tokens, empty.astype("<i4"))


def _write_vocabulary(db: Db, words: list[str]) -> None:
    """Add the words not indexed yet to ``match_vocab`` (call before writing their postings).

    The vocabulary is newline-terminated words in a few rows; a small write extends the last
    row. Words whose units were all deleted stay in it: they just find nothing.
    """
    if not words:
        return
    conn = db.conn
    test, values = in_list(db, words)
    known = {
        w
        for (w,) in conn.execute(
            f"SELECT DISTINCT gram FROM match_words WHERE lang = ? AND gram{test}",
            [TARGETS, values],
        )
    }
    new = "".join(w + "\n" for w in words if w not in known)
    if not new:
        return
    last = conn.execute(
        "SELECT rowid, length(words) FROM match_vocab WHERE lang = ? ORDER BY rowid DESC LIMIT 1",
        [TARGETS],
    ).fetchone()
    if last is not None and last[1] + len(new) < VOCAB_MERGE_BELOW:
        conn.execute("UPDATE match_vocab SET words = words || ? WHERE rowid = ?", [new, last[0]])
    else:
        conn.execute("INSERT INTO match_vocab (lang, words) VALUES (?, ?)", [TARGETS, new])


def _write_postings(
    db: Db,
    lang: str,
    grams: list[str],
    bounds: np.ndarray,
    ids: np.ndarray,
    *,
    table: str = "match_postings",
) -> None:
    if not grams:
        return
    blobs = postings.encode_groups(ids, bounds)
    counts = np.diff(bounds).tolist()
    conn = db.conn
    if len(grams) > SMALL_WRITE_GRAMS:
        insert_rows(
            db,
            table,
            "lang, gram, n, ids",
            zip(itertools.repeat(lang), grams, counts, blobs, strict=False),
        )
        return
    for i, gram in enumerate(grams):
        smallest = conn.execute(
            f"SELECT rowid, n, ids FROM {table} WHERE lang = ? AND gram = ? ORDER BY n LIMIT 1",
            [lang, gram],
        ).fetchone()
        if smallest is not None and smallest[1] < MERGE_BELOW:
            merged = np.union1d(postings.decode(smallest[2]), ids[bounds[i] : bounds[i + 1]])
            conn.execute(
                f"UPDATE {table} SET n = ?, ids = ? WHERE rowid = ?",
                [len(merged), postings.encode(merged), smallest[0]],
            )
        else:
            conn.execute(
                f"INSERT INTO {table} (lang, gram, n, ids) VALUES (?, ?, ?, ?)",
                [lang, gram, counts[i], blobs[i]],
            )


def _write_sizes(
    db: Db,
    lang: str,
    unit_ids: np.ndarray,
    sizes: np.ndarray,
    *,
    table: str = "match_sizes",
) -> None:
    capped = np.minimum(sizes, 0xFFFF)
    columns = {"lengths": (capped[0], "<u2"), "grams": (capped[1], "<u2")}
    write_blocks(db, table, lang, unit_ids, columns)


def rebuild_index(db: Db, *, sources: bool = True) -> None:
    """Rebuild the whole index from the units (in the caller's transaction).

    :param sources: rebuild the source q-grams too, not only the target words
    """
    if sources:
        db.conn.execute("DELETE FROM match_postings")
        db.conn.execute("DELETE FROM match_sizes")
        db.conn.execute("DELETE FROM match_groups")
        db.conn.execute("DELETE FROM match_changes")
    targets = targets_indexed(db)
    if targets:
        for table in ("match_words", "match_word_sizes", "match_vocab"):
            db.conn.execute(f"DELETE FROM {table}")
    writer = IndexWriter(sources=sources, targets=targets)
    last = 0
    while True:
        ids = [
            r[0]
            for r in db.conn.execute(
                "SELECT id FROM units WHERE id > ? ORDER BY id LIMIT ?", [last, _REBUILD_BATCH]
            )
        ]
        if not ids:
            break
        writer.added(db, ids)
        last = ids[-1]
    writer.finished(db, True)
