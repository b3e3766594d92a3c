"""Benchmark pretranslation: a 1,000-segment document against the match benchmark's TM.

Steps (figures printed as they come, with the machine's load beside them):

1. build the TM and its 1,000 held-out Japanese sentences with ``benchmarks/match_data.py``
   (``--units``, default 1,000,000) unless they exist, and import the TM into its own
   database unless that exists;
2. write a document of the held-out sentences, one paragraph each (1,000 segments): half of
   them have edited copies in the TM, half none, as ``match_data`` makes them;
3. time what ``taiyaku pretranslate doc.txt -o doc.xlf`` does, in one process: read and
   segment the document, match every segment, find its glossary terms, write XLIFF 1.2.
   Target: under 30 s. Prints the summary by match band.

Run: ``python benchmarks/pretranslate_bench.py [--units N]``. Needs ``../shared/data`` (or the
folder in ``$TAIYAKU_SHARED_DATA``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

OUT = Path("/tmp/taiyaku-bench")


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000, help="TM size (default 1M)")
    args = parser.parse_args()
    import match_data

    shared = os.environ.get("TAIYAKU_SHARED_DATA")
    if shared:  # a checkout without ../shared beside it (a worktree) names the data folder
        match_data.SHARED = Path(shared)
    if not match_data.SHARED.exists():
        sys.exit(f"DATA MISSING: {match_data.SHARED} is not here; nothing to benchmark")
    data = OUT / f"pretranslate-{args.units}"
    tmx, queries = data / "match-tm.tmx", data / "match-queries.ja.txt"
    if not tmx.exists():
        started = time.perf_counter()
        match_data.build(args.units, data)
        print(f"data built in {time.perf_counter() - started:.0f} s ({load()})")
    db = data / "tm.db"
    if not db.exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "taiyaku", "--db", str(db), "tm", "import", str(tmx)],
            check=True,
        )
        print(f"TM imported in {time.perf_counter() - started:.0f} s ({load()})")

    from taiyaku.formats.sources import read_source
    from taiyaku.loop import pretranslate, write_bilingual
    from taiyaku.store.db import open_db

    sentences = [s for s in queries.read_text(encoding="utf-8").splitlines() if s.strip()]
    document = data / "doc.txt"
    document.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    print(f"before: {load()}")
    started = time.perf_counter()
    source = read_source(document)
    segmented = time.perf_counter()
    result = pretranslate(open_db(str(db)), source)
    matched = time.perf_counter()
    write_bilingual(result, data / "doc.xlf")
    done = time.perf_counter()
    print(
        f"{len(source.segments):,} segments against {args.units:,} units: "
        f"{done - started:.1f} s in all (segmenting {segmented - started:.1f} s, "
        f"matching {matched - segmented:.1f} s, writing XLIFF {done - matched:.1f} s), "
        f"{1000 * (matched - segmented) / max(1, len(source.segments)):.1f} ms per segment"
    )
    for band in [*result.bands, result.total]:
        print(f"  {band.name:16} {band.segments:6,} segments {band.size:9,} {result.unit}")
    print(f"  filled from the TM: {result.filled:,}")
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
