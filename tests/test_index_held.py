"""Posting lists a bulk write holds across flushes come back joined, as if coded at once."""

import numpy as np
import pytest

from taiyaku.store import index_writer, postings
from taiyaku.store.index_writer import _Held, _LangBuffer


def _flushes(seed: int, flushes: int, grams: int):
    """Per flush ``(gram numbers, bounds, ids)`` as a buffer's ``take`` gives them, and every
    gram's ids over all flushes: ids grow from flush to flush, gaps of every width."""
    rng = np.random.default_rng(seed)
    taken, every = [], {}
    low = 0
    for _ in range(flushes):
        high = low + int(rng.integers(1_000, 3_000_000))
        numbers, bounds, ids = [], [0], []
        for gram in sorted(rng.choice(grams, size=grams // 2, replace=False).tolist()):
            n = int(rng.integers(1, 300))
            spread = int(rng.choice([n + 1, 200 * n, high - low]))
            chosen = np.unique(rng.integers(low, min(high, low + spread), size=n))
            numbers.append(gram)
            ids.append(chosen)
            bounds.append(bounds[-1] + len(chosen))
            every.setdefault(gram, []).append(chosen)
        taken.append(
            (
                np.asarray(numbers, dtype=np.int64),
                np.asarray(bounds),
                np.concatenate(ids).astype("<i4"),
            )
        )
        low = high
    return taken, {g: np.concatenate(parts) for g, parts in every.items()}


@pytest.mark.parametrize("join", [7, 1000, 2_000_000])
def test_held_lists_join_to_the_coding_of_each_whole_list(monkeypatch, join):
    monkeypatch.setattr(index_writer, "JOIN_POSTINGS", join)  # slices end inside and at grams
    buffer = _LangBuffer("en")  # trigrams: numbers given out in order of first sight
    codes = np.arange(400, dtype=np.int64) + (ord("a") << 42 | ord("b") << 21 | ord("c"))
    buffer._trigram_numbers(codes)
    held = _Held(buffer)
    taken, every = _flushes(3, 6, 400)
    assert sum(held.add(*flush) for flush in taken) > 0
    grams, rows = held.joined()
    rows = list(rows)
    texts = buffer.texts(np.arange(400))
    expected = sorted((texts[g], len(ids), postings.encode(ids)) for g, ids in every.items())
    assert grams == [text for text, _, _ in expected]
    assert rows == expected
    kinds = {blob[0] for _, _, blob in rows}
    assert {postings.GAPS8, postings.GAPS16, postings.IDS32} <= kinds


def test_nothing_held_joins_to_nothing():
    grams, rows = _Held(_LangBuffer("ja")).joined()
    assert grams == [] and list(rows) == []
