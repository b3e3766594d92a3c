"""Sentence alignment of a document and its translation: ``align(source, target)``.

Blocks (paragraphs, headings, captions, lists) are evidence, not walls. A first band-limited
dynamic programming pass (:mod:`taiyaku.align.dp`) aligns the sentences of the whole document,
a paragraph break of one side left unmatched by the other side costing a little. When that
path meets nearly all breaks of both sides, the layouts agree: blocks are then aligned first
and the sentences inside each pair of aligned blocks, which the block-level anchors make
surer. Otherwise (one side without blank lines, paragraphs broken at other sentences) the
sentence pass stands: aligning blocks first would leave a flattened page with nothing aligned.
A bead's cost adds a Gale–Church length term
(:mod:`taiyaku.align.lengths`, ratio estimated from the pair, linear beyond 1.5 standard
deviations) and lexical anchors (:mod:`taiyaku.align.anchors`: numbers, shared Latin tokens,
names in kanji and romaji, glossary pairs, quotes).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from taiyaku.align.anchors import (
    FeatureExtractor,
    Features,
    document_weights,
    merge,
    reweigh,
    shared_weight,
)
from taiyaku.align.confidence import evidence, probability
from taiyaku.align.dictionary import Dictionary
from taiyaku.align.dp import (
    GALE_CHURCH_PRIORS,
    CostModel,
    Evidence,
    FloatArray,
    SharedRow,
    align_path,
    bead_margins,
)
from taiyaku.align.lengths import estimate_ratio, length_delta, length_probability, text_length
from taiyaku.align.lexicon import Lexicon, learn
from taiyaku.text.lang import detect_lang
from taiyaku.text.segment import Segment, cut_sentence

Path = list[tuple[tuple[int, ...], tuple[int, ...]]]
# Per side, what each item shares with the one before it, or None (see _repeats).
Repeats = tuple[list[float] | None, list[float] | None]
BEAD_TYPES = ("1-1", "1-2", "2-1", "2-2", "1-3", "3-1", "1-0", "0-1")


@dataclass(frozen=True)
class Bead:
    """One step of an alignment: source sentences and the target sentences they translate.

    :param source: indices of the source sentences (empty for a 0-1 bead)
    :param target: indices of the target sentences (empty for a 1-0 bead)
    :param source_text: the source sentences joined (no space in Japanese, one in English)
    :param target_text: the target sentences joined
    :param type: ``"1-1"``, ``"1-2"``, ``"2-1"``, ``"2-2"``, ``"1-3"``, ``"3-1"``, ``"1-0"``
        or ``"0-1"``
    :param confidence: in [0, 1]: the probability that the bead is right, from how much
        cheaper it is than every other alignment of its sentences, its lengths, anchors, type
        and neighbours (:mod:`taiyaku.align.confidence`)
    :param evidence: what the confidence was computed from
        (:data:`taiyaku.align.confidence.FEATURES`)
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    source_text: str
    target_text: str
    type: str
    confidence: float
    evidence: tuple[float, ...] = field(default=(), compare=False, repr=False)

    @property
    def is_pair(self) -> bool:
        """True when both sides have text: only such beads go into a TM."""
        return bool(self.source and self.target)

    def to_dict(self) -> dict[str, object]:
        """The bead as ``taiyaku align --json`` prints it."""
        return {
            "source": self.source_text,
            "target": self.target_text,
            "bead": self.type,  # the name exports and the units table use
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Alignment:
    """An aligned document pair: the beads and what they were computed from."""

    beads: list[Bead]
    source_lang: str
    target_lang: str
    source_segments: list[Segment] = field(default_factory=list)
    target_segments: list[Segment] = field(default_factory=list)
    ratio: float = 1.0

    def pairs(self) -> list[Bead]:
        """The beads with text on both sides, in document order."""
        return [b for b in self.beads if b.is_pair]


def align(
    source: Sequence[str],
    target: Sequence[str],
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    glossary: Iterable[tuple[str, str]] = (),
    source_blocks: Sequence[int] | None = None,
    target_blocks: Sequence[int] | None = None,
    source_kinds: Sequence[str] | None = None,
    target_kinds: Sequence[str] | None = None,
    anchors: bool = True,
    lexicon: bool = True,
    dictionary: Dictionary | None = None,
    model: CostModel | None = None,
) -> list[Bead]:
    """Align two lists of sentences; return beads covering every sentence once, in order.

    >>> [b.type for b in align(["国際戦略局", "海外展開の推進"], ["Global Strategy Bureau",
    ...  "Promoting Overseas Deployment"])]
    ['1-1', '1-1']

    :param source: source sentences, in document order
    :param target: target sentences, in document order
    :param source_lang: ``"ja"`` or ``"en"``; detected when ``None``
    :param target_lang: likewise
    :param glossary: ``(ja, en)`` term pairs used as anchors
    :param source_blocks: the block (paragraph) of each source sentence; with
        ``target_blocks``, a paragraph break met by none on the other side costs
        ``model.boundary``
    :param target_blocks: the block of each target sentence
    :param source_kinds: the :class:`~taiyaku.text.segment.Segment` kind of each source
        sentence (``sentence``, ``line``, ``item``): a bead mixing a heading or caption with
        a sentence costs more
    :param target_kinds: likewise for the target
    :param anchors: use lexical anchors (``False``: length only, plain Gale–Church costs)
    :param lexicon: with ``anchors``, a second pass adds the word associations the first
        pass's 1-1 beads teach (:mod:`taiyaku.align.lexicon`)
    :param dictionary: a bilingual dictionary whose word pairs are anchors too
        (:mod:`taiyaku.align.dictionary`)
    :param model: cost parameters; by default the ratio is estimated from the two lists
    :return: the beads, each with its calibrated ``confidence``
    """
    glossary = list(glossary)
    source_lang = _lang(source, source_lang)
    target_lang = _lang(target, target_lang)
    source_lengths = [text_length(s) for s in source]
    target_lengths = [text_length(t) for t in target]
    if model is None:
        ratio = estimate_ratio(source_lengths, target_lengths)
        model = CostModel(ratio) if anchors else _gale_church(ratio)
    # A sentence cut before its end (a PDF's line, another tool's segments) belongs in one
    # bead with the item that finishes it; it is not a heading either, whatever its kind.
    cuts: tuple[list[bool], list[bool]] | None = None
    if anchors:
        cuts = (
            _cut_sentences(source, source_lang, source_kinds),
            _cut_sentences(target, target_lang, target_kinds),
        )
    lines: tuple[list[bool], list[bool]] | None = None
    if cuts is not None and source_kinds is not None and target_kinds is not None:
        lines = (
            [k != "sentence" and not cut for k, cut in zip(source_kinds, cuts[0], strict=True)],
            [k != "sentence" and not cut for k, cut in zip(target_kinds, cuts[1], strict=True)],
        )
    blocks = None
    if source_blocks is not None and target_blocks is not None:
        blocks = (list(source_blocks), list(target_blocks))

    def solve(
        source_features: list[Features], target_features: list[Features], by_blocks: bool | None
    ) -> tuple[Path, list[Features], list[Features], dict[str, float], bool, Repeats | None]:
        """The path, the reweighed features, their weights, and whether blocks were aligned
        first. ``by_blocks`` is that decision when already taken (``None``: take it)."""
        weights: dict[str, float] = {}
        repeats = None
        if source_features:
            weights = document_weights(source_features, target_features)
            source_features = reweigh(source_features, weights)
            target_features = reweigh(target_features, weights)
            # Japanese leaves out a subject or topic that English repeats in every sentence:
            # a Japanese term repeated in two sentences is one topic, which an English
            # sentence naming it once translates. Counted twice, it made a Japanese sentence
            # left untranslated look like half of a 2-1 bead with its neighbour (kyoto-wiki
            # perturbed, strict F1, every 16th document 0.9722 → 0.9737, the 16th from the
            # 8th 0.9667 → 0.9681). English repeats count as often as they occur: counted
            # once, true 1-2 beads were split (0.9705).
            repeats = (
                _repeats(source_features, weights) if source_lang == "ja" else None,
                _repeats(target_features, weights) if target_lang == "ja" else None,
            )
        if not by_blocks:
            path = _align_range(
                source_lengths, target_lengths, source_features, target_features, model,
                weights, (0, len(source)), (0, len(target)), lines, blocks, cuts, repeats,
            )  # fmt: skip
        if by_blocks is None:
            by_blocks = blocks is not None and block_agreement(path, *blocks) >= AGREEMENT
        if by_blocks:
            assert blocks is not None
            path = _align_blocks(
                source_lengths, target_lengths, blocks[0], blocks[1],
                source_features, target_features, model, weights, lines, cuts, repeats,
            )  # fmt: skip
        return path, source_features, target_features, weights, by_blocks, repeats

    source_features: list[Features] = []
    target_features: list[Features] = []
    if anchors:
        ja, en = (source, target) if source_lang == "ja" else (target, source)
        extractor = FeatureExtractor(ja, en, glossary)
        source_features = [extractor.features(s, source_lang) for s in source]
        target_features = [extractor.features(t, target_lang) for t in target]
        if dictionary is not None:
            known = dictionary.lexicon(ja, en)
            if known:
                source_features = _with(source_features, known, source, source_lang)
                target_features = _with(target_features, known, target, target_lang)
    path, source_features, target_features, weights, by_blocks, repeats = solve(
        source_features, target_features, None
    )
    if anchors and lexicon:
        learnt = learn(source, target, path, source_lang)
        if learnt:
            # Whether the layouts agree is a matter of paragraphs, which the learnt words do
            # not change: the second pass keeps the first's decision, and when blocks go first
            # it skips the whole-document sentence pass that only served to take it.
            path, source_features, target_features, weights, _, repeats = solve(
                _with(source_features, learnt, source, source_lang),
                _with(target_features, learnt, target, target_lang),
                by_blocks,
            )
    # How much cheaper each bead is than every other way of aligning its sentences, over the
    # whole document (also when the blocks were aligned first): the confidence's best evidence.
    inputs = _dp_inputs(source_features, target_features, weights, (0, len(source)),
                        (0, len(target)), lines, blocks, cuts, repeats)  # fmt: skip
    margins = bead_margins(path, source_lengths, target_lengths, model, inputs)
    one_to_one = [len(src) == 1 and len(tgt) == 1 for src, tgt in path]
    skipped = [not (src and tgt) for src, tgt in path]
    beads = []
    row = column = 0
    for k, (src, tgt) in enumerate(path):
        competitors = _competitors(src, tgt, row, column, len(source), len(target))
        row, column = row + len(src), column + len(tgt)
        neighbours = [n for n in (k - 1, k + 1) if 0 <= n < len(path)]
        neighbour_merged = any(not one_to_one[n] for n in neighbours)
        neighbour_skipped = any(skipped[n] for n in neighbours)
        beads.append(
            _bead(src, tgt, source, target, source_lang, target_lang,
                  source_lengths, target_lengths, source_features, target_features, model,
                  weights, lines, neighbour_merged, neighbour_skipped, competitors, margins[k])
        )  # fmt: skip
    return beads


# When the sentence pass meets this share of both sides' paragraph breaks with breaks of the
# other side, the layouts agree and blocks are aligned first, then the sentences inside each
# pair of aligned blocks: on kyoto-wiki-ja-en's perturbed variant (every 16th document) that
# is 0.956 strict F1 against 0.950 for the sentence pass alone, and 0.9 rather than 0.8 keeps
# the English re-broken elsewhere at 0.99 (0.955 at 0.8).
AGREEMENT = 0.9


def block_agreement(
    path: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    source_blocks: Sequence[int],
    target_blocks: Sequence[int],
) -> float:
    """The share of paragraph breaks (of both sides) that ``path`` meets with a break of the
    other side: 1.0 for two pages laid out alike, 0.0 when one side has no breaks at all."""
    source_breaks = {
        i for i in range(1, len(source_blocks)) if source_blocks[i] != source_blocks[i - 1]
    }
    target_breaks = {
        j for j in range(1, len(target_blocks)) if target_blocks[j] != target_blocks[j - 1]
    }
    if not source_breaks and not target_breaks:
        return 0.0
    met = set()
    r = c = 0
    for src, tgt in path:
        r, c = r + len(src), c + len(tgt)
        if r in source_breaks and c in target_breaks:
            met.add((r, c))
    rows = {r for r, _ in met}
    cols = {c for _, c in met}
    return (len(rows) + len(cols)) / (len(source_breaks) + len(target_breaks))


def block_model(model: CostModel) -> CostModel:
    """The cost model for blocks: merging paragraphs is rarer than merging sentences.

    A short block present on one side only (a heading, a caption) is cheap to absorb into a
    neighbour by length alone, so block merges get a lower prior and skips a lower cost.
    """
    if model.length_skips:
        return model
    priors = dict(model.priors)
    for bead, p in BLOCK_PRIORS.items():
        priors[bead] = -math.log(p)
    return replace(model, priors=priors, skip=BLOCK_SKIP)


BLOCK_PRIORS = {(1, 2): 0.01, (2, 1): 0.01, (2, 2): 0.001}
BLOCK_SKIP = 4.0


def _with(
    features: list[Features], lexicon: Lexicon, texts: Sequence[str], lang: str
) -> list[Features]:
    """``features`` with each sentence's ``lex:`` (or ``dict:``) features added."""
    out = []
    for f, text in zip(features, texts, strict=True):
        counts = f.counts.copy()
        counts.update(lexicon.features(text, lang))
        out.append(Features(counts, f.total))
    return out


def _gale_church(ratio: float) -> CostModel:
    return CostModel(
        ratio,
        priors=dict(GALE_CHURCH_PRIORS),
        match_weight=0.0,
        miss_weight=0.0,
        length_skips=True,
        length_tail=None,
    )


def _lang(texts: Sequence[str], given: str | None) -> str:
    if given:
        return "ja" if given.lower().startswith("ja") else "en"
    return detect_lang("\n".join(texts[:200]))


class _Postings:
    """Which target items carry each feature, for quick band-limited lookups.

    Only the features in ``wanted`` (those the source side carries) are indexed: the others
    are never looked up, and with a dictionary's features indexing them all cost more than
    the alignment of a short block.
    """

    def __init__(self, features: Sequence[Features], weights: dict[str, float], wanted: set[str]):
        self.weights = weights
        index: dict[str, tuple[list[int], list[int]]] = {}
        for j, f in enumerate(features):
            for feature, count in f.counts.items():
                if feature not in wanted:
                    continue
                posting = index.get(feature)
                if posting is None:
                    index[feature] = ([j], [count])
                else:
                    posting[0].append(j)
                    posting[1].append(count)
        self.index = index

    def shared(self, features: Features, lo: int, hi: int) -> FloatArray:
        out = np.zeros(hi - lo + 1)
        for feature, count in features.counts.items():
            posting = self.index.get(feature)
            if posting is None:
                continue
            ids, counts = posting
            weight = self.weights[feature]
            for k in range(bisect.bisect_left(ids, lo), bisect.bisect_right(ids, hi)):
                out[ids[k] - lo] += weight * min(count, counts[k])
        return out


def _align_range(
    source_lengths: list[int],
    target_lengths: list[int],
    source_features: list[Features],
    target_features: list[Features],
    model: CostModel,
    weights: dict[str, float],
    source_range: tuple[int, int],
    target_range: tuple[int, int],
    lines: tuple[list[bool], list[bool]] | None = None,
    blocks: tuple[list[int], list[int]] | None = None,
    cuts: tuple[list[bool], list[bool]] | None = None,
    repeats: Repeats | None = None,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    s0, s1 = source_range
    t0, t1 = target_range
    path = align_path(
        source_lengths[s0:s1], target_lengths[t0:t1], model,
        _dp_inputs(source_features, target_features, weights, source_range, target_range,
                   lines, blocks, cuts, repeats),
    )  # fmt: skip
    return [(tuple(s0 + i for i in src), tuple(t0 + j for j in tgt)) for src, tgt in path]


def _dp_inputs(
    source_features: list[Features],
    target_features: list[Features],
    weights: dict[str, float],
    source_range: tuple[int, int],
    target_range: tuple[int, int],
    lines: tuple[list[bool], list[bool]] | None,
    blocks: tuple[list[int], list[int]] | None,
    cuts: tuple[list[bool], list[bool]] | None,
    repeats: Repeats | None = None,
) -> Evidence:
    """The evidence :func:`~taiyaku.align.dp.align_path` (and
    :func:`~taiyaku.align.dp.bead_margins`) weigh for the sentences in the two ranges.

    :param repeats: per side, what each item shares with the item before it (see
        :func:`_repeats`; ``None`` for a side whose repeats count as often as they occur)
    """
    s0, s1 = source_range
    t0, t1 = target_range
    shared: SharedRow | None = None
    source_anchors = target_anchors = None
    if source_features:
        wanted = {feature for f in source_features[s0:s1] for feature in f.counts}
        postings = _Postings(target_features[t0:t1], weights, wanted)

        def shared(i: int, lo: int, hi: int) -> FloatArray:
            return postings.shared(source_features[s0 + i], lo, hi)

        source_anchors = [f.total for f in source_features[s0:s1]]
        target_anchors = [f.total for f in target_features[t0:t1]]
    return Evidence(
        source_anchors=source_anchors,
        target_anchors=target_anchors,
        shared=shared,
        source_kinds=lines[0][s0:s1] if lines else None,
        target_kinds=lines[1][t0:t1] if lines else None,
        source_blocks=blocks[0][s0:s1] if blocks else None,
        target_blocks=blocks[1][t0:t1] if blocks else None,
        source_cuts=cuts[0][s0:s1] if cuts else None,
        target_cuts=cuts[1][t0:t1] if cuts else None,
        # The first item's repeat is with an item outside the range: none here.
        source_repeats=[0.0, *repeats[0][s0 + 1 : s1]] if repeats and repeats[0] else None,
        target_repeats=[0.0, *repeats[1][t0 + 1 : t1]] if repeats and repeats[1] else None,
    )


def _repeats(features: Sequence[Features], weights: dict[str, float]) -> list[float]:
    """Per item, the anchor weight it shares with the item before it (0 for the first)."""
    return [0.0] + [
        shared_weight(before, after, weights) for before, after in itertools.pairwise(features)
    ]


def _runs(blocks: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of equal block numbers, as ``(start, end)`` index ranges."""
    runs: list[tuple[int, int]] = []
    for i, block in enumerate(blocks):
        if runs and blocks[runs[-1][0]] == block:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _align_blocks(
    source_lengths: list[int],
    target_lengths: list[int],
    source_blocks: list[int],
    target_blocks: list[int],
    source_features: list[Features],
    target_features: list[Features],
    model: CostModel,
    weights: dict[str, float],
    lines: tuple[list[bool], list[bool]] | None,
    cuts: tuple[list[bool], list[bool]] | None,
    repeats: Repeats | None,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    source_runs, target_runs = _runs(source_blocks), _runs(target_blocks)
    block_source_lengths = [sum(source_lengths[a:b]) for a, b in source_runs]
    block_target_lengths = [sum(target_lengths[a:b]) for a, b in target_runs]
    block_source_features = block_target_features = []
    if source_features:
        block_source_features = [merge(source_features[a:b]) for a, b in source_runs]
        block_target_features = [merge(target_features[a:b]) for a, b in target_runs]
    block_lines = None
    if lines:  # a block is a line when all of it is (a heading, a caption, a list)
        block_lines = (
            [all(lines[0][a:b]) for a, b in source_runs],
            [all(lines[1][a:b]) for a, b in target_runs],
        )
    block_repeats = None
    if repeats is not None:  # the same for blocks: a paragraph repeats its neighbour's topic
        block_repeats = (
            _repeats(block_source_features, weights) if repeats[0] else None,
            _repeats(block_target_features, weights) if repeats[1] else None,
        )
    block_path = _align_range(
        block_source_lengths, block_target_lengths, block_source_features,
        block_target_features, block_model(model), weights,
        (0, len(source_runs)), (0, len(target_runs)), block_lines, None, None, block_repeats,
    )  # fmt: skip
    path: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for src_blocks, tgt_blocks in block_path:
        s0 = source_runs[src_blocks[0]][0] if src_blocks else 0
        s1 = source_runs[src_blocks[-1]][1] if src_blocks else 0
        t0 = target_runs[tgt_blocks[0]][0] if tgt_blocks else 0
        t1 = target_runs[tgt_blocks[-1]][1] if tgt_blocks else 0
        if not src_blocks:
            path += [((), (j,)) for j in range(t0, t1)]
        elif not tgt_blocks:
            path += [((i,), ()) for i in range(s0, s1)]
        else:
            path += _align_range(
                source_lengths, target_lengths, source_features, target_features, model,
                weights, (s0, s1), (t0, t1), lines, None, cuts, repeats,
            )  # fmt: skip
    return path


def _cut_sentences(texts: Sequence[str], lang: str, kinds: Sequence[str] | None) -> list[bool]:
    """Per item, whether it is a sentence cut before its end that the next item finishes (a
    list item is not: items often end without punctuation, one after the other)."""
    return [
        k + 1 < len(texts)
        and (kinds is None or kinds[k] != "item")
        and cut_sentence(text, texts[k + 1], lang)
        for k, text in enumerate(texts)
    ]


def _join(texts: Iterable[str], lang: str) -> str:
    return ("" if lang == "ja" else " ").join(texts)


def _competitors(
    src: tuple[int, ...], tgt: tuple[int, ...], row: int, column: int, n: int, m: int
) -> list[tuple[int, int]]:
    """The one-to-one pairings a bead's sentences would have if the path were shifted by one:
    each source sentence with the target sentence just before or after the bead, and the
    other way round (for a 1-0 bead: the sentence with its two target neighbours)."""
    out = []
    before, after = column - 1, column + len(tgt)
    for i in src:
        out += [(i, j) for j in (before, after) if 0 <= j < m]
    before, after = row - 1, row + len(src)
    for j in tgt:
        out += [(i, j) for i in (before, after) if 0 <= i < n]
    return out


def _bead(
    src: tuple[int, ...],
    tgt: tuple[int, ...],
    source: Sequence[str],
    target: Sequence[str],
    source_lang: str,
    target_lang: str,
    source_lengths: list[int],
    target_lengths: list[int],
    source_features: list[Features],
    target_features: list[Features],
    model: CostModel,
    weights: dict[str, float],
    lines: tuple[list[bool], list[bool]] | None,
    neighbour_merged: bool,
    neighbour_skipped: bool,
    competitors: list[tuple[int, int]],
    rival: float,
) -> Bead:
    kind = f"{len(src)}-{len(tgt)}"
    length_s = sum(source_lengths[i] for i in src)
    length_t = sum(target_lengths[j] for j in tgt)
    p_len = length_probability(length_s, length_t, model.ratio) if src and tgt else 0.0
    delta = float(length_delta(length_s, length_t, model.ratio)) if src and tgt else 0.0
    matched = anchors = 0.0
    if source_features:
        a = merge(source_features[i] for i in src)
        b = merge(target_features[j] for j in tgt)
        anchors = a.total + b.total
        matched = shared_weight(a, b, weights) if src and tgt else 0.0
    rival_length = rival_share = 0.0
    for i, j in competitors:
        rival_length = max(
            rival_length, length_probability(source_lengths[i], target_lengths[j], model.ratio)
        )
        if source_features:
            a, b = source_features[i], target_features[j]
            if a.total + b.total > 0:
                rival_share = max(
                    rival_share, 2.0 * shared_weight(a, b, weights) / (a.total + b.total)
                )
    mixed = False
    if lines:
        flags = [lines[0][i] for i in src] + [lines[1][j] for j in tgt]
        mixed = bool(src and tgt) and any(flags) and not all(flags)
    features = evidence(
        length_agreement=p_len,
        matched=matched,
        anchors=anchors,
        bead=kind,
        neighbour_merged=neighbour_merged,
        mixed_kinds=mixed,
        characters=length_s + length_t,
        rival_length=rival_length,
        rival_share=rival_share,
        delta=delta,
        neighbour_skipped=neighbour_skipped,
        rival=rival,
    )
    return Bead(
        src,
        tgt,
        _join((source[i] for i in src), source_lang),
        _join((target[j] for j in tgt), target_lang),
        kind,
        probability(features),
        features,
    )
