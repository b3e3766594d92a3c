"""Benchmark the benchmark TM on PostgreSQL beside SQLite, in one run on one machine.

Steps (figures printed as they come, each with the machine's load average beside it):

1. build ``OUT/<units>/match-tm.tmx`` and its held-out queries (``benchmarks/match_data.py``)
   unless they exist;
2. ``taiyaku tm import`` it into a fresh SQLite file and a fresh PostgreSQL database: wall
   time and the database's size (the file with its WAL; ``pg_database_size``);
3. on each backend, ``taiyaku match --min 70`` and ``--min 50`` over the queries in one call
   (start-up included), then the same queries through the library (``Matcher.scores``):
   mean and p99 per query; the PostgreSQL/SQLite ratio of the means (target at 1M: within
   3× at ``--min 70``);
4. on each backend, ``--clients`` processes (8) each matching queries in a loop through the
   library, while one ``taiyaku tm import`` adds ``--import-units`` new units (edited copies
   of the TM's first units): queries per second, p99, errors, and the import's time. The
   clients stop when the import has ended and at least ``--seconds`` have passed.

PostgreSQL: ``--pg-url postgresql://…`` names a server where the benchmark may create and
drop databases (it connects to that URL's database to do so); without it, a throwaway server
is started under /tmp (``tests/pgserver.py``, PostgreSQL's default durability and 128 MB of
shared buffers) and stopped at the end.

Run: ``python benchmarks/pg_bench.py [--units N] [--queries N] [--pg-url URL]``. The full
size is 1,000,000 units; ``--units 20000`` is a quick check. Needs ``../shared/data`` (or
``$TAIYAKU_SHARED_DATA``) to build the TM.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from match_bench import (  # noqa: E402
    OUT,
    TAIYAKU,
    build_data,
    load,
    percentile,
    queries_of,
    run_cli,
    run_library,
)

BACKENDS = ("sqlite", "postgres")


@contextlib.contextmanager
def pg_databases(url: str | None) -> Iterator[tuple[str, Callable[[], str]]]:
    """Yield a way to create databases on ``url``'s server (or on a throwaway one)."""
    import psycopg
    from tests.pgserver import running_server

    made: list[str] = []
    with contextlib.ExitStack() as stack:
        if url is None:
            server = stack.enter_context(running_server(durable=True))
            url = server.url()
            print(f"PostgreSQL: a throwaway server at {url} ({load()})")
        admin = url

        def create() -> str:
            name = f"taiyaku_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            made.append(name)
            return urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))

        try:
            yield admin, create
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                for name in made:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def size_mb(target: str) -> float:
    from taiyaku.store.db import database_size_bytes, open_db

    db = open_db(target, write=False)
    try:
        return database_size_bytes(db) / 1e6
    finally:
        db.close()


def run_import(backend: str, target: str, tmx: Path) -> dict[str, float]:
    print(f"[{backend}] import: start ({load()})", flush=True)
    t = time.perf_counter()
    subprocess.run([*TAIYAKU, "--db", target, "tm", "import", str(tmx)], check=True)
    elapsed = time.perf_counter() - t
    size = size_mb(target)
    print(f"[{backend}] import + index: {elapsed:.1f} s; database {size:.0f} MB; {load()}")
    return {"import_s": elapsed, "size_mb": size}


def client(target: str, queries_file: Path, min_score: int, seconds: float, stop: Path) -> None:
    """One concurrent client: match queries until ``stop`` exists and ``seconds`` passed.

    Prints one JSON object: the wall times of its queries, its errors and how long it ran.
    """
    from taiyaku.match.search import Matcher
    from taiyaku.store.db import open_db

    queries = queries_file.read_text(encoding="utf-8").splitlines()
    random.Random(os.getpid()).shuffle(queries)
    times: list[float] = []
    errors: list[str] = []
    matcher = Matcher(open_db(target, write=False))
    start = time.perf_counter()
    i = 0
    while not stop.exists() or time.perf_counter() - start < seconds:
        query = queries[i % len(queries)]
        i += 1
        t = time.perf_counter()
        try:
            matcher.scores(query, min_score=min_score, limit=5)
        except Exception:
            errors.append(traceback.format_exc(limit=3))
            continue
        times.append(time.perf_counter() - t)
    print(json.dumps({"times": times, "errors": errors, "ran": time.perf_counter() - start}))


def run_concurrent(
    backend: str,
    target: str,
    new_units: Path,
    queries_file: Path,
    clients: int,
    seconds: float,
    folder: Path,
) -> dict[str, float]:
    """``clients`` matching processes and one importer at once on ``target``."""
    stop = folder / f"stop-{backend}"
    stop.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--client", target, "--queries-file", str(queries_file)]
    workers = [
        subprocess.Popen(
            [*command, "--seconds", str(seconds), "--stop-file", str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(clients)
    ]
    start = time.perf_counter()
    importer = subprocess.run(
        [*TAIYAKU, "--db", target, "tm", "import", str(new_units)], capture_output=True, text=True
    )
    import_s = time.perf_counter() - start
    stop.touch()
    results = []
    for worker in workers:
        out, _ = worker.communicate()
        try:
            results.append(json.loads(out))
        except json.JSONDecodeError:  # the client died: its traceback went to stderr
            results.append({"times": [], "errors": [f"client exit {worker.returncode}"], "ran": 0})
    wall = time.perf_counter() - start
    stop.unlink()
    times = [t for r in results for t in r["times"]]
    errors = [e for r in results for e in r["errors"]]
    figures = {
        # Each client's rate over its own matching time (its start-up left out), summed.
        "qps": sum(len(r["times"]) / r["ran"] for r in results if r["ran"]),
        "mean": statistics.mean(times) * 1000,
        "p99": percentile(times, 0.99) * 1000,
        "errors": len(errors),
        "import_s": import_s,
    }
    print(
        f"[{backend}] {clients} match clients + 1 importer, {wall:.1f} s: {len(times)} queries, "
        f"{figures['qps']:.1f}/s, mean {figures['mean']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"{len(errors)} errors; import of the new units {import_s:.1f} s "
        f"(exit {importer.returncode}); {load()}"
    )
    if errors:
        print(f"[{backend}] first client error:\n{errors[0]}")
    if importer.returncode != 0:
        print(f"[{backend}] the importer failed:\n{importer.stderr}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--pg-url", help="a server to create the benchmark's databases on")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30, help="least time the clients run")
    parser.add_argument("--import-units", type=int, default=20_000, help="units the importer adds")
    parser.add_argument("--out", type=Path, default=OUT, help=f"data and files (default {OUT})")
    # One concurrent client (run by the benchmark itself).
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stop-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--min", type=int, default=70, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(args.client, args.queries_file, args.min, args.seconds, args.stop_file)
        return

    from serve_load import write_import

    out = args.out / str(args.units)
    print(f"taiyaku PostgreSQL benchmark: {args.units:,} units, {os.cpu_count()} cores; {load()}")
    build_data(args.units, out)
    tmx = out / "match-tm.tmx"
    queries = queries_of(out, args.queries)
    queries_file = out / "pg-bench-queries.txt"
    queries_file.write_text("\n".join(queries) + "\n", encoding="utf-8")
    new_units = out / f"pg-bench-new-{args.import_units}.tmx"
    if not new_units.exists():
        write_import(tmx, new_units, args.import_units)
    sqlite_db = out / "pg-bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_db}{suffix}").unlink(missing_ok=True)

    with pg_databases(args.pg_url) as (_, create_pg):
        targets = {"sqlite": str(sqlite_db), "postgres": create_pg()}
        figures: dict[str, dict[str, float]] = {b: {} for b in BACKENDS}
        for backend in BACKENDS:
            figures[backend].update(run_import(backend, targets[backend], tmx))
        for min_score in (70, 50):
            for backend in BACKENDS:
                print(f"[{backend}] ", end="")
                figures[backend][f"cli{min_score}"] = run_cli(targets[backend], queries, min_score)
                print(f"[{backend}] ", end="")
                _, library = run_library(targets[backend], queries, min_score)
                figures[backend][f"mean{min_score}"] = library["mean"]
                figures[backend][f"p99_{min_score}"] = library["p99"]
        for backend in BACKENDS:
            concurrent = run_concurrent(
                backend,
                targets[backend],
                new_units,
                queries_file,
                args.clients,
                args.seconds,
                out,
            )
            figures[backend].update({f"conc_{k}": v for k, v in concurrent.items()})

    s, p = figures["sqlite"], figures["postgres"]
    print(f"\nsummary, {args.units:,} units, {len(queries)} queries; {load()}")
    print("                         SQLite   PostgreSQL   PG/SQLite")
    rows = [
        ("import s", "import_s"),
        ("database MB", "size_mb"),
        ("CLI match@70 ms/query", "cli70"),
        ("match@70 mean ms", "mean70"),
        ("match@70 p99 ms", "p99_70"),
        ("CLI match@50 ms/query", "cli50"),
        ("match@50 mean ms", "mean50"),
        ("match@50 p99 ms", "p99_50"),
        (f"{args.clients} clients queries/s", "conc_qps"),
        (f"{args.clients} clients p99 ms", "conc_p99"),
        (f"{args.clients} clients errors", "conc_errors"),
        ("import under load s", "conc_import_s"),
    ]
    for label, key in rows:
        ratio = f"{p[key] / s[key]:>8.2f}×" if s[key] else "       -"
        print(f"{label:<24} {s[key]:>7.1f}   {p[key]:>10.1f}   {ratio}")
    print(
        f"PostgreSQL match@70 mean is {p['mean70'] / s['mean70']:.2f}× SQLite's "
        f"(target within 3× at 1M units)"
    )


if __name__ == "__main__":
    main()
