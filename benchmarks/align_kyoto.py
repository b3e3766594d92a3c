"""Alignment quality on kyoto-wiki-ja-en: plain and perturbed document pairs.

Usage: .venv/bin/python benchmarks/align_kyoto.py [--every K] [--offset O] [--docs N] [--seed S] [--data DIR]
       [--variant V] [--calibrate] [--no-baselines] [--no-ablations] [--no-dictionary]

(``--every 16``: the tuning subset, every 16th document; figures are reported over all.
``--every 16 --offset 8``: as many documents, none of them tuned on, to check a change.)

Each of the corpus's documents becomes a Japanese and an English document: one Japanese
sentence per unit, the English unit split into sentences by ``split_sentences``, paragraphs as
blocks, titles as blocks of their own. The gold beads are the units (1-1, 1-2, ...).

The *plain* variant is that. The *perturbed* variant changes each document deterministically
(``random.Random(seed + doc_id)``), at most one change per unit, to bring in the bead types
real pages have and the corpus lacks:

- merge two adjacent Japanese units into one sentence (a 1-2 bead),
- merge the English of two adjacent one-sentence units into one sentence (2-1),
- join the last English sentence of a unit with the next unit's English (2-2),
- drop a Japanese unit (its English becomes 0-1) or a one-sentence English unit (1-0),
- insert a heading or a three-item list taken from another document on one side only.

The *layout* variants keep the plain sentences and gold but change the paragraphs of one side,
as real page pairs arrive: *flattened* puts all of one side in one block (the Japanese for
even-numbered documents, the English for odd ones); *rebroken* moves each break between two
English body paragraphs one or two sentences earlier or later.

Every variant is scored with strict and lax precision/recall/F1 (``taiyaku.align.score``,
Vecalign's definitions), overall and per bead type, for taiyaku's aligner (lengths, anchors,
paragraphs as evidence), the same without paragraphs, and a length-only Gale–Church baseline
(one pass over the sentences, ratio estimated from the pair, Gale–Church priors). On the
perturbed variant, the confidence of taiyaku's beads is checked against the gold over the
documents not used for tuning: AUC, Brier score, a reliability table (per tenth of confidence,
the share of beads right) and what the review threshold highlights; ``--calibrate`` refits
the model on the tuning documents and prints its coefficients and threshold. On the
perturbed variant each kind of anchor is then switched off in turn (the ablations). The
dictionary anchor is used when an EDICT file is installed (Debian's ``edict`` package, or
``$TAIYAKU_EDICT``); ``--no-dictionary`` leaves it out.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from taiyaku.align import Bead, align, confidence
from taiyaku.align.anchors import WEIGHTS
from taiyaku.align.dictionary import Dictionary, default_path, load
from taiyaku.align.score import Scores, score
from taiyaku.text.segment import split_sentences

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(os.environ.get("TAIYAKU_SHARED_DATA", HERE.parent.parent / "shared" / "data"))

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]
# ja sentences, their blocks, en sentences, their blocks, gold beads, ja kinds, en kinds
Doc = tuple[list[str], list[int], list[str], list[int], Beads, list[str], list[str]]


def read_corpus(path: Path) -> dict[str, list[dict[str, str]]]:
    csv.field_size_limit(1 << 30)
    docs: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            docs[row["doc_id"]].append(row)
    return docs


def units_of(rows: list[dict[str, str]]) -> list[tuple[str, list[str], str]]:
    """(ja, English sentences, block key) per unit."""
    out = []
    for n, row in enumerate(rows):
        english = [s.text for s in split_sentences(row["en"], "en")] or [row["en"]]
        # A title's block key starts with "t": its sentences are lines, not sentences.
        block = f"t{n}" if row["kind"] == "title" else f"{row['section']}/{row['par_id']}"
        out.append((row["ja"], english, block))
    return out


def build(units: list[tuple[list[str], list[str], str]]) -> Doc:
    """Sentences, blocks, kinds and gold beads from (ja sentences, en sentences, block) beads."""
    ja: list[str] = []
    en: list[str] = []
    ja_blocks: list[int] = []
    en_blocks: list[int] = []
    gold: Beads = []
    block_ids: dict[str, int] = {}
    ja_kinds: list[str] = []
    en_kinds: list[str] = []
    for ja_sents, en_sents, block in units:
        b = block_ids.setdefault(block, len(block_ids))
        kind = "line" if block[0] in "tx" else "sentence"
        ja_kinds += [kind] * len(ja_sents)
        en_kinds += [kind] * len(en_sents)
        src = tuple(range(len(ja), len(ja) + len(ja_sents)))
        tgt = tuple(range(len(en), len(en) + len(en_sents)))
        ja += ja_sents
        en += en_sents
        ja_blocks += [b] * len(ja_sents)
        en_blocks += [b] * len(en_sents)
        if src and tgt:
            gold.append((src, tgt))
        else:
            gold += [((i,), ()) for i in src] + [((), (j,)) for j in tgt]
    return ja, ja_blocks, en, en_blocks, gold, ja_kinds, en_kinds


def perturb(
    units: list[tuple[str, list[str], str]],
    rng: random.Random,
    donors: list[tuple[list[str], list[str]]],
) -> list[tuple[list[str], list[str], str]]:
    """One perturbed document: a list of (ja sentences, en sentences, block) gold beads."""
    out: list[tuple[list[str], list[str], str]] = []
    i = 0
    while i < len(units):
        ja, en, block = units[i]
        nxt = units[i + 1] if i + 1 < len(units) and units[i + 1][2] == block else None
        roll = rng.random()
        if nxt and roll < 0.05:  # two Japanese sentences written as one: 1-2 (or 1-n)
            out.append(([ja + nxt[0]], en + nxt[1], block))
            i += 2
        elif nxt and roll < 0.10 and len(en) == 1 and len(nxt[1]) == 1:  # English merged: 2-1
            out.append(([ja, nxt[0]], [en[0] + " " + nxt[1][0]], block))
            i += 2
        elif nxt and roll < 0.20 and len(en) == 2 and len(nxt[1]) == 1:  # joined across: 2-2
            out.append(([ja, nxt[0]], [en[0], en[1] + " " + nxt[1][0]], block))
            i += 2
        elif 0.20 <= roll < 0.23:  # a Japanese sentence left untranslated: 1-0
            out.append(([ja], [], block))
            i += 1
        elif 0.23 <= roll < 0.26:  # English with no Japanese: 0-1 per sentence
            out.append(([], en, block))
            i += 1
        else:
            if 0.26 <= roll < 0.29 and i and units[i - 1][2] != block:  # a one-sided block
                ja_titles, en_titles = rng.choice(donors)
                japanese_side = rng.random() < 0.5
                count = 1 if rng.random() < 0.5 else 3  # a heading or a short list
                texts = (ja_titles if japanese_side else en_titles)[:count]
                for t in texts:
                    out.append(([t], [], f"x{i}") if japanese_side else ([], [t], f"x{i}"))
            out.append(([ja], en, block))
            i += 1
    return out


def flatten(doc: Doc, *, japanese: bool) -> Doc:
    """``doc`` with one side's blocks removed: one block for the whole side, as in a page
    whose paragraphs lost their blank lines. Kinds stay: a heading is still a line."""
    ja, ja_blocks, en, en_blocks, gold, ja_kinds, en_kinds = doc
    if japanese:
        ja_blocks = [0] * len(ja)
    else:
        en_blocks = [0] * len(en)
    return ja, ja_blocks, en, en_blocks, gold, ja_kinds, en_kinds


def rebreak(doc: Doc, rng: random.Random) -> Doc:
    """``doc`` with the English paragraphs broken at other sentences: each break between two
    body paragraphs moves one or two sentences earlier or later, when the paragraphs it
    separates are long enough (a heading keeps its own block)."""
    ja, ja_blocks, en, en_blocks, gold, ja_kinds, en_kinds = doc
    starts = [j for j in range(1, len(en)) if en_blocks[j] != en_blocks[j - 1]]
    fixed = set(starts)
    breaks = set()
    for j in starts:
        if en_kinds[j] != "sentence" or en_kinds[j - 1] != "sentence":
            breaks.add(j)
            continue
        offsets = [-2, -1, 1, 2]
        rng.shuffle(offsets)
        for offset in offsets:
            moved = j + offset
            passed = range(min(j, moved), max(j, moved) + 1)
            if (
                0 < moved < len(en)
                and all(en_kinds[k] == "sentence" for k in range(min(j, moved) - 1, max(j, moved)))
                and not (fixed - {j}).intersection(passed)
                and not breaks.intersection(range(moved - 1, moved + 2))
            ):
                breaks.add(moved)
                break
        else:
            breaks.add(j)
    blocks = []
    block = 0
    for j in range(len(en)):
        block += j in breaks
        blocks.append(block)
    return ja, ja_blocks, en, blocks, gold, ja_kinds, en_kinds


def run(args: argparse.Namespace) -> None:
    machine = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime: {machine}")
    path = args.data / "kyoto-wiki-ja-en" / "sentences.tsv"
    if not path.exists():
        sys.exit(f"{path} is missing: this benchmark needs ../shared/data (or --data DIR)")
    global DICTIONARY
    edict = None if args.no_dictionary else default_path()
    DICTIONARY = load(edict) if edict else None
    print(f"dictionary anchor: {edict or 'none'}")
    corpus = read_corpus(path)
    ids = sorted(corpus)[args.offset :: args.every]
    ids = ids[: args.docs] if args.docs else ids
    donors = []
    for doc_id in sorted(corpus):
        titles = [r for r in corpus[doc_id] if r["kind"] == "title"]
        if len(titles) >= 3:
            donors.append(([r["ja"] for r in titles], [r["en"] for r in titles]))
    variants: dict[str, list[Doc]] = {"plain": [], "perturbed": [], "flattened": [], "rebroken": []}
    for number, doc_id in enumerate(ids):
        units = units_of(corpus[doc_id])
        plain = build([([ja], en, b) for ja, en, b in units])
        variants["plain"].append(plain)
        rng = random.Random(f"{args.seed}:{doc_id}")
        variants["perturbed"].append(build(perturb(units, rng, donors)))
        variants["flattened"].append(flatten(plain, japanese=number % 2 == 0))
        variants["rebroken"].append(rebreak(plain, random.Random(f"{args.seed}:re:{doc_id}")))
    # The tuning documents: every 16th of the whole corpus, whatever subset runs.
    position = {doc_id: k for k, doc_id in enumerate(sorted(corpus))}
    tuning = [position[doc_id] % 16 == 0 for doc_id in ids]
    print(f"kyoto-wiki-ja-en: {len(ids)} documents (seed {args.seed})")
    for name, docs in variants.items():
        if args.variant and name not in args.variant:
            continue
        gold = [d[4] for d in docs]
        kinds: dict[str, int] = defaultdict(int)
        for g in gold:
            for b in g:
                kinds[f"{len(b[0])}-{len(b[1])}"] += 1
        print(
            f"\n== {name}: {sum(len(d[0]) for d in docs):,} ja / "
            f"{sum(len(d[2]) for d in docs):,} en sentences; gold beads "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items(), key=lambda x: -x[1]))
        )
        systems = {
            "taiyaku": lambda d: taiyaku(d),
            "taiyaku, no blocks": lambda d: taiyaku(d, blocks=False),
            "gale-church": lambda d: align(
                d[0], d[2], source_lang="ja", target_lang="en", anchors=False
            ),
        }
        for system, fn in systems.items():
            if args.no_baselines and system != "taiyaku":
                continue
            started = time.perf_counter()
            aligned = [fn(d) for d in docs]
            elapsed = time.perf_counter() - started
            test = [[(b.source, b.target) for b in beads] for beads in aligned]
            report(system, score(gold, test), elapsed)
            if system == "taiyaku" and name == "perturbed":
                calibration(aligned, gold, tuning, fit=args.calibrate)
        if name == "perturbed" and not args.no_ablations:
            ablations(docs, gold)


def calibration(
    aligned: list[list[Bead]], gold: list[Beads], tuning: list[bool], *, fit: bool
) -> None:
    """How well confidence says which beads are right: reliability, Brier score, AUC, and the
    review threshold's recall of wrong beads, over the documents not used for tuning (all
    documents when only tuning ones ran). With ``fit``, refit the model on the tuning ones.

    The review threshold is chosen on documents the model was not fitted on, so that its
    recall holds for documents it has not seen: the documents not used for tuning are dealt
    alternately into two halves; the threshold catching :data:`confidence.REVIEW_RECALL` of
    the first half's wrong beads is printed with what it catches on the second half.
    """
    rows: dict[bool, tuple[list[tuple[float, ...]], list[float], list[bool]]] = {
        True: ([], [], []),
        False: ([], [], []),
    }
    # The held-out documents' (confidence, right) per half, for choosing the threshold.
    halves: tuple[list[tuple[float, bool]], list[tuple[float, bool]]] = ([], [])
    held_out = 0
    for beads, gold_doc, tuned in zip(aligned, gold, tuning, strict=True):
        right = set(gold_doc)
        if not tuned:
            held_out += 1
            halves[held_out % 2].extend(
                (b.confidence, (b.source, b.target) in right) for b in beads
            )
        for b in beads:
            features, scores, labels = rows[tuned]
            features.append(b.evidence)
            scores.append(b.confidence)
            labels.append((b.source, b.target) in right)
    if fit:
        features, _, labels = rows[True]
        coefficients = confidence.fit(features, labels)
        fitted = [confidence.probability(f, coefficients) for f in features]
        print("-- confidence model fitted on the tuning documents (intercept first):")
        print("   COEFFICIENTS = (" + ", ".join(f"{c:.4f}" for c in coefficients) + ")")
        threshold = confidence.threshold_for_recall(fitted, labels, confidence.REVIEW_RECALL)
        print(
            f"   REVIEW_THRESHOLD = {threshold:.4f}  (recall {confidence.REVIEW_RECALL} of wrong beads)"
        )
    only_tuning = not rows[False][1]
    _, scores, labels = rows[only_tuning]
    where = "tuning documents" if only_tuning else "documents not used for tuning"
    wrong = [s for s, r in zip(scores, labels, strict=True) if not r]
    brier = sum((s - r) ** 2 for s, r in zip(scores, labels, strict=True)) / len(scores)
    print(
        f"-- confidence over {len(scores):,} beads of the {where}: "
        f"AUC {confidence.auc(scores, labels):.4f}, Brier {brier:.4f}, {len(wrong):,} wrong"
    )
    print(f"   {'confidence':>12} {'beads':>7} {'mean conf':>9} {'right':>7}")
    for k in range(10):
        lo, hi = k / 10, (k + 1) / 10
        members = [
            (s, r)
            for s, r in zip(scores, labels, strict=True)
            if lo <= s < hi or (k == 9 and s == 1)
        ]
        if members:
            mean = sum(s for s, _ in members) / len(members)
            share = sum(r for _, r in members) / len(members)
            print(f"   {lo:4.1f} – {hi:3.1f} {len(members):7,} {mean:9.3f} {share:7.3f}")
    print(f"   review threshold {confidence.REVIEW_THRESHOLD:.4f}: " + caught(scores, labels))
    if halves[0] and halves[1]:
        choose, check = halves[1], halves[0]
        threshold = confidence.threshold_for_recall(
            [s for s, _ in choose], [r for _, r in choose], confidence.REVIEW_RECALL
        )
        print(
            f"   threshold chosen on half the held-out documents for recall "
            f"{confidence.REVIEW_RECALL} of wrong beads: {threshold:.4f}; on the other half it "
            + caught([s for s, _ in check], [r for _, r in check], threshold)
        )


def caught(scores: list[float], labels: list[bool], threshold: float | None = None) -> str:
    """What a review threshold highlights among these beads, and how many wrong ones."""
    threshold = confidence.REVIEW_THRESHOLD if threshold is None else threshold
    wrong = [s for s, r in zip(scores, labels, strict=True) if not r]
    hits = sum(1 for s in wrong if s < threshold)
    flagged = sum(1 for s in scores if s < threshold)
    return (
        f"highlights {flagged:,} of {len(scores):,} beads ({flagged / len(scores):.1%}), "
        f"{hits:,} of {len(wrong):,} wrong ones (recall {hits / max(1, len(wrong)):.3f})"
    )


# The installed EDICT (Debian's edict package, or $TAIYAKU_EDICT), or None: set by run().
DICTIONARY: Dictionary | None = None


def taiyaku(
    d: Doc, *, blocks: bool = True, lexicon: bool = True, dictionary: bool = True
) -> list[Bead]:
    return align(
        d[0],
        d[2],
        source_lang="ja",
        target_lang="en",
        source_blocks=d[1] if blocks else None,
        target_blocks=d[3] if blocks else None,
        source_kinds=d[5],
        target_kinds=d[6],
        lexicon=lexicon,
        dictionary=DICTIONARY if dictionary else None,
    )


# Anchor kinds switched off one at a time (weight 0: the feature is found but counts for
# nothing), and the second pass's learnt word associations.
ABLATIONS = {
    "numbers": ("num", "small"),
    "Latin tokens": ("latin",),
    "names (kanji ↔ romaji)": ("name",),
    "quotes": ("quote",),
    "learnt word associations": ("lex",),
    "dictionary (EDICT)": ("dict",),
}


def ablations(docs: list[Doc], gold: list[Beads]) -> None:
    full = score(gold, [[(b.source, b.target) for b in taiyaku(d)] for d in docs])["all"]
    print(f"-- anchor ablations (strict F1 without the anchor; all anchors: {full.strict_f1:.4f})")
    for label, kinds in ABLATIONS.items():
        saved = {k: WEIGHTS[k] for k in kinds}
        try:
            for k in kinds:
                WEIGHTS[k] = 0.0
            started = time.perf_counter()
            if kinds == ("lex",):
                test = [[(b.source, b.target) for b in taiyaku(d, lexicon=False)] for d in docs]
            elif kinds == ("dict",):
                if DICTIONARY is None:
                    continue
                test = [[(b.source, b.target) for b in taiyaku(d, dictionary=False)] for d in docs]
            else:
                test = [[(b.source, b.target) for b in taiyaku(d)] for d in docs]
            elapsed = time.perf_counter() - started
        finally:
            WEIGHTS.update(saved)
        s = score(gold, test)["all"]
        print(
            f"   without {label:28} strict F1 {s.strict_f1:.4f} ({s.strict_f1 - full.strict_f1:+.4f})"
            f"   lax F1 {s.lax_f1:.4f}   ({elapsed:.1f} s)"
        )


def report(system: str, scores: dict[str, Scores], elapsed: float) -> None:
    print(f"-- {system} ({elapsed:.1f} s)")
    print(
        f"   {'type':5} {'strict P':>8} {'R':>6} {'F1':>6}   {'lax P':>6} {'R':>6} {'F1':>6}"
        f"   {'test':>6} {'gold':>6}"
    )
    for kind, s in scores.items():
        if kind == "all":
            print(f"   (all, strict F1 to four places: {s.strict_f1:.4f})")
        r_strict = f"{s.strict_recall:6.3f}" if s.gold_beads else "     -"
        r_lax = f"{s.lax_recall:6.3f}" if s.gold_beads else "     -"
        f_strict = f"{s.strict_f1:6.3f}" if s.gold_beads and s.test_beads else "     -"
        f_lax = f"{s.lax_f1:6.3f}" if s.gold_beads and s.test_beads else "     -"
        p_strict = f"{s.strict_precision:8.3f}" if s.test_beads else "       -"
        p_lax = f"{s.lax_precision:6.3f}" if s.test_beads else "     -"
        print(
            f"   {kind:5} {p_strict} {r_strict} {f_strict}   {p_lax} {r_lax} {f_lax}"
            f"   {s.test_beads:6,} {s.gold_beads:6,}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=0, help="only the first N documents")
    parser.add_argument(
        "--every", type=int, default=1, help="every Nth document (16: the tuning subset)"
    )
    parser.add_argument(
        "--offset",
        type=int,
        default=0,
        help="start at this document (--every 16 --offset 8: a sample not tuned on)",
    )
    parser.add_argument(
        "--calibrate", action="store_true", help="refit the confidence model (tuning documents)"
    )
    parser.add_argument(
        "--variant",
        action="append",
        choices=("plain", "perturbed", "flattened", "rebroken"),
        help="only this variant (repeatable)",
    )
    parser.add_argument(
        "--no-baselines", action="store_true", help="only taiyaku, not the comparison systems"
    )
    parser.add_argument("--no-ablations", action="store_true", help="skip the anchor ablations")
    parser.add_argument(
        "--no-dictionary",
        action="store_true",
        help="align without the installed EDICT dictionary (Debian's edict, $TAIYAKU_EDICT)",
    )
    parser.add_argument("--seed", default="taiyaku", help="seed of the perturbations")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
