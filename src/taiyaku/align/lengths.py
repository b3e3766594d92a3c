"""The length model: Gale–Church over characters, with the ratio taken from the document pair.

Gale and Church (1993) score a bead by how far the target length strays from ``c`` times the
source length, in standard deviations: ``δ = (l_t − c·l_s) / sqrt(s²·mean)``, and charge
``−log P(|δ|)`` for it. Their ``c = 1`` and ``s² = 6.8`` suit French and German; Japanese and
English differ by a factor of two to four in characters, and the factor depends on the text
(a page of names and numbers differs less than a page of prose), so ``c`` is estimated from
the two documents being aligned and ``s²`` is scaled to the mean. White space is not counted.
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt

# Variance of the length difference per character of mean length: 9.2 on the units of
# kyoto-wiki-ja-en (ja→en, 81,913 pairs, ratio per document); Gale–Church's 6.8 is for c ≈ 1.
VARIANCE_PER_CHAR = 9.0

_SPACE = re.compile(r"\s+")

FloatArray = npt.NDArray[np.float64]


def text_length(text: str) -> int:
    """Characters of ``text``, white space excluded."""
    return len(_SPACE.sub("", text))


def estimate_ratio(source_lengths: list[int], target_lengths: list[int]) -> float:
    """Target characters per source character over the whole document pair (1.0 if empty)."""
    total_source, total_target = sum(source_lengths), sum(target_lengths)
    if total_source <= 0 or total_target <= 0:
        return 1.0
    return total_target / total_source


def erfc(x: FloatArray) -> FloatArray:
    """Complementary error function for ``x ≥ 0`` (Abramowitz–Stegun 7.1.26, error < 2e-7).

    numpy has none, and scipy is too heavy a dependency for one function.
    """
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return np.asarray(poly * np.exp(-x * x), dtype=np.float64)


def length_delta(
    source: FloatArray | float, target: FloatArray | float, ratio: float
) -> FloatArray:
    """Gale–Church's δ for beads of ``source`` and ``target`` characters."""
    source_arr = np.asarray(source, dtype=np.float64)
    target_arr = np.asarray(target, dtype=np.float64)
    mean = (ratio * source_arr + target_arr) / 2.0
    return np.asarray(
        (target_arr - ratio * source_arr) / np.sqrt(VARIANCE_PER_CHAR * mean + 1.0),
        dtype=np.float64,
    )


def length_cost(
    source: FloatArray | float,
    target: FloatArray | float,
    ratio: float,
    tail: float | None = None,
) -> FloatArray:
    """``−log P(|δ|)``: 0 for a perfect length match, about ``δ²/2`` far from it.

    :param tail: beyond ``|δ| = tail`` the cost grows linearly (slope ``tail``) instead of
        quadratically. Real translations have heavier tails than a normal law: a sentence
        whose translation dropped a bracketed date or reading is far off in length, and a
        quadratic charge would rather merge it with a neighbour than pay for it.
    """
    delta = np.abs(length_delta(source, target, ratio))
    if tail is None:
        return _normal_cost(delta)
    excess = np.maximum(delta - tail, 0.0)
    # Where |δ| reaches the tail, the normal part is that of ``tail`` itself: computed once,
    # and the normal law only where |δ| is below it (most of a DP band is far off the
    # diagonal). numpy computes each element alike wherever it sits in an array, so these
    # are the numbers computing the law everywhere on min(|δ|, tail) gives.
    near = delta < tail
    cost = np.full(delta.shape, _normal_cost(np.array([tail]))[0])
    cost[near] = _normal_cost(delta[near])
    return np.asarray(cost + tail * excess, dtype=np.float64)


def _normal_cost(delta: FloatArray) -> FloatArray:
    """``−log P(|δ|)`` under the normal law, for ``delta ≥ 0``."""
    # Beyond δ ≈ 9 erfc underflows; the asymptote δ²/2 + log(δ·√π) takes over smoothly.
    safe = np.maximum(erfc(delta / math.sqrt(2.0)), 1e-300)
    return np.asarray(-np.log(safe), dtype=np.float64)


def length_probability(source: float, target: float, ratio: float) -> float:
    """``P(|δ|)`` in [0, 1]: how well the lengths of one bead agree."""
    delta = abs(float(length_delta(source, target, ratio)))
    return float(math.erfc(delta / math.sqrt(2.0)))
