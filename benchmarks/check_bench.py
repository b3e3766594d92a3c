"""QA checks on real data: how many findings each check makes, and a sample to read.

Runs ``taiyaku.qa.check_units`` over (1) the kyoto-wiki TM (professionally translated and
twice revised, so most findings should be false alarms or real small slips) with the
kyoto-lexicon glossary, and (2) the seed pairs (tm/) aligned into a TM, with the seed
glossary (glossary/). Prints the units checked, time and load, the findings per check and
rule, and writes a seeded random sample of findings per rule to ``--sample FILE`` (TSV) for a
person to judge: the precision reported in the closing note is what was judged there.

Usage: .venv/bin/python benchmarks/check_bench.py [--docs N] [--sample sample.tsv] [--per-rule 15]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from qa_data import KYOTO_LEXICON, KYOTO_WIKI, kyoto_units, require, uptime
from taiyaku.align import align_files, glossary_pairs, save_alignment
from taiyaku.formats import read_terms
from taiyaku.glossary import Glossary
from taiyaku.qa import Finding, check_units, located_tm_units
from taiyaku.store.db import open_db
from taiyaku.store.tm import TranslationMemory

ROOT = Path(__file__).resolve().parent.parent


def report(name: str, findings: list[Finding], units: int, took: float) -> None:
    by_rule = Counter((f.check, f.rule) for f in findings)
    with_findings = len({f.where for f in findings})
    print(f"{name}: {units:,} units checked in {took:.1f} s ({uptime()}); "
          f"{len(findings):,} findings in {with_findings:,} units")  # fmt: skip
    for (check, rule), count in sorted(by_rule.items()):
        print(f"  {check:<13} {rule:<30} {count:>7,}  ({count / max(units, 1):.2%} of units)")


def sample(findings: list[Finding], per_rule: int, seed: int = 17) -> list[Finding]:
    by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[(f.check, f.rule)].append(f)
    chosen = []
    rng = random.Random(seed)
    for key in sorted(by_rule):
        group = by_rule[key]
        chosen += rng.sample(group, min(per_rule, len(group)))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, help="only the first N kyoto-wiki documents")
    parser.add_argument("--sample", type=Path, help="write a sample of findings here (TSV)")
    parser.add_argument("--per-rule", type=int, default=15)
    args = parser.parse_args()
    require(KYOTO_WIKI, KYOTO_LEXICON)
    print(uptime())
    picked: list[tuple[str, Finding]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "seed.db")
        glossary = Glossary(db)
        glossary.add_many(read_terms(ROOT / "glossary" / "mic-global-strategy-bureau.tsv"))
        alignment = align_files(
            ROOT / "tm" / "mic-global-strategy-bureau.ja.txt",
            ROOT / "tm" / "mic-global-strategy-bureau.en.txt",
            glossary=glossary_pairs(db),
        )
        save_alignment(db, alignment, "mic-global-strategy-bureau")
        started = time.perf_counter()
        findings = check_units(located_tm_units(db), glossary=glossary)
        report("seed pairs + seed glossary", findings, TranslationMemory(db).count(),
               time.perf_counter() - started)  # fmt: skip
        picked += [("seed", f) for f in findings]

        db = open_db(Path(tmp) / "kyoto.db")
        glossary = Glossary(db)
        glossary.add_many(read_terms(KYOTO_LEXICON, warn=lambda message: None))
        tm = TranslationMemory(db)
        tm.add_many(kyoto_units(args.docs))
        started = time.perf_counter()
        findings = check_units(located_tm_units(db), glossary=glossary)
        report("kyoto-wiki + kyoto-lexicon", findings, tm.count(), time.perf_counter() - started)
        picked += [("kyoto", f) for f in sample(findings, args.per_rule)]
    if args.sample:
        with open(args.sample, "w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, delimiter="\t")
            out.writerow(["set", "where", "check", "rule", "message", "source", "target", "right?"])
            for name, f in picked:
                out.writerow([name, f.where, f.check, f.rule, f.message, f.source, f.target, ""])
        print(f"{args.sample}: {len(picked)} findings to judge")


if __name__ == "__main__":
    main()
