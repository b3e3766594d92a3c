"""Prototype: exact fuzzy search bounded by groups of near-duplicate units (issue 14, growth).

``docs/scaling.md`` measures that an exact search over the layered-character index grows about
linearly with the TM: every unit sharing characters with the query is in the posting lists
read. This script measures whether grouping units under representatives changes that, on the
benchmark TMs of ``benchmarks/match_bench.py --growth`` (read-only:
``/tmp/speed-bench/<units>/match-bench.db``, its queries ``match-queries.ja.txt``).

"Import" (timed, per unit):

1. units with the same source match key form one *key* (scored once for all its units);
2. keys are grouped in id order by a leader pass: a key looks up the representatives that
   claimed one of its signatures (its first two and last two ``--signature``-character
   chunks, digits taken out), tries the first four of a near length, and joins the nearest
   within ``--radius`` Levenshtein edits (at most a third of its length); otherwise it
   represents a new group. Every member's distance to its representative is computed
   exactly: the grouping's quality only changes the speed, never the results;
3. each group is indexed by the union of its members' layered characters (token → groups),
   as the real index does for every unit.

Query (``min_score`` t, top 5, ties by unit id as ``exhaustive_scores`` breaks them):

1. count the union tokens each group shares with the query (``x``): a member of length ``m``
   shares no more, so it scores at most ``min(x, n, m) / max(n, m)``, bounded for the group
   from its shortest and longest member; groups whose bound is below t are never read;
2. in order of that bound, best first, score the representative (``d(q, r)``), bound each
   member by ``|d(q, r) − d(r, u)|`` (the triangle inequality) and the length difference,
   and score only members whose bound reaches t or the 5th score found; stop when the next
   group's bound cannot reach the 5th score.

Exactness: every query's top 5 at 70 and at 50 is compared with exhaustive rapidfuzz over all
distinct keys (the scorer of ``taiyaku.match.score``, the same cutoff and rounding; a unit's
score depends only on its key, so this is the top 5 over all units; ``--check-units`` also
compares it with ``Matcher.scores(exhaustive=True)`` over every unit).

Each size's figures are saved to ``/tmp/speed-bench/<units>/groups-<mode>.json`` and the
table (with growth exponents) is printed from every size saved. ``--radius 0`` groups exact
keys only (on this data nearly one group per unit), as a control.

Run: ``python benchmarks/match_groups.py --units 250000 [--queries 200] [--radius 4]``, then
``python benchmarks/match_groups.py --table``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taiyaku.match.score import rapidfuzz_cutoff  # noqa: E402
from taiyaku.store.db import open_db  # noqa: E402
from taiyaku.store.tm import TranslationMemory  # noqa: E402
from taiyaku.text.grams import char_layers, pack_char_layers  # noqa: E402
from taiyaku.text.normalize import match_key  # noqa: E402

OUT = Path("/tmp/speed-bench")
LIMIT = 5
THRESHOLDS = (70, 50)
# Bounds are compared with scores rounded to 2 decimals (as match/search.py's _ROUNDING).
ROUNDING = 0.006
_DIGITS = re.compile(r"\d+")
_TRIED = 4  # representatives tried per signature (the first of a near length to claim it)


def load() -> str:
    return "load " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


class Keys:
    """The TM's distinct source keys, each with its unit ids (ascending)."""

    def __init__(self, ids: list[int], keys: list[str]) -> None:
        index: dict[str, int] = {}
        owners: list[list[int]] = []
        for unit_id, key in zip(ids, keys, strict=True):
            at = index.get(key)
            if at is None:
                index[key] = len(owners)
                owners.append([unit_id])
            else:
                owners[at].append(unit_id)
        self.keys = list(index)
        self.ids = owners
        self.lengths = np.fromiter((len(k) for k in self.keys), dtype=np.int32)


def _signatures(text: str, size: int) -> tuple[str, ...]:
    """Where a near duplicate of ``text`` is looked for: its first two and last two chunks of
    ``size`` characters (1–3 edits, an added prefix or a changed number leave one intact)."""
    return (
        "<" + text[:size],
        "<<" + text[size : 2 * size],
        ">" + text[-size:],
        ">>" + text[-2 * size : -size],
    )


class Groups:
    """Keys grouped under representatives, with an index of the representatives' characters."""

    def __init__(self, keys: Keys, radius: int, signature: int) -> None:
        texts = keys.keys
        reps_of_sig: dict[str, list[int]] = {}
        rep_keys: list[int] = []  # group -> its representative's key index
        rep_lengths: list[int] = []
        members: list[list[int]] = []  # group -> key indices, representative first
        distances: list[list[int]] = []  # group -> each member's distance to the representative
        for k, text in enumerate(texts):
            allowed = min(radius, len(text) // 3)
            best, best_d = -1, allowed + 1
            signatures = _signatures(_DIGITS.sub("", text), signature)
            if allowed:
                tried: set[int] = set()
                for sig in signatures:
                    near = (
                        g
                        for g in reps_of_sig.get(sig, ())
                        if abs(rep_lengths[g] - len(text)) <= allowed and g not in tried
                    )
                    for g in itertools.islice(near, _TRIED):
                        tried.add(g)
                        d = Levenshtein.distance(text, texts[rep_keys[g]], score_cutoff=allowed)
                        if d < best_d:
                            best, best_d = g, d
            if best < 0:
                best, best_d = len(rep_keys), 0
                rep_keys.append(k)
                rep_lengths.append(len(text))
                members.append([])
                distances.append([])
                for sig in signatures:
                    reps_of_sig.setdefault(sig, []).append(best)
            members[best].append(k)
            distances[best].append(best_d)
        self.rep_keys = rep_keys
        self.members = [np.array(m, dtype=np.int32) for m in members]
        self.distances = [np.array(d, dtype=np.int32) for d in distances]
        self.radius = np.fromiter((int(d.max()) for d in self.distances), dtype=np.int32)
        self.shortest = np.fromiter(
            (int(keys.lengths[m].min()) for m in self.members), dtype=np.int32
        )
        self.longest = np.fromiter(
            (int(keys.lengths[m].max()) for m in self.members), dtype=np.int32
        )

    def index(self, keys: Keys) -> None:
        """Index each group's layered characters, the union over its members: token -> groups.

        A member shares no more layered characters with a query than the union does, so the
        count needs no allowance for the radius.
        """
        group_of = np.empty(len(keys.keys), dtype=np.int64)
        for g, members in enumerate(self.members):
            group_of[members] = g
        pairs = np.unique(
            np.concatenate(
                [np.unique((group_of[owners] << 32) | codes) for owners, codes in _packed(keys)]
            )
        )
        codes, groups = pairs & 0xFFFFFFFF, (pairs >> 32).astype(np.int32)
        order = np.argsort(codes, kind="stable")
        codes, self.postings = codes[order], groups[order]
        self.tokens, self.starts = np.unique(codes, return_index=True)
        self.ends = np.append(self.starts[1:], len(codes))


def _packed(keys: Keys, chunk: int = 250_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """:func:`pack_char_layers` of the keys, a chunk at a time (owners are key indices)."""
    for start in range(0, len(keys.keys), chunk):
        owners, codes = pack_char_layers(keys.keys[start : start + chunk])
        yield owners.astype(np.int64) + start, codes


def unit_postings(keys: Keys) -> tuple[np.ndarray, np.ndarray]:
    """Each layered-character token and how many units hold it: what a unit index reads."""
    counts = np.fromiter((len(i) for i in keys.ids), dtype=np.int64)
    parts = []
    for owners, codes in _packed(keys):
        tokens, inverse = np.unique(codes, return_inverse=True)
        parts.append((tokens, np.bincount(inverse, weights=counts[owners])))
    tokens, inverse = np.unique(np.concatenate([t for t, _ in parts]), return_inverse=True)
    held = np.bincount(inverse, weights=np.concatenate([c for _, c in parts]))
    return tokens, held.astype(np.int64)


def query_codes(key: str) -> np.ndarray:
    return np.array([(len(t) << 21) | ord(t[0]) for t in char_layers(key)], dtype=np.int64)


def lookup(tokens: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The positions in sorted ``tokens`` of those ``codes`` it holds."""
    at = np.searchsorted(tokens, codes)
    held = at < len(tokens)
    at, codes = at[held], codes[held]
    return at[tokens[at] == codes]


def search(
    groups: Groups, keys: Keys, key: str, min_score: float
) -> tuple[list[tuple[float, int]], dict[str, int]]:
    """The top ``LIMIT`` ``(score, unit id)`` at ``min_score`` or above, and the work done."""
    n = len(key)
    codes = query_codes(key)
    at = lookup(groups.tokens, codes)
    slices = [groups.postings[s:e] for s, e in zip(groups.starts[at], groups.ends[at], strict=True)]
    read = sum(len(s) for s in slices)
    shared = np.bincount(
        np.concatenate(slices) if slices else np.empty(0, np.int32), minlength=len(groups.rep_keys)
    )
    reach = np.minimum(np.minimum(shared, n), groups.longest)
    bound = 100 * reach / np.maximum(n, groups.shortest)
    candidates = np.flatnonzero(bound + ROUNDING >= min_score)
    candidates = candidates[np.argsort(-bound[candidates], kind="stable")]
    found: list[tuple[float, int]] = []  # (-score, unit id), best first
    floor = min_score  # the score a unit must reach to enter the top LIMIT
    verified = groups_read = 0
    texts, lengths = keys.keys, keys.lengths
    for g, g_bound in zip(candidates.tolist(), bound[candidates].tolist(), strict=True):
        if g_bound + ROUNDING < floor:
            break
        groups_read += 1
        members, distances = groups.members[g], groups.distances[g]
        rep_d = Levenshtein.distance(key, texts[members[0]])
        verified += 1
        scored = [(members[0], rep_d)]
        if len(members) > 1:
            m_len = lengths[members[1:]]
            low = np.maximum(np.abs(rep_d - distances[1:]), np.abs(m_len - n))
            upper = 100 * (1 - low / np.maximum(m_len, n))
            for k in members[1:][upper + ROUNDING >= floor].tolist():
                scored.append((k, Levenshtein.distance(key, texts[k])))
                verified += 1
        added = False
        for k, d in scored:
            score = round((1 - d / max(n, int(lengths[k]))) * 100, 2)
            if score >= floor:
                found.extend((-score, unit_id) for unit_id in keys.ids[k])
                added = True
        if added:
            found.sort()
            del found[LIMIT:]
            if len(found) == LIMIT:
                floor = max(min_score, -found[-1][0])
    work = {
        "candidates": len(candidates),
        "groups": groups_read,
        "verified": verified,
        "read": read,
    }
    return [(-s, i) for s, i in found], work


def exhaustive(keys: Keys, key: str) -> dict[int, list[tuple[float, int]]]:
    """Top ``LIMIT`` at every threshold by rapidfuzz over every distinct key (the yardstick)."""
    low = min(THRESHOLDS)
    found = process.extract(
        key,
        keys.keys,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=rapidfuzz_cutoff(low - ROUNDING),
        limit=None,
    )
    ranked = sorted(
        (-round(score * 100, 2), unit_id) for _, score, k in found for unit_id in keys.ids[k]
    )
    return {t: [(-s, i) for s, i in ranked if -s >= t][:LIMIT] for t in THRESHOLDS}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def measure(
    units: int, n_queries: int, radius: int, signature: int, check_units: bool, first: int | None
) -> dict:
    folder = OUT / str(units)
    t0 = time.perf_counter()
    db = open_db(folder / "match-bench.db", write=False)
    ids, texts = TranslationMemory(db).source_keys_in_lang("ja")
    ids, texts = ids[:first], texts[:first]
    print(f"{units:,}: read {len(ids):,} source keys in {time.perf_counter() - t0:.1f} s; {load()}")
    queries = (folder / "match-queries.ja.txt").read_text(encoding="utf-8").splitlines()
    queries = [q for q in queries if q.strip()][:n_queries]
    c0 = time.process_time()
    keys = Keys(ids, texts)
    c1 = time.process_time()
    groups = Groups(keys, radius, signature)
    c2 = time.process_time()
    groups.index(keys)
    c3 = time.process_time()
    del texts
    weights = np.fromiter((len(i) for i in keys.ids), dtype=np.int64)
    unit_radius = np.concatenate(groups.distances)
    member_units = weights[np.concatenate(groups.members)]
    row: dict = {
        "units": len(ids),
        "keys": len(keys.keys),
        "groups": len(groups.rep_keys),
        "mean_radius": float(groups.radius.mean()),
        "max_radius": int(groups.radius.max()),
        "mean_unit_distance": float((unit_radius * member_units).sum() / member_units.sum()),
        "key_us_per_unit": (c1 - c0) / len(ids) * 1e6,
        "group_us_per_unit": (c2 - c1) / len(ids) * 1e6,
        "index_us_per_unit": (c3 - c2) / len(ids) * 1e6,
        "radius": radius,
        "signature": signature,
    }
    print(
        f"  import: keys {row['keys']:,}, groups {row['groups']:,} ({len(ids) / row['groups']:.1f} "
        f"units a group), mean radius {row['mean_radius']:.2f} (max {row['max_radius']}), a "
        f"unit's mean distance to its representative {row['mean_unit_distance']:.2f}; CPU per "
        f"unit: exact keys {row['key_us_per_unit']:.2f} µs, grouping "
        f"{row['group_us_per_unit']:.2f} µs, indexing groups "
        f"{row['index_us_per_unit']:.2f} µs; peak RSS {peak_mib():,.0f} MiB; {load()}"
    )
    unit_tokens, unit_counts = unit_postings(keys)
    query_keys = [match_key(q) for q in queries]
    wrong = 0
    for t in THRESHOLDS:
        wall, cpu, work = [], [], Counter()
        unit_read = 0
        for qk in query_keys:
            w0, p0 = time.perf_counter(), time.process_time()
            got, done = search(groups, keys, qk, t)
            cpu.append(time.process_time() - p0)
            wall.append(time.perf_counter() - w0)
            work.update(done)
            unit_read += int(unit_counts[lookup(unit_tokens, query_codes(qk))].sum())
        n = len(query_keys)
        row[f"t{t}"] = {
            "wall_mean": statistics.mean(wall) * 1000,
            "wall_p99": percentile(wall, 0.99) * 1000,
            "cpu_mean": statistics.mean(cpu) * 1000,
            "cpu_p99": percentile(cpu, 0.99) * 1000,
            "candidates": work["candidates"] / n,
            "groups_read": work["groups"] / n,
            "verified": work["verified"] / n,
            "read": work["read"] / n,
            "unit_read": unit_read / n,
            "load": os.getloadavg()[0],
        }
        r = row[f"t{t}"]
        print(
            f"  --min {t}: {n} queries, wall mean {r['wall_mean']:.2f} ms p99 "
            f"{r['wall_p99']:.2f} ms, CPU mean {r['cpu_mean']:.2f} ms p99 {r['cpu_p99']:.2f} ms; "
            f"per query: {r['candidates']:.0f} groups pass the count bound, "
            f"{r['groups_read']:.0f} read, {r['verified']:.0f} keys scored; postings read "
            f"{r['read']:,.0f} (a unit index: {r['unit_read']:,.0f}); {load()}"
        )
    y0 = time.perf_counter()
    for query, qk in zip(queries, query_keys, strict=True):
        want = exhaustive(keys, qk)
        for t in THRESHOLDS:
            got, _ = search(groups, keys, qk, t)
            if got != want[t]:
                wrong += 1
                print(f"  DIFFERENT at --min {t}: {query!r}: {got} != exhaustive {want[t]}")
    row["exact"] = f"{len(queries) * len(THRESHOLDS) - wrong}/{len(queries) * len(THRESHOLDS)}"
    print(
        f"  exactness: top-{LIMIT} identical to exhaustive rapidfuzz for {row['exact']} "
        f"(query, threshold) pairs ({time.perf_counter() - y0:.0f} s); {load()}"
    )
    if check_units:
        check_against_matcher(db, queries, keys, query_keys)
    return row


def check_against_matcher(db, queries: list[str], keys: Keys, query_keys: list[str]) -> None:
    """The distinct-key yardstick is the top 5 over every unit: compare with taiyaku's own."""
    from taiyaku.match.search import Matcher

    matcher = Matcher(db)
    same = 0
    for query, qk in zip(queries, query_keys, strict=True):
        want = exhaustive(keys, qk)
        same += all(
            matcher.scores(query, min_score=t, limit=LIMIT, exhaustive=True) == want[t]
            for t in THRESHOLDS
        )
    print(f"  yardstick = Matcher.scores(exhaustive=True) for {same}/{len(queries)} queries")


def slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((x - mx) * (y - my) for x, y in zip(lx, ly, strict=True)) / sum(
        (x - mx) ** 2 for x in lx
    )


def table(mode: str) -> None:
    rows = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in OUT.glob(f"*/groups-{mode}.json")),
        key=lambda r: r["units"],
    )
    if not rows:
        sys.exit(f"nothing saved for {mode} yet")
    print(f"\n{mode}: units | keys | groups | mean R | group µs/unit | per query at 70: ")
    print("  candidates, scored, postings read (unit index), CPU mean/p99 ms | the same at 50")
    for r in rows:
        cells = []
        for t in THRESHOLDS:
            f = r[f"t{t}"]
            cells.append(
                f"{f['candidates']:6.0f} {f['verified']:6.0f} {f['read']:9,.0f} "
                f"({f['unit_read']:9,.0f}) {f['cpu_mean']:6.2f}/{f['cpu_p99']:6.1f}"
            )
        print(
            f"{r['units']:>9,} {r['keys']:>9,} {r['groups']:>8,} {r['mean_radius']:5.2f} "
            f"{r['group_us_per_unit']:5.2f} | " + " | ".join(cells) + f" | exact {r['exact']}"
        )
    if len(rows) < 2:
        return
    sizes = [r["units"] for r in rows]
    for name, get in (
        ("groups", lambda r: r["groups"]),
        *(
            (f"{what} at {t}", lambda r, t=t, what=what: r[f"t{t}"][what])
            for t in THRESHOLDS
            for what in ("cpu_mean", "cpu_p99", "verified", "read", "unit_read")
        ),
    ):
        ys = [get(r) for r in rows]
        print(
            f"  exponent of {name}: fit {slope(sizes, ys):.2f}, between the two largest "
            f"{slope(sizes[-2:], ys[-2:]):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, help="the size of /tmp/speed-bench/<units>")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--radius",
        type=int,
        default=4,
        help="largest distance to join a group (≤ a third of the key)",
    )
    parser.add_argument("--signature", type=int, default=4, help="characters of head and tail")
    parser.add_argument("--check-units", action="store_true", help="yardstick vs Matcher")
    parser.add_argument("--table", action="store_true", help="print the table of saved sizes")
    parser.add_argument(
        "--first", type=int, help="only the first N units (ids 1–164,603 are the real pairs)"
    )
    args = parser.parse_args()
    mode = f"r{args.radius}s{args.signature}" + (f"-first{args.first}" if args.first else "")
    if args.units:
        row = measure(
            args.units, args.queries, args.radius, args.signature, args.check_units, args.first
        )
        row["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        (OUT / str(args.units) / f"groups-{mode}.json").write_text(
            json.dumps(row), encoding="utf-8"
        )
    table(mode)


if __name__ == "__main__":
    main()
