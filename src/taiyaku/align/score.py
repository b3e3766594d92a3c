"""Scoring an alignment against a gold one: strict and lax precision, recall and F1.

The definitions are those of Vecalign's ``score.py`` (Thompson and Koehn, 2019), which the
alignment literature reports: a bead is a pair of index tuples; *strict* counts a test bead
as right only when the gold alignment has exactly that bead, *lax* when it links at least one
source and target sentence the gold alignment also links. Precision is over every test bead,
deletions (1-0, 0-1) included; recall is "precision with the arguments swapped" over the
beads with text on both sides. Figures are also given per bead type: precision by the type
of the test bead, recall by the type of the gold bead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1, and how many beads they were counted over."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float
    test_beads: int
    gold_beads: int


def bead_type(bead: BeadIds) -> str:
    """``"1-2"`` for a bead of one source and two target sentences."""
    return f"{len(bead[0])}-{len(bead[1])}"


def _counts(gold: Iterable[BeadIds], test: Iterable[BeadIds]) -> dict[str, list[int]]:
    """Per test-bead type: [strict right, strict wrong, lax right, lax wrong]."""
    gold_set = {b for b in gold if b[0] or b[1]}
    links = {(s, t) for src, tgt in gold_set for s in src for t in tgt}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for bead in {b for b in test if b[0] or b[1]}:
        row = counts[bead_type(bead)]
        if bead in gold_set:
            row[0] += 1
            row[2] += 1
        else:
            row[1] += 1
            if any((s, t) in links for s in bead[0] for t in bead[1]):
                row[2] += 1
            else:
                row[3] += 1
    return counts


def _ratio(right: int, wrong: int) -> float:
    return right / (right + wrong) if right + wrong else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(
    gold: Sequence[Sequence[BeadIds]], test: Sequence[Sequence[BeadIds]]
) -> dict[str, Scores]:
    """Score test alignments against gold ones, document by document.

    :param gold: per document, the gold beads as ``(source ids, target ids)``
    :param test: per document, the beads to score, in the same form
    :return: ``{"all": Scores, "1-1": Scores, ...}``, one entry per bead type seen
    """
    precision: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    recall: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for gold_doc, test_doc in zip(gold, test, strict=True):
        for kind, row in _counts(gold_doc, test_doc).items():
            for k in range(4):
                precision[kind][k] += row[k]
                precision["all"][k] += row[k]
        gold_pairs = [b for b in gold_doc if b[0] and b[1]]
        test_pairs = [b for b in test_doc if b[0] and b[1]]
        for kind, row in _counts(test_pairs, gold_pairs).items():
            for k in range(4):
                recall[kind][k] += row[k]
                recall["all"][k] += row[k]
    out = {}
    for kind in sorted(set(precision) | set(recall), key=lambda k: (k != "all", k)):
        p, r = precision[kind], recall[kind]
        ps, rs = _ratio(p[0], p[1]), _ratio(r[0], r[1])
        pl, rl = _ratio(p[2], p[3]), _ratio(r[2], r[3])
        out[kind] = Scores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl), p[0] + p[1], r[0] + r[1])
    return out
