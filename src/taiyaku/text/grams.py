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

import re
from collections.abc import Sequence

import numpy as np

CODE_BITS = 21
"""Bits of a packed code point: a gram packs one per character, a layered token its layer
above it (``layer << CODE_BITS | code point``)."""
CODE_MASK = (1 << CODE_BITS) - 1


def gram_size(lang: str) -> int:
    """Return the gram length used for keys in ``lang`` (a primary language subtag)."""
    return 2 if lang in ("ja", "zh", "ko") else 3


def by_bigrams(lang: str) -> bool:
    """True when the fuzzy search bounds keys in ``lang`` by their bigrams
    (:func:`bigram_texts`), not by their characters (Japanese, Chinese, Korean)."""
    return gram_size(lang) != 2


def key_grams(key: str, q: int) -> list[str]:
    """Return the distinct q-grams of ``key``, in order of first appearance."""
    return list(dict.fromkeys(key[i : i + q] for i in range(len(key) - q + 1)))


def char_layers(key: str) -> list[str]:
    """Return the characters of ``key`` as layered tokens: the k-th ``の`` is ``の`` × k.

    Two keys share as many tokens as their character multisets have in common, which bounds
    their edit distance from below: ``distance >= longer length - shared tokens``.

    >>> char_layers("ののは")
    ['の', 'のの', 'は']
    """
    seen: dict[str, int] = {}
    tokens = []
    for char in key:
        layer = seen[char] = seen.get(char, 0) + 1
        tokens.append(char * layer)
    return tokens


_ASCII_PAIRS = 0x10000  # a bigram of two ASCII characters: U+10000 + (a << 7 | b)
_HASHED_PAIRS = 0x14000  # any other: hashed into U+14000 .. U+10FFFF
_PAIR_HASH = 0x9E3779B97F4A7C15


def bigram_texts(keys: Sequence[str]) -> list[str]:
    """Every key's bigrams as a string of one character per bigram, for the bound of
    languages whose characters are too few to tell keys apart (English).

    An edit changes at most two of a key's bigrams, so two keys sharing ``x`` of them
    (counted with repeats: the layered characters, :func:`char_layers`, of these strings)
    are at least ``(max(len) - 1 - x) / 2`` edits apart. A bigram of ASCII characters gets
    a character of its own (in plane 1); any other is hashed into planes 1 to 16, so two
    of them may share one: that only makes the shared count larger, the bound looser.

    >>> [len(t) for t in bigram_texts(["the cat", "a", ""])]
    [6, 0, 0]
    >>> ab, ba = bigram_texts(["ab", "ba"])
    >>> bigram_texts(["abab"]) == [ab + ba + ab]
    True
    """
    sizes, _, codes = _bigram_codes(keys)
    if not len(codes):
        return ["" for _ in keys]
    text = codes.astype("<u4").tobytes().decode("utf-32-le")
    ends = np.cumsum(sizes)
    return [text[a:b] for a, b in zip((ends - sizes).tolist(), ends.tolist(), strict=True)]


def pack_bigram_layers(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pack_char_layers` of the :func:`bigram_texts` of every key, without the texts."""
    _, owners, codes = _bigram_codes(keys)
    return _layered(owners, codes)


def _bigram_codes(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(sizes, owners, codes)``: every key's number of bigrams, and for every bigram the
    index of its key and its character in :func:`bigram_texts`."""
    lengths, owners, chars = code_points(keys)
    sizes = np.maximum(lengths - 1, 0)
    inside = np.flatnonzero(owners[:-1] == owners[1:])  # pairs within one key
    first, second = chars[inside], chars[inside + 1]
    mixed = ((first << CODE_BITS) | second).astype(np.uint64) * np.uint64(_PAIR_HASH)
    hashed = _HASHED_PAIRS + ((mixed >> np.uint64(32)) % np.uint64(0x110000 - _HASHED_PAIRS))
    ascii_pair = (first < 128) & (second < 128)
    codes = np.where(ascii_pair, _ASCII_PAIRS + ((first << 7) | second), hashed.astype(np.int64))
    return sizes, owners[inside], codes


def code_points(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every character of ``keys`` at once: ``(lengths, owners, chars)``, the keys' lengths,
    and for every character the index of its key and its code point (int64 arrays)."""
    lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    chars = np.frombuffer("".join(keys).encode("utf-32-le"), dtype="<u4").astype(np.int64)
    owners = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    return lengths, owners, chars


def char_counts(key: str) -> np.ndarray:
    """How many times ``key`` has each character, indexed by code point (0x110000 counts):
    the layered token ``(c, k)`` is the key's when ``char_counts(key)[c] >= k``."""
    counts = np.zeros(CODE_MASK + 1, dtype=np.uint32)
    np.add.at(counts, code_points([key])[2], 1)
    return counts


def pack_char_layers(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`char_layers` of every key at once.

    :return: ``(owners, codes)``: for every character, the index of its key in ``keys`` and
        its token packed as ``layer << 21 | code point``
    """
    _, owners, chars = code_points(keys)
    return _layered(owners, chars)


def _layered(owners: np.ndarray, chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every character (code point ``chars``, of the key ``owners``) as a layered token:
    ``(owners, codes)`` as :func:`pack_char_layers` returns them."""
    paired = np.sort((owners.astype(np.int64) << CODE_BITS) | chars)  # by key, then character
    starts = np.ones(len(paired), dtype=bool)
    np.not_equal(paired[1:], paired[:-1], out=starts[1:])
    positions = np.arange(len(paired), dtype=np.int64)
    layers = positions - np.maximum.accumulate(np.where(starts, positions, 0)) + 1
    return (paired >> CODE_BITS).astype(np.int32), (layers << CODE_BITS) | (paired & CODE_MASK)


def unpack_char_layers(codes: np.ndarray) -> list[str]:
    """Turn packed layered-character codes back into their tokens."""
    return [chr(code & CODE_MASK) * (code >> CODE_BITS) for code in codes.tolist()]


def pack_grams(keys: Sequence[str], q: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut every key into q-grams at once.

    :param keys: match keys
    :param q: gram length (2 or 3)
    :return: ``(owners, codes)``: for every gram occurrence, the index of its key in ``keys``
        (int32) and the gram packed as an int64; duplicates within a key are kept
    """
    lengths, owners, chars = code_points(keys)
    starts = np.zeros(len(keys), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    position = np.arange(len(chars), dtype=np.int64) - np.repeat(starts, lengths)
    valid = position <= (lengths - q)[owners]
    valid_at = np.flatnonzero(valid)
    codes = chars[valid_at]
    for shift in range(1, q):
        codes = (codes << CODE_BITS) | chars[valid_at + shift]
    return owners[valid_at].astype(np.int32), codes


def unpack_grams(codes: np.ndarray, q: int) -> list[str]:
    """Turn packed gram codes back into their text."""
    if len(codes) == 0:
        return []
    columns = [(codes >> (CODE_BITS * (q - 1 - i))) & CODE_MASK for i in range(q)]
    text = np.stack(columns, axis=1).astype("<u4").tobytes().decode("utf-32-le")
    return [text[i : i + q] for i in range(0, len(text), q)]


# Words of target keys (the concordance's index of the target side). A word is a maximal run
# of word characters: ASCII letters and digits and every character above U+007F. Whatever
# the classification, it is decided per character, so a query's words lie inside the words
# of any key that contains the query. (Written as the ASCII characters that are not word
# characters: the class of those that are took re.compile 5 ms at every start-up.)
_WORD_RE = re.compile("[^\x00-/:-@\\[-`{-\x7f]+")
_ASCII_WORD = np.zeros(129, dtype=bool)
for _c in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _ASCII_WORD[ord(_c)] = True
_P = 0x9E3779B97F4A7C15 | 1
_P_INVERSE = pow(_P, -1, 1 << 64)


def key_words(key: str) -> list[str]:
    """Return the distinct words of ``key``, in order of first appearance."""
    return list(dict.fromkeys(_WORD_RE.findall(key)))


def is_one_word(key: str) -> bool:
    """True when ``key`` is a single word (it then lies inside one word of any key holding it)."""
    return _WORD_RE.fullmatch(key) is not None


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: int, n: int) -> np.ndarray:
    """``base ** i`` modulo 2**64 for ``i < n`` (cached; grown by doubling)."""
    cached = _POWERS.get(base)
    if cached is None or len(cached) < n:
        size = max(n, 2 * len(cached) if cached is not None else 1 << 20)
        powers = np.full(size, base, dtype=np.uint64)
        powers[0] = 1
        cached = _POWERS[base] = np.cumprod(powers, dtype=np.uint64)  # wraps modulo 2**64
    return cached[:n]


def pack_words(
    keys: Sequence[str], lengths: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, str, np.ndarray, np.ndarray]:
    """Cut every key into words at once, with numpy.

    Each word gets a 64-bit polynomial hash (modulo 2**64, of its characters and length),
    so the distinct words of a batch are found by sorting integers, not strings.

    :param lengths: the keys' lengths, if already known
    :return: ``(owners, hashes, text, starts, ends)``: for every word occurrence, the index
        of its key in ``keys`` and its hash; the word is ``text[starts[i]:ends[i]]``
    """
    text = "\n".join(keys)
    chars = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    n = len(chars)
    if not n:
        empty = np.empty(0, np.int64)
        return empty.astype(np.int32), empty.astype(np.uint64), text, empty, empty
    word = _ASCII_WORD[np.minimum(chars, 128)]
    word |= chars >= 0x80
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    lasts = np.flatnonzero(edges == -1) - 1
    weighted = chars.astype(np.uint64)
    weighted += np.uint64(1)
    weighted *= _powers(_P, n)
    sums = np.cumsum(weighted, dtype=np.uint64)
    hashes = (sums[lasts] - sums[starts] + weighted[starts]) * _powers(_P_INVERSE, n)[starts]
    hashes ^= (lasts - starts + 1).astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    if lengths is None:
        lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    key_starts = np.cumsum(lengths + 1) - (lengths + 1)
    owners = (np.searchsorted(key_starts, starts, side="right") - 1).astype(np.int32)
    return owners, hashes, text, starts, lasts + 1
