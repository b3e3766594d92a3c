"""Glossary speed on the 51,982-pair Kyoto lexicon: import, lookup, automaton load, term find.

Targets (issue 5): import ≤ 5 s; lookup median ≤ 30 ms, fuzzy included; automaton load ≤ 1 s;
``find_terms`` ≤ 1 ms per sentence over kyoto-wiki sentences once the automaton is loaded.

    .venv/bin/python benchmarks/glossary_bench.py [--sentences 20000]

Needs ../shared/data (kyoto-lexicon-ja-en, kyoto-wiki-ja-en). Prints the machine's load
average: the figures are wall-clock times on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from taiyaku.formats import read_terms
from taiyaku.glossary import Glossary, cache
from taiyaku.glossary.find import find_terms, term_automata
from taiyaku.glossary.termlookup import lookup, lookup_index
from taiyaku.store.db import open_db

DATA = (
    Path(os.environ.get("TAIYAKU_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    lexicon = DATA / "kyoto-lexicon-ja-en" / "kyoto_lexicon.csv"
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        glossary = Glossary(db)
        start = time.perf_counter()
        result = glossary.add_many(read_terms(lexicon, warn=lambda message: None))
        took = time.perf_counter() - start
        print(f"import: {result.added:,} terms in {took:.2f} s (target ≤ 5 s)")

        terms = list(glossary.iter_terms())
        rng = random.Random(5)
        queries = []
        for term in rng.sample(terms, args.queries):
            queries += [
                term.ja,  # exact
                term.ja[: max(1, len(term.ja) - 1)],  # prefix
                term.en.lower() + "s",  # plural/case
                term.en[:3] + term.en[4:],  # a typo (dropped letter)
            ]
        cache.clear()
        start = time.perf_counter()
        lookup_index(glossary)
        print(f"lookup index load: {1000 * (time.perf_counter() - start):.0f} ms")
        times = []
        for query in queries:
            start = time.perf_counter()
            lookup(glossary, query, limit=20)
            times.append(1000 * (time.perf_counter() - start))
        print(
            f"lookup: {len(queries)} queries, median {statistics.median(times):.1f} ms, "
            f"p90 {statistics.quantiles(times, n=10)[-1]:.1f} ms, max {max(times):.1f} ms "
            "(target: median ≤ 30 ms, fuzzy included)"
        )
        for query in ("kinkakuji", "きんかくじ", "金閣"):
            start = time.perf_counter()
            hits = lookup(glossary, query, limit=5)
            ms = 1000 * (time.perf_counter() - start)
            print(f"  {query}: {ms:.1f} ms → {[(h.term.ja, h.kind) for h in hits[:3]]}")

        cache.clear()
        start = time.perf_counter()
        automata = term_automata(glossary)
        print(
            f"automaton load: {time.perf_counter() - start:.2f} s for {automata.terms:,} terms "
            "(target ≤ 1 s)"
        )
        with open(DATA / "kyoto-wiki-ja-en" / "sentences.tsv", encoding="utf-8") as handle:
            rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            sentences = [r["ja"] for r, _ in zip(rows, range(args.sentences), strict=False)]
        found = 0
        start = time.perf_counter()
        for sentence in sentences:
            found += len(find_terms(glossary, sentence, sides=("ja",)))
        took = time.perf_counter() - start
        print(
            f"find_terms: {len(sentences):,} sentences in {took:.2f} s = "
            f"{1000 * took / len(sentences):.3f} ms/sentence, {found:,} occurrences "
            "(target ≤ 1 ms/sentence)"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
