"""Near-duplicate groups of source keys: what lets the fuzzy search grow slower than the TM.

A large TM is mostly revisions: the same sentences with a number, a word or a prefix
changed. Each unit joins the group of an earlier unit (its *leader*) whose key is within a
few edits of its own, or leads a group of its own. The fuzzy search
(:mod:`taiyaku.match.search`) counts the characters a query shares with each *group* (the
union of its members' layered characters, postings under ``lang`` = ``ja/g``…). From that
count and the characters each member adds to its leader's key and removes from it (its
*changes*, :func:`layer_changes`) it derives the count of the leader and of every member
(:meth:`Groups.shared`) without reading a key, and for the members of the leaders it reads,
it uses the triangle inequality of the edit distance too:
``d(query, member) ≥ |d(query, leader) − d(leader, member)|``. So a query reads postings for
groups rather than units, and reads and scores only the units whose bound reaches the
threshold.

Reading the groups (:meth:`Groups.of`) is a pass over every unit, so a matcher reads them
only once its searches have paid about as much without them (see
:meth:`taiyaku.match.search.Matcher._grouping`); until then it bounds each unit alone
(:meth:`Groups.alone`) by the units' own layered characters.

The grouping only decides how fast a search is, never what it finds: every derived count is
exact or larger (a member deleted since leaves its characters in its group's postings), a
member whose changes are not known is bounded by its group's count, and the triangle
inequality is used only when the distance to a live leader is stored. A write groups its
units among themselves (:class:`Grouper`), and a bulk write (a first batch of at least
``SEED_FROM`` units, see :mod:`taiyaku.store.index_writer`) with the groups of earlier writes
too; a small write's units join no earlier group. A deleted leader's members keep their
changes from it, its characters staying in the group's postings while it has members.

Stored in ``match_groups(lang, block, leaders, distances)`` (migration ``m022``): per block of
65,536 unit ids, how far below its id each unit's leader is (uint32, 0: it leads) and its
distance to the leader (uint8, :data:`UNKNOWN` when not known); and in
``match_changes(lang, block, counts, codes)`` (``m023``): each unit's change count (uint8,
:data:`KNOWN` ``| added << 4 | removed``, 0 when not known) and its changed tokens, unit
after unit (uint32, packed as :func:`~taiyaku.text.grams.pack_char_layers` packs them, the top
bit set for a removed one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Levenshtein

from taiyaku.store.blocks import (
    BLOCK,
    BLOCK_BITS,
    read_block,
    read_blocks,
    read_lengths,
    store_block,
    write_blocks,
)
from taiyaku.store.db import Db, read_blobs
from taiyaku.store.postings import distinct, ranges
from taiyaku.text.grams import CODE_BITS, CODE_MASK, code_points

RADIUS = 4
"""The most edits between a unit and its leader (and at most a third of its key's length)."""
SIGNATURE = 4
"""Characters in each of the chunks a near duplicate is looked for by."""
TRIED = 4
"""Leaders tried per signature: the first ones of a near length to claim it."""
UNKNOWN = 255
KNOWN = 0x80
"""In a unit's change count: its changes from its leader are stored (0: not known)."""
_MOST = 7  # added or removed tokens a count can hold (a member within RADIUS edits: 4)
_TOKEN = 0x7FFFFFFF  # a stored change without its top bit (set: a token the member removes)
GROUPS = "/g"  # appended to a language: the ``lang`` of its groups' layered-character postings

_DIGITS = re.compile(r"\d+")
_BAND = 2 * RADIUS  # lengths within RADIUS of one another fall in at most two bands


def groups_lang(lang: str) -> str:
    """Return the ``lang`` under which the groups of ``lang`` sources have their postings."""
    return lang + GROUPS


def _chunks(key: str) -> tuple[str, str, str, str]:
    """The chunks a near duplicate of ``key`` is looked for by: its first two and last two
    of :data:`SIGNATURE` characters, numbers taken out. One to three edits, an added prefix
    or a changed number leave one of them intact. (Made once a unit: a unit looks in up to
    two length bands and may then claim a third.)"""
    text = _DIGITS.sub("", key)
    size = SIGNATURE
    return text[:size], text[size : 2 * size], text[-size:], text[-2 * size : -size]


def _signatures(chunks: tuple[str, str, str, str], band: int) -> tuple[int, ...]:
    """Where a near duplicate is looked for in one length ``band``: the hashes of its
    :func:`_chunks` in that band. (Two chunks with the same hash only cost a distance
    computed for nothing.)"""
    first, second, last, before_last = chunks
    return (
        hash(("<", band, first)),
        hash(("<<", band, second)),
        hash((">", band, last)),
        hash((">>", band, before_last)),
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
            self._lead(unit_id, key, _chunks(key))

    def _lead(self, unit_id: int, key: str, chunks: tuple[str, str, str, str]) -> None:
        claimed = self._claimed
        self._keys[unit_id] = key
        for signature in _signatures(chunks, len(key) // _BAND):
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
            chunks = _chunks(key)
            if allowed:
                tried: list[int] = []
                for band in {(size - allowed) // _BAND, (size + allowed) // _BAND}:
                    for signature in _signatures(chunks, band):
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
                self._lead(unit_id, key, chunks)
                best_distance = 0
            leaders[i] = best
            distances[i] = best_distance
        return leaders, distances

    def changes(
        self, unit_ids: list[int], keys: list[str], leaders: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The :func:`layer_changes` of these units (grouped by :meth:`add`) from their
        leaders; a leader's are known and empty."""
        counts = np.full(len(unit_ids), KNOWN, dtype=np.uint8)
        led = np.flatnonzero(leaders != np.asarray(unit_ids, dtype=np.int64))
        if not len(led):
            return counts, np.empty(0, dtype=np.uint32)
        leader_keys = self._keys
        counts[led], codes = layer_changes(
            [keys[i] for i in led.tolist()], [leader_keys[g] for g in leaders[led].tolist()]
        )
        return counts, codes


def layer_changes(keys: list[str], leader_keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The layered characters (:func:`~taiyaku.text.grams.char_layers`) each key adds to its
    leader's and removes from it.

    A key within ``d`` edits of its leader's adds at most ``d`` tokens and removes at most
    ``d``, so the characters a query shares with every member of a group follow from the
    count of the group's (see :meth:`Groups.shared`) without reading the members' keys.

    :return: ``(counts, codes)``: per key, ``KNOWN | added << 4 | removed`` (0 when either
        is above 7 or a token does not fit 31 bits, a character repeated 1,024 times: not
        stored); the tokens packed as :func:`~taiyaku.text.grams.pack_char_layers` does, key
        after key, each key's added tokens and then its removed ones, with the top bit set
    """
    size = len(keys)
    # One sort of every character of both sides, as (key, character, side): a run of one
    # key's character holds the leader's (side 0) and then the key's own (side 1).
    (_, mine_owners, mine), (_, their_owners, theirs) = code_points(keys), code_points(leader_keys)
    mine |= mine_owners << CODE_BITS
    theirs |= their_owners << CODE_BITS
    packed = np.sort(np.concatenate([(mine << 1) | 1, theirs << 1]))
    side = packed & 1
    packed >>= 1
    starts = np.flatnonzero(np.concatenate([[len(packed) > 0], packed[1:] != packed[:-1]]))
    ends = np.append(starts[1:], len(packed))
    sides = np.concatenate([[0], np.cumsum(side)])
    own = sides[ends] - sides[starts]  # how many times the key has the character
    leader_has = ends - starts - own  # and its leader's
    runs = packed[starts]
    # The key adds the layers leader_has + 1 .. own, or removes own + 1 .. leader_has.
    changed = np.abs(own - leader_has)
    at = np.repeat(np.arange(len(runs)), changed)
    layers = (
        np.minimum(own, leader_has)[at]
        + 1
        + (np.arange(len(at)) - np.repeat(np.cumsum(changed) - changed, changed))
    )
    owners = (runs[at] >> CODE_BITS) * 2 + (own < leader_has)[at]  # added before removed
    codes = (layers << CODE_BITS) | (runs[at] & CODE_MASK)
    n_added = np.bincount(owners[owners & 1 == 0] >> 1, minlength=size)
    n_removed = np.bincount(owners[owners & 1 == 1] >> 1, minlength=size)
    wide = np.bincount(owners[codes > _TOKEN] >> 1, minlength=size) > 0
    codes |= (owners & 1) << 31  # a removed token: the top bit set
    known = (n_added <= _MOST) & (n_removed <= _MOST) & ~wide
    counts = np.where(known, KNOWN | (n_added << 4) | n_removed, 0).astype(np.uint8)
    kept = known[owners >> 1]
    owners, codes = owners[kept], codes[kept]
    return counts, codes[np.argsort(owners, kind="stable")].astype(np.uint32)


def _change_sizes(counts: np.ndarray, dtype: type = np.int64) -> np.ndarray:
    """How many tokens each change count stands for (``dtype=np.uint8``: as bytes, for a
    caller that only sums them, with no int64 array of every unit)."""
    sizes: np.ndarray = ((counts >> 4) & _MOST).astype(dtype, copy=False) + (counts & _MOST)
    return sizes


def write_groups(
    db: Db,
    lang: str,
    unit_ids: np.ndarray,
    leaders: np.ndarray,
    distances: np.ndarray,
    counts: np.ndarray,
    codes: np.ndarray,
) -> None:
    """Store the groups of these units (``lang``: the source's primary language) and their
    changes from their leaders (:func:`layer_changes`, in the order of ``unit_ids``)."""
    columns = {"leaders": (unit_ids - leaders, "<u4"), "distances": (distances, "<u1")}
    write_blocks(db, "match_groups", lang, unit_ids, columns)
    if not len(unit_ids):
        return
    sizes = _change_sizes(counts)
    starts = np.cumsum(sizes) - sizes
    blocks = unit_ids >> BLOCK_BITS
    for block in distinct(blocks).tolist():
        here = np.flatnonzero(blocks == block)
        row = read_block(db, "match_changes", lang, block, ["counts", "codes"])
        if row is None:
            stored_counts, stored_codes = np.zeros(BLOCK, np.uint8), np.empty(0, np.uint32)
        else:
            stored_counts = np.frombuffer(row[0], np.uint8).copy()
            stored_codes = np.frombuffer(row[1], "<u4")
        # The block's codes, unit after unit: the stored ones, the new ones in their place.
        stored_sizes = _change_sizes(stored_counts)
        where = np.cumsum(stored_sizes) - stored_sizes
        at = unit_ids[here] & (BLOCK - 1)
        stored_sizes[at] = sizes[here]
        stored_counts[at] = counts[here]
        where[at] = len(stored_codes) + np.cumsum(sizes[here]) - sizes[here]
        pool = np.concatenate([stored_codes, codes[ranges(starts[here], sizes[here])]])
        packed = pool[ranges(where, stored_sizes)].astype("<u4")
        store_block(
            db,
            "match_changes",
            lang,
            block,
            {"counts": stored_counts.tobytes(), "codes": packed.tobytes()},
        )


def read_changes(db: Db, lang: str, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every unit's changes from its leader, for ids below ``size``: ``(counts, starts,
    codes)``, the tokens of unit ``u`` being ``codes[starts[u]:starts[u + 1]]`` (see
    :func:`layer_changes`; count 0: not known)."""
    counts = np.zeros(size, dtype=np.uint8)
    parts = []
    rows = read_blobs(
        db, "SELECT block, counts, codes FROM match_changes WHERE lang = ? ORDER BY block", [lang]
    )
    for block, block_counts, block_codes in rows:
        start = block * BLOCK
        end = min(start + BLOCK, size)
        if end <= start:
            continue
        here = np.frombuffer(block_counts, np.uint8)[: end - start]
        counts[start:end] = here
        parts.append(np.frombuffer(block_codes, "<u4")[: int(_change_sizes(here).sum())])
    starts = np.zeros(size + 1, dtype=np.int64)
    # The sizes as bytes, summed as int64: no int64 temporaries of every unit (5M: 40 MB each).
    np.cumsum(_change_sizes(counts, np.uint8), dtype=np.int64, out=starts[1:])
    codes = np.concatenate(parts).astype(np.uint32, copy=False) if parts else np.empty(0, np.uint32)
    return counts, starts, codes


def read_leaders(db: Db, lang: str, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every unit's leader and distance to it, by unit id, for ids below ``size`` (a unit
    never grouped leads itself, at distance 0)."""
    offsets, distances = read_blocks(
        db,
        "match_groups",
        lang,
        {"leaders": "<u4", "distances": "<u1"},
        size,
        into={"leaders": np.int64, "distances": np.uint8},
    )
    return np.arange(size, dtype=np.int64) - offsets, distances


def group_counts(db: Db) -> dict[str, tuple[int, int]]:
    """Per source language that has groups, its live units and how many groups they form."""
    langs = [lang for (lang,) in db.conn.execute("SELECT DISTINCT lang FROM match_groups")]
    counts = {}
    for lang in sorted(langs):
        lengths = read_lengths(db, lang)
        leaders, _ = read_leaders(db, lang, len(lengths))
        live = np.flatnonzero(lengths > 0)
        counts[lang] = (len(live), len(distinct(leaders[live])))
    return counts


def _by_leader(units: np.ndarray, leaders: np.ndarray) -> np.ndarray:
    """``units`` (ascending ids below 2³¹) ordered by their ``leaders``, ascending ids within
    each: one sort of ``leader << 32 | unit``, which numpy sorts in place with SIMD, instead
    of a stable argsort and the random reads of applying it (the 4,278,544 members of the
    5M-unit benchmark: 31 ms against 300–370, most of a search's start-up there; 1M: 4 ms
    against 15)."""
    packed = np.sort((leaders.astype(np.int64) << 32) | units)
    ordered: np.ndarray = packed & 0xFFFFFFFF
    return ordered


class Counted(NamedTuple):
    """The members of a batch of groups and what they share with a query
    (:meth:`Groups.shared`)."""

    members: np.ndarray
    """The groups' live members, group after group."""
    owners: np.ndarray
    """The index of each member's leader in the batch."""
    lengths: np.ndarray
    """The members' key lengths."""
    leader_counts: np.ndarray
    """How many layered characters each leader shares with the query at most."""
    member_counts: np.ndarray
    """... and each member."""


class InGroupOrder:
    """Every member's changes (:func:`layer_changes`) and key length copied in the order of
    :attr:`Groups.members`, so that those of a batch of groups are a few runs of memory
    rather than one random read per member.

    On the 5M-unit benchmark a search at ``--min 50`` may count 250,000 members; their
    changes then take 13.5 ms instead of 22.5. The copy takes 250–420 ms and 103 MB there
    (31–34 ms and 18 MB at 1M), about what counting 3 to 4 million members the slow way
    costs, so :meth:`Groups.in_group_order` makes it only when the searches have counted as
    many members as there are: a rent-or-buy rule (counting them all the slow way costs
    about 150 ms more than from a copy at 5M, so a batch that stops right after the copy
    has paid at most about 2.7 times what the best choice in hindsight costs). On the 5M
    benchmark's 1,000 queries at 50 the copy comes with the 383rd.
    """

    _CHUNK = 1 << 16  # members copied at a time: no temporary index of every change

    def __init__(self) -> None:
        self.counted = 0
        self.lengths = np.empty(0, np.int32)
        self.changes = np.empty(0, np.uint8)
        self.code_starts = np.zeros(1, np.int64)
        self.codes = np.empty(0, np.uint32)
        self.made = False

    def copy(self, groups: Groups) -> None:
        """Copy the changes of ``groups``' members in their order."""
        members = groups.members
        changes = groups.changes[members]
        sizes = _change_sizes(changes)
        code_starts = np.zeros(len(members) + 1, np.int64)
        np.cumsum(sizes, out=code_starts[1:])
        codes = np.empty(int(code_starts[-1]), np.uint32)
        starts = groups.change_starts[members]
        for first in range(0, len(members), self._CHUNK):
            last = min(first + self._CHUNK, len(members))
            low, high = int(code_starts[first]), int(code_starts[last])
            codes[low:high] = groups.change_codes[
                ranges(
                    starts[first:last], sizes[first:last], code_starts[first + 1 : last + 1] - low
                )
            ]
        self.changes, self.code_starts, self.codes = changes, code_starts, codes
        self.lengths = groups.lengths[members]
        self.made = True


@dataclass(frozen=True)
class Groups:
    """The groups of one language's units, as a search uses them (all arrays by unit id).

    :param distances: each unit's edit distance to its leader (:data:`UNKNOWN`: not known)
    :param shortest: for a leader, the length of its group's shortest live member (0: none)
    :param longest: ... and of its longest
    :param members: the live units led by another, ordered by leader
    :param starts: where each leader's members start in ``members`` (one more entry than
        units: a leader's members are ``members[starts[g]:starts[g + 1]]``)
    :param changes: each unit's change count from its leader (:func:`layer_changes`)
    :param change_starts: where each unit's changed tokens start in ``change_codes`` (one
        more entry than units)
    :param change_codes: the changed tokens, unit after unit
    :param lengths: each unit's key length (0: no live unit)
    :param ordered: the members' changes copied in group order, once the searches have
        counted enough of them (see :meth:`in_group_order`)
    """

    distances: np.ndarray
    shortest: np.ndarray
    longest: np.ndarray
    members: np.ndarray
    starts: np.ndarray
    changes: np.ndarray
    change_starts: np.ndarray
    change_codes: np.ndarray
    lengths: np.ndarray
    ordered: InGroupOrder = field(default_factory=InGroupOrder, compare=False, repr=False)

    def shared(
        self, leaders: np.ndarray, counts: np.ndarray, query: np.ndarray, layers: np.ndarray
    ) -> Counted:
        """How many layered characters the ``leaders`` and their members share with a query
        at most, from how many their groups share (``counts``).

        A group's postings are the union of its leader's tokens and what each member adds
        to them, so the leader shares the group's count less the query tokens among the
        members' added ones, and a member shares its leader's count less the query tokens
        it removes plus those it adds. Exact while the group's postings hold no member
        since deleted; otherwise (and for a member whose changes are not known, which
        shares at most its group's count) an upper bound.

        :param query: how many times the query has each character
            (:func:`~taiyaku.text.grams.char_counts`), and ``layers`` its layered tokens,
            packed and sorted (:func:`~taiyaku.text.grams.pack_char_layers`)
        :return: the groups' members, group after group, with their counts
        """
        firsts = self.starts[leaders]
        group_sizes = self.starts[leaders + 1] - firsts
        at = ranges(firsts, group_sizes)  # the members' places in ``members``
        members = self.members[at]
        owners = np.repeat(np.arange(len(leaders)), group_sizes)
        ordered = self.in_group_order(len(at))
        if ordered is None:
            lengths = self.lengths[members]
            changes = self.changes[members]
            sizes = _change_sizes(changes)
            ends = np.cumsum(sizes)
            codes = self.change_codes[ranges(self.change_starts[members], sizes, ends)]
        else:  # the same, read from a copy in group order: a few runs instead of every member
            lengths, changes = ordered.lengths[at], ordered.changes[at]
            sizes = _change_sizes(changes)
            ends = np.cumsum(sizes)
            low = ordered.code_starts[firsts]
            codes = ordered.codes[ranges(low, ordered.code_starts[firsts + group_sizes] - low)]
        tokens = codes & _TOKEN
        # A token (character c, layer k) is the query's when the query has c at least k times.
        hit = np.flatnonzero(query[tokens & CODE_MASK] >= tokens >> CODE_BITS)
        which = np.searchsorted(ends, hit, "right")  # the member of each
        removed = codes[hit] > _TOKEN  # the top bit: a token the member removes
        lost = np.bincount(which[removed], minlength=len(members))
        added = ~removed
        which, hit = which[added], hit[added]
        gained = np.bincount(which, minlength=len(members))
        # The query tokens some member adds: in the group's count, not in its leader's. Each
        # is one of the query's few, so a group's are marked in a row of flags, one per
        # query token (no sort of them all).
        flags = np.zeros((len(leaders), len(layers)), dtype=bool)
        flags[owners[which], np.searchsorted(layers, tokens[hit])] = True
        leader_counts = counts - flags.sum(axis=1)
        member_counts = np.where(
            changes & KNOWN, leader_counts[owners] - lost + gained, counts[owners]
        )
        return Counted(members, owners, lengths, leader_counts, member_counts)

    def in_group_order(self, counting: int = 0) -> InGroupOrder | None:
        """The members' changes copied in group order (:class:`InGroupOrder`), once the
        searches have counted as many members as there are (with ``counting`` more now);
        ``None`` before. A search that counts few members never pays for the copy (one query
        from the command line); one that counts many pays for it once (a batch, a server).
        """
        ordered = self.ordered
        if not ordered.made:
            ordered.counted += counting
            if ordered.counted < len(self.members) or not len(self.members):
                return None
            ordered.copy(self)
        return ordered

    @classmethod
    def alone(cls, lengths: np.ndarray) -> Groups:
        """Every unit a group of its own, with the units' key ``lengths`` (0: no live unit):
        what a search bounding units by their own postings (``lang`` + ``/c``) uses instead
        of the stored groups. Its arrays of zeros cost no reading and no sort."""
        size = len(lengths)
        starts = np.zeros(size + 1, dtype=np.int64)
        empty_codes = np.empty(0, np.uint32)
        own = lengths.astype(np.int32, copy=False)
        return cls(
            np.zeros(size, np.uint8),
            own,
            own,
            np.empty(0, np.int64),
            starts,
            np.zeros(size, np.uint8),
            starts,
            empty_codes,
            lengths,
        )

    @classmethod
    def of(
        cls,
        leaders: np.ndarray,
        distances: np.ndarray,
        lengths: np.ndarray,
        changes: tuple[np.ndarray, np.ndarray, np.ndarray],
    ) -> Groups:
        """Build from the stored leaders and distances, the units' key lengths (0: no
        live unit) and their changes (:func:`read_changes`)."""
        live = np.flatnonzero(lengths > 0)
        others = live[leaders[live] != live]
        led = leaders[others]
        members = _by_leader(others, led)
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.bincount(led, minlength=len(lengths)), out=starts[1:])
        # A group's shortest and longest: its live leader's length, and its members' (a dead
        # leader's group: its members' only). Reduced with ufunc.at over the members in id
        # order, a run through memory: at 5M units 130-137 ms against 167-244 for reductions
        # over the members in leader order, whose lengths are a random read of each.
        own = lengths.astype(np.int32, copy=False)  # only read: no copy of an int32 array
        member_lengths = own[others]
        none = np.int32(np.iinfo(np.int32).max)
        shortest = np.where(own > 0, own, none)
        np.minimum.at(shortest, led, member_lengths)
        shortest[shortest == none] = 0
        longest = own.copy()
        np.maximum.at(longest, led, member_lengths)
        return cls(distances, shortest, longest, members, starts, *changes, lengths)
