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
    >>> similarity("abcdefghij", "abcdefgh", cutoff=80)  # exactly the cutoff: kept
    80.0

    :param cutoff: scores below this (0–100) come back as 0
    """
    value = Levenshtein.normalized_similarity(a_key, b_key, score_cutoff=rapidfuzz_cutoff(cutoff))
    return shown(value)


def shown(value: float) -> float:
    """The score of rapidfuzz's ``normalized_similarity`` ``value`` (0–1): 0–100, rounded to
    2 decimals, as every score is shown and compared."""
    return round(value * 100, 2)


def rapidfuzz_cutoff(min_score: float) -> float:
    """rapidfuzz's ``score_cutoff`` (0–1) that keeps every score of at least ``min_score``.

    rapidfuzz loses a score equal to its cutoff in floating point: with ``score_cutoff=0.8``
    it drops a pair of 10 characters 2 edits apart, which scores exactly 0.8 (and with
    ``0.8 - 1e-9`` still does). Two scores ``1 - d / n`` apart from an equal one differ by
    more than the ``1e-6`` taken off here unless keys run to many thousand characters, and
    then by less than the 2 decimals a score is shown with.
    """
    return max(0.0, min_score / 100 - 1e-6)
