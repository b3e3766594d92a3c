"""Benchmark fuzzy matching of English sources: the match benchmark's TM imported en→ja.

Every target of the match benchmark (``match_bench.py``) is for Japanese sources. This one
imports the same TMX with ``tm import --src-lang en --tgt-lang ja``, so that the English side
is the source, and measures what an English-source user gets (``docs/scaling.md``, the
sixth round):

1. build ``OUT/<units>/match-tm.tmx`` (``benchmarks/match_data.py``) unless it exists;
2. import it into ``OUT/<units>/english.db``: wall time, peak RSS, file size (with
   ``--skip-import`` the database is reused);
3. ``--queries`` English queries (400): sources of the TM, drawn with a fixed seed, with one
   word taken out (saved to ``OUT/<units>/english-queries.txt``);
4. through the library, one core: the mean, median and p99 per query at each of
   ``--thresholds`` (70,50,55,60,75,80,90,95), after ``--warm-up`` queries (50) at 70. The matcher
   holds the keys in memory once it has read a third as many as there are (rent or buy),
   so the first threshold's queries pay for that;
5. the exhaustive yardstick (rapidfuzz over every key) on the first ``--check`` queries (40)
   at 50 and 70: its mean, and how many indexed results equal it (all must);
6. one query from the command line at 70, three times: wall time.

Run: ``python benchmarks/english_bench.py [--units N] [--skip-import] [--out DIR]``. Needs
``../shared/data`` (or ``$TAIYAKU_SHARED_DATA``) unless ``OUT/<units>`` has the TMX.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import match_bench
from match_bench import build_data, load, percentile, run_import


def english_queries(db: Path, n: int, out: Path) -> list[str]:
    """``n`` English sources of ``db`` with one word taken out (the same ones every run)."""
    from taiyaku.store.db import open_db

    rows = open_db(db, write=False).conn.execute(
        "SELECT source_text FROM units WHERE source_lang = 'en' ORDER BY id"
    )
    sources = [text for (text,) in rows if len(text.split()) >= 3]
    rng = random.Random(14)
    queries = []
    for text in rng.sample(sources, min(n, len(sources))):
        words = text.split()
        del words[rng.randrange(len(words))]
        queries.append(" ".join(words))
    out.write_text("".join(q + "\n" for q in queries), encoding="utf-8")
    return queries


def run_thresholds(db: Path, queries: list[str], thresholds: list[int], warm_up: int) -> None:
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    matcher = Matcher(open_db(db, write=False))
    for query in queries[:warm_up]:
        matcher.scores(query, min_score=70, lang="en")
    for min_score in thresholds:
        times = []
        for query in queries:
            t = time.perf_counter()
            matcher.scores(query, min_score=min_score, limit=5, lang="en")
            times.append(time.perf_counter() - t)
        print(
            f"library, English sources, --min {min_score}, one core: mean "
            f"{statistics.mean(times) * 1000:.1f} ms, median "
            f"{statistics.median(times) * 1000:.1f} ms, p99 "
            f"{percentile(times, 0.99) * 1000:.1f} ms ({len(times)} queries); {load()}"
        )


def run_check(db: Path, queries: list[str]) -> None:
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    matcher = Matcher(open_db(db, write=False))
    matcher.all_keys("en")
    for min_score in (50, 70):
        times, same = [], 0
        for query in queries:
            t = time.perf_counter()
            want = matcher.scores(query, min_score=min_score, lang="en", exhaustive=True)
            times.append(time.perf_counter() - t)
            same += matcher.scores(query, min_score=min_score, lang="en") == want
        print(
            f"exhaustive rapidfuzz --min {min_score} ({len(queries)} queries): mean "
            f"{statistics.mean(times) * 1000:.1f} ms; indexed results equal to it: "
            f"{same}/{len(queries)}; {load()}"
        )
        if same != len(queries):
            sys.exit("the indexed search differs from the exhaustive one")


def run_cli_once(db: Path, query: str) -> None:
    walls = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(
            [*match_bench.TAIYAKU, "--db", str(db), "match", "--min", "70", "--json", "--", query],
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - t)
    print(f"taiyaku match, one English query at 70: {', '.join(f'{w:.2f}' for w in walls)} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--thresholds", default="70,50,55,60,75,80,90,95")
    parser.add_argument("--warm-up", type=int, default=50)
    parser.add_argument("--check", type=int, default=40, help="queries run exhaustively")
    parser.add_argument("--skip-import", action="store_true", help="reuse the database")
    parser.add_argument("--out", type=Path, help=f"where data and databases go ({match_bench.OUT})")
    args = parser.parse_args()
    out = (args.out or match_bench.OUT) / str(args.units)
    out.mkdir(parents=True, exist_ok=True)
    print(f"taiyaku English-source match benchmark; {load()}")
    build_data(args.units, out)
    db = out / "english.db"
    if not (args.skip_import and db.exists()):
        run_import(db, out / "match-tm.tmx", "--src-lang", "en", "--tgt-lang", "ja")
    queries = english_queries(db, args.queries, out / "english-queries.txt")
    run_thresholds(db, queries, [int(x) for x in args.thresholds.split(",")], args.warm_up)
    run_check(db, queries[: args.check])
    run_cli_once(db, queries[0])


if __name__ == "__main__":
    main()
