"""Near-duplicate groups of source keys: what lets the fuzzy search grow slower than the TM.

A large TM is mostly revisions: the same sentences with a number, a word or a prefix
changed. Each unit joins the group of an earlier unit (its *leader*) whose key is within a
few edits of its own, or leads a group of its own. The fuzzy search
(:mod:`taiyaku.match.search`) counts the characters a query shares with each *group* (the
union of its members' layered characters, postings under ``lang`` = ``ja/g``…) and bounds
every member by the triangle inequality of the edit distance:
``d(query, member) ≥ |d(query, leader) − d(leader, member)|``. So a query reads postings for
groups rather than units, and scores only the members whose bound reaches the threshold.

The grouping only decides how fast a search is, never what it finds: every member is
bounded by the union's count and its own length, and by the triangle inequality only when
its distance to a live leader is stored. A write groups its units among themselves
(:class:`Grouper`), and a bulk write (a first batch of at least ``SEED_FROM`` units, see
:mod:`taiyaku.store.index_writer`) with the groups of earlier writes too; a small write's
units join no earlier group. A deleted leader leaves its members bounded by their lengths,
until the index is rebuilt.

Stored in ``match_groups(lang, block, leaders, distances)`` (migration ``m022``): per block of
65,536 unit ids, how far below its id each unit's leader is (uint32, 0: it leads) and its
distance to the leader (uint8, :data:`UNKNOWN` when not known).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from taiyaku.store.blocks import read_blocks, read_lengths, write_blocks
from taiyaku.store.db import Db

RADIUS = 4
"""The most edits between a unit and its leader (and at most a third of its key's length)."""
SIGNATURE = 4
"""Characters in each of the chunks a near duplicate is looked for by."""
TRIED = 4
"""Leaders tried per signature: the first ones of a near length to claim it."""
UNKNOWN = 255
GROUPS = "/g"  # appended to a language: the ``lang`` of its groups' layered-character postings

_DIGITS = re.compile(r"\d+")
_BAND = 2 * RADIUS  # lengths within RADIUS of one another fall in at most two bands


def groups_lang(lang: str) -> str:
    """Return the ``lang`` under which the groups of ``lang`` sources have their postings."""
    return lang + GROUPS


def _signatures(key: str, band: int) -> tuple[int, ...]:
    """Where a near duplicate of ``key`` is looked for, in one length ``band``: hashes of its
    first two and last two chunks of :data:`SIGNATURE` characters, numbers taken out. One
    to three edits, an added prefix or a changed number leave one of them intact. (Two
    chunks with the same hash only cost a distance computed for nothing.)"""
    text = _DIGITS.sub("", key)
    size = SIGNATURE
    return (
        hash(("<", band, text[:size])),
        hash(("<<", band, text[size : 2 * size])),
        hash((">", band, text[-size:])),
        hash((">>", band, text[-2 * size : -size])),
    )


class Grouper:
    """Groups the units of one write, in the order they come, by a leader pass.

    A unit looks up the leaders that claimed one of its signatures in the length bands it
    may be :data:`RADIUS` edits from, tries those of a near length (the first :data:`TRIED`
    to claim each), and joins the nearest within :data:`RADIUS` edits (at most a third of
    its length); otherwise it leads a new group and claims its signatures. On the
    benchmark's million-unit TM: 11.5 µs a unit, 80 MB held, 271,737 groups.
    """

    def __init__(self) -> None:
        # signature hash -> its first leader, or the first TRIED of them
        self._claimed: dict[int, int | list[int]] = {}
        self._keys: dict[int, str] = {}  # leader -> its key

    def claim(self, unit_ids: list[int], keys: list[str]) -> None:
        """Take these units as leaders that later units may join (the leaders of earlier
        writes)."""
        for unit_id, key in zip(unit_ids, keys, strict=True):
            self._lead(unit_id, key)

    def _lead(self, unit_id: int, key: str) -> None:
        claimed = self._claimed
        self._keys[unit_id] = key
        for signature in _signatures(key, len(key) // _BAND):
            found = claimed.get(signature)
            if found is None:
                claimed[signature] = unit_id
            elif isinstance(found, int):
                claimed[signature] = [found, unit_id]
            elif len(found) < TRIED:
                found.append(unit_id)

    def add(self, unit_ids: list[int], keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Group these units; return each one's leader (a unit with a lower id, or itself)
        and its distance to it."""
        leaders = np.empty(len(unit_ids), dtype=np.int64)
        distances = np.zeros(len(unit_ids), dtype=np.uint8)
        claimed, leader_keys = self._claimed, self._keys
        distance = Levenshtein.distance
        for i, (unit_id, key) in enumerate(zip(unit_ids, keys, strict=True)):
            size = len(key)
            allowed = min(RADIUS, size // 3)
            best, best_distance = unit_id, allowed + 1
            if allowed:
                tried: list[int] = []
                for band in {(size - allowed) // _BAND, (size + allowed) // _BAND}:
                    for signature in _signatures(key, band):
                        found = claimed.get(signature)
                        if found is None:
                            continue
                        for leader in (found,) if isinstance(found, int) else found:
                            other = leader_keys[leader]
                            if abs(len(other) - size) > allowed or leader in tried:
                                continue
                            if leader >= unit_id:
                                continue
                            tried.append(leader)
                            d = distance(key, other, score_cutoff=allowed)
                            if d < best_distance:
                                best, best_distance = leader, d
            if best == unit_id:
                self._lead(unit_id, key)
                best_distance = 0
            leaders[i] = best
            distances[i] = best_distance
        return leaders, distances


def write_groups(
    db: Db, lang: str, unit_ids: np.ndarray, leaders: np.ndarray, distances: np.ndarray
) -> None:
    """Store the groups of these units (``lang``: the source's primary language)."""
    columns = {"leaders": (unit_ids - leaders, "<u4"), "distances": (distances, "<u1")}
    write_blocks(db, "match_groups", lang, unit_ids, columns)


def read_leaders(db: Db, lang: str, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every unit's leader and distance to it, by unit id, for ids below ``size`` (a unit
    never grouped leads itself, at distance 0)."""
    offsets, distances = read_blocks(
        db, "match_groups", lang, {"leaders": "<u4", "distances": "<u1"}, size
    )
    return np.arange(size, dtype=np.int64) - offsets, distances.astype(np.uint8)


def group_counts(db: Db) -> dict[str, tuple[int, int]]:
    """Per source language that has groups, its live units and how many groups they form."""
    langs = [lang for (lang,) in db.conn.execute("SELECT DISTINCT lang FROM match_groups")]
    counts = {}
    for lang in sorted(langs):
        lengths = read_lengths(db, lang)
        leaders, _ = read_leaders(db, lang, len(lengths))
        live = np.flatnonzero(lengths > 0)
        counts[lang] = (len(live), len(np.unique(leaders[live])))
    return counts


def _stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` of values below 2³², as two radix passes over
    16-bit halves (numpy sorts 16-bit keys by radix): 14 ms instead of 60 for the 728,263
    members of the 1M-unit benchmark, most of a search's start-up."""
    low = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    high = np.argsort((values[low] >> 16).astype(np.uint16), kind="stable")
    order: np.ndarray = low[high]
    return order


@dataclass(frozen=True)
class Groups:
    """The groups of one language's units, as a search uses them (all arrays by unit id).

    :param distances: each unit's edit distance to its leader (:data:`UNKNOWN`: not known)
    :param shortest: for a leader, the length of its group's shortest live member (0: none)
    :param longest: ... and of its longest
    :param members: the live units led by another, ordered by leader
    :param starts: where each leader's members start in ``members`` (one more entry than
        units: a leader's members are ``members[starts[g]:starts[g + 1]]``)
    """

    distances: np.ndarray
    shortest: np.ndarray
    longest: np.ndarray
    members: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, leaders: np.ndarray, distances: np.ndarray, lengths: np.ndarray) -> Groups:
        """Build from the stored leaders and distances and the units' key lengths (0: no
        live unit)."""
        live = np.flatnonzero(lengths > 0)
        led, live_lengths = leaders[live], lengths[live].astype(np.int32)
        big = np.iinfo(np.int32).max
        low = np.full(len(lengths), big, dtype=np.int32)
        longest = np.zeros(len(lengths), dtype=np.int32)
        np.minimum.at(low, led, live_lengths)
        np.maximum.at(longest, led, live_lengths)
        shortest = np.where(low == big, 0, low)
        others = live[led != live]
        members = others[_stable_order(leaders[others])]
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.bincount(leaders[others], minlength=len(lengths)), out=starts[1:])
        return cls(distances, shortest, longest, members, starts)
