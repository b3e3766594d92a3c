"""How a chunk of a posting list (sorted unit ids) is stored: the smallest of six codings.

A posting list of a rare gram holds a few ids far apart; that of a common one (``の``,
``して``) holds hundreds of thousands of ids close together. One coding cannot serve both, so
every chunk is written in whichever of these is smallest, named by its first byte:

- ``1``: the first id (uint32), then the gaps between ids as uint8 (every gap < 256);
- ``2``: the same with uint16 gaps;
- ``4``: the ids as int32;
- ``8``: a bitmap: a base id (uint32, a multiple of 8), then one bit per id from it
  (little-endian bit order). A token in more than about one unit in eight is a bitmap, and
  the search tests candidates against it without decoding it;
- ``3`` and ``6``: *patched* gaps: the first id (uint32), the number of exceptions ``k``
  (uint32), the gaps as uint8 (``3``) or uint16 (``6``) with 0 where a gap does not fit,
  then the ``k`` positions of those gaps and their values (uint32 each). Most lists of a
  common gram have small gaps and a few large ones: one large gap no longer makes every
  gap two or four bytes (a third less index on a million units).

All little-endian. Decoding is a ``numpy.frombuffer`` and a ``cumsum`` (or ``unpackbits``),
the patched codings one assignment more: no Python step per id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

GAPS8, GAPS16, IDS32, BITMAP = 1, 2, 4, 8
PATCHED8, PATCHED16 = 3, 6
_PATCHED_WIDTH = {PATCHED8: 1, PATCHED16: 2}
_ALONE_FROM = 1024  # ids from which decode_groups decodes a gap-coded list by itself


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct ``values``, ascending: ``np.unique(values)`` by one sort and a mask.

    numpy 2.3 and later answer a plain ``np.unique`` of integers from a hash table, which on
    this project's machine takes 0.7 µs an element when most values are distinct: 724 ms
    for a million ids against 6 ms for a sort (and 4.3 s against 32 ms for five million,
    what an import's posting lists hold).
    """
    ordered = np.sort(values, axis=None)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    found: np.ndarray = ordered[keep]
    return found


def ranges(starts: np.ndarray, sizes: np.ndarray, ends: np.ndarray | None = None) -> np.ndarray:
    """The indexes ``starts[i] .. starts[i] + sizes[i]`` of every ``i``, one after another
    (``ends``: ``np.cumsum(sizes)``, when the caller has it)."""
    if ends is None:
        ends = np.cumsum(sizes)
    indexes: np.ndarray = np.repeat(starts - (ends - sizes), sizes) + np.arange(
        int(ends[-1]) if len(ends) else 0
    )
    return indexes


def encode(ids: np.ndarray) -> bytes:
    """Return the smallest coding of ``ids`` (sorted, distinct, non-negative, < 2**31)."""
    n = len(ids)
    if n == 0:
        return bytes([IDS32])
    ids = np.asarray(ids, dtype=np.int64)
    first, last = int(ids[0]), int(ids[-1])
    base = first & ~7
    gaps = np.diff(ids)
    gap = int(gaps.max()) if n > 1 else 0
    width = 1 if gap < 256 else 2 if gap < 65536 else 4
    list_size = 1 + 4 * n if width == 4 else 5 + width * (n - 1)
    kind = _choose(
        5 + (last - base) // 8 + 1,
        width,
        list_size,
        int(np.count_nonzero(gaps >= 256)),
        int(np.count_nonzero(gaps >= 65536)),
        n,
    )
    if kind == BITMAP:
        bits = np.zeros(last - base + 1, dtype=np.uint8)
        bits[ids - base] = 1
        packed = np.packbits(bits, bitorder="little")
        return bytes([BITMAP]) + base.to_bytes(4, "little") + packed.tobytes()
    if kind in _PATCHED_WIDTH:
        return _patched(kind, first, gaps)
    if kind == IDS32:
        return bytes([IDS32]) + ids.astype("<i4").tobytes()
    return bytes([kind]) + first.to_bytes(4, "little") + gaps.astype(_GAP_TYPE[kind]).tobytes()


_GAP_TYPE = {GAPS8: "<u1", GAPS16: "<u2", PATCHED8: "<u1", PATCHED16: "<u2"}


def _choose(bitmap_size: Any, width: Any, list_size: Any, over8: Any, over16: Any, n: Any) -> Any:
    """The kind of the smallest coding, from the sizes (ints, or numpy arrays of them).

    :param width: 1, 2 or 4, the width of the plain list (whose size is ``list_size``)
    :param over8: how many gaps do not fit in uint8; ``over16``: in uint16
    """
    if not isinstance(bitmap_size, np.ndarray):  # one list: no numpy for five numbers
        sizes = [
            (bitmap_size, BITMAP),
            (list_size, width),
            (9 + (n - 1) + 8 * over8, PATCHED8),
            (9 + 2 * (n - 1) + 8 * over16, PATCHED16),
        ]
        best = sizes[1] if sizes[1][0] <= sizes[0][0] else sizes[0]
        for size in sizes[2:]:
            if size[0] < best[0]:
                best = size
        return best[1]
    kind = np.where(bitmap_size < list_size, BITMAP, width)
    best = np.minimum(bitmap_size, list_size)
    for patched, over in ((PATCHED8, over8), (PATCHED16, over16)):
        size = 9 + _PATCHED_WIDTH[patched] * (n - 1) + 8 * over
        kind = np.where(size < best, patched, kind)
        best = np.minimum(size, best)
    return kind


def _patched(kind: int, first: int, gaps: np.ndarray) -> bytes:
    """The patched coding (``kind`` :data:`PATCHED8` or :data:`PATCHED16`) of a list."""
    at = np.flatnonzero(gaps >= 1 << (8 * _PATCHED_WIDTH[kind]))
    values = gaps[at]
    small = gaps.copy()
    small[at] = 0
    return b"".join(
        (
            bytes([kind]),
            first.to_bytes(4, "little"),
            len(at).to_bytes(4, "little"),
            small.astype(_GAP_TYPE[kind]).tobytes(),
            at.astype("<u4").tobytes(),
            values.astype("<u4").tobytes(),
        )
    )


def decode(blob: bytes) -> np.ndarray:
    """Return the ids of a chunk, sorted, as int32."""
    kind = blob[0]
    if kind == IDS32:
        return np.frombuffer(blob, dtype="<i4", offset=1)
    first = int.from_bytes(blob[1:5], "little")
    if kind == BITMAP:
        bits = np.unpackbits(np.frombuffer(blob, dtype=np.uint8, offset=5), bitorder="little")
        return (np.flatnonzero(bits) + first).astype(np.int32)
    if kind in _PATCHED_WIDTH:
        return _unpatch(blob, kind, first)
    gaps = np.frombuffer(blob, dtype="<u1" if kind == GAPS8 else "<u2", offset=5)
    ids = np.empty(len(gaps) + 1, dtype=np.int32)
    ids[0] = first
    np.cumsum(gaps, dtype=np.int32, out=ids[1:])
    ids[1:] += first
    return ids


def decode_groups(blobs: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`decode` many chunks at once: return their ids (int64), one list after another,
    and where each list starts (one entry more than ``blobs``: list ``i`` is
    ``ids[bounds[i]:bounds[i + 1]]``).

    The short lists of the gap codings (most chunks) are decoded together, by one
    cumulative sum; the others one by one.
    """
    count = len(blobs)
    kinds = np.frombuffer(bytes(blob[0] for blob in blobs), dtype=np.uint8)
    sizes = np.fromiter(map(len, blobs), dtype=np.int64, count=count)
    eight, sixteen = kinds == GAPS8, kinds == GAPS16
    counts = np.zeros(count, dtype=np.int64)
    counts[eight] = sizes[eight] - 4  # 5 bytes of head, then a gap a byte after the first
    counts[sixteen] = (sizes[sixteen] - 5) // 2 + 1
    # Long lists cost less one at a time: a cumulative sum over each, no index arrays.
    eight &= counts < _ALONE_FROM
    sixteen &= counts < _ALONE_FROM
    alone = np.flatnonzero(~(eight | sixteen)).tolist()
    decoded = [decode(blobs[i]) for i in alone]
    counts[alone] = [len(ids) for ids in decoded]
    bounds = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    ids = np.empty(int(bounds[-1]), dtype=np.int64)
    for i, own in zip(alone, decoded, strict=True):
        ids[bounds[i] : bounds[i + 1]] = own
    for chosen, gap_type in ((np.flatnonzero(eight), "<u1"), (np.flatnonzero(sixteen), "<u2")):
        if not len(chosen):
            continue
        picked = [blobs[i] for i in chosen.tolist()]
        lengths = counts[chosen]
        ends = np.cumsum(lengths)
        firsts = ends - lengths  # where each list starts among these lists' ids
        # Each id less the one before it in its list (the first id itself), then summed.
        steps = np.empty(int(ends[-1]), dtype=np.int64)
        heads = np.zeros(len(steps), dtype=bool)
        heads[firsts] = True
        steps[heads] = np.frombuffer(b"".join(blob[1:5] for blob in picked), dtype="<u4")
        steps[~heads] = np.frombuffer(b"".join(blob[5:] for blob in picked), dtype=gap_type)
        own = np.cumsum(steps)
        own -= np.repeat(own[firsts] - steps[firsts], lengths)
        ids[ranges(bounds[chosen], lengths, ends)] = own
    return ids, bounds


def _unpatch(blob: bytes, kind: int, first: int) -> np.ndarray:
    width = _PATCHED_WIDTH[kind]
    k = int.from_bytes(blob[5:9], "little")
    count = (len(blob) - 9 - 8 * k) // width
    gaps = np.frombuffer(blob, dtype=_GAP_TYPE[kind], count=count, offset=9).astype(np.int32)
    tail = 9 + width * count
    at = np.frombuffer(blob, dtype="<u4", count=k, offset=tail)
    gaps[at] = np.frombuffer(blob, dtype="<u4", count=k, offset=tail + 4 * k)
    ids = np.empty(count + 1, dtype=np.int32)
    ids[0] = first
    np.cumsum(gaps, out=ids[1:])
    ids[1:] += first
    return ids


def contains(blob: bytes, ids: np.ndarray) -> np.ndarray:
    """Return a mask: which of ``ids`` (int64, any order) the chunk holds."""
    if blob[0] == BITMAP:
        base = int.from_bytes(blob[1:5], "little")
        bits = np.frombuffer(blob, dtype=np.uint8, offset=5)
        offsets = ids - base
        inside = (offsets >= 0) & (offsets < 8 * len(bits))
        found = np.zeros(len(ids), dtype=bool)
        at = offsets[inside]
        found[inside] = ((bits[at >> 3] >> (at & 7).astype(np.uint8)) & 1).astype(bool)
        return found
    chunk = decode(blob)
    where = np.searchsorted(chunk, ids)
    where[where == len(chunk)] = 0
    return chunk[where] == ids if len(chunk) else np.zeros(len(ids), dtype=bool)


def encode_groups(ids: np.ndarray, bounds: np.ndarray) -> list[bytes]:
    """:func:`encode` many posting lists at once: list ``i`` is ``ids[bounds[i]:bounds[i + 1]]``.

    The coding of every list is chosen with numpy; only bitmaps and patched lists are built
    one by one.
    """
    if len(bounds) < 2:
        return []
    ids = np.asarray(ids, dtype=np.int64)
    starts, ends = bounds[:-1].astype(np.int64), bounds[1:].astype(np.int64)
    counts = ends - starts
    gaps = np.append(np.diff(ids), 0)
    gaps[ends[:-1] - 1] = 0  # the step from one list to the next is no gap
    widest = np.maximum.reduceat(gaps, starts)
    width = np.where(widest < 256, 1, np.where(widest < 65536, 2, 4))
    list_size = np.where(width == 4, 1 + 4 * counts, 5 + width * (counts - 1))
    firsts, lasts = ids[starts], ids[ends - 1]
    bitmap_size = 5 + (lasts - (firsts & ~7)) // 8 + 1
    over8 = np.add.reduceat((gaps >= 256).astype(np.int64), starts)
    over16 = np.add.reduceat((gaps >= 65536).astype(np.int64), starts)
    kind = _choose(bitmap_size, width, list_size, over8, over16, counts)
    raw = ids.astype("<i4").tobytes()
    gaps8 = gaps.astype("<u1").tobytes()
    gaps16 = gaps.astype("<u2").tobytes()
    heads = {k: bytes([k]) for k in (GAPS8, GAPS16, IDS32)}
    out = []
    columns = (kind.tolist(), starts.tolist(), ends.tolist(), firsts.tolist())
    for k, s, e, first in zip(*columns, strict=True):
        if k == IDS32:
            out.append(heads[k] + raw[4 * s : 4 * e])
        elif k == GAPS8:
            out.append(heads[k] + first.to_bytes(4, "little") + gaps8[s : e - 1])
        elif k == GAPS16:
            out.append(heads[k] + first.to_bytes(4, "little") + gaps16[2 * s : 2 * (e - 1)])
        else:
            out.append(encode(ids[s:e]))
    return out


def add_to(blob: bytes, counts: np.ndarray) -> bool:
    """Add 1 to ``counts[id]`` for every id of a bitmap chunk; return False (doing nothing)
    for a chunk that is not a bitmap.

    Counting a bitmap this way costs a pass over its bits, not a list of its ids.
    """
    if blob[0] != BITMAP:
        return False
    base = int.from_bytes(blob[1:5], "little")
    bits = np.unpackbits(np.frombuffer(blob, dtype=np.uint8, offset=5), bitorder="little")
    end = min(len(counts), base + len(bits))
    counts[base:end] += bits[: end - base]
    return True
