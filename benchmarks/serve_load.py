"""Load on ``taiyaku serve``: a bounded mix of lookup, match and concordance, then again
while an import runs.

Steps (figures printed as they come, with the machine's load beside them):

1. the benchmark TM (``benchmarks/match_data.py``: 1,000,000 units) is imported into
   ``--db`` unless it is there, and the Kyoto lexicon (51,982 terms) into its glossary;
2. ``taiyaku serve`` starts on 127.0.0.1 (``--workers`` processes, read-only);
3. ``--clients`` concurrent clients (keep-alive HTTP/1.1 over asyncio, so the load generator
   costs little CPU: its own share is printed too) send ``--requests`` requests in all, a third each: ``/api/lookup`` of a
   lexicon term (whole, a prefix, or in romaji-free English), ``/api/match`` of a held-out
   sentence, ``/api/concordance`` of a lexicon term. They stop by themselves. Printed:
   throughput, p50/p99 latency overall and per kind, and every status other than 200.
   Targets: ≥ 150 requests/s, p99 ≤ 150 ms, no 5xx;
4. the same, while ``taiyaku tm import`` adds ``--import-units`` new units (edited copies of
   TM units) in one transaction beside it: readers never wait for the writer (WAL). Printed
   as above, plus the same figures for the requests sent while the import was running.
   Target: p99 ≤ 500 ms.

Only loopback is used. Run: ``python benchmarks/serve_load.py [--db PATH] [--requests N]``.
Needs ``../shared/data`` (or ``$TAIYAKU_SHARED_DATA``) for the TM and the lexicon.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

SHARED = Path(os.environ.get("TAIYAKU_SHARED_DATA") or ROOT.parent / "shared" / "data")
OUT = Path("/tmp/taiyaku-bench")
TAIYAKU = [sys.executable, "-m", "taiyaku"]
KINDS = ("lookup", "match", "concordance")


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(db: Path, tmx: Path) -> None:
    """Import the benchmark TM and the Kyoto lexicon into ``db`` unless already there."""
    if db.exists():
        return
    if not tmx.exists():
        import match_data

        match_data.SHARED = SHARED
        match_data.build(1_000_000, tmx.parent)
    print(f"importing {tmx} ({load()})", flush=True)
    start = time.perf_counter()
    subprocess.run([*TAIYAKU, "--db", str(db), "tm", "import", str(tmx)], check=True)
    print(f"  {time.perf_counter() - start:.0f} s", flush=True)


def add_lexicon(db: Path) -> None:
    """Give ``db`` the Kyoto lexicon as its glossary (a writing open migrates it first)."""
    from taiyaku.project import Project

    start = time.perf_counter()
    with Project.open(db, write=True) as project:
        empty = project.glossary.count() == 0
    print(f"opened for writing in {time.perf_counter() - start:.0f} s ({load()})", flush=True)
    if empty:
        lexicon = SHARED / "kyoto-lexicon-ja-en" / "kyoto_lexicon.csv"
        subprocess.run(
            [*TAIYAKU, "--db", str(db), "term", "import", "--skip-incomplete", str(lexicon)],
            check=True,
            stderr=subprocess.DEVNULL,
        )


def queries(db: Path, queries_file: Path, count: int) -> list[tuple[str, str]]:
    """``count`` (kind, path) requests, a third of each kind, shuffled with a fixed seed."""
    from taiyaku.project import Project

    rng = random.Random(16)
    with Project.open(db) as project:
        terms = list(project.glossary.iter_terms())
    sentences = queries_file.read_text(encoding="utf-8").splitlines()
    out = []
    for i in range(count):
        kind = KINDS[i % 3]
        if kind == "match":
            query = {"q": rng.choice(sentences)}
        else:
            term = rng.choice(terms)
            text = term.ja if kind == "concordance" or rng.random() < 0.5 else term.en
            if kind == "lookup" and rng.random() < 0.3:
                text = text[: max(1, len(text) - 1)]  # a prefix
            query = {"q": text, "limit": "20"}
        out.append((kind, f"/api/{kind}?{urllib.parse.urlencode(query)}"))
    rng.shuffle(out)
    return out


async def _client(
    port: int, work: list[tuple[str, str]], results: list[tuple[str, int, float, float]]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while work:
            kind, path = work.pop()
            sent = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            results.append((kind, status, sent, time.perf_counter() - sent))
    finally:
        writer.close()


def run_load(
    port: int, work: list[tuple[str, str]], clients: int
) -> list[tuple[str, int, float, float]]:
    """Send every request of ``work`` over ``clients`` connections; (kind, status, sent, s)."""
    pending = list(reversed(work))
    results: list[tuple[str, int, float, float]] = []

    async def main() -> None:
        await asyncio.gather(*(_client(port, pending, results) for _ in range(clients)))

    asyncio.run(main())
    return results


def own_cpu() -> float:
    """CPU seconds this process (the load generator) has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(
    title: str,
    results: list[tuple[str, int, float, float]],
    seconds: float | None,
    cpu: float | None = None,
    generator_cpu: float | None = None,
) -> None:
    times = [1000 * r[3] for r in results]
    if not times:
        print(f"{title}: no requests")
        return
    rate = f", {len(results) / seconds:.0f} requests/s" if seconds else ""
    print(
        f"{title}: {len(results):,} requests{rate}, p50 {percentile(times, 0.5):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms, max {max(times):.0f} ms"
    )
    for kind in KINDS:
        mine = [1000 * r[3] for r in results if r[0] == kind]
        if mine:
            print(
                f"  {kind:<12} {len(mine):>6,}  p50 {percentile(mine, 0.5):6.1f} ms  "
                f"p99 {percentile(mine, 0.99):6.1f} ms"
            )
    if cpu is not None:
        # The figure a busy shared machine cannot hide: what the server spent per request.
        per = 1000 * cpu / len(results)
        print(
            f"  server CPU {per:.1f} ms per request: at most {2000 / per:.0f} requests/s on two "
            "idle cores (the load generator aside)"
        )
    if generator_cpu is not None and seconds:
        print(
            f"  load generator CPU {1000 * generator_cpu / len(results):.2f} ms per request, "
            f"{100 * generator_cpu / seconds:.0f}% of one core"
        )
    statuses: dict[int, int] = {}
    for r in results:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    errors = {s: n for s, n in statuses.items() if s != 200}
    print(
        f"  statuses other than 200: {errors or 'none'}; 5xx: {sum(n for s, n in errors.items() if s >= 500)}"
    )


def write_import(source_tmx: Path, target: Path, units: int) -> None:
    """A TMX of ``units`` edited copies of the TM's first units: all new to the TM."""
    import dataclasses
    import itertools

    from taiyaku.formats import read_units
    from taiyaku.formats.tmx import write_tmx

    edited = (
        dataclasses.replace(u, source_text=u.source_text + "（改訂版）", created=None, changed=None)
        for u in itertools.islice(read_units(source_tmx), units)
    )
    write_tmx(target, edited)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children (the workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="utf-8") as handle:
            pids += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    for one in pids:
        try:
            with open(f"/proc/{one}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _finish(process: subprocess.Popen[bytes]) -> float:
    process.wait()
    return time.perf_counter()


def start_server(db: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    command = [*TAIYAKU, "--db", str(db), "serve", "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", str(workers)])
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/lookup?q=a", timeout=30).read()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("taiyaku serve did not start")
            time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=OUT / "serve.db")
    parser.add_argument("--tmx", type=Path, default=OUT / "match-tm.tmx")
    parser.add_argument("--queries", type=Path, default=OUT / "match-queries.ja.txt")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--import-units", type=int, default=200_000)
    parser.add_argument("--skip-import-phase", action="store_true")
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"DATA MISSING: {SHARED} is not here; nothing to benchmark")
    print(f"start ({load()})")
    prepare(args.db, args.tmx)
    add_lexicon(args.db)
    work = queries(args.db, args.queries, args.requests)
    server, port = start_server(args.db, args.workers)
    try:
        # Warm-up: each worker loads its indexes and glossary automaton once.
        run_load(port, queries(args.db, args.queries, 60 * args.workers), args.clients)
        print(f"server: {args.workers} workers, {args.clients} clients ({load()})", flush=True)
        start, cpu, mine = time.perf_counter(), cpu_seconds(server.pid), own_cpu()
        results = run_load(port, list(work), args.clients)
        spent, mine = cpu_seconds(server.pid) - cpu, own_cpu() - mine
        report("mix", results, time.perf_counter() - start, spent, mine)
        print(f"  ({load()})", flush=True)
        if args.skip_import_phase:
            return
        extra = args.tmx.parent / f"serve-import-{args.import_units}.tmx"
        if not extra.exists():
            write_import(args.tmx, extra, args.import_units)
        importer = subprocess.Popen(
            [*TAIYAKU, "--db", str(args.db), "tm", "import", str(extra)],
            stdout=subprocess.DEVNULL,
        )
        ended: list[float] = []
        watcher = threading.Thread(target=lambda: ended.append(_finish(importer)))
        watcher.start()
        time.sleep(2)  # let the import take the write lock
        began, cpu, mine = time.perf_counter(), cpu_seconds(server.pid), own_cpu()
        results = run_load(port, list(work), args.clients)
        spent, mine = cpu_seconds(server.pid) - cpu, own_cpu() - mine
        report("mix during an import", results, time.perf_counter() - began, spent, mine)
        running = "still running" if not ended else f"ended after {ended[0] - began:.0f} s"
        print(f"  the import was {running} when the load ended")
        watcher.join()
        during = [r for r in results if r[2] < ended[0]]
        report("  of which sent while the import ran", during, None)
        print(f"  import exit status {importer.returncode} ({load()})")
        print("  (the imported units stay in --db: delete it to start afresh)")
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
