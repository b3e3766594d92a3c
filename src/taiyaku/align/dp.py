"""Band-limited dynamic programming over beads 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1 and 1-3.

Rows are source positions, columns target positions; a bead ``(di, dj)`` steps from cell
``(r − di, c − dj)`` to ``(r, c)``. Only a band of columns around the expected path is filled:
the band follows the diagonal of *cumulative length* (not of sentence count), so a pair of
documents with 10 % more English sentences still sits in the middle of it. When the best path
touches the edge of the band, the band is doubled and the search run again (Moore's approach
in bilingual sentence aligners), so a long passage present on one side only costs time, not
correctness. Memory is one byte per cell of the band: linear in the document length.

Paragraph breaks, when given, are soft: a bead pays for reaching a break of one side where the
other side has none, and more for straddling one (see :class:`CostModel`).

Each row is computed with numpy over its band; 0-1 beads (a step along the row) become a
running minimum, so no Python loop runs over cells. What the beads cost does not depend on
the rows above, so it is computed for several rows at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from taiyaku.align.lengths import length_cost

BEADS: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (3, 1),
    (1, 3),
)
_SKIP_01 = BEADS.index((0, 1))
# How many columns beyond its band the backward pass of :func:`bead_margins` looks up each
# source item's shared anchors, so that the forward pass's band (centred a column or two
# elsewhere) finds them already computed.
_SHARED_SLACK = 4
# Rows whose bead costs are computed together: numpy's overhead per call is paid once per
# chunk rather than per row, for arrays of _CHUNK × 6 beads × the band's width.
_CHUNK = 32
_INF = math.inf

FloatArray = npt.NDArray[np.float64]
# edges(r, a, beads, totals, row, steps), per row r of the band (columns a ..): beads are the
# (index in BEADS, di, dj) arriving in the row other than 0-1, totals[k] what the cheapest
# path up to and through beads[k] costs at each column; row the row's final costs and
# steps[c - a] what a 0-1 bead arriving at column c costs (None when the row is one column).
EdgeCosts = Callable[
    [int, int, list[tuple[int, int, int]], "FloatArray | None", FloatArray, "FloatArray | None"],
    None,
]
# shared(i, lo, hi) → weights of the anchors source item i shares with target items lo..hi
SharedRow = Callable[[int, int, int], FloatArray]


# Gale–Church's bead priors, except that merges are rarer here: tuned on the perturbed
# kyoto-wiki-ja-en variant (benchmarks/align_kyoto.py), where GC's 0.089 for 2-1 and 0.011
# for 2-2 made the aligner merge two good 1-1 beads whenever their length errors cancelled.
# 3.5 (with ``CostModel.skip`` 4.0) was chosen on every 16th document of the corpus (147
# documents) and checked on the first 150: with 3.0 and a skip of 5.0, a sentence left
# untranslated was merged into its neighbour (2-1) more often than left 1-0. 3-1 at 12
# rather than 9: over all documents all 43 3-1 beads were wrong (strict F1 on every 16th
# document and the 16th from the 4th and from the 8th: 0.9763, 0.9698, 0.9705 → 0.9770,
# 0.9698, 0.9712). 2-2 at 10 helped as much but lost the handmade 2-2 of test_two_to_two.
PRIORS = {
    (1, 1): -math.log(0.89),
    (1, 0): -math.log(0.0099),
    (0, 1): -math.log(0.0099),
    (2, 1): 3.5,
    (1, 2): 3.5,
    (2, 2): 8.0,
    (3, 1): 12.0,
    (1, 3): 9.0,
}
GALE_CHURCH_PRIORS = {
    (1, 1): -math.log(0.89),
    (1, 0): -math.log(0.0099),
    (0, 1): -math.log(0.0099),
    (2, 1): -math.log(0.089),
    (1, 2): -math.log(0.089),
    (2, 2): -math.log(0.011),
    (3, 1): -math.log(0.001),
    (1, 3): -math.log(0.001),
}


@dataclass(frozen=True)
class CostModel:
    """The parameters of a bead's cost (in nats: lower is likelier).

    :param ratio: expected target characters per source character
    :param priors: ``−log P(bead type)`` (see :data:`PRIORS`)
    :param skip: cost of a 1-0 or 0-1 bead (a sentence left unaligned)
    :param match_weight: reward per weighted anchor shared inside a bead
    :param miss_weight: charge per weighted anchor left without its counterpart in a bead
        with text on both sides. 0.5 since the dictionary anchor gives most sentences words to
        match (kyoto-wiki-ja-en perturbed, strict F1 at 0.3 → 0.5: every 16th document 0.9720
        → 0.9722, and on two samples not tuned on, every 8th from the 4th and the 6th, 0.9667
        → 0.9682 and 0.9723 → 0.9733; a skip of 3.0 helped the first and hurt the other two)
    :param skip_miss_weight: the same charge in a 1-0 or 0-1 bead, lower: a sentence with no
        translation is expected to leave its anchors unmatched, and charging it as much made
        merging it into a neighbour look no worse than leaving it out (0.15 rather than 0:
        an anchor in a sentence still argues for pairing it rather than its neighbour)
    :param kind_mismatch: charge for a bead that mixes a line without final punctuation (a
        heading, a caption, a list item) with a sentence: a caption is not half a sentence
    :param length_skips: charge skips by Gale–Church's length formula instead of ``skip``
        (the plain Gale–Church baseline)
    :param boundary: charge for each block boundary (paragraph break) of one side that a
        bead reaches where the other side is mid-paragraph. Blocks are evidence,
        not walls: a side without blank lines has no boundaries to meet, so every path pays
        the same for the other side's and the sentences decide
    :param cut: charge for ending a bead right after a sentence cut before its end (see
        :func:`taiyaku.text.segment.cut_sentence`): its rest is in the next item, so the two
        belong to one bead, a 2-2 when the other side broke the text elsewhere
    :param straddle: charge for each boundary inside a bead (a 2-1 bead whose two sentences
        are in different paragraphs): stronger evidence than a boundary met on one side only,
        which a sentence left untranslated at the end of a paragraph also causes
    :param length_tail: the length cost grows linearly beyond ``|δ| = length_tail`` (see
        :func:`~taiyaku.align.lengths.length_cost`); ``None``: Gale–Church's normal law.
        1.5 was chosen on the first 150 kyoto-wiki-ja-en documents (2.0 and 1.0 do worse on
        the perturbed variant): with a quadratic charge, a sentence whose translation left
        out a bracketed date was merged with its neighbour rather than aligned 1-1.
    """

    ratio: float
    priors: dict[tuple[int, int], float] = field(default_factory=lambda: dict(PRIORS))
    skip: float = 3.5
    match_weight: float = 2.0
    miss_weight: float = 0.5
    kind_mismatch: float = 3.0
    skip_miss_weight: float = 0.15
    length_skips: bool = False
    length_tail: float | None = 1.5
    boundary: float = 1.0
    straddle: float = 3.0
    orphan: float = 2.0
    cut: float = 1.0


@dataclass(frozen=True)
class Evidence:
    """What the costs know of the items besides their lengths (``None``: nothing).

    :param source_anchors: weighted anchor count of each source item (0 when ``None``)
    :param target_anchors: the same for the target items
    :param shared: anchors shared between a source item and a range of target items
    :param source_kinds: per source item, True for a line (heading, caption, item), False
        for a sentence; ``None`` when unknown
    :param target_kinds: the same for the target items
    :param source_blocks: the block (paragraph) of each source item; a change of block is a
        boundary (see ``CostModel.boundary``); ``None``: no boundaries
    :param target_blocks: the same for the target items
    :param source_cuts: per source item, True for a sentence cut before its end, finished by
        the next item (see ``CostModel.cut``); ``None``: none is
    :param target_cuts: the same for the target items
    :param source_repeats: per source item, the anchor weight it shares with the item
        before it (0 for the first): counted once, not twice, in a 2-1 bead holding both
    :param target_repeats: the same for the target items (1-2 beads)
    """

    source_anchors: list[float] | None = None
    target_anchors: list[float] | None = None
    shared: SharedRow | None = None
    source_kinds: list[bool] | None = None
    target_kinds: list[bool] | None = None
    source_blocks: list[int] | None = None
    target_blocks: list[int] | None = None
    source_cuts: list[bool] | None = None
    target_cuts: list[bool] | None = None
    source_repeats: list[float] | None = None
    target_repeats: list[float] | None = None


def align_path(
    source_lengths: list[int],
    target_lengths: list[int],
    model: CostModel,
    evidence: Evidence | None = None,
    *,
    width: int = 200,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The cheapest sequence of beads from ``(0, 0)`` to ``(n, m)``.

    :param source_lengths: length of each source item (characters)
    :param target_lengths: length of each target item
    :param model: the cost parameters
    :param evidence: what is known of the items besides their lengths (``None``: nothing)
    :param width: half-width of the first band tried (it doubles until the path fits). A
        row's cost is mostly numpy's per-call overhead up to a few hundred columns (10,000
        rows: 2.5 s at 100, 3.0 s at 200), so starting at 200 rather than 100 spares most
        long pairs a second pass for little
    :return: beads as ``(source indices, target indices)``, in order
    """
    n, m = len(source_lengths), len(target_lengths)
    if n == 0 or m == 0:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    width = max(width, 4, 2 * math.ceil(max(n / m, m / n)))
    e = evidence or Evidence()
    breaks = (_breaks(e.source_blocks, n), _breaks(e.target_blocks, m))
    cuts = (_cuts(e.source_cuts, n, model.cut), _cuts(e.target_cuts, m, model.cut))
    while True:
        path, touched = _search(n, m, source_lengths, target_lengths, model, e, breaks, cuts, width)
        if not touched or width >= max(n, m):
            return path
        width *= 2


def _breaks(blocks: list[int] | None, n: int) -> npt.NDArray[np.bool_]:
    """``out[r]``: a boundary lies before item ``r`` (both ends of the document count)."""
    out = np.zeros(n + 1, dtype=bool)
    out[0] = out[n] = True
    if blocks is not None and n > 1:
        b = np.asarray(blocks)
        out[1:n] = b[1:] != b[:-1]
    return out


def _cuts(cuts: list[bool] | None, n: int, charge: float) -> FloatArray | None:
    """``out[r]``: the charge for a bead ending before item ``r`` (``None``: nothing to charge)."""
    if cuts is None or not charge or not any(cuts[: n - 1]):
        return None
    out = np.zeros(n + 1)
    out[1:n] = charge * np.asarray(cuts[: n - 1], dtype=np.float64)
    return out


def _band(
    n: int, m: int, source: list[int], target: list[int], width: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    cum_s = np.concatenate(([0.0], np.cumsum(np.asarray(source, dtype=np.float64) + 1.0)))
    cum_t = np.concatenate(([0.0], np.cumsum(np.asarray(target, dtype=np.float64) + 1.0)))
    centre = np.searchsorted(cum_t / cum_t[-1], cum_s / cum_s[-1])
    # np.minimum(np.maximum(…)) rather than np.clip: the same integers, and np.clip's
    # Python-level overhead counts when thousands of short blocks are aligned.
    centre = np.minimum(np.maximum(centre, 0), m)
    lo = np.minimum(np.maximum(centre - width, 0), m)
    hi = np.minimum(np.maximum(centre + width, 0), m)
    lo[0], hi[n] = 0, m
    return lo.astype(np.int64), hi.astype(np.int64)


def _search(
    n: int,
    m: int,
    source_lengths: list[int],
    target_lengths: list[int],
    model: CostModel,
    evidence: Evidence,
    breaks: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
    cuts: tuple[FloatArray | None, FloatArray | None],
    width: int,
    kept: dict[int, FloatArray] | None = None,
    edges: EdgeCosts | None = None,
) -> tuple[list[tuple[tuple[int, ...], tuple[int, ...]]], bool]:
    """The cheapest path and whether it touched the band's edge.

    :param evidence: its anchors, shared anchors and kinds (blocks and cuts: ``breaks`` and
        ``cuts``, as :func:`_breaks` and :func:`_cuts` make them)
    :param kept: where to leave every row's costs (row ``r``: columns ``lo[r] ..`` of
        :func:`_band`)
    :param edges: called once per row with what each bead arriving in it costs in all (see
        :data:`EdgeCosts`); then no path is traced
    """
    lo, hi = _band(n, m, source_lengths, target_lengths, width)
    ls = np.asarray(source_lengths, dtype=np.float64)
    cum_s = np.concatenate(([0.0], np.cumsum(ls)))
    cum_t = np.concatenate(([0.0], np.cumsum(np.asarray(target_lengths, dtype=np.float64))))
    shared, source_kinds, target_kinds = (
        evidence.shared,
        evidence.source_kinds,
        evidence.target_kinds,
    )
    anchors_s = np.asarray(evidence.source_anchors or [0.0] * n, dtype=np.float64)
    anchors_t = np.asarray(evidence.target_anchors or [0.0] * m, dtype=np.float64)
    cum_as = np.concatenate(([0.0], np.cumsum(anchors_s)))
    cum_at = np.concatenate(([0.0], np.cumsum(anchors_t)))
    # repeat_t[c]: the anchor weight target items c-1 and c share (0 at c = 0)
    repeat_s = np.asarray(evidence.source_repeats or [0.0] * n, dtype=np.float64)
    repeat_t = np.asarray(evidence.target_repeats or [0.0] * m, dtype=np.float64)
    use_repeats = bool(repeat_s.any() or repeat_t.any())
    use_anchors = shared is not None and (model.match_weight or model.miss_weight)
    use_kinds = source_kinds is not None and target_kinds is not None and model.kind_mismatch
    # lines_t[c]: how many of target items 0..c-1 are lines (a cumulative count)
    lines_s = np.concatenate(([0], np.cumsum(np.asarray(source_kinds or [False] * n, dtype=int))))
    lines_t = np.concatenate(([0], np.cumsum(np.asarray(target_kinds or [False] * m, dtype=int))))

    # Boundaries: a bead pays model.boundary for each one inside it, and for reaching one on
    # its side where the other side has none. Each boundary is reached or crossed once.
    break_s, break_t = breaks
    use_breaks = model.boundary > 0 and (break_s[1:-1].any() or break_t[1:-1].any())
    lone_t = np.zeros(m + 1)  # lone_t[c]: a target boundary at c, met when the row has none
    if use_breaks:
        lone_t = model.boundary * break_t.astype(np.float64)

    # Cost of each 0-1 bead, indexed by the target item it skips.
    if model.length_skips:
        skip_t = length_cost(0.0, np.asarray(target_lengths, dtype=np.float64), model.ratio)
        skip_t = skip_t + model.priors[(0, 1)]
    else:
        skip_t = np.full(m, model.skip)
    if use_anchors:
        skip_t = skip_t + model.skip_miss_weight * anchors_t
    cut_s, cut_t = cuts
    if cut_t is not None:
        skip_t = skip_t + cut_t[1:]

    choices: list[npt.NDArray[np.uint8]] = []
    # Source item i's shared weights are needed by rows i+1 .. i+3: computed once, over the
    # columns all three rows reach (the band's edges never move left).
    computed: dict[int, tuple[int, FloatArray]] = {}

    def shared_row(i: int) -> tuple[int, FloatArray]:
        """Source item ``i``'s weights and the target item its index 0 stands for."""
        if i not in computed:
            assert shared is not None
            start, end = int(lo[i + 1]) - 3, int(hi[min(i + 3, n)]) - 1
            computed[i] = (start, _padded(shared, i, start, end, m))
        return computed[i]

    shapes = _row_shapes(model)
    full = shapes[3]

    def bead_costs(first: int, last: int) -> FloatArray:
        """What each bead with text on both sides costs, arriving in rows ``first ..
        last - 1``: ``out[r - first, k, c - lo[r]]`` for the k-th of ``full.both`` at column
        c. Element by element the same operations as for one row at a time, so the same
        numbers; columns past a row's band, and beads reaching above row 0 (rows 1 and 2),
        hold numbers never read."""
        shape = full
        rr = np.arange(first, last)[:, None, None]
        above = np.maximum(rr - shape.di, 0)  # the row a bead starts from
        starts = lo[first:last, None, None]
        cols = np.minimum(starts + np.arange(int((hi[first:last] - lo[first:last]).max()) + 1), m)
        live, both = shape.live, shape.both
        di_col, dj_col = shape.di, shape.dj
        # A bead dj items wide, ending at column c, starts at column max(c - dj, 0): a sum
        # over its target items is one difference, looked up once per width.
        begins = {dj: np.maximum(cols - dj, 0) for dj in set(shape.dj_list)}

        def spans(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            """``values[c] - values[max(c - dj, 0)]`` for each bead, as in ``cost``."""
            at = values[cols]
            per_width = {dj: at - values[begin] for dj, begin in begins.items()}
            return np.concatenate([per_width[dj] for dj in shape.dj_list], axis=1)

        cost = shape.priors + length_cost(
            cum_s[rr] - cum_s[above], spans(cum_t), model.ratio,
            model.length_tail,
        )  # fmt: skip
        if use_anchors:
            # parts[p][q]: the weights source item r-1-p shares with target item c-1-q, from
            # one matrix over the items and columns the rows reach.
            j0, j1 = int(lo[first]) - 3, int(cols.max()) - 1
            dense = np.zeros((last - first + 3, j1 - j0 + 1))
            for i in range(max(first - 3, 0), last - 1):
                begin, weights = shared_row(i)
                k0, k1 = max(j0, begin), min(j1, begin + len(weights) - 1)
                dense[i - first + 3, k0 - j0 : k1 - j0 + 1] = weights[k0 - begin : k1 - begin + 1]
            for i in [i for i in computed if i < last - 3]:  # no later row needs them
                del computed[i]
            three = np.arange(3)
            gathered = dense[
                (rr[:, :, 0] - first + 2)[:, :, None, None] - three[None, :, None, None],
                (cols[:, 0] - 1 - j0)[:, None, None, :] - three[None, None, :, None],
            ]
            parts = [[gathered[:, p, q] for q in range(3)] for p in range(3)]
            matched = np.stack([_matched(parts, live[k][1], live[k][2]) for k in both], axis=1)
            # A 2-1 (1-2) bead's two sentences may share an anchor (a topic both name) that
            # the other side has once: summed pairwise, it counts twice. Where the side's
            # repeats are given, it counts once: less the least of the repeat and the two
            # sentences' shares.
            overlap: dict[int, FloatArray] = {}  # by position in ``both``
            if use_repeats:
                for row, k in enumerate(both):
                    di, dj = live[k][1], live[k][2]
                    if di == 2 and dj == 1 and evidence.source_repeats is not None:
                        pair = (parts[0][0], parts[1][0])
                        repeat = repeat_s[np.maximum(rr[:, :, 0] - 1, 0)]
                    elif di == 1 and dj == 2 and evidence.target_repeats is not None:
                        pair = (parts[0][0], parts[0][1])
                        repeat = repeat_t[np.maximum(cols[:, 0] - 1, 0)]
                    else:
                        continue
                    overlap[row] = np.minimum(np.minimum(*pair), repeat)
                    matched[:, row] -= overlap[row]
            mass_s = cum_as[rr] - cum_as[above]
            mass_t = spans(cum_at)
            # Summing pairwise shares counts an anchor found in every sentence of a 2-2
            # bead four times; a multiset match is at most either side.
            matched = np.minimum(matched, np.minimum(mass_s, mass_t))
            missing = mass_s + mass_t - 2.0 * matched
            if model.orphan:
                # A merged bead's extra sentence must share something with the other
                # side: anchors of its own that match nothing argue that it is
                # untranslated (1-0) rather than half of a 2-1.
                for row, k in enumerate(both):
                    di, dj = live[k][1], live[k][2]
                    if di + dj != 3:
                        continue
                    for part in (0, 1):
                        if di == 2:
                            got = parts[part][0]
                            mass = anchors_s[np.maximum(rr[:, :, 0] - 1 - part, 0)]
                        else:
                            got = parts[0][part]
                            column = cols[:, 0] - 1 if part == 0 else np.maximum(cols[:, 0] - 2, 0)
                            mass = anchors_t[column]
                        if row in overlap:
                            got = got - overlap[row]
                        cost[:, row] = cost[:, row] + model.orphan * mass * (got <= 0)
            cost = cost - model.match_weight * matched + model.miss_weight * missing
        if use_breaks:
            # Reached on one side only (xor), or straddled by a 2-x or x-2 bead.
            # Only the beads wide enough to straddle are charged (the others would add 0.0 to
            # a charge that is never -0.0: the same numbers).
            missed = np.repeat(model.boundary * (break_t[cols] != break_s[rr]), len(both), axis=1)
            for k in (1, 2):
                wide = [row for row, k2 in enumerate(both) if live[k2][1] > k]
                missed[:, wide] += model.straddle * break_s[rr - k]
            for k in (1, 2):
                wide = [row for row, k2 in enumerate(both) if live[k2][2] > k]
                missed[:, wide] += model.straddle * break_t[np.maximum(cols - k, 0)]
            cost = cost + missed
        if use_kinds:
            lines = (lines_s[rr] - lines_s[above]) + spans(lines_t)
            mixed = (lines > 0) & (lines < di_col + dj_col)
            cost = cost + model.kind_mismatch * mixed
        if cut_t is not None:
            cost = cost + cut_t[cols]
        return np.asarray(cost, dtype=np.float64)

    # A bead (di, dj) arriving at row r, column c starts at row r - di, column c - dj: the
    # last four rows' costs are kept in ``ring`` (row r in ring[r % 4], column c at c + 3,
    # infinite outside the row's band), so one gather fetches them for all the row's beads.
    ring = np.full((4, m + 4), _INF)
    span = np.arange(int((hi - lo).max()) + 1)
    costs = np.empty((0, 0, 0))
    chunk = (0, 0)  # the rows whose bead costs ``costs`` holds
    for r in range(n + 1):
        a, b = int(lo[r]), int(hi[r])
        w = b - a + 1
        if r == 0:
            best = np.full(w, _INF)
            best[0] = 0.0
            choice = np.zeros(w, dtype=np.uint8)
        else:
            # The row's beads, in BEADS order, as rows of one matrix: each bead's costs are
            # computed elementwise exactly as one bead at a time would, and the first
            # cheapest bead wins ties, as a strict ``<`` over the beads in order does.
            shape = shapes[min(r, 3)]
            if r >= chunk[1]:
                # Bead costs do not depend on the rows above: numpy computes them for
                # _CHUNK rows at once.
                chunk = (r, min(r + _CHUNK, n + 1))
                costs = bead_costs(*chunk)
            live, both, dj_list = shape.live, shape.both, shape.dj_list
            di_live, dj_live = shape.di_live, shape.dj_live
            totals = ring[((r - di_live) % 4)[:, None], (a + 3 - dj_live)[:, None] + span[:w]]
            here = costs[r - chunk[0], :, :w] if r >= 3 else costs[r - chunk[0], shape.pick, :w]
            totals[both] = totals[both] + here
            for row, k in enumerate(both):
                if a < dj_list[row]:
                    totals[k, : dj_list[row] - a] = _INF
            # 1-0: the source item r-1 left out
            if model.length_skips:
                cost = float(length_cost(cum_s[r] - cum_s[r - 1], 0.0, model.ratio))
                cost += model.priors[(1, 0)]
            else:
                cost = model.skip
            if use_anchors:
                cost += model.skip_miss_weight * float(anchors_s[r - 1])
            totals[1] = totals[1] + cost
            if use_breaks and break_s[r]:
                totals[1] = totals[1] + model.boundary * ~break_t[a : b + 1]
            if cut_s is not None and cut_s[r]:
                totals = totals + cut_s[r]
            first = np.argmin(totals, axis=0)
            best = totals[first, span[:w]]
            choice = shape.indices[first]
        # 0-1 beads along the row: D[c] = min(X[c], D[c-1] + k[c]), as a running minimum.
        if b > a:
            steps = np.concatenate(([0.0], skip_t[a:b]))  # entering column c skips item c-1
            if use_breaks and not break_s[r]:
                steps[1:] += lone_t[a + 1 : b + 1]
            cum_k = np.cumsum(steps)
            running = np.minimum.accumulate(best - cum_k)
            along = running + cum_k
            took = along < best - 1e-9
            best = np.where(took, along, best)
            choice[took] = _SKIP_01
        if edges is not None:
            edges(r, a, live if r else [], totals if r else None, best, steps if b > a else None)
        if kept is not None:
            kept[r] = best
        if r >= 4:
            ring[r % 4, int(lo[r - 4]) + 3 : int(hi[r - 4]) + 4] = _INF
        ring[r % 4, a + 3 : b + 4] = best
        choices.append(choice)
    if edges is not None:
        return [], False

    path: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    touched = False
    r, c = n, m
    while r > 0 or c > 0:
        a = int(lo[r])
        if (c == a and a > 0) or (c == int(hi[r]) and c < m):
            touched = True
        di, dj = BEADS[int(choices[r][c - a])]
        path.append((tuple(range(r - di, r)), tuple(range(c - dj, c))))
        r, c = r - di, c - dj
    path.reverse()
    return path, touched


@dataclass(frozen=True)
class _RowShape:
    """The beads arriving in a row (all of them from row 3 on) and the constant arrays the
    row's costs are built from, made once rather than for every row.

    :param live: (index in BEADS, di, dj) of the beads other than 0-1 that fit
    :param both: positions in ``live`` of the beads with text on both sides
    :param di: their ``di`` as a column; ``dj`` the same for ``dj``
    :param dj_list: their ``dj`` as a list
    :param priors: their priors as a column
    :param di_over: ``di > 1`` and ``di > 2`` as columns; ``dj_over`` the same for ``dj``
    :param indices: ``live``'s indices in BEADS, to turn a position into a bead type
    :param pick: where the beads of ``both`` are among those of a row with all beads
    :param di_live: the ``di`` of each bead of ``live``; ``dj_live`` the same for ``dj``
    """

    live: list[tuple[int, int, int]]
    both: list[int]
    di: npt.NDArray[np.int64]
    dj: npt.NDArray[np.int64]
    dj_list: list[int]
    priors: FloatArray
    di_over: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]
    dj_over: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]
    indices: npt.NDArray[np.uint8]
    pick: list[int]
    di_live: npt.NDArray[np.int64]
    dj_live: npt.NDArray[np.int64]


_ROW_SHAPES: dict[tuple[tuple[tuple[int, int], float], ...], dict[int, _RowShape]] = {}
# The beads with text on both sides, in BEADS order, that a row with all beads has.
_BOTH = [index for index, (di, dj) in enumerate(BEADS) if di and dj]


def _row_shapes(model: CostModel) -> dict[int, _RowShape]:
    """The :class:`_RowShape` of a row 1, 2 and 3 (or more) rows below the first."""
    key = tuple(sorted(model.priors.items()))
    shapes = _ROW_SHAPES.get(key)
    if shapes is None:
        shapes = {reach: _row_shape(reach, model) for reach in (1, 2, 3)}
        _ROW_SHAPES[key] = shapes
    return shapes


def _row_shape(reach: int, model: CostModel) -> _RowShape:
    """The :class:`_RowShape` of a row ``reach`` (at most 3) rows below the first."""
    live = [(index, di, dj) for index, (di, dj) in enumerate(BEADS) if di and reach >= di]
    both = [k for k, (_, _, dj) in enumerate(live) if dj]
    di = np.array([[live[k][1]] for k in both])
    dj = np.array([[live[k][2]] for k in both])
    return _RowShape(
        live, both, di, dj, [live[k][2] for k in both],
        np.array([[model.priors[BEADS[live[k][0]]]] for k in both]),
        (di > 1, di > 2), (dj > 1, dj > 2),
        np.array([index for index, _, _ in live], dtype=np.uint8),
        [_BOTH.index(live[k][0]) for k in both],
        np.array([d for _, d, _ in live]), np.array([d for _, _, d in live]),
    )  # fmt: skip


def _matched(parts: list[list[FloatArray]], di: int, dj: int) -> FloatArray:
    """Anchor weight a ``di``-``dj`` bead matches, at each column.

    ``parts[p][q]`` holds what source item r-1-p shares with target item c-1-q.
    """
    pair = [row[:dj] for row in parts[:di]]
    if di == 2 and dj == 2:
        # A 2-2 bead matches no more than the best of its parts taken as 1-1s, 1-2s or 2-1s
        # (one sentence of a side with both of the other's): summing all four pairs would
        # count a feature repeated in both sentences of each side four times.
        (a, b), (c, d) = pair
        return np.maximum(
            np.maximum(np.maximum(a + d, b + c), np.maximum(a + b, c + d)),
            np.maximum(a + c, b + d),
        )
    flat = [p for row in pair for p in row]
    matched = flat[0]
    for part in flat[1:]:
        matched = matched + part
    return matched


def _reversed_repeats(repeats: list[float] | None) -> list[float] | None:
    """Repeats of the reversed items: item ``k`` and the one before it there are items
    ``n - k`` and ``n - k - 1`` here."""
    return None if repeats is None else [0.0, *repeats[1:][::-1]]


def _padded(shared: SharedRow, i: int, first: int, last: int, m: int) -> FloatArray:
    """Shared anchor weights of source item ``i`` with target items first..last (0 outside)."""
    out = np.zeros(last - first + 1)
    a, b = max(first, 0), min(last, m - 1)
    if a <= b:
        out[a - first : b - first + 1] = shared(i, a, b)
    return out


def bead_margins(
    path: list[tuple[tuple[int, ...], tuple[int, ...]]],
    source_lengths: list[int],
    target_lengths: list[int],
    model: CostModel,
    evidence: Evidence | None = None,
    *,
    width: int = 200,
) -> list[float]:
    """How much the costs favour each bead of ``path`` over every other way of aligning its
    sentences, from one backward and one forward pass (the same costs as :func:`align_path`).

    The backward pass is the forward one over the reversed documents: a bead's cost does not
    depend on the direction, so the cheapest whole path through any bead is what the forward
    pass pays up to its end plus what the backward pass pays from there on. Every path covers
    each sentence with exactly one bead, so the cheapest path *without* a bead of ``path`` is
    the cheapest through any other bead covering one of its sentences. A bead's *rival margin*
    (nats) is how much more that costs than the cheapest path through the bead: small when
    another alignment of its sentences was nearly as likely, negative when a cheaper one
    exists (``path`` built otherwise than by :func:`align_path`, block by block), ``inf`` when
    the band holds no other bead for its sentences, ``-inf`` when the bead lies outside it.

    A paragraph break met on one side only is charged where a path reaches it, so the two
    directions can disagree by ``model.boundary`` where a 0-1 bead leaves such a point.

    :param path: the beads, as :func:`align_path` returns them
    :param evidence: as for :func:`align_path`
    :return: the rival margin of each bead of ``path``
    """
    n, m = len(source_lengths), len(target_lengths)
    if n == 0 or m == 0:
        return [math.inf] * len(path)
    width = max(width, 4, 2 * math.ceil(max(n / m, m / n)))
    e = evidence or Evidence()
    shared = e.shared
    break_s, break_t = _breaks(e.source_blocks, n), _breaks(e.target_blocks, m)
    use_breaks = model.boundary > 0 and (break_s[1:-1].any() or break_t[1:-1].any())
    cuts = (_cuts(e.source_cuts, n, model.cut), _cuts(e.target_cuts, m, model.cut))
    # A cut charged before item r is one before item n - r in the reversed documents.
    reversed_cuts = (
        None if e.source_cuts is None else [*e.source_cuts[: n - 1][::-1], False],
        None if e.target_cuts is None else [*e.target_cuts[: m - 1][::-1], False],
    )

    # Both passes ask for the anchors each source item shares with the targets of its band,
    # and the two bands nearly coincide: the backward pass looks them up a few columns wider
    # and keeps them, the forward pass takes them back (one row per source item is kept
    # between the passes, as many as ``backward`` keeps). A shared weight does not depend on
    # the range asked for, so the costs are exactly those of asking again.
    kept_shared: dict[int, tuple[int, FloatArray]] = {}

    def reversed_shared(i: int, first: int, last: int) -> FloatArray:
        assert shared is not None
        start, end = m - 1 - last, m - 1 - first
        wide_start, wide_end = max(start - _SHARED_SLACK, 0), min(end + _SHARED_SLACK, m - 1)
        weights = shared(n - 1 - i, wide_start, wide_end)
        kept_shared[n - 1 - i] = (wide_start, weights)
        return weights[start - wide_start : end - wide_start + 1][::-1]

    def forward_shared(i: int, first: int, last: int) -> FloatArray:
        assert shared is not None
        wide_start, weights = kept_shared.pop(i, (first, np.empty(0)))
        if wide_start <= first and last < wide_start + len(weights):
            return weights[first - wide_start : last - wide_start + 1]
        return shared(i, first, last)

    def flipped(values: list[float] | list[bool] | None) -> list | None:  # type: ignore[type-arg]
        return None if values is None else values[::-1]

    backward: dict[int, FloatArray] = {}
    _search(
        n, m, source_lengths[::-1], target_lengths[::-1], model,
        Evidence(
            flipped(e.source_anchors), flipped(e.target_anchors),
            reversed_shared if shared is not None else None,
            flipped(e.source_kinds), flipped(e.target_kinds),
            source_repeats=_reversed_repeats(e.source_repeats),
            target_repeats=_reversed_repeats(e.target_repeats),
        ),
        (break_s[::-1], break_t[::-1]),
        (_cuts(reversed_cuts[0], n, model.cut), _cuts(reversed_cuts[1], m, model.cut)), width,
        backward,
    )  # fmt: skip
    lo_b, hi_b = _band(n, m, source_lengths[::-1], target_lengths[::-1], width)

    def after(r: int, a: int, w: int) -> FloatArray:
        """The backward cost from point (r, c), columns a .. a+w-1 (the point's own break
        and cut charges, which both directions count, taken once)."""
        out = np.full(w, _INF)
        back = n - r  # column c is the backward pass's column m - c
        first, last = max(a, m - int(hi_b[back])), min(a + w - 1, m - int(lo_b[back]))
        if first <= last:
            start = m - last - int(lo_b[back])
            out[first - a : last - a + 1] = backward[back][start : start + last - first + 1][::-1]
        if use_breaks:
            out -= model.boundary * (break_t[a : a + w] != break_s[r])
        # Both directions charge the cuts at the point once, whatever bead reaches it.
        if cuts[0] is not None:
            out -= cuts[0][r]
        if cuts[1] is not None:
            out -= cuts[1][a : a + w]
        return out

    ends: dict[int, list[tuple[int, int, int]]] = {}  # row → (column, bead type, bead number)
    r = c = 0
    for k, (src, tgt) in enumerate(path):
        r, c = r + len(src), c + len(tgt)
        ends.setdefault(r, []).append((c, BEADS.index((len(src), len(tgt))), k))
    own = np.full(len(path), _INF)
    other_source = np.full(n, _INF)  # the cheapest path through a bead not in ``path``
    other_target = np.full(m, _INF)  # covering each sentence

    groups: dict[tuple[tuple[int, int, int], ...], tuple[list[list[int]], list[list[int]]]] = {}

    def edges(
        r: int,
        a: int,
        beads: list[tuple[int, int, int]],
        totals: FloatArray | None,
        row: FloatArray,
        steps: FloatArray | None,
    ) -> None:
        w = len(row)
        tail = after(r, a, w)
        mine = ends.get(r, [])
        if totals is not None:
            through = totals + tail
            position = {index: kk for kk, (index, _, _) in enumerate(beads)}
            for c, index, k in mine:
                if index in position:
                    own[k] = through[position[index], c - a]
                    through[position[index], c - a] = _INF
            # Beads covering source item r-1-p (di > p) and target item c-1-q (dj > q),
            # as groups: a minimum is exact, so taken over a group it is the same number.
            key = tuple(beads)
            if key not in groups:
                groups[key] = (
                    [[kk for kk, (_, di, _) in enumerate(beads) if di > p] for p in range(3)],
                    [[kk for kk, (_, _, dj) in enumerate(beads) if dj > q] for q in range(3)],
                )
            by_source, by_target = groups[key]
            least = through.min(axis=1)
            for p, covering in enumerate(by_source):
                if covering:
                    other_source[r - 1 - p] = min(other_source[r - 1 - p], least[covering].min())
            for q, covering in enumerate(by_target):
                if covering:  # target item c-1-q for the bead at column c
                    lo_j = a - 1 - q
                    skip = max(0, -lo_j)
                    segment = other_target[lo_j + skip : lo_j + w]
                    cheapest = through[covering].min(axis=0)
                    np.minimum(segment, cheapest[skip : skip + len(segment)], out=segment)
        if steps is not None:  # 0-1 beads arriving at columns a+1 .., covering target c-1
            skips = row[:-1] + steps[1:] + tail[1:]
            for c, index, k in mine:
                if index == _SKIP_01:
                    own[k] = skips[c - a - 1]
                    skips[c - a - 1] = _INF
            segment = other_target[a : a + w - 1]
            np.minimum(segment, skips, out=segment)

    _search(
        n, m, source_lengths, target_lengths, model,
        replace(e, shared=forward_shared if shared is not None else None),
        (break_s, break_t), cuts, width, None, edges,
    )  # fmt: skip
    out = []
    for k, (src, tgt) in enumerate(path):
        rival = min([other_source[i] for i in src] + [other_target[j] for j in tgt])
        out.append(float(rival - own[k]) if own[k] < _INF else -_INF)
    return out
