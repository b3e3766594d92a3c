"""The fuzzy score: one metric, named wherever a score is shown.

A score is 100 × rapidfuzz's ``Levenshtein.normalized_similarity`` of two match keys, that is
``1 − distance / length of the longer key``, where the distance counts inserted, deleted and
substituted characters. It is *not* ``fuzz.ratio`` (an Indel similarity that scores a
substitution as two edits). Because keys are compared, full-width and half-width forms,
NFKC variants, case and runs of white space cost nothing: identical keys score 100.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

METRIC = "levenshtein-normalized-similarity"


def similarity(a_key: str, b_key: str, *, cutoff: float = 0.0) -> float:
    """Return the score of two match keys, 0–100, rounded to 2 decimals.

    >>> similarity("abcdefghijklmnopqrst", "abcdefghijklmnopqrsx")
    95.0

    :param cutoff: scores below this (0–100) come back as 0
    """
    value = Levenshtein.normalized_similarity(a_key, b_key, score_cutoff=cutoff / 100)
    return round(value * 100, 2)
