"""The coding of posting chunks: every coding gives back the ids, and the fastest paths agree."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from taiyaku.store import postings

id_lists = st.lists(st.integers(0, 3_000_000), min_size=1, max_size=300, unique=True).map(
    lambda ids: np.array(sorted(ids), dtype=np.int64)
)
# Dense runs, so that bitmaps and uint8 gaps are chosen too.
dense_lists = st.tuples(st.integers(0, 100_000), st.integers(1, 2000), st.integers(1, 9)).map(
    lambda t: np.arange(t[0], t[0] + t[1] * t[2], t[2], dtype=np.int64)
)

# Small gaps and a few large ones, so that the patched codings are chosen too.
patched_lists = st.tuples(
    st.lists(st.integers(1, 300), min_size=1, max_size=400),
    st.lists(st.tuples(st.integers(0, 400), st.integers(256, 2_000_000)), min_size=1, max_size=4),
).map(lambda t: np.cumsum(_with_large_gaps(*t)))


def _with_large_gaps(gaps: list[int], large: list[tuple[int, int]]) -> np.ndarray:
    gaps = list(gaps)
    for at, gap in large:
        gaps.insert(at % (len(gaps) + 1), gap)
    return np.array(gaps, dtype=np.int64)


@given(st.one_of(id_lists, dense_lists, patched_lists))
@settings(deadline=None)  # correctness only: a loaded machine is slow
def test_every_coding_gives_back_the_ids(ids):
    blob = postings.encode(ids)
    assert postings.decode(blob).tolist() == ids.tolist()
    probe = np.unique(np.concatenate([ids, ids + 1, [0, 5_000_000]]))
    assert postings.contains(blob, probe).tolist() == np.isin(probe, ids).tolist()


@given(st.lists(st.one_of(id_lists, dense_lists, patched_lists), min_size=1, max_size=8))
@settings(deadline=None)  # correctness only: a loaded machine is slow
def test_many_lists_are_coded_as_each_alone(lists):
    ids = np.concatenate(lists)
    bounds = np.cumsum([0] + [len(x) for x in lists])
    assert postings.encode_groups(ids, bounds) == [postings.encode(x) for x in lists]


@given(st.lists(st.one_of(id_lists, dense_lists, patched_lists), min_size=0, max_size=8))
@settings(deadline=None)  # correctness only: a loaded machine is slow
def test_many_chunks_are_decoded_as_each_alone(lists):
    blobs = [postings.encode(x) for x in lists] + [postings.encode(np.zeros(0, np.int64))]
    ids, bounds = postings.decode_groups(blobs)
    assert len(bounds) == len(blobs) + 1
    decoded = [ids[a:b].tolist() for a, b in itertools.pairwise(bounds)]
    assert decoded == [postings.decode(blob).tolist() for blob in blobs]


def test_the_smallest_coding_is_chosen():
    assert len(postings.encode(np.array([7]))) == 5
    assert postings.encode(np.arange(10, 4000, 40))[0] == postings.GAPS8
    assert postings.encode(np.arange(0, 10**6, 1000))[0] == postings.GAPS16
    assert postings.encode(np.array([1, 10**6, 10**8]))[0] == postings.IDS32
    assert postings.encode(np.arange(0, 4000, 2))[0] == postings.BITMAP
    one_far = np.append(np.arange(0, 4000, 40), 10**6)
    assert postings.encode(one_far)[0] == postings.PATCHED8
    assert len(postings.encode(one_far)) == 9 + 100 + 8
    assert postings.encode(np.append(np.arange(0, 10**6, 1000), 10**8))[0] == postings.PATCHED16


@given(dense_lists)
@settings(deadline=None)  # correctness only: a loaded machine is slow
def test_a_bitmap_is_counted_bit_by_bit(ids):
    blob = postings.encode(ids)
    counts = np.zeros(400_000, dtype=np.uint8)
    if postings.add_to(blob, counts):
        assert np.flatnonzero(counts).tolist() == ids[ids < len(counts)].tolist()
    else:
        assert blob[0] != postings.BITMAP and not counts.any()


@given(st.lists(st.integers(-(2**62), 2**62), max_size=300), st.integers(1, 50))
def test_distinct_is_numpys_unique(values, spread):
    """The sort-based stand-in for np.unique: the same values, ascending, for any ints."""
    array = np.array(values, dtype=np.int64) // spread  # repeats, when spread is large
    found = postings.distinct(array)
    assert found.tolist() == np.unique(array).tolist() and found.dtype == array.dtype
    assert postings.distinct(array.reshape(-1, 1)).tolist() == found.tolist()  # flattened
