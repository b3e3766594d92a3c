"""Benchmark fuzzy matching and concordance on a 1,000,000-unit TM built from real pairs.

Steps (figures printed as they come, with the machine's load beside them):

1. build ``/tmp/taiyaku-bench/match-tm.tmx`` and 1,000 held-out queries
   (``benchmarks/match_data.py``) unless they exist;
2. ``taiyaku tm import`` it into a fresh database: wall time (parsing, storing, indexing) and
   the import process's peak RSS. Targets: ≤ 90 s, < 1 GB;
3. ``taiyaku match --file`` over the queries, as a user runs it (wall time of the command);
4. in one process, the same queries through the library, indexed and then exhaustively
   (``rapidfuzz.process.extract`` over every source key): median ms per query, the speed-up,
   and top-1 agreement. Targets: median ≤ 20 ms, ≥ 15× faster, agreement ≥ 99.5 %;
5. concordance for 300 Japanese terms of the Kyoto lexicon, 30 1-character queries and
   100 English terms of one or two words of the lexicon and 100 single English words of it
   (found on the target side of this ja→en TM): median ms.
   Target ≤ 50 ms.

Run: ``python benchmarks/match_bench.py [--skip-import] [--queries N]``. Needs ``../shared/data``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUT = Path("/tmp/taiyaku-bench")
TAIYAKU = [sys.executable, "-m", "taiyaku"]


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def build_data(units: int) -> None:
    from match_data import SHARED, build

    if not SHARED.exists():
        sys.exit(f"DATA MISSING: {SHARED} is not here; nothing to benchmark")
    if not (OUT / "match-tm.tmx").exists():
        t = time.perf_counter()
        build(units, OUT)
        print(f"built the TMX in {time.perf_counter() - t:.1f} s")


def run_import(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"import: start ({load()})")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(
        [*TAIYAKU, "--db", str(db), "tm", "import", str(OUT / "match-tm.tmx")], check=True
    )
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        f"import + index: {elapsed:.1f} s (target ≤ 90 s); peak RSS {max(peak, before) / 1024:.0f} MiB "
        f"(target < 1024 MiB); {load()}"
    )


def run_cli_match(db: Path, queries: list[str]) -> None:
    path = OUT / "match-queries.bench.txt"
    path.write_text("\n".join(queries) + "\n", encoding="utf-8")
    t = time.perf_counter()
    done = subprocess.run(
        [*TAIYAKU, "--db", str(db), "match", "--file", str(path), "--json"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    elapsed = time.perf_counter() - t
    lines = done.stdout.count("\n")
    print(
        f"taiyaku match --file: {lines} queries in {elapsed:.1f} s "
        f"({elapsed / max(lines, 1) * 1000:.1f} ms/query including start-up and output); {load()}"
    )


def run_library(db_path: Path, queries: list[str]) -> None:
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    matcher = Matcher(open_db(db_path))
    matcher.reader("ja")
    indexed, times = [], []
    for query in queries:
        t = time.perf_counter()
        indexed.append(matcher.search(query))
        times.append(time.perf_counter() - t)
    print(
        f"indexed search (with diff, terms, numbers): median {statistics.median(times) * 1000:.1f} ms, "
        f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
        f"(target median ≤ 20 ms); {load()}"
    )
    t = time.perf_counter()
    matcher.all_keys("ja")
    print(
        f"exhaustive: loading {len(matcher.all_keys('ja')[0]):,} keys took {time.perf_counter() - t:.1f} s (not counted)"
    )
    exhaustive, ex_times = [], []
    for query in queries:
        t = time.perf_counter()
        exhaustive.append(matcher.scores(query, exhaustive=True))
        ex_times.append(time.perf_counter() - t)
    agree = same_unit = with_match = 0
    for got, want in zip(indexed, exhaustive, strict=True):
        top = (got[0].score, got[0].unit.id) if got else None
        if want:
            with_match += 1
        if (top is None and not want) or (top and want and top[0] == want[0][0]):
            agree += 1
        if (top is None and not want) or (top and want and top == want[0]):
            same_unit += 1
    speedup = statistics.median(ex_times) / statistics.median(times)
    print(
        f"exhaustive rapidfuzz: median {statistics.median(ex_times) * 1000:.1f} ms; "
        f"speed-up {speedup:.1f}× (target ≥ 15×); {load()}"
    )
    print(
        f"top-1 agreement: {agree}/{len(queries)} = {agree / len(queries):.2%} same top score, "
        f"{same_unit / len(queries):.2%} same unit (target ≥ 99.5 %); "
        f"{with_match} queries have a match ≥ 70"
    )


def run_concordance(db_path: Path) -> None:
    from taiyaku.match.concordance import concordance
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    lexicon = ROOT.parent / "shared" / "data" / "kyoto-lexicon-ja-en" / "kyoto_lexicon.csv"
    if not lexicon.exists():
        print(f"concordance: DATA MISSING ({lexicon})")
        return
    with lexicon.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.reader(f) if len(row) >= 2]
    terms = sorted({row[0] for row in rows if 2 <= len(row[0]) <= 6})
    english = sorted({row[1] for row in rows if 3 <= len(row[1]) <= 20 and row[1].count(" ") < 2})
    english_words = sorted({w.lower() for row in rows for w in row[1].split() if w.isalpha()})
    rng = random.Random(4)
    sample = rng.sample(terms, 300)
    singles = rng.sample(sorted({c for t in terms for c in t}), 30)
    english_sample = rng.sample(english, 100)
    word_sample = rng.sample([w for w in english_words if len(w) >= 4], 100)
    matcher = Matcher(open_db(db_path))
    concordance(matcher, "寺")  # load the sizes arrays once, as the fuzzy search does
    for name, queries in (
        ("terms of 2–6 characters", sample),
        ("1-character queries", singles),
        ("English terms (targets)", english_sample),
        ("English words of the lexicon (targets)", word_sample),
    ):
        times, totals = [], []
        for query in queries:
            t = time.perf_counter()
            totals.append(concordance(matcher, query).total)
            times.append(time.perf_counter() - t)
        print(
            f"concordance, {len(queries)} {name}: median {statistics.median(times) * 1000:.1f} ms, "
            f"p90 {sorted(times)[int(len(times) * 0.9)] * 1000:.1f} ms, median hits "
            f"{statistics.median(totals):.0f} (target median ≤ 50 ms); {load()}"
        )
    for query in ("temple", "の", "the"):
        t = time.perf_counter()
        found = concordance(matcher, query)
        print(
            f"concordance {query!r}: {(time.perf_counter() - t) * 1000:.1f} ms, "
            f"{found.total:,} hits{'' if found.exact else ' (at most)'}"
        )
    t = time.perf_counter()
    subprocess.run(
        [*TAIYAKU, "--db", str(db_path), "concordance", "temple", "--json"],
        check=True,
        capture_output=True,
    )
    print(
        f"taiyaku concordance temple (CLI, start-up included): "
        f"{(time.perf_counter() - t) * 1000:.0f} ms; {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--skip-import", action="store_true", help="reuse the database")
    args = parser.parse_args()
    print(f"taiyaku match benchmark: {os.cpu_count()} cores; {load()}")
    build_data(args.units)
    db = OUT / "match-bench.db"
    if not args.skip_import or not db.exists():
        run_import(db)
    queries = (
        (OUT / "match-queries.ja.txt").read_text(encoding="utf-8").splitlines()[: args.queries]
    )
    run_cli_match(db, queries)
    run_library(db, queries)
    run_concordance(db)


if __name__ == "__main__":
    main()
