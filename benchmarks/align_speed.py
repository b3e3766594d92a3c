"""Alignment speed and memory: a pair of about 10,000 and 11,000 sentences.

Usage: .venv/bin/python benchmarks/align_speed.py [--units N] [--data DIR]

The pair is built from kyoto-wiki-ja-en: whole documents, in file order, until N Japanese
units (default 10,000); the English units split into sentences (about 10,200), then English
sentences from further on in the corpus inserted at even intervals, as passages with no
Japanese counterpart, until there are ``--en`` of them (default 11,000). It is aligned
as one flat list (no paragraphs: the whole band-limited DP) and with paragraphs, each with and
without the second pass that adds the word associations the first pass's beads teach (its
cost is the difference). Time is
wall clock on one core (numpy single-threaded); peak memory is traced by ``tracemalloc`` in a
second run, at 1/4, 1/2 and all of the pair, to show it grows linearly.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from taiyaku.align import align
from taiyaku.align.dictionary import default_path
from taiyaku.align.dictionary import load as load_dictionary
from taiyaku.text.segment import split_sentences

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(os.environ.get("TAIYAKU_SHARED_DATA", HERE.parent.parent / "shared" / "data"))


def load(path: Path, units: int) -> tuple[list[str], list[int], list[str], list[int]]:
    csv.field_size_limit(1 << 30)
    ja: list[str] = []
    en: list[str] = []
    ja_blocks: list[int] = []
    en_blocks: list[int] = []
    blocks: dict[tuple[str, str, str], int] = {}
    with open(path, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(ja) >= units:
                break
            key = (row["doc_id"], row["section"], row["par_id"] or f"t{len(ja)}")
            b = blocks.setdefault(key, len(blocks))
            ja.append(row["ja"])
            ja_blocks.append(b)
            for s in split_sentences(row["en"], "en") or []:
                en.append(s.text)
                en_blocks.append(b)
    return ja, ja_blocks, en, en_blocks


def build_pair(
    path: Path, units: int, wanted: int
) -> tuple[list[str], list[int], list[str], list[int]]:
    """The benchmark's pair: ``units`` Japanese units and their English sentences, with
    English sentences from further on inserted at even intervals until there are ``wanted``.

    :return: the Japanese sentences, their blocks, the English sentences, their blocks
    """
    ja, ja_blocks, en, en_blocks = load(path, units)
    _extra_ja, _, extra, _ = load(path, units + wanted)
    extra = extra[len(en) + 200 :]
    missing = max(0, wanted - len(en))
    if missing:
        step = len(en) // missing
        en2: list[str] = []
        blocks2: list[int] = []
        for k, (sentence, block) in enumerate(zip(en, en_blocks, strict=True)):
            en2.append(sentence)
            blocks2.append(block)
            if k % step == step - 1 and len(en2) - k - 1 < missing:
                en2.append(extra[len(en2) - k - 1])
                blocks2.append(-1 - k)  # a block of its own
        en, en_blocks = en2, blocks2
    return ja, ja_blocks, en, en_blocks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--en", type=int, default=11_000, help="English sentences wanted")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    path = args.data / "kyoto-wiki-ja-en" / "sentences.tsv"
    if not path.exists():
        sys.exit(f"{path} is missing: this benchmark needs ../shared/data (or --data DIR)")
    ja, ja_blocks, en, en_blocks = build_pair(path, args.units, args.en)
    load_avg = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"pair: {len(ja):,} ja × {len(en):,} en sentences   (uptime: {load_avg})")
    runs: list[tuple[str, dict[str, object]]] = []
    edict = default_path()
    if edict is not None:
        started = time.perf_counter()
        dictionary = load_dictionary(edict)
        print(
            f"dictionary {edict}: {len(dictionary):,} terms read in {time.perf_counter() - started:.2f} s"
        )
        runs.append(
            (
                "with paragraphs and the dictionary anchor (EDICT)",
                {"source_blocks": ja_blocks, "target_blocks": en_blocks, "dictionary": dictionary},
            )
        )
    for label, kwargs in (
        *runs,
        ("flat (one band-limited DP over all sentences)", {}),
        (
            "flat, without the learnt-lexicon second pass",
            {"lexicon": False},
        ),
        (
            "with paragraphs (sentence pass, then blocks when the layouts agree)",
            {"source_blocks": ja_blocks, "target_blocks": en_blocks},
        ),
        (
            "with paragraphs, without the learnt-lexicon second pass",
            {"source_blocks": ja_blocks, "target_blocks": en_blocks, "lexicon": False},
        ),
    ):
        started = time.perf_counter()
        beads = align(ja, en, source_lang="ja", target_lang="en", **kwargs)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
        print(f"{label}: {elapsed:.2f} s, {len(beads):,} beads")
    for fraction in (4, 2, 1):
        n = len(ja) // fraction
        m = len(en) // fraction
        tracemalloc.start()
        align(ja[:n], en[:m], source_lang="ja", target_lang="en")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"peak traced memory, flat, {n:,} × {m:,}: {peak / 1e6:.1f} MB")
    load_avg = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"(uptime after: {load_avg})")


if __name__ == "__main__":
    main()
