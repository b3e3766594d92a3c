"""Term extraction quality: candidates from the kyoto-wiki TM scored against kyoto-lexicon.

Builds a TM from kyoto-wiki-ja-en (81,913 aligned pairs), extracts ranked (Japanese, English)
pairs with ``taiyaku.extract.extract_terms`` and counts a pair right when kyoto-lexicon has
it after the glossary's own key folding (Japanese find key: width, kana, long vowels;
English lookup key: case, plurals, hyphens and spaces). Prints precision at 100, 500 and
1,000, the number of right pairs in the whole ranked list, and the same for the
frequency-only baseline (most frequent Japanese, most frequent co-occurring English), run on
the same TM. The lexicon is not given to the extractor (it would be the answer). The
lexicon often adds a gloss in brackets ("Kojiki (The Records of Ancient Matters)"), which no
TM rendering has: a second line counts a pair right when it matches the English without it.

Usage: .venv/bin/python benchmarks/extract_bench.py [--docs N] [--limit 1000]
"""

from __future__ import annotations

import argparse
import csv
import re
import tempfile
import time
from pathlib import Path

from qa_data import KYOTO_LEXICON, KYOTO_WIKI, kyoto_units, require, uptime
from taiyaku.extract import extract_terms
from taiyaku.store.db import open_db
from taiyaku.store.tm import TranslationMemory
from taiyaku.text.keys import en_lookup_key, ja_find_key

_GLOSS = re.compile(r"\s*\([^()]*\)\s*$")


def lexicon_pairs(*, without_gloss: bool = False) -> set[tuple[str, str]]:
    """The lexicon's (Japanese, English) pairs under the glossary's key folding.

    :param without_gloss: also count the English without a trailing bracketed gloss
        ("Kojiki (The Records of Ancient Matters)" → "Kojiki"), the lexicon's habit
    """
    pairs = set()
    with open(KYOTO_LEXICON, encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            if len(row) >= 2 and row[0].strip() and row[1].strip():
                pairs.add((ja_find_key(row[0]), en_lookup_key(row[1])))
                bare = _GLOSS.sub("", row[1])
                if without_gloss and bare.strip():
                    pairs.add((ja_find_key(row[0]), en_lookup_key(bare)))
    return pairs


def score(ranked: list[tuple[str, str]], gold: set[tuple[str, str]]) -> dict[str, float]:
    right = [(ja_find_key(ja), en_lookup_key(en)) in gold for ja, en in ranked]
    figures: dict[str, float] = {}
    for k in (100, 500, 1000):
        if len(right) >= k:
            figures[f"P@{k}"] = sum(right[:k]) / k
    figures["right"] = sum(right)
    figures["pairs"] = len(right)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, help="only the first N documents (quick run)")
    parser.add_argument("--limit", type=int, default=2000, help="ranked pairs to score")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--show", type=int, default=0, help="print the first N pairs of each")
    args = parser.parse_args()
    require(KYOTO_WIKI, KYOTO_LEXICON)
    print(uptime())
    gold = lexicon_pairs()
    lenient = lexicon_pairs(without_gloss=True)
    print(f"kyoto-lexicon: {len(gold):,} folded pairs ({len(lenient):,} with glosses dropped)")
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "kyoto.db")
        tm = TranslationMemory(db)
        started = time.perf_counter()
        tm.add_many(kyoto_units(args.docs))
        print(f"TM: {tm.count():,} units built in {time.perf_counter() - started:.1f} s")
        for method in ("combined", "frequency"):
            started = time.perf_counter()
            found = extract_terms(
                tm.iter_units(), min_count=args.min_count, limit=args.limit, method=method
            )
            took = time.perf_counter() - started
            figures = score([(c.ja, c.en) for c in found], gold)
            shown = "  ".join(
                f"{k} {v:.3f}" if k.startswith("P@") else f"{k} {v:,.0f}"
                for k, v in figures.items()
            )
            print(f"{method:>9}: {shown}  ({took:.1f} s)")
            figures = score([(c.ja, c.en) for c in found], lenient)
            shown = "  ".join(
                f"{k} {v:.3f}" if k.startswith("P@") else f"{k} {v:,.0f}"
                for k, v in figures.items()
            )
            print(f"{'':>9}  lexicon glosses dropped: {shown}")
            for c in found[: args.show]:
                mark = "+" if (ja_find_key(c.ja), en_lookup_key(c.en)) in gold else "-"
                print(f"   {mark} {c.ja} → {c.en}  ({c.score:g}, {c.count}, {c.together})")
    print(uptime())


if __name__ == "__main__":
    main()
