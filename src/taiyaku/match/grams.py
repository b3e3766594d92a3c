"""Character q-grams of match keys: what the fuzzy index counts.

Japanese keys are cut into bigrams (two characters: a two-kanji word such as 翻訳 is one gram,
and there are few enough distinct bigrams per unit); keys in other languages into trigrams
(English letter bigrams are too common to tell units apart: ``e `` and `` t`` are in almost
every sentence). The q-gram lemma is what makes counting grams safe: one edit changes at most
``q`` of a string's grams, so a unit ``d`` edits away from the query still shares at least
``distinct grams of the query - q * d`` of them.

For a bulk import the grams of thousands of keys are cut at once with numpy: each gram is
packed into one 63-bit integer (21 bits per code point).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_BITS = 21
_MASK = (1 << _BITS) - 1


def gram_size(lang: str) -> int:
    """Return the gram length used for keys in ``lang`` (a primary language subtag)."""
    return 2 if lang in ("ja", "zh", "ko") else 3


def key_grams(key: str, q: int) -> list[str]:
    """Return the distinct q-grams of ``key``, in order of first appearance."""
    return list(dict.fromkeys(key[i : i + q] for i in range(len(key) - q + 1)))


def pack_grams(keys: Sequence[str], q: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut every key into q-grams at once.

    :param keys: match keys
    :param q: gram length (2 or 3)
    :return: ``(owners, codes)``: for every gram occurrence, the index of its key in ``keys``
        (int32) and the gram packed as an int64; duplicates within a key are kept
    """
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    chars = np.frombuffer("".join(keys).encode("utf-32-le"), dtype="<u4").astype(np.int64)
    starts = np.zeros(len(keys), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    owners = np.repeat(np.arange(len(keys), dtype=np.int32), lengths)
    position = np.arange(len(chars), dtype=np.int64) - np.repeat(starts, lengths)
    valid = position <= (lengths - q)[owners]
    valid_at = np.flatnonzero(valid)
    codes = chars[valid_at]
    for shift in range(1, q):
        codes = (codes << _BITS) | chars[valid_at + shift]
    return owners[valid_at], codes


def unpack_grams(codes: np.ndarray, q: int) -> list[str]:
    """Turn packed gram codes back into their text."""
    if len(codes) == 0:
        return []
    columns = [(codes >> (_BITS * (q - 1 - i))) & _MASK for i in range(q)]
    text = np.stack(columns, axis=1).astype("<u4").tobytes().decode("utf-32-le")
    return [text[i : i + q] for i in range(0, len(text), q)]
