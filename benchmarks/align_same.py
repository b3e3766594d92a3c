"""Does a change to the aligner keep every alignment? Record the beads, then compare.

Usage::

    .venv/bin/python benchmarks/align_same.py record before.json   # on the old code
    .venv/bin/python benchmarks/align_same.py record after.json    # on the new code
    .venv/bin/python benchmarks/align_same.py compare before.json after.json

The documents are those of ``benchmarks/align_kyoto.py`` (every ``--every``-th
kyoto-wiki-ja-en document, default 16: the tuning subset), in all four variants (plain,
perturbed, flattened, rebroken), aligned with paragraphs and kinds as that benchmark does,
with the EDICT dictionary anchor on (when installed) and off; with ``--pair``, also the
10,000 × 11,000 pair of ``benchmarks/align_speed.py`` (with paragraphs and flat). A speed-up
that is meant to change nothing must leave every bead, and its confidence, exactly as it was.

The recording runs with ``PYTHONHASHSEED=0`` (the script restarts itself so): the confidence
sums a bead's evidence over sets of strings, whose order, and so the last bit of the sum,
depends on the hash seed of the process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import align_kyoto as kyoto
import align_speed
from taiyaku.align import align
from taiyaku.align.dictionary import default_path, load


def record(args: argparse.Namespace) -> None:
    path = args.data / "kyoto-wiki-ja-en" / "sentences.tsv"
    if not path.exists():
        sys.exit(f"{path} is missing: this script needs ../shared/data (or --data DIR)")
    corpus = kyoto.read_corpus(path)
    ids = sorted(corpus)[:: args.every]
    donors = []
    for doc_id in sorted(corpus):
        titles = [r for r in corpus[doc_id] if r["kind"] == "title"]
        if len(titles) >= 3:
            donors.append(([r["ja"] for r in titles], [r["en"] for r in titles]))
    docs: list[tuple[str, kyoto.Doc]] = []
    for number, doc_id in enumerate(ids):
        units = kyoto.units_of(corpus[doc_id])
        plain = kyoto.build([([ja], en, b) for ja, en, b in units])
        rng = random.Random(f"taiyaku:{doc_id}")
        docs.append((f"plain/{doc_id}", plain))
        docs.append((f"perturbed/{doc_id}", kyoto.build(kyoto.perturb(units, rng, donors))))
        docs.append((f"flattened/{doc_id}", kyoto.flatten(plain, japanese=number % 2 == 0)))
        rebroken = kyoto.rebreak(plain, random.Random(f"taiyaku:re:{doc_id}"))
        docs.append((f"rebroken/{doc_id}", rebroken))
    edict = default_path()
    dictionaries = {"no-dictionary": None}
    if edict is not None:
        dictionaries["dictionary"] = load(edict)
    out: dict[str, list[list[object]]] = {}
    started = time.perf_counter()
    for setting, dictionary in dictionaries.items():
        for name, d in docs:
            beads = align(
                d[0], d[2], source_lang="ja", target_lang="en",
                source_blocks=d[1], target_blocks=d[3], source_kinds=d[5], target_kinds=d[6],
                dictionary=dictionary,
            )  # fmt: skip
            out[f"{setting}/{name}"] = [
                [list(b.source), list(b.target), b.type, repr(b.confidence)] for b in beads
            ]
    if args.pair:
        # The 10,000 × 11,000 pair of align_speed.py, with paragraphs and flat: the whole-
        # document passes (band doubling, long runs of skips) that short documents never reach.
        ja, ja_blocks, en, en_blocks = align_speed.build_pair(path, 10_000, 11_000)
        for name, blocks in (("paragraphs", (ja_blocks, en_blocks)), ("flat", (None, None))):
            beads = align(
                ja, en, source_lang="ja", target_lang="en",
                source_blocks=blocks[0], target_blocks=blocks[1],
            )  # fmt: skip
            out[f"no-dictionary/pair/{name}"] = [
                [list(b.source), list(b.target), b.type, repr(b.confidence)] for b in beads
            ]
    elapsed = time.perf_counter() - started
    load_avg = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(
        f"{len(out)} alignments ({len(docs)} documents × {len(dictionaries)} settings), "
        f"{sum(len(v) for v in out.values()):,} beads in {elapsed:.1f} s   ({load_avg})"
    )
    Path(args.file).write_text(json.dumps(out), encoding="utf-8")


def compare(args: argparse.Namespace) -> None:
    before = json.loads(Path(args.before).read_text(encoding="utf-8"))
    after = json.loads(Path(args.after).read_text(encoding="utf-8"))
    beads = confidences = 0
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key, []), after.get(key, [])
        if [b[:3] for b in old] != [b[:3] for b in new]:
            beads += 1
            print(f"beads differ: {key}")
        elif [b[3] for b in old] != [b[3] for b in new]:
            confidences += 1
            print(f"confidences differ: {key}")
    total = sum(len(v) for v in before.values())
    print(
        f"{len(before)} alignments, {total:,} beads: {beads} with different beads, "
        f"{confidences} with different confidences only"
    )
    sys.exit(1 if beads or confidences else 0)


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(
            sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"}
        )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record", help="align the documents and write their beads")
    rec.add_argument("file")
    rec.add_argument("--every", type=int, default=16, help="every Nth document")
    rec.add_argument("--data", type=Path, default=kyoto.DEFAULT_DATA)
    rec.add_argument(
        "--pair", action="store_true", help="also align align_speed.py's 10,000 × 11,000 pair"
    )
    cmp = commands.add_parser("compare", help="compare two recordings")
    cmp.add_argument("before")
    cmp.add_argument("after")
    args = parser.parse_args()
    record(args) if args.command == "record" else compare(args)


if __name__ == "__main__":
    main()
