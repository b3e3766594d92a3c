"""Term lookup that forgives: exact, prefix, substring, reading and fuzzy hits, ranked.

A query is compared with the stored lookup keys (:mod:`taiyaku.text.keys`), so width,
case, kana script, long vowels, iteration marks, okurigana and old kanji forms do not
matter on the Japanese side, nor case, plurals, hyphens and spaces on the English side. A
query in kana or romaji is also compared with the readings. Typos are caught by rapidfuzz's
``ratio`` over the keys of the query's side. A full scan of 52,000 keys costs about 5 ms,
most of a lookup, so only the keys that could reach ``min_score`` are scored: ``ratio`` is
``200 · LCS / (len(a) + len(b))``, and the longest common subsequence is at most the
characters the two strings share, which a character → keys index counts in numpy. The
results are the full scan's, about ten times sooner (``benchmarks/glossary_bench.py``).

The index (keys in memory, joined into one string per field so that ``str.find`` does the
scanning in C) is built once per glossary version and cached (:mod:`taiyaku.glossary.cache`).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from taiyaku.glossary.cache import cached
from taiyaku.models import Side, Term
from taiyaku.store.db import Db
from taiyaku.store.glossary import GlossaryStore
from taiyaku.text.keys import (
    en_lookup_key,
    ja_lookup_key,
)
from taiyaku.text.lang import detect_lang
from taiyaku.text.normalize import match_key
from taiyaku.text.romaji import kana_to_reading, romaji_to_reading

HitKind = Literal["exact", "prefix", "substring", "reading", "fuzzy"]
KINDS: tuple[HitKind, ...] = ("exact", "prefix", "substring", "reading", "fuzzy")
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_SEP = "\x00"
# A one-character query can occur in thousands of terms: rank the first few thousand.
_MAX_OCCURRENCES = 5000


@dataclass(frozen=True)
class TermHit:
    """A glossary entry found by a lookup, with how it was found.

    :param term: the entry
    :param kind: ``exact``, ``prefix``, ``substring``, ``reading`` or ``fuzzy``
    :param score: 0–100; 100 for exact
    :param side: the side the query matched: ``ja`` or ``en`` (``ja`` for a reading)
    :param preferred: for a deprecated or forbidden entry, the preferred entries that share
        its Japanese or English term: what to use instead
    """

    term: Term
    kind: HitKind
    score: float
    side: Side
    preferred: tuple[Term, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The hit as plain JSON values (``term`` and each ``preferred`` as term dicts)."""
        return {
            "term": self.term.to_dict(),
            "kind": self.kind,
            "score": self.score,
            "side": self.side,
            "preferred": [t.to_dict() for t in self.preferred],
        }


@dataclass
class _Field:
    """One key per term, joined as ``\\0k1\\0k2\\0...\\0`` with each key's start offset."""

    keys: list[str]
    joined: str
    starts: list[int]
    _shared: _SharedChars | None = dataclasses.field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, keys: list[str]) -> _Field:
        starts = []
        offset = 1
        for key in keys:
            starts.append(offset)
            offset += len(key) + 1
        return cls(keys, _SEP + _SEP.join(keys) + _SEP, starts)

    def occurrences(self, query: str) -> Iterator[tuple[int, HitKind]]:
        """Yield (position, kind) for each key holding ``query``: exact, prefix or substring."""
        if not query or _SEP in query:
            return
        seen = -1
        pos = self.joined.find(query)
        count = 0
        while pos != -1 and count < _MAX_OCCURRENCES:
            index = bisect_right(self.starts, pos) - 1
            if index != seen and index >= 0:
                seen = index
                count += 1
                start = self.starts[index]
                if pos == start:
                    whole = len(self.keys[index]) == len(query)
                    yield index, "exact" if whole else "prefix"
                else:
                    yield index, "substring"
            pos = self.joined.find(query, pos + 1)

    def fuzzy_candidates(self, query: str, min_score: float) -> np.ndarray:
        """Positions of the keys whose ``fuzz.ratio`` with ``query`` may reach ``min_score``.

        No key left out could reach it; the character index is built on first use (a
        lookup that never goes fuzzy, or a field never searched fuzzily, does not pay for it).
        """
        if self._shared is None:
            self._shared = _SharedChars(self.keys)
        return self._shared.candidates(query, min_score)


class _SharedChars:
    """For each character, the keys holding it and how often: ``(char << 32 | key)`` sorted.

    Bounds ``fuzz.ratio``: ``200 · LCS / (len(a) + len(b))`` with the longest common
    subsequence at most ``Σ min(count in a, count in b)`` over the characters of ``a``.
    """

    def __init__(self, keys: list[str]):
        self.lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        codes = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        owners = np.repeat(np.arange(len(keys), dtype=np.int64), self.lengths)
        pairs = np.sort(codes.astype(np.int64) << 32 | owners)
        firsts = np.flatnonzero(np.diff(pairs, prepend=-1))
        self.counts = np.diff(firsts, append=len(pairs))
        self.owners = (pairs[firsts] & 0xFFFFFFFF).astype(np.int32)
        chars, starts = np.unique(pairs[firsts] >> 32, return_index=True)
        ends = [*starts[1:].tolist(), len(firsts)][: len(starts)]
        # character → (first, last + 1) of its keys in owners and counts
        self.spans = {
            chr(char): (start, end)
            for char, start, end in zip(chars.tolist(), starts.tolist(), ends, strict=True)
        }

    def candidates(self, query: str, min_score: float) -> np.ndarray:
        shared = np.zeros(len(self.lengths), dtype=np.int64)
        for char in set(query):
            if (span := self.spans.get(char)) is not None:
                low, high = span
                # Each key appears once per character: fancy-index addition is exact.
                shared[self.owners[low:high]] += np.minimum(
                    self.counts[low:high], query.count(char)
                )
        # A hair of slack for rounding: a key whose bound is exactly min_score stays in.
        reachable = 200.0 * shared >= (min_score - 1e-6) * (len(query) + self.lengths)
        return np.flatnonzero(reachable)


@dataclass
class LookupIndex:
    """The keys of every term of one glossary version, in memory."""

    ids: list[int]
    ja: _Field
    en: _Field
    reading: _Field
    given_reading: _Field  # the reading the source gave (JLT's Kana), where it gave one

    @classmethod
    def build(cls, store: GlossaryStore) -> LookupIndex:
        rows = store.lookup_keys()
        ids = [r[0] for r in rows]
        ja, en, reading, given = (_Field.of([str(r[i]) for r in rows]) for i in range(1, 5))
        return cls(ids, ja, en, reading, given)


def lookup_index(store: GlossaryStore) -> LookupIndex:
    """The lookup index of the store's current glossary (built once per version)."""
    return cached(store, "lookup", lambda: LookupIndex.build(store))


def lookup(
    glossary: GlossaryStore | Db, query: str, *, limit: int = 20, min_score: float = 70
) -> list[TermHit]:
    """Find glossary entries for ``query``, ranked exact → prefix → substring → reading → fuzzy.

    Within a kind, higher scores first (the share of the term the query covers, or the fuzzy
    ratio), then shorter terms. A deprecated or forbidden entry carries the preferred
    entries sharing its Japanese or English term.

    :param glossary: a glossary (:class:`GlossaryStore`) or its database
    :param query: Japanese, English, kana or romaji (``kokusai senryaku``)
    :param limit: at most this many hits
    :param min_score: the lowest fuzzy ratio (0–100) returned
    """
    if not isinstance(glossary, GlossaryStore):
        glossary = GlossaryStore(glossary)
    if not match_key(query):
        return []
    index = lookup_index(glossary)
    first: Side = "ja" if detect_lang(query) == "ja" else "en"
    sides: tuple[Side, Side] = (first, "en" if first == "ja" else "ja")
    # best[position] = (rank, -score, side)
    best: dict[int, tuple[int, float, Side]] = {}

    def offer(position: int, kind: HitKind, score: float, side: Side) -> None:
        candidate = (_RANK[kind], -round(score, 1), side)
        if position not in best or candidate < best[position]:
            best[position] = candidate

    for side in sides:
        field = index.ja if side == "ja" else index.en
        key = ja_lookup_key(query) if side == "ja" else en_lookup_key(query)
        for position, kind in field.occurrences(key):
            offer(position, kind, 100.0 * len(key) / max(1, len(field.keys[position])), side)
        if side == first:
            for position, score in _fuzzy(key, field, limit, min_score):
                offer(position, "fuzzy", score, side)
    reading = romaji_to_reading(query) or kana_to_reading(query)
    if reading:
        # The source's own reading and the computed one are both keys (競売: けいばい, きょうばい).
        for readings in (index.given_reading, index.reading):
            for position, kind in readings.occurrences(reading):
                if kind != "substring":
                    score = 100.0 * len(reading) / max(1, len(readings.keys[position]))
                    offer(position, "reading", score, "ja")
            for position, score in _fuzzy(reading, readings, limit, min_score):
                offer(position, "fuzzy", score, "ja")

    def order(position: int) -> tuple[int, float, int, int]:
        rank, negative_score, side = best[position]
        field = index.ja if side == "ja" else index.en
        return rank, negative_score, len(field.keys[position]), index.ids[position]

    chosen = sorted(best, key=order)[:limit]
    terms = glossary.get_many(index.ids[p] for p in chosen)
    hits = []
    for position in chosen:
        term = terms.get(index.ids[position])
        if term is None:  # deleted since the index was read
            continue
        rank, negative_score, side = best[position]
        hits.append(
            TermHit(term, KINDS[rank], -negative_score, side, tuple(_preferred(glossary, term)))
        )
    return hits


def _fuzzy(key: str, field: _Field, limit: int, min_score: float) -> list[tuple[int, float]]:
    if len(key) < 2 or not field.keys:
        return []
    from rapidfuzz import fuzz, process

    candidates = field.fuzzy_candidates(key, min_score)
    keys = field.keys
    # Candidates are in key order: equal scores keep the full scan's order (the earlier key).
    found = process.extract(
        key,
        [keys[i] for i in candidates],
        scorer=fuzz.ratio,
        score_cutoff=min_score,
        limit=max(limit, 10),
    )
    return [(int(candidates[i]), float(score)) for _, score, i in found]


def _preferred(glossary: GlossaryStore, term: Term) -> list[Term]:
    if term.status not in ("deprecated", "forbidden"):
        return []
    return glossary.preferred_renderings(term)
