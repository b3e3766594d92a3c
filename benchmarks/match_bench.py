"""Benchmark fuzzy matching on a TM of a million units built from real pairs, as users run it.

Steps (figures printed as they come, each with the machine's load average beside it):

1. build ``OUT/<units>/match-tm.tmx`` and 1,000 held-out queries (``benchmarks/match_data.py``)
   unless they exist;
2. ``taiyaku tm import`` it into a fresh database: wall time (parsing, storing, indexing), the
   import's peak RSS, and the database file's size. Targets at 1M: ≤ 60 s, < 1 GB, ≤ 600 MB.
   Also its CPU time (the parsing child's included) and that divided by the cores: the
   least wall time the same work could take on this machine.
   With ``--skip-import`` the existing database is reused after ``taiyaku upgrade`` (a no-op
   unless this taiyaku's schema or keys are newer than the database's);
3. ``taiyaku match --min 70 --limit 5 --json -- Q1 … Qn`` in one call, start-up included, and
   the same at ``--min 50``: the mean per query is the wall time divided by n, and the CPU
   time over the wall time says how many cores the batch kept busy. Targets: ≤ 5 ms at 70,
   ≤ 20 ms at 50. Then the same call with ``--workers 1``, its lines timed as they arrive:
   mean, median and p99 per query as the CLI answers them one after another;
4. in one process, the same queries through the library (``Matcher.scores``): mean, median and
   p99 per query; then the exhaustive yardstick (``rapidfuzz.process.extract`` over every
   source key at the same cutoff) on the first ``--yardstick`` queries: its mean, the
   speed-up of the CLI mean over it (target ≥ 30× at 70) and top-1 agreement (≥ 99.5 %);
5. start-up: ``taiyaku match Q`` for one query, wall time (target ≤ 0.3 s), each run followed
   by a bare interpreter and by ``import numpy, click, rapidfuzz``: the floor of that time on
   this machine;
6. ``taiyaku analyze`` and ``taiyaku pretranslate`` of a 1,000-segment document (the
   queries, one a line): wall time (target ≤ 20 s) and cores kept busy;
7. concordance for terms of the Kyoto lexicon (median ms).

``--growth 250000,1000000,2000000,5000000`` runs steps 1–4 (without the yardstick) for each
size and prints a table, the exponent of each figure in TM size (least squares over the
sizes, and between the two largest), whether query time grows sublinearly, and where 50M
units would land (see ``docs/scaling.md``). Every size is imported first; then the query
figures of all sizes are measured ``--rounds`` times (3), one size after another in each
round, and each figure's median is kept, so that a machine's drift over the minutes of the
largest import does not tilt the exponents. It resumes: each size's import and row are
saved in ``OUT/<units>/`` (``import.json``, ``growth.json``) and reused by the next run
(``--fresh`` measures again); data missing for a size is built first.

The commands run this checkout's ``src`` (``$PYTHONPATH``), its bytecode compiled first as an
installed package's is (where ``$PYTHONDONTWRITEBYTECODE`` is set every start-up would
otherwise compile taiyaku's modules again). Wall times on a shared machine include waiting
for a core: the load average printed beside each figure says how far to trust it.

Run: ``python benchmarks/match_bench.py [--units N] [--queries N] [--skip-import]``. Needs
``../shared/data`` (or ``$TAIYAKU_SHARED_DATA``) unless ``OUT/<units>`` has the data.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import itertools
import json
import math
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

OUT = Path("/tmp/speed-bench")
TAIYAKU = [sys.executable, "-m", "taiyaku"]
# The commands measured are this checkout's, whatever taiyaku the interpreter has installed.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p
)


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def build_data(units: int, out: Path) -> None:
    if (out / "match-tm.tmx").exists() and (out / "match-queries.ja.txt").exists():
        return
    from match_data import SHARED, build

    if not SHARED.exists():
        sys.exit(f"DATA MISSING: {SHARED} is not here; nothing to benchmark")
    t = time.perf_counter()
    build(units, out)
    print(f"built the TMX in {time.perf_counter() - t:.1f} s")


def file_size(db: Path) -> int:
    return sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())


def run_import(db: Path, tmx: Path, *options: str) -> dict[str, float]:
    """Import ``tmx`` into a fresh ``db`` (``options``: of ``tm import``) and print the figures."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"import: start ({load()})")
    cpu, t = children_cpu(), time.perf_counter()
    subprocess.run([*TAIYAKU, "--db", str(db), "tm", "import", *options, str(tmx)], check=True)
    elapsed, cpu = time.perf_counter() - t, children_cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = file_size(db) / 1e6
    cores = len(os.sched_getaffinity(0))
    print(
        f"import + index: {elapsed:.1f} s (target ≤ 60 s at 1M); peak RSS {peak:.0f} MiB "
        f"(target < 1024 MiB); database {size:.0f} MB (target ≤ 600 MB per 1M); {load()}"
    )
    # The parsing child's CPU is counted too (it is waited for): spread perfectly over the
    # cores, the same work could not take less than CPU / cores.
    print(
        f"import CPU: {cpu:.1f} s, {cpu / elapsed:.2f} cores busy; over {cores} cores it "
        f"cannot take less than {cpu / cores:.1f} s"
    )
    return {"import_s": elapsed, "rss_mib": peak, "size_mb": size, "import_cpu_s": cpu}


def match_command(db: Path, min_score: int, *options: str) -> list[str]:
    return [*TAIYAKU, "--db", str(db), "match", "--min", str(min_score), "--limit", "5", *options]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(db: Path, queries: list[str], min_score: int) -> float:
    """Return the mean ms per query of one ``taiyaku match`` call over all ``queries``."""
    command = match_command(db, min_score, "--json", "--", *queries)
    cpu, t = children_cpu(), time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, encoding="utf-8")
    elapsed, cpu = time.perf_counter() - t, children_cpu() - cpu
    assert done.stdout.count("\n") == len(queries), "one JSON line per query"
    mean = elapsed / len(queries) * 1000
    print(
        f"taiyaku match --min {min_score}: {len(queries)} queries in {elapsed:.2f} s = "
        f"mean {mean:.2f} ms/query, start-up and output included; CPU {cpu:.2f} s, "
        f"{cpu / elapsed:.2f} cores busy; {load()}"
    )
    return mean


def run_cli_per_query(db: Path, queries: list[str], min_score: int) -> None:
    """The call of :func:`run_cli` with ``--workers 1``, its JSON lines timed as they arrive.

    The gaps between them are the per-query times (search, explanation, output) whose mean,
    median and p99 are printed; the first line, which waits for start-up, is left out.
    """
    gaps = arrival_gaps(match_command(db, min_score, "--workers", "1", "--json", "--", *queries))
    print(
        f"  one query after another (--workers 1, {len(gaps)} lines timed as they arrive): "
        f"mean {statistics.mean(gaps):.2f} ms, median {statistics.median(gaps):.2f} ms, "
        f"p99 {percentile(gaps, 0.99):.2f} ms, max {max(gaps):.1f} ms; {load()}"
    )


def arrival_gaps(command: list[str]) -> list[float]:
    """Run ``command`` and return the ms between consecutive lines of its output."""
    environment = dict(os.environ, PYTHONUNBUFFERED="1")  # each line leaves when printed
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=environment) as process:
        assert process.stdout is not None
        arrivals = [time.perf_counter() for _ in process.stdout]
    if process.returncode:
        sys.exit(f"{' '.join(command[:8])} …: exit status {process.returncode}")
    return [(b - a) * 1000 for a, b in itertools.pairwise(arrivals)]


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def run_library(
    db: Path, queries: list[str], min_score: int
) -> tuple[list[list], dict[str, float]]:
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    matcher = Matcher(open_db(db))
    matcher.scores(queries[0], min_score=min_score)  # load the sizes once, as a batch does
    found, times, cpu = [], [], []
    for query in queries:
        t, c = time.perf_counter(), time.process_time()
        found.append(matcher.scores(query, min_score=min_score, limit=5))
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    figures = {
        "mean": statistics.mean(times) * 1000,
        "median": statistics.median(times) * 1000,
        "p99": percentile(times, 0.99) * 1000,
        "cpu": statistics.mean(cpu) * 1000,
        "cpu_p99": percentile(cpu, 0.99) * 1000,
    }
    # On a shared machine the wall time includes waiting for a core; the CPU time does not.
    print(
        f"library, --min {min_score}, one core: mean {figures['mean']:.2f} ms, median "
        f"{figures['median']:.2f} ms, p99 {figures['p99']:.2f} ms, max {max(times) * 1000:.1f} ms "
        f"wall; CPU mean {figures['cpu']:.2f} ms, p99 {figures['cpu_p99']:.2f} ms; {load()}"
    )
    return found, figures


def run_yardstick(
    db: Path, queries: list[str], indexed: list[list], min_score: int, cli_mean: float
) -> None:
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    matcher = Matcher(open_db(db))
    matcher.all_keys("ja")
    times, same_score, same_unit = [], 0, 0
    for query, got in zip(queries, indexed, strict=False):
        t = time.perf_counter()
        want = matcher.scores(query, min_score=min_score, limit=5, exhaustive=True)
        times.append(time.perf_counter() - t)
        same_score += (got[:1] == want[:1]) or bool(got and want and got[0][0] == want[0][0])
        same_unit += got == want
    n = len(times)
    mean = statistics.mean(times) * 1000
    print(
        f"exhaustive rapidfuzz --min {min_score} ({n} queries): mean {mean:.1f} ms; CLI is "
        f"{mean / cli_mean:.1f}× faster (target ≥ 30× at 70); top-1 agreement "
        f"{same_score}/{n} = {same_score / n:.2%} (target ≥ 99.5 %), identical top-5 "
        f"{same_unit}/{n}; {load()}"
    )


# What one query from the command line imports before any of taiyaku's own code runs: its
# floor on this machine, timed between the queries (a slower moment slows both).
STARTUP_FLOORS = {
    "a bare interpreter": [sys.executable, "-c", "pass"],
    "import numpy, click, rapidfuzz": [sys.executable, "-c", "import numpy, click, rapidfuzz"],
}


def run_startup(db: Path, query: str, runs: int = 9) -> None:
    """One query from the command line, ``runs`` times, each run followed by one of each of
    :data:`STARTUP_FLOORS`; medians printed."""
    walls: list[float] = []
    cpus: list[float] = []
    floors: dict[str, list[float]] = {name: [] for name in STARTUP_FLOORS}
    for _ in range(runs):
        cpu, t = children_cpu(), time.perf_counter()
        subprocess.run([*TAIYAKU, "--db", str(db), "match", query], check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
        cpus.append(children_cpu() - cpu)
        for name, command in STARTUP_FLOORS.items():
            t = time.perf_counter()
            subprocess.run(command, check=True)
            floors[name].append(time.perf_counter() - t)
    print(
        f"start-up: `taiyaku match` for one query: median {statistics.median(walls):.2f} s, "
        f"best {min(walls):.2f} s of {runs} (target ≤ 0.3 s); CPU median "
        f"{statistics.median(cpus):.2f} s; {load()}"
    )
    for name, times in floors.items():
        print(
            f"  its floor, {name}: median {statistics.median(times):.3f} s, best {min(times):.3f} s"
        )


def run_document(db: Path, queries: list[str], out: Path) -> None:
    """``taiyaku analyze`` and ``pretranslate`` of a 1,000-segment document."""
    segments = queries[:1000]
    document = out / f"analyze-{len(segments)}.txt"
    document.write_text("\n".join(segments) + "\n", encoding="utf-8")
    translated = out / f"pretranslate-{len(segments)}.xlf"
    commands = {
        "analyze": ["analyze", str(document), "--json"],
        "pretranslate": ["pretranslate", str(document), "-o", str(translated)],
    }
    for name, command in commands.items():
        cpu, t = children_cpu(), time.perf_counter()
        subprocess.run([*TAIYAKU, "--db", str(db), *command], check=True, capture_output=True)
        elapsed, cpu = time.perf_counter() - t, children_cpu() - cpu
        print(
            f"taiyaku {name}, {len(segments)} segments: {elapsed:.1f} s (target ≤ 20 s at 1,000); "
            f"CPU {cpu:.1f} s, {cpu / elapsed:.2f} cores busy; {load()}"
        )


def run_concordance(db_path: Path) -> None:
    from match_data import SHARED
    from taiyaku.match.concordance import concordance
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    lexicon = SHARED / "kyoto-lexicon-ja-en" / "kyoto_lexicon.csv"
    if not lexicon.exists():
        print(f"concordance: DATA MISSING ({lexicon})")
        return
    with lexicon.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.reader(f) if len(row) >= 2]
    terms = sorted({row[0] for row in rows if 2 <= len(row[0]) <= 6})
    english = sorted({row[1] for row in rows if 3 <= len(row[1]) <= 20 and row[1].count(" ") < 2})
    rng = random.Random(4)
    matcher = Matcher(open_db(db_path))
    concordance(matcher, "寺")  # load the sizes arrays once, as the fuzzy search does
    for name, queries in (
        ("terms of 2–6 characters", rng.sample(terms, 300)),
        ("1-character queries", rng.sample(sorted({c for t in terms for c in t}), 30)),
        ("English terms (targets)", rng.sample(english, 100)),
    ):
        times = []
        for query in queries:
            t = time.perf_counter()
            concordance(matcher, query)
            times.append(time.perf_counter() - t)
        print(
            f"concordance, {len(queries)} {name}: median {statistics.median(times) * 1000:.1f} ms, "
            f"p90 {percentile(times, 0.9) * 1000:.1f} ms (target median ≤ 50 ms); {load()}"
        )


def queries_of(out: Path, n: int) -> list[str]:
    return (out / "match-queries.ja.txt").read_text(encoding="utf-8").splitlines()[:n]


def one_size(units: int, n: int, skip_import: bool) -> tuple[Path, list[str], dict[str, float]]:
    out = OUT / str(units)
    build_data(units, out)
    db = out / "match-bench.db"
    figures: dict[str, float] = {"units": units}
    if not skip_import or not db.exists():
        figures.update(run_import(db, out / "match-tm.tmx"))
    else:
        t = time.perf_counter()
        subprocess.run([*TAIYAKU, "--db", str(db), "upgrade"], check=True)
        print(f"reusing {db}: upgrade took {time.perf_counter() - t:.1f} s; {load()}")
        figures["size_mb"] = file_size(db) / 1e6
    return db, queries_of(out, n), figures


def growth_import(units: int, fresh: bool) -> dict[str, float]:
    """Import one size of the growth table, or reuse what an earlier run saved.

    Resumable: the import's figures are saved beside its database once it has finished
    (``import.json``), and the size's whole row once its queries are measured
    (``growth.json``); a run stopped half-way starts again from the last saved step.
    """
    out = OUT / str(units)
    row_file, import_file = out / "growth.json", out / "import.json"
    if not fresh and row_file.exists():
        figures = json.loads(row_file.read_text(encoding="utf-8"))
        print(
            f"--- {units:,} units: measured {figures.get('when', 'earlier')}, reused ({row_file})"
        )
        return figures
    print(f"--- {units:,} units ({load()})")
    build_data(units, out)
    db = out / "match-bench.db"
    if not fresh and import_file.exists() and db.exists():
        figures = json.loads(import_file.read_text(encoding="utf-8"))
        print(f"import: measured before, reused ({import_file}): {figures}")
    else:
        import_file.unlink(missing_ok=True)
        figures = {"units": units, **run_import(db, out / "match-tm.tmx")}
        import_file.write_text(json.dumps(figures), encoding="utf-8")
    return figures


def growth_queries(units: int, n: int) -> dict[str, float]:
    """One round of a size's query figures: the CLI and the library at 70 and 50."""
    out = OUT / str(units)
    db, queries = out / "match-bench.db", queries_of(out, n)
    print(f"--- {units:,} units: queries ({load()})")
    figures = {}
    for min_score in (70, 50):
        figures[f"cli{min_score}"] = run_cli(db, queries, min_score)
        _, library = run_library(db, queries, min_score)
        figures[f"mean{min_score}"] = library["mean"]
        figures[f"p99_{min_score}"] = library["p99"]
        figures[f"cpu{min_score}"] = library["cpu"]
    return figures


def measure_rounds(rows: list[dict[str, float]], n: int, rounds: int) -> None:
    """Measure the query figures of the ``rows`` not yet measured: every size once per
    round, the sizes one after another, and keep each figure's median over the rounds.

    Measured in one phase after the imports, so that the sizes are compared under the same
    conditions: a shared machine's speed drifts by 10–15 % over the minutes an import of
    5M units takes, enough to move an exponent between 2M and 5M by 0.1 or more.
    """
    pending = [row for row in rows if "when" not in row]
    samples: dict[int, dict[str, list[float]]] = {int(row["units"]): {} for row in pending}
    for round_ in range(rounds):
        print(f"\n=== queries, round {round_ + 1} of {rounds} ({load()})")
        for row in pending:
            for key, value in growth_queries(int(row["units"]), n).items():
                samples[int(row["units"])].setdefault(key, []).append(value)
    for row in pending:
        units = int(row["units"])
        row.update({key: statistics.median(v) for key, v in samples[units].items()})
        row["rounds"] = rounds
        row["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        row["load"] = os.getloadavg()[0]
        (OUT / str(units) / "growth.json").write_text(json.dumps(row), encoding="utf-8")


GROWTH_COLUMNS = {
    "import_s": "import s",
    "rss_mib": "RSS MiB",
    "size_mb": "file MB",
    "cli70": "CLI@70 ms",
    "mean70": "mean@70",
    "p99_70": "p99@70",
    "cpu70": "CPU@70",
    "cli50": "CLI@50 ms",
    "mean50": "mean@50",
    "p99_50": "p99@50",
    "cpu50": "CPU@50",
}
QUERY_COLUMNS = {"cli70", "mean70", "p99_70", "cpu70", "cli50", "mean50", "p99_50", "cpu50"}


def growth(
    sizes: list[int], n: int, fresh: bool, rounds: int = 3, project: int = 50_000_000
) -> None:
    """Print the growth table, the exponent of each figure in TM size, and ``project`` units.

    Two exponents: ``k`` is the least-squares slope of log(figure) on log(units) over every
    size measured; ``k_top``, the slope between the two largest sizes, where fixed costs
    (start-up, SQL round trips) weigh least: the projection extends ``k_top`` from the
    largest size, since a fit that includes the small sizes understates the growth ahead.
    A query figure is called sublinear below 0.8 and about linear up to 1.1 (the higher of
    the two exponents: a few figures on a shared machine move by more than 0.05).
    """
    rows = [growth_import(units, fresh) for units in sizes]
    measure_rounds(rows, n, rounds)
    print(f"\ngrowth ({n} queries per size, median of {rounds} rounds; {load()})")
    print(
        f"{'units':>10}  " + "  ".join(f"{name:>9}" for name in GROWTH_COLUMNS.values()) + "  load"
    )
    for r in rows:
        cells = "  ".join(f"{r.get(key, float('nan')):9.1f}" for key in GROWTH_COLUMNS)
        print(f"{r['units']:>10,}  {cells}  {r.get('load', float('nan')):4.1f}")
    if len(rows) < 2:
        return
    logs = [math.log(r["units"]) for r in rows]
    last, before = rows[-1], rows[-2]
    span = f"{before['units']:,}–{last['units']:,}"
    print(
        f"\nexponent (figure ∝ units^k): k fitted over {len(rows)} sizes, k_top between "
        f"{span}; {project:,} units projected with k_top from {last['units']:,}:"
    )
    for key, name in GROWTH_COLUMNS.items():
        values = [r.get(key) for r in rows]
        if any(v is None or v <= 0 for v in values):
            continue
        k = _slope(logs, [math.log(v) for v in values])
        top = math.log(last[key] / before[key]) / math.log(last["units"] / before["units"])
        projected = last[key] * (project / last["units"]) ** top
        verdict = f"  {_growth_word(max(k, top))}" if key in QUERY_COLUMNS else ""
        print(
            f"  {name:>9}: k = {k:.2f}, k_top = {top:.2f}; at {project:,} units ≈ "
            f"{projected:,.1f}{verdict}"
        )


def _growth_word(k: float) -> str:
    """Name the growth an exponent measures, with room for the noise of a shared machine."""
    return "sublinear" if k < 0.8 else "about linear" if k <= 1.1 else "faster than linear"


def _slope(xs: list[float], ys: list[float]) -> float:
    mean_x, mean_y = statistics.mean(xs), statistics.mean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--yardstick", type=int, default=200, help="queries run exhaustively")
    parser.add_argument("--skip-import", action="store_true", help="reuse the database")
    parser.add_argument("--growth", help="comma-separated TM sizes for the growth table")
    parser.add_argument(
        "--fresh", action="store_true", help="--growth: measure again what earlier runs saved"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="--growth: rounds of queries, the median kept"
    )
    parser.add_argument("--out", type=Path, help=f"where data and databases go (default {OUT})")
    args = parser.parse_args()
    OUT = args.out or OUT
    compileall.compile_dir(ROOT / "src" / "taiyaku", quiet=1)
    print(f"taiyaku match benchmark: {os.cpu_count()} cores; {load()}")
    if args.growth:
        growth([int(x) for x in args.growth.split(",")], args.queries, args.fresh, args.rounds)
        return
    db, queries, _ = one_size(args.units, args.queries, args.skip_import)
    for min_score in (70, 50):
        cli_mean = run_cli(db, queries, min_score)
        run_cli_per_query(db, queries, min_score)
        indexed, _ = run_library(db, queries, min_score)
        run_yardstick(db, queries[: args.yardstick], indexed, min_score, cli_mean)
    run_startup(db, queries[0])
    run_document(db, queries, OUT / str(args.units))
    run_concordance(db)


if __name__ == "__main__":
    main()
