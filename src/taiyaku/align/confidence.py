"""A bead's confidence as the probability that it is right, and the review threshold.

The aligner's costs rank paths; they do not say how likely one bead is to be right. This
module turns what is known about a bead into that probability with a logistic model: above
all its *rival margin*, how much more the cheapest alignment that does without the bead costs
(:func:`taiyaku.align.dp.bead_margins`: a bead whose sentences another alignment explains
nearly as well is often wrong), then how well its lengths agree, how many of its anchors
match, its type, its neighbours and its size. The coefficients were fitted on the perturbed
kyoto-wiki-ja-en variant, every 16th document (``benchmarks/align_kyoto.py --calibrate``
prints them, and the calibration of the shipped ones on the other documents: reliability
table, Brier score, AUC).

:data:`REVIEW_THRESHOLD` is the confidence below which a review sheet highlights a row: the
lowest threshold that catches :data:`REVIEW_RECALL` of the wrong beads, so the fewest rows are
highlighted for that recall. It is chosen on documents the model was not fitted on (half of
the other documents; ``align_kyoto.py`` prints it), because a threshold chosen on the fitting
documents catches fewer wrong beads elsewhere (0.9549 caught 0.906 of them there and 0.856 on
the other documents). On the half not used to choose it, 0.9729 catches 0.901 of the wrong
beads and highlights 13.2 % of the rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# The evidence of one bead, in this order (see :func:`evidence`).
FEATURES = (
    "length agreement P(|δ|)",
    "share of anchors matched",
    "has anchors",
    "unmatched anchor weight (capped at 5, /5)",
    "bead 1-1",
    "bead 1-2 or 2-1",
    "bead 2-2, 1-3 or 3-1",
    "bead 1-0 or 0-1",
    "a neighbour is not 1-1",
    "heading or caption with a sentence",
    "log(1 + characters) / 5",
    "best length agreement of a shifted pairing",
    "best share of anchors of a shifted pairing",
    "length z-score |δ| (capped at 3, /3)",
    "a neighbour is 1-0 or 0-1",
    "rival margin (capped at ±10 nats, /10)",
    "log(1 + rival margin capped at 30 nats), 0 when negative",
    "rival margin negative",
)

# Fitted by ``benchmarks/align_kyoto.py --calibrate`` (intercept first).
COEFFICIENTS = (
    -1.3464,
    0.3329,
    1.9868,
    -0.0273,
    -1.0049,
    0.0465,
    -0.3346,
    -3.0279,
    1.9695,
    0.1584,
    -1.3755,
    0.8398,
    -0.4139,
    -0.7578,
    1.1486,
    0.5054,
    8.9440,
    0.3091,
    1.3834,
)
REVIEW_THRESHOLD = 0.9729
# The share of wrong beads REVIEW_THRESHOLD was chosen to catch.
REVIEW_RECALL = 0.9


def evidence(
    *,
    length_agreement: float,
    matched: float,
    anchors: float,
    bead: str,
    neighbour_merged: bool,
    mixed_kinds: bool,
    characters: int,
    rival_length: float = 0.0,
    rival_share: float = 0.0,
    delta: float = 0.0,
    neighbour_skipped: bool = False,
    rival: float = 10.0,
) -> tuple[float, ...]:
    """The feature vector of one bead (see :data:`FEATURES`).

    :param length_agreement: ``P(|δ|)`` of its lengths (0 for a 1-0 or 0-1 bead)
    :param matched: weight of the anchors its two sides share
    :param anchors: weight of all anchors on both sides
    :param bead: its type, ``"1-1"`` …
    :param neighbour_merged: the bead before or after it is not 1-1
    :param mixed_kinds: it pairs a heading or caption with a sentence
    :param characters: its length, both sides
    :param rival_length: the best ``P(|δ|)`` of its sentences paired one-to-one with the
        sentences just outside it (a path shifted by one)
    :param rival_share: the best share of anchors matched by such a pairing
    :param delta: Gale–Church's δ of its lengths (0 for a 1-0 or 0-1 bead)
    :param neighbour_skipped: the bead before or after it is 1-0 or 0-1: errors gather
        around sentences left unaligned
    :param rival: how much more (nats) the cheapest alignment without this bead costs than
        the cheapest with it (:func:`taiyaku.align.dp.bead_margins`): the strongest evidence,
        since a bead whose sentences another alignment explains almost as well is often wrong
    """
    share = 2.0 * matched / anchors if anchors > 0 else 0.0
    unmatched = min(max(anchors - 2.0 * matched, 0.0), 5.0) / 5.0
    return (
        length_agreement,
        share,
        1.0 if anchors > 0 else 0.0,
        unmatched,
        1.0 if bead == "1-1" else 0.0,
        1.0 if bead in ("1-2", "2-1") else 0.0,
        1.0 if bead in ("2-2", "1-3", "3-1") else 0.0,
        1.0 if bead in ("1-0", "0-1") else 0.0,
        1.0 if neighbour_merged else 0.0,
        1.0 if mixed_kinds else 0.0,
        math.log1p(characters) / 5.0,
        rival_length,
        rival_share,
        min(abs(delta), 3.0) / 3.0,
        1.0 if neighbour_skipped else 0.0,
        max(-10.0, min(rival, 10.0)) / 10.0,
        math.log1p(max(0.0, min(rival, 30.0))),
        1.0 if rival < 0 else 0.0,
    )


def probability(features: Sequence[float], coefficients: Sequence[float] = COEFFICIENTS) -> float:
    """The calibrated probability that a bead with these features is right."""
    z = coefficients[0] + sum(c * x for c, x in zip(coefficients[1:], features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def fit(
    features: Sequence[Sequence[float]], right: Sequence[bool], *, ridge: float = 1e-3
) -> tuple[float, ...]:
    """Logistic regression by Newton's method (a small L2 penalty keeps it finite).

    :return: coefficients, intercept first, for :func:`probability`
    """
    x = np.hstack([np.ones((len(features), 1)), np.asarray(features, dtype=np.float64)])
    y = np.asarray(right, dtype=np.float64)
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -40, 40)))
        gradient = x.T @ (p - y) + ridge * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(float(v) for v in w)


def auc(scores: Sequence[float], right: Sequence[bool]) -> float:
    """Area under the ROC curve: the chance a right bead scores above a wrong one."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(right, dtype=bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if not positives or not negatives:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_scores = s[order]
    # Average ranks over ties.
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y].sum() - positives * (positives + 1) / 2.0) / (positives * negatives))


def threshold_for_recall(
    scores: Sequence[float], right: Sequence[bool], recall: float = 0.9
) -> float:
    """The lowest threshold such that ``recall`` of the wrong beads score below it."""
    wrong = sorted(s for s, r in zip(scores, right, strict=True) if not r)
    if not wrong:
        return 0.0
    k = max(0, math.ceil(recall * len(wrong)) - 1)
    return float(np.nextafter(wrong[k], 1.0))


def review_threshold_text(threshold: float = REVIEW_THRESHOLD) -> str:
    """What a review sheet says about its highlighted rows."""
    if threshold == REVIEW_THRESHOLD:
        why = (
            f"the threshold was chosen on the perturbed Kyoto benchmark as the one that "
            f"catches {REVIEW_RECALL * 100:.0f} % of the wrong pairs with the fewest rows"
        )
    else:
        why = "a threshold chosen by whoever wrote the sheet, not the calibrated default"
    return f"confidence below {threshold:.2f}, or one side empty: {why}"


def review_threshold_header(threshold: float = REVIEW_THRESHOLD) -> str:
    """The review sheet's confidence column header: the threshold, and what it catches."""
    if threshold == REVIEW_THRESHOLD:
        return f"Confidence (orange < {threshold:.2f}: {REVIEW_RECALL * 100:.0f} % of wrong pairs)"
    return f"Confidence (orange < {threshold:.2f})"
