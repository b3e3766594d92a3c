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
METRIC_DESCRIPTION = (
    "100 × (1 − Levenshtein distance / length of the longer key), over match keys "
    "(NFKC, case-folded, white space collapsed); rapidfuzz Levenshtein.normalized_similarity"
)


def similarity(a_key: str, b_key: str, *, cutoff: float = 0.0) -> float:
    """Return the score of two match keys, 0–100, rounded to 2 decimals.

    >>> similarity("abcdefghijklmnopqrst", "abcdefghijklmnopqrsx")
    95.0

    :param cutoff: scores below this (0–100) come back as 0
    """
    value = Levenshtein.normalized_similarity(a_key, b_key, score_cutoff=cutoff / 100)
    return round(value * 100, 2)


def max_distance(query_length: int, unit_length: int, min_score: float) -> int:
    """Return the largest edit distance at which two keys of these lengths still reach ``min_score``."""
    longer = max(query_length, unit_length)
    return int(longer * (100 - min_score) / 100 + 1e-9)
