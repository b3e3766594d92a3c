"""Fuzzy matching: the TM units closest to a query, with why they matched.

The search is exact with respect to the score (:mod:`taiyaku.match.score`): from the index
(:mod:`taiyaku.store.index_writer`) it bounds every unit's score from above, never reads a
unit whose bound is below ``min_score``, scores the rest with rapidfuzz in order of their
bound, best first, and stops as soon as the next bound cannot beat the ``limit``-th score
found. (A ``max_candidates`` cap can bound the work per query, at the price of exactness.)

Three bounds, by the query's script and the threshold:

- **Layered characters** (Japanese, Chinese, Korean): a unit sharing ``x`` characters with
  the query (counted with multiplicity) is at least ``max(len) - x`` edits away. Unlike the
  q-gram bound it stays tight at low thresholds: at ``--min 50`` a 30-character query may be
  15 edits from a unit sharing no bigram, but must share 15 characters. The rare characters
  are counted for every unit from their postings; the common ones (``の``, ``。``: bitmaps)
  only for the units left (:meth:`Matcher._char_bounds`).
- **Layered bigrams** (other scripts, from ``--min 58``): the same search over one character
  per bigram (:func:`~taiyaku.text.grams.bigram_texts`); one edit changes at most two
  bigrams, so a unit sharing ``x`` is at least ``(max(len) - 1 - x) / 2`` edits away
  (:mod:`taiyaku.match.bounds`).
- **q-grams** (other scripts below 58, trigrams): one edit changes at most ``q`` grams of
  either string, and at least the length difference. Grams shared by very many units
  (``the``) are left out of the count when a unit sharing none of the others provably
  cannot reach ``min_score``, and the bound allows for them.

:func:`exhaustive_scores` scores every key with ``rapidfuzz.process.extract``: the reference
the benchmarks and property tests compare against.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from taiyaku.errors import TaiyakuError
from taiyaku.formats.inline import to_tmx_string
from taiyaku.match.bounds import BIGRAMS, CHARACTERS, TokenBound, token_bound, usable
from taiyaku.match.diff import DiffSpan, diff_spans
from taiyaku.match.numbers import adapt_numbers
from taiyaku.match.score import METRIC, rapidfuzz_cutoff, shown
from taiyaku.match.terms import FoundTerm, find_glossary_terms
from taiyaku.models import Markup, Unit
from taiyaku.store import postings
from taiyaku.store.db import Db, is_db
from taiyaku.store.groups import UNKNOWN, Groups, groups_lang
from taiyaku.store.index_reader import IndexReader, Stamp, change_stamp
from taiyaku.store.index_writer import chars_lang
from taiyaku.store.tm import TranslationMemory
from taiyaku.text.grams import char_counts, char_layers, key_grams, pack_char_layers
from taiyaku.text.lang import detect_lang
from taiyaku.text.normalize import match_key

COMMON_GRAM = 5000
RENT_IDS_PER_UNIT = 2.0
"""Posting ids counted per unit of the TM bounding units alone before a matcher reads the
groups (see :meth:`Matcher._grouping`)."""
BUY_FROM = 100
"""Searches expected (:meth:`Matcher.expect`) from which a matcher reads the groups at once."""
_BATCH = 256
_BATCH_HELD = 16_384  # keys held in memory scored together at most (see Matcher._verify)
_DENSE_FROM = 8  # ids counted by a vector over all ids when they are at least 1/8 of them
_GROUP_BATCH = 64  # groups verified together at first, then twice as many each time
_GROUP_BATCH_MOST = 1024
_KEY_CHUNK = 16  # keys of members read together at first, then twice as many each time
# Scores are shown and compared rounded to 2 decimals, bounds and rapidfuzz's cutoff are not:
# a unit scoring 66.666… is shown as 66.67 and so kept at ``--min 66.67``.
_ROUNDING = 0.006
# A bound below the ``limit``-th score kept + this rounds to that score at best: such a unit
# can take its place only as an older unit (a lower id) with the same score.
_TIED = 0.005 - 1e-6
Ids = Sequence[int] | np.ndarray  # unit ids, as a list or an array


@dataclass(frozen=True)
class Match:
    """One TM unit close to a query.

    :param score: 0–100, see :data:`metric`
    :param unit: the TM unit
    :param source: the unit's source text (the side in the query's language)
    :param target: the unit's target text
    :param diff: the spans that turn ``source`` into the query
    :param terms: glossary terms found in the query
    :param numbers_only: the query differs from ``source`` only in numbers
    :param adapted_target: ``target`` with those numbers changed as in the query, if they
        could all be found in it
    :param metric: the name of the score's metric
    """

    score: float
    unit: Unit
    source: str
    target: str
    diff: tuple[DiffSpan, ...]
    terms: tuple[FoundTerm, ...]
    numbers_only: bool
    adapted_target: str | None
    metric: str = METRIC

    def to_dict(self) -> dict[str, Any]:
        """The match as ``--json`` prints it: texts, diff, terms, numbers and provenance."""
        return {
            "score": self.score,
            "source": self.source,
            "target": self.target,
            "diff": [{"op": s.op, "source": s.source, "query": s.query} for s in self.diff],
            "terms": [
                {"term": t.text, "translation": t.translation, "status": t.status}
                for t in self.terms
            ],
            "numbers_only": self.numbers_only,
            "adapted_target": self.adapted_target,
            "metric": self.metric,
            "unit_id": self.unit.id,
            "origin": self.unit.origin,
            "document": self.unit.document,
            "created": self.unit.created,
            "changed": self.unit.changed,
            # The unit's texts with their inline codes (TMX 1.4b inline markup), when it has any.
            "source_markup": _markup(self.unit.source_markup),
            "target_markup": _markup(self.unit.target_markup),
        }


def _markup(markup: Markup | None) -> str | None:
    return None if markup is None else to_tmx_string(markup)


def _database(db_or_tm: Any) -> Db:
    db = getattr(db_or_tm, "db", db_or_tm)
    if not is_db(db):
        raise TypeError(f"expected a Database or TranslationMemory, not {type(db_or_tm)!r}")
    return cast(Db, db)


class Matcher:
    """Fuzzy search over one database, reusing what it loads between queries.

    >>> from taiyaku import open_db, TranslationMemory, Unit
    >>> tm = TranslationMemory(open_db(":memory:"))
    >>> _ = tm.add_many([Unit("国際戦略局の組織", "Organisation of the Global Strategy Bureau")])
    >>> [m.score for m in Matcher(tm).search("国際戦略局の組識")]
    [87.5]
    """

    def __init__(self, db_or_tm: Any, *, max_candidates: int | None = None):
        self.db = _database(db_or_tm)
        self.tm = (
            db_or_tm if isinstance(db_or_tm, TranslationMemory) else TranslationMemory(self.db)
        )
        self.max_candidates = max_candidates
        self._readers: dict[str, IndexReader] = {}
        self._all_keys: dict[str, tuple[Stamp, list[int], list[str]]] = {}
        # all_keys' ids, each key's place by id and the keys as an array (see _keys_of)
        self._key_ids: dict[str, tuple[list[int], np.ndarray, np.ndarray]] = {}
        # per language: keys read one batch at a time since the database last changed
        self._keys_read: dict[str, tuple[Stamp, int]] = {}
        # per language, until its groups are read: the searches bounding units alone
        self._rent: dict[str, _Rent] = {}
        self._expected: Stamp | None = None  # the database as a batch was announced (expect)

    def expect(self, searches: int) -> None:
        """Announce about ``searches`` searches to come (a batch): from :data:`BUY_FROM`
        on, the matcher reads the groups at its next search instead of first bounding units
        alone (see :meth:`_grouping`), until the database changes."""
        if searches >= BUY_FROM:
            self._expected = change_stamp(self.db)

    def reader(self, lang: str) -> IndexReader:
        """Return the index reader of one source language, with fresh sizes."""
        reader = self._readers.get(lang) or self._readers.setdefault(
            lang, IndexReader(self.db, lang)
        )
        reader.refresh()
        return reader

    def search(
        self,
        query: str,
        *,
        min_score: float = 70,
        limit: int = 5,
        lang: str | None = None,
        exhaustive: bool = False,
    ) -> list[Match]:
        """Return the units closest to ``query``, best first (ties: oldest unit first).

        :param min_score: leave out units scoring below this (0–100)
        :param limit: at most this many matches
        :param lang: the query's language; detected when not given
        :param exhaustive: score every unit instead of using the index
        :raises TaiyakuError: ``min_score`` outside 0–100 or ``limit`` below 1
        """
        lang = lang or detect_lang(query)
        scored = self.scores(
            query, min_score=min_score, limit=limit, lang=lang, exhaustive=exhaustive
        )
        if not scored:
            return []
        return self._explain(query, lang, scored)

    def scores(
        self,
        query: str,
        *,
        min_score: float = 70,
        limit: int = 5,
        lang: str | None = None,
        exhaustive: bool = False,
    ) -> list[tuple[float, int]]:
        """Like :meth:`search`, but return only ``(score, unit id)`` pairs."""
        if not 0 <= min_score <= 100:
            raise TaiyakuError(f"the minimum score must be between 0 and 100, not {min_score:g}")
        if limit < 1:
            raise TaiyakuError(f"the limit must be at least 1, not {limit}")
        key = match_key(query)
        if not key:
            return []
        lang = lang or detect_lang(query)
        # Every search sees what was committed before it, even one answered from what is
        # cached alone (postings, all keys): the caches' checks then reuse this reading.
        change_stamp(self.db, again=True)
        if exhaustive:
            return exhaustive_scores(self, key, lang, min_score=min_score, limit=limit)
        return self._indexed(key, lang, min_score, limit)

    def _indexed(
        self, key: str, lang: str, min_score: float, limit: int
    ) -> list[tuple[float, int]]:
        reader = self.reader(lang)
        if not len(reader.lengths):
            return []
        tokens = token_bound(lang)
        grouped = usable(tokens, len(key), min_score, _ROUNDING) and (
            tokens is CHARACTERS or self.reader(groups_lang(lang)).has_postings()
        )
        if grouped:
            groups, chars, renting = self._grouping(lang, tokens)
            candidates, bound, shared, counted = self._char_bounds(
                key, lang, min_score, tokens, groups, chars
            )
            if renting:
                self._rent[lang].paid += counted
        else:
            candidates, bound = self._gram_bounds(reader, key, min_score)
        chosen = np.flatnonzero(bound + _ROUNDING >= min_score)
        if self.max_candidates is not None and len(chosen) > self.max_candidates:
            chosen = chosen[np.argpartition(-bound[chosen], self.max_candidates)]
            chosen = chosen[: self.max_candidates]
        if not grouped:
            # Scored a batch at a time, in bands of one point of bound, best first: the heap
            # decides ties, and a stop needs only the band's top (a sort of small integers,
            # not of 400,000 floats and ids: English queries at --min 50, 25 ms a query).
            tops = np.floor(bound[chosen]).astype(np.int16) + 1
            order = np.argsort(-tops, kind="stable")
            return self._verify(key, lang, candidates[chosen[order]], tops[order], min_score, limit)
        chosen = chosen[np.lexsort((candidates[chosen], -bound[chosen]))]  # best bound first
        candidates, bound, shared = candidates[chosen], bound[chosen], shared[chosen]
        return self._verify_groups(
            key, lang, groups, candidates, bound, shared, min_score, limit, tokens
        )

    def _grouping(self, lang: str, tokens: TokenBound) -> tuple[Groups, IndexReader, bool]:
        """The groups a search of ``lang`` bounds, the reader of their postings, and whether
        they are the units alone (the search then pays its rent, see below).

        The stored groups (:meth:`IndexReader.groups`) cost a read and a sort of every unit
        (at 1M units 0.1–0.2 s on a slow core, at 5M about 1 s), what dozens of searches
        may save, so a matcher first rents: it bounds every unit alone, from the units'
        own layered characters (``lang`` + ``/c``, also exact), and buys the groups once
        those searches have counted :data:`RENT_IDS_PER_UNIT` posting ids per unit of the
        TM (since the database last changed). On the benchmark's TMs a query counts about
        0.35 ids a unit at ``--min 70`` and 2 at 50, so the groups are read with the 7th
        query at 70 and the 2nd at 50 (at 5M, warm, six queries at 70 took 136 ms alone
        against 45 ms with the groups, which took 0.46 s to read), and one query from the
        command line never reads them (medians, interleaved: 1M 0.45–0.47 s instead of
        0.62–0.64; 5M 0.52 instead of 1.29). A batch announced by :meth:`expect` buys at
        once. Languages bounded by bigrams store only the first layer of their characters
        and always use the groups.
        """
        reader = self.reader(lang)
        if tokens is CHARACTERS and not reader.has_groups():
            stamp = change_stamp(self.db)
            rent = self._rent.get(lang)
            if rent is not None and rent.stamp != stamp:
                rent = None  # the database changed: the rent starts again
            paid = rent.paid if rent else 0
            if stamp != self._expected and paid < RENT_IDS_PER_UNIT * len(reader.lengths):
                if rent is None:
                    rent = self._rent[lang] = _Rent(stamp, Groups.alone(reader.lengths))
                return rent.alone, self.reader(chars_lang(lang)), True
            # Bought: what only the rented searches used goes (the units' cached postings).
            self._rent.pop(lang, None)
            self._readers.pop(chars_lang(lang), None)
        return reader.groups(), self.reader(groups_lang(lang)), False

    def _char_bounds(
        self,
        key: str,
        lang: str,
        min_score: float,
        tokens: TokenBound,
        groups: Groups,
        chars: IndexReader,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Bound every near-duplicate group (:mod:`taiyaku.store.groups`) that may hold a
        unit reaching ``min_score``, by the characters its members share with ``key``;
        return the groups' leaders, bounds and counts of shared characters, and how many
        posting ids were counted (``chars``: the reader of the ``groups``' postings).

        A unit of length ``m`` sharing ``x`` layered characters with the key is at least
        ``max(len(key), m) - x`` edits away, so it scores at most
        ``100 * min(x, m) / max(len(key), m)``. A group's postings are the union of its
        members' characters, so no member shares more than the group's ``x``, and the member
        length that scores best is the key's own, clipped to the group's shortest and longest
        member: that is the group's bound (for a unit alone, its own). For ``tokens`` =
        :data:`~taiyaku.match.bounds.BIGRAMS` the characters are those of the keys'
        :func:`~taiyaku.text.grams.bigram_texts` and the bound is the bigrams' (see
        :class:`~taiyaku.match.bounds.TokenBound`).
        The rarest tokens are counted from their postings for every group; the ``skipped``
        most common ones (each in a large share of the TM, stored as bitmaps) are then
        tested only for the groups the count leaves in, rarest first, dropping groups as soon
        as the tokens left cannot lift them to ``min_score``. As many tokens are skipped as
        leave a group sharing none of the counted ones :func:`_margin` tokens short.
        """
        lengths = self.reader(lang).lengths
        size = len(key)
        # Every token's postings are read, the counted ones' and the rest's: in one read.
        frequencies, chunks = chars.counted_chunks(char_layers(tokens.text(key)))
        present = sorted(frequencies, key=frequencies.__getitem__)
        needed = (min_score - _ROUNDING) / 100  # the share of a perfect score to reach
        at_least = tokens.at_least(size, needed)
        margin = _margin(min_score) if tokens is CHARACTERS else _bigram_margin(min_score, at_least)
        skipped = max(0, min(len(present), at_least - margin))
        rest = present[len(present) - skipped :]  # the commonest: tested, not counted
        resting = set(rest)
        candidates, shared = _counted(
            [chunk for chunk in chunks if chunk[0] not in resting],
            max(1, at_least - len(rest)),
            len(lengths),
        )
        unit_lengths = tokens.best_length(
            size, groups.shortest[candidates], groups.longest[candidates]
        )
        need = tokens.need(unit_lengths, size, needed)
        # A unit shares at most as many tokens as it has: one with fewer than it must share
        # cannot reach min_score, whatever the tokens left would add.
        keep = (shared + len(rest) >= need) & (tokens.most(unit_lengths) >= need)
        candidates, shared, need = candidates[keep], shared[keep], need[keep]
        blobs: dict[str, list[bytes]] = {}
        for token, blob in chunks:
            if token in resting:
                blobs.setdefault(token, []).append(blob)
        candidates = candidates.astype(np.int32)  # as the postings: no cast of them per test
        for left, token in zip(range(len(rest) - 1, -1, -1), rest, strict=True):
            if not len(candidates):
                break
            has = np.zeros(len(candidates), dtype=bool)
            for blob in blobs.get(token, ()):
                has |= postings.contains(blob, candidates)
            shared = shared + has
            keep = shared + left >= need
            candidates, shared, need = candidates[keep], shared[keep], need[keep]
        bound = tokens.group_score(
            shared, size, groups.shortest[candidates], groups.longest[candidates]
        )
        counted = sum(frequencies[token] for token in present[: len(present) - skipped])
        return candidates, bound, shared, counted

    def _gram_bounds(
        self, reader: IndexReader, key: str, min_score: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Bound every unit that may reach ``min_score`` by the q-grams it shares with ``key``."""
        lengths, gram_counts, q = reader.lengths, reader.gram_counts, reader.q
        size, floor = len(key), (min_score - _ROUNDING) / 100
        grams = key_grams(key, q)
        frequencies = reader.frequencies(grams)
        counted = sorted(frequencies, key=frequencies.__getitem__)
        skipped = 0
        while (
            counted
            and frequencies[counted[-1]] > COMMON_GRAM
            and _unreachable(len(grams) - (skipped + 1), q, size, floor)
        ):
            counted.pop()
            skipped += 1
        # A bitmap (a gram in many units) is added to the counts bit by bit, not decoded
        # into a list of its ids first: at a million English units, 62 ms a query less.
        counts = np.zeros(len(lengths), np.int64)
        found = [
            postings.decode(blob)
            for _, blob in reader.chunks(counted)
            if not postings.add_to(blob, counts)
        ]
        if found:
            counts += np.bincount(np.concatenate(found), minlength=len(lengths))[: len(lengths)]
        # A unit |n - m| characters longer or shorter is that many edits away: only the
        # lengths within reach are bounded (at --min 50, English: 400,000 of 1M units).
        low = max(1, math.ceil(size * floor - 1e-9))
        high = math.floor(size / max(floor, 1e-9) + 1e-9)
        wanted = counts > 0
        if not _unreachable(len(grams) - skipped, q, size, floor):
            # A short or repetitive query: units sharing no counted gram may still reach
            # min_score, if their gram count allows it.
            edits = math.floor(high * (1 - floor))
            wanted |= gram_counts <= skipped + q * edits
        candidates = np.flatnonzero(wanted & (lengths >= low) & (lengths <= high))
        shared = counts[candidates] + skipped
        unit_lengths = lengths[candidates]
        distance = np.maximum(
            np.abs(unit_lengths - size),
            np.maximum(
                -((shared - len(grams)) // q),  # ceil((grams - shared) / q)
                -((shared - gram_counts[candidates]) // q),
            ),
        )
        return candidates, 100 * (1 - distance / np.maximum(unit_lengths, size))

    def _verify(
        self,
        key: str,
        lang: str,
        ids: np.ndarray,
        tops: np.ndarray,
        min_score: float,
        limit: int,
    ) -> list[tuple[float, int]]:
        """Score the units ``ids`` a batch at a time until the bound of those left (at most
        ``tops``, which do not grow) cannot beat the worst score kept."""
        best: list[tuple[float, int]] = []  # heap of (score, -id): the worst kept on top
        start, step = 0, _BATCH
        while start < len(ids):
            if len(best) == limit and int(tops[start]) + _ROUNDING < best[0][0]:
                break
            batch = ids[start : start + step]
            held = self._held_keys(lang)
            _keep_best(key, batch, self._keys_of(lang, batch), best, min_score, limit)
            # Keys held in memory cost nothing to read: more of them are scored at a time
            # (fewer calls), at most as many again as were scored before the stop.
            start += step
            step = min(2 * step, _BATCH_HELD) if held else _BATCH
        return _ranked(best)

    def _keys_by_ids(self, lang: str, ids: Ids) -> list[str | None]:
        """The source keys of the units ``ids``, read from the database (``None``: no unit)."""
        listed = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
        found = self.tm.source_keys_by_ids(listed)
        return [found.get(unit_id) for unit_id in listed]

    def _held_keys(self, lang: str) -> bool:
        """True when every key of ``lang`` is held in memory and up to date."""
        held = self._all_keys.get(lang)
        return held is not None and held[0] == change_stamp(self.db)

    def _keys_of(self, lang: str, ids: Ids) -> list[str | None]:
        """The source keys of the units ``ids`` (``None``: no unit), for English sources.

        Read from the database until this matcher has read as many as a third of the ids
        there are since the database last changed; then from every key of ``lang`` held in
        memory (:meth:`all_keys`): a rule of rent or buy. On a million English units at
        ``--min 70`` a query may score 31,000 keys, 2.3 µs each to read, and holding them
        all takes 0.7 s (about 0.7 µs a unit), so a batch of queries holds them after a few
        dozen, and one query never does. A write makes the held keys stale: they are read
        again only once as many keys have been read one batch at a time again, so a server
        that writes between queries does not load them all after every write.
        """
        if not self._held_keys(lang):
            stamp = change_stamp(self.db)
            since, read = self._keys_read.get(lang, (stamp, 0))
            read = len(ids) + (read if since == stamp else 0)
            self._keys_read[lang] = (stamp, read)
            if 3 * read < len(self.reader(lang).lengths):
                return self._keys_by_ids(lang, ids)
        all_ids, keys = self.all_keys(lang)
        indexed = self._key_ids.get(lang)
        if indexed is None or indexed[0] is not all_ids:
            # By id, each key's place (-1: none), and the keys as an array of objects: the
            # keys of a batch are then gathered in C (a list comprehension over a million
            # keys in random order cost 0.28 µs a key, searching the ids 0.12).
            places = np.full(max(all_ids, default=-1) + 2, -1, dtype=np.int64)
            places[np.asarray(all_ids, dtype=np.int64)] = np.arange(len(all_ids))
            objects = np.empty(len(keys) + 1, dtype=object)
            objects[: len(keys)] = keys  # the last one stays None: a missing unit's
            indexed = self._key_ids[lang] = (all_ids, places, objects)
        _, places, objects = indexed
        wanted = np.minimum(np.asarray(ids, dtype=np.int64), len(places) - 1)
        found: list[str | None] = objects[places[wanted]].tolist()
        return found

    def _verify_groups(
        self,
        key: str,
        lang: str,
        groups: Groups,
        leaders: np.ndarray,
        bounds: np.ndarray,
        shared: np.ndarray,
        min_score: float,
        limit: int,
        tokens: TokenBound = CHARACTERS,
    ) -> list[tuple[float, int]]:
        """Score the units of the groups ``leaders``, in order of their groups' ``bounds``.

        A batch of groups at a time, every unit is bounded by its own count of shared
        characters, derived from its group's (``shared``) and the changes each member makes
        to its leader (:meth:`taiyaku.store.groups.Groups.shared`), without reading a key.
        The keys of the leaders with a member that may still enter are read, and those
        members bounded also by ``|d(key, leader) − d(leader, member)|`` when their distance
        is known: one key read can spare many (on the 5M-unit benchmark at ``--min 50``, 47
        keys scored a query instead of 76, 83 read instead of 95). Then leaders and members
        are scored best bound first, their keys read a few at a time as they come. A unit
        whose bound ties with the worst score kept is read only if it is older (see
        :func:`_keep_best`), and a group only if its leader is: its members are newer.
        """
        lengths = self.reader(lang).lengths
        size = len(key)
        text = tokens.text(key)
        query, layers = char_counts(text), np.sort(pack_char_layers([text])[1])
        # English queries may have to read tens of thousands of keys (see _keys_of);
        # Japanese ones read about 50, never enough to hold them all.
        read_keys = self._keys_of if tokens is BIGRAMS else self._keys_by_ids
        best: list[tuple[float, int]] = []  # heap of (score, -id): the worst kept on top
        start, step = 0, _GROUP_BATCH
        while start < len(leaders):
            floor = best[0][0] if len(best) == limit else min_score
            if bounds[start] + _ROUNDING < floor:
                break
            end = start + step
            batch, batch_shared = leaders[start:end], shared[start:end]
            # A member has a higher id than its leader: a group tied with the worst score
            # kept and led by a newer unit holds none that can take its place.
            reaching = _may_enter(bounds[start:end], batch, best, limit, min_score)
            start, step = end, min(2 * step, _GROUP_BATCH_MOST)
            batch, batch_shared = batch[reaching].astype(np.int64), batch_shared[reaching]
            members, owners, member_lengths, leader_shared, member_shared = groups.shared(
                batch, batch_shared, query, layers
            )
            leader_bounds = tokens.score(leader_shared, lengths[batch], size)
            member_bounds = tokens.score(member_shared, member_lengths, size)
            passing = _may_enter(leader_bounds, batch, best, limit, min_score)
            read = batch[passing]
            # The leaders of the members that may enter are read too: one key's distance to
            # the query bounds them all by the triangle inequality.
            near = np.zeros(len(batch), dtype=bool)
            near[owners[_may_enter(member_bounds, members, best, limit, min_score)]] = True
            to_read = np.sort(batch[near]).tolist()  # in page order
            leader_keys = dict(zip(to_read, read_keys(lang, to_read), strict=True))
            apart = np.full(len(batch), -1, dtype=np.int64)  # -1: leader not read
            for i in np.flatnonzero(near).tolist():
                leader_key = leader_keys.get(int(batch[i]))
                if leader_key is not None:
                    apart[i] = Levenshtein.distance(key, leader_key)
            under = np.flatnonzero(apart[owners] >= 0)  # members of a leader read
            distances = groups.distances[members[under]].astype(np.int64)
            under, distances = under[distances != UNKNOWN], distances[distances != UNKNOWN]
            if len(under):
                under_lengths = member_lengths[under]
                edits = np.maximum(
                    np.abs(under_lengths - size), np.abs(apart[owners[under]] - distances)
                )
                by_distance = 100 * (1 - edits / np.maximum(under_lengths, size))
                member_bounds[under] = np.minimum(member_bounds[under], by_distance)
            kept = _may_enter(member_bounds, members, best, limit, min_score)
            wanted = np.concatenate([read, members[kept]])
            wanted_bounds = np.concatenate([leader_bounds[passing], member_bounds[kept]])
            order = np.lexsort((wanted, -wanted_bounds))
            wanted, wanted_bounds = wanted[order], wanted_bounds[order]
            # The members' keys are read as they are scored, best bound first: a few more
            # at a time, until the next bound cannot beat the worst score kept.
            at, chunk = 0, _KEY_CHUNK
            while at < len(wanted):
                floor = best[0][0] if len(best) == limit else min_score
                if wanted_bounds[at] + _ROUNDING < floor:
                    break
                ids, ids_bounds = wanted[at : at + chunk], wanted_bounds[at : at + chunk]
                at, chunk = at + chunk, 2 * chunk
                entering = ids[_may_enter(ids_bounds, ids, best, limit, min_score)].tolist()
                unread = sorted(u for u in entering if u not in leader_keys)  # in page order
                keys = dict(zip(unread, read_keys(lang, unread), strict=True))
                keys.update(leader_keys)
                listed = ids.tolist()
                _keep_best(key, listed, [keys.get(u) for u in listed], best, min_score, limit)
        return _ranked(best)

    def _explain(self, query: str, lang: str, scored: list[tuple[float, int]]) -> list[Match]:
        units = self.tm.units_by_ids(unit_id for _, unit_id in scored)
        terms = tuple(find_glossary_terms(self.db, query, lang))
        matches = []
        for score, unit_id in scored:
            unit = units[unit_id]
            adaptation = adapt_numbers(unit.source_text, query, unit.target_text)
            matches.append(
                Match(
                    score=score,
                    unit=unit,
                    source=unit.source_text,
                    target=unit.target_text,
                    diff=tuple(diff_spans(unit.source_text, query)),
                    terms=terms,
                    numbers_only=adaptation is not None,
                    adapted_target=adaptation.adapted_target if adaptation else None,
                )
            )
        return matches

    def all_keys(self, lang: str) -> tuple[list[int], list[str]]:
        """Return the ids and source keys of every unit whose source is in ``lang``."""
        stamp = change_stamp(self.db)
        cached = self._all_keys.get(lang)
        if cached is None or cached[0] != stamp:
            ids, keys = self.tm.source_keys_in_lang(lang)
            cached = self._all_keys[lang] = (stamp, ids, keys)
        return cached[1], cached[2]


@dataclass
class _Rent:
    """The searches of one language bounding units alone (see :meth:`Matcher._grouping`)."""

    stamp: Stamp
    """The database as they saw it."""
    alone: Groups
    """Every unit its own group (:meth:`Groups.alone`)."""
    paid: int = 0
    """The posting ids they counted."""


def _keep_best(
    key: str,
    ids: Ids,
    keys: list[str | None],
    best: list[tuple[float, int]],
    min_score: float,
    limit: int,
) -> None:
    """Score the units ``ids`` (``keys``: theirs, in the same order; ``None`` for a unit
    deleted meanwhile or not read) into ``best``, a heap of ``(score, -id)`` holding the
    ``limit`` best so far (the worst on top; ties go to the oldest unit).

    The keys are compared with ``key`` by one rapidfuzz call (``process.cdist``, in C), with
    the cutoff of the worst score kept when it starts, and only the few above it are put to
    the heap: a Python step a key costs more than comparing a sentence (on a million English
    keys at ``--min 50``, where a query may score 117,000 of them: 0.4 µs a key of Python
    around the call against 0.6 for rapidfuzz). Whatever is not scored here the callers
    leave out because its bound cannot beat the heap's worst; the heap would refuse it
    anyway. The scores are :func:`~taiyaku.match.score.similarity`'s.
    """
    floor = best[0][0] if len(best) == limit else min_score
    if None not in keys:
        present, compared = ids, keys
    else:
        places = [i for i, k in enumerate(keys) if k is not None]
        present, compared = [ids[i] for i in places], [keys[i] for i in places]
    if not len(present):
        return
    raw = process.cdist(
        [key],
        compared,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=rapidfuzz_cutoff(floor - _ROUNDING),
        dtype=np.float64,
    )[0]
    for at in np.flatnonzero(raw).tolist():  # above the cutoff
        score = shown(float(raw[at]))
        if score < min_score or not score:
            continue
        entry = (score, -int(present[at]))
        if len(best) < limit:
            heapq.heappush(best, entry)
        elif entry > best[0]:
            heapq.heapreplace(best, entry)


def _ranked(best: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """The heap of :func:`_keep_best` as ``(score, id)``, best first, ties by id."""
    return sorted(((s, -i) for s, i in best), key=lambda e: (-e[0], e[1]))


def _may_enter(
    bounds: np.ndarray, ids: np.ndarray, best: list[tuple[float, int]], limit: int, floor: float
) -> np.ndarray:
    """Which units of these ``bounds`` may still enter ``best``, the heap of :func:`_keep_best`:
    those reaching ``floor`` while it holds fewer than ``limit``; then those whose bound
    reaches its worst score, older units (lower ids) only when it rounds to that score."""
    if len(best) < limit:
        reaching: np.ndarray = bounds + _ROUNDING >= floor
        return reaching
    score, worst = best[0][0], -best[0][1]
    return (bounds + _ROUNDING >= score) & ((bounds >= score + _TIED) | (ids < worst))


def _counted(
    chunks: list[tuple[str, bytes]], at_least: int, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return the ids below ``size`` found in at least ``at_least`` of the posting ``chunks``,
    with how many they are in (ascending ids).

    A few ids (fewer than one in :data:`_DENSE_FROM` of ``size``) are counted by one sort
    of them all, so the cost follows the number of postings read, not the size of the TM.
    With more, or with bitmaps (the commonest tokens), a vector over all ids costs less:
    every bitmap is added to it bit by bit, and every list added into it with
    ``np.add.at``, with no sort. On the 5M-unit benchmark at ``--min 50``, a query's group
    postings hold 949,000 ids, counted in 3.0 ms by the vector and 5.9 by the sort (1M
    units: 340,000 ids, 1.3 against 1.9 ms).
    """
    bitmaps = [blob for _, blob in chunks if blob[0] == postings.BITMAP]
    lists = [postings.decode(blob) for _, blob in chunks if blob[0] != postings.BITMAP]
    if bitmaps or sum(len(ids) for ids in lists) * _DENSE_FROM >= size:
        dense: np.ndarray = np.zeros(size, dtype=np.uint8 if len(chunks) < 256 else np.uint16)
        for blob in bitmaps:
            postings.add_to(blob, dense)
        one = dense.dtype.type(1)  # np.add.at with a scalar of the vector's type: no casts
        for ids in lists:
            np.add.at(dense, ids[: np.searchsorted(ids, size)], one)
        found = np.flatnonzero(dense >= at_least)
        return found, dense[found].astype(np.int64)
    ids = np.sort(np.concatenate(lists)) if lists else np.zeros(0, np.int32)
    ids = ids[: np.searchsorted(ids, size)]
    # An id in at least `at_least` lists is found at i and at i + at_least - 1 of the sorted
    # ids: one comparison over them all, then work on the few ids it leaves.
    step = at_least - 1
    kept = ids
    if step:
        kept = ids[:-step][ids[step:] == ids[:-step]] if len(ids) > step else ids[:0]
    if len(kept):
        kept = kept[np.concatenate([[True], kept[1:] != kept[:-1]])]
    found_in = np.searchsorted(ids, kept, "right") - np.searchsorted(ids, kept, "left")
    return kept.astype(np.int64), found_in.astype(np.int64)


def _margin(min_score: float) -> int:
    """How many counted characters a unit must share to be a candidate (at least 1: any
    value keeps the search exact). More costs reading more postings, fewer leaves more
    candidates to test against the common characters: 3 is fastest from 75 up, and one
    more for every 5 points below 75. Measured with the groups, 1,000 queries a threshold
    (mean / p99 ms): at 70, 4 against 3 gives 1.06–1.16 / 2.6–2.8 against 1.13–1.22 /
    2.6–2.8 on the 1M-unit benchmark and 2.25–2.31 / 6.1–6.4 against 2.44–2.46 / 8.5–9.5 at
    5M; at 80, 3 is best; at 60, 5–6; at 50, 6 to 9 are within the noise.
    """
    return 3 + max(0, math.ceil((75 - min_score) / 5))


def _bigram_margin(min_score: float, at_least: int) -> int:
    """:func:`_margin` for bigrams (English): below 75 no token is skipped, the share of
    bigrams needed is too small (0.4 at 70) and testing dozens of skipped tokens for
    hundreds of thousands of candidates costs more than counting them. Measured on 1M
    English units, 200 queries (mean / p99 ms) counting all, skipping half of what is
    needed, and all but a quarter: at 70 20.7 / 228 against 26.7 / 258 (and 30.0 / 267
    skipping all but 8); at 75 14.0 / 78 against 13.1 / 74 and 14.7 / 79; at 80 11.2 / 43
    against 9.3 / 27 and 9.1 / 29; at 95 10.2 / 45 against 6.7 / 20 and 4.7 / 15.
    """
    if min_score < 75:
        return at_least
    if min_score < 80:
        return max(1, at_least // 2)  # at least 1: a unit must share a counted token
    return max(8, at_least // 4)


def _unreachable(missing: int, q: int, size: int, floor: float) -> bool:
    """True when a unit lacking at least ``missing`` of the query's grams cannot reach ``floor``.

    Such a unit is at least ``ceil(missing / q)`` edits away, and the best score ``d`` edits
    allow is ``1 - d / (size + d)`` (a unit ``d`` characters longer than the query).
    """
    edits = math.ceil(missing / q) if missing > 0 else 0
    return edits > 0 and 1 - edits / (size + edits) < floor


def exhaustive_scores(
    matcher: Matcher, key: str, lang: str, *, min_score: float = 70, limit: int = 5
) -> list[tuple[float, int]]:
    """Score ``key`` against every unit's source key with rapidfuzz; best first, ties by id."""
    ids, keys = matcher.all_keys(lang)
    found = process.extract(
        key,
        keys,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=rapidfuzz_cutoff(min_score - _ROUNDING),
        limit=None,
    )
    rounded = ((shown(score), ids[index]) for _, score, index in found)
    ranked = sorted((-score, unit_id) for score, unit_id in rounded if score >= min_score)
    return [(-negative, unit_id) for negative, unit_id in ranked[:limit]]


def fuzzy_matches(
    db_or_tm: Any, query: str, *, min_score: float = 70, limit: int = 5
) -> list[Match]:
    """Return the TM units closest to ``query``, best first.

    :param db_or_tm: a taiyaku database or a :class:`~taiyaku.store.tm.TranslationMemory`
    :param query: a sentence in any language the TM has sources in (detected)
    :param min_score: leave out units scoring below this (0–100)
    :param limit: at most this many matches
    """
    return Matcher(db_or_tm).search(query, min_score=min_score, limit=limit)
