"""Build the fuzzy-match benchmark's data: a 1,000,000-unit TMX and 1,000 held-out queries.

Real pairs come from ``../shared/data`` (NICT Kyoto Wikipedia, Tatoeba via manythings.org,
small_parallel_enja detokenised); the rest are edited copies of them (characters changed,
numbers changed, phrases added), so that near matches exist as in a real TM. A thousand
real Japanese sentences are held out of the TM: half of them have edited copies in it (a new
document that revises an old one), half have none (a new document on a known subject).

Run: ``python benchmarks/match_data.py [--units 1000000] [--out /tmp/taiyaku-bench]``.
Everything is seeded, so two runs give the same files.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TAIYAKU_SHARED_DATA") or ROOT.parent / "shared" / "data")
sys.path.insert(0, str(ROOT / "src"))

from taiyaku.formats.tmx import write_tmx  # noqa: E402
from taiyaku.models import Unit  # noqa: E402

_HOLD_OUT = 1000
_EN_SPACE = re.compile(r" ([.,!?;:%)])|(\() | (n't|'s|'re|'m|'ll|'ve|'d)\b")
_DIGITS = re.compile(r"\d+")
_JA_PREFIXES = ("なお、", "また、", "ただし、", "さらに、", "一方、", "現在、", "当時、")
_EN_PREFIXES = ("Note that ", "Also, ", "However, ", "In addition, ", "Meanwhile, ", "Today, ")


def _detok_en(text: str) -> str:
    text = text.replace(" 't", "'t").replace("can 't", "can't")
    text = _EN_SPACE.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)
    text = re.sub(r" (n't|'s|'re|'m|'ll|'ve|'d)", r"\1", text)
    text = re.sub(r"\bi\b", "I", text)
    return text[:1].upper() + text[1:]


def real_pairs() -> Iterator[tuple[str, str, str]]:
    """Yield ``(ja, en, corpus)`` for every real pair found; say on stderr what is missing."""
    kyoto = SHARED / "kyoto-wiki-ja-en" / "sentences.tsv"
    if kyoto.exists():
        with kyoto.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["ja"].strip() and row["en"].strip():
                    yield row["ja"], row["en"], "kyoto-wiki"
    else:
        print(f"MISSING: {kyoto}", file=sys.stderr)
    tatoeba = SHARED / "tatoeba-manythings-jpn-eng" / "jpn.txt"
    if tatoeba.exists():
        with tatoeba.open(encoding="utf-8") as f:
            for line in f:
                en, _, ja = line.rstrip("\n").partition("\t")
                if ja.strip() and en.strip():
                    yield ja, en, "tatoeba"
    else:
        print(f"MISSING: {tatoeba}", file=sys.stderr)
    spe = SHARED / "small_parallel_enja"
    if (spe / "train.ja").exists():
        for part in ("train", "dev", "test"):
            jas = (spe / f"{part}.ja").read_text(encoding="utf-8").splitlines()
            ens = (spe / f"{part}.en").read_text(encoding="utf-8").splitlines()
            for ja, en in zip(jas, ens, strict=True):
                yield ja.replace(" ", ""), _detok_en(en), "small_parallel_enja"
    else:
        print(f"MISSING: {spe}", file=sys.stderr)


def _edit_ja(rng: random.Random, text: str, alphabet: str) -> str:
    kind = rng.random()
    if kind < 0.2 and _DIGITS.search(text):
        return _DIGITS.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), text, count=1)
    if kind < 0.3:
        return rng.choice(_JA_PREFIXES) + text
    chars = list(text)
    for _ in range(rng.choice((1, 1, 2, 3))):
        i = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.5 and i < len(chars):
            chars[i] = rng.choice(alphabet)
        elif op < 0.75 and i < len(chars) and len(chars) > 2:
            del chars[i]
        else:
            chars.insert(i, rng.choice(alphabet))
    return "".join(chars)


def _edit_en(rng: random.Random, text: str, words: list[str]) -> str:
    tokens = text.split(" ")
    if rng.random() < 0.2:
        return rng.choice(_EN_PREFIXES) + text[:1].lower() + text[1:]
    i = rng.randrange(len(tokens))
    tokens[i] = rng.choice(words)
    return " ".join(tokens)


def build(units: int, out: Path, seed: int = 4) -> None:
    """Write ``out/match-tm.tmx`` (``units`` units) and ``out/match-queries.ja.txt``."""
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    pairs: list[tuple[str, str, str]] = []
    for ja, en, corpus in real_pairs():
        if (ja, en) not in seen:
            seen.add((ja, en))
            pairs.append((ja, en, corpus))
    if not pairs:
        sys.exit("no data: ../shared/data is missing, so there is nothing to benchmark")
    by_ja: dict[str, list[int]] = {}
    for i, (ja, _, _) in enumerate(pairs):
        by_ja.setdefault(ja, []).append(i)
    distinct = [ja for ja, idx in by_ja.items() if 8 <= len(ja) <= 120]
    held = set(rng.sample(distinct, _HOLD_OUT))
    queries = sorted(held)
    rng.shuffle(queries)
    revised = set(queries[: _HOLD_OUT // 2])
    tm_pairs = [p for p in pairs if p[0] not in held]
    alphabet = "".join(sorted({c for ja, _, _ in tm_pairs[:20000] for c in ja}))
    words = sorted({w for _, en, _ in tm_pairs[:20000] for w in en.split(" ") if w.isalpha()})
    out.mkdir(parents=True, exist_ok=True)

    def generate() -> Iterator[Unit]:
        for ja, en, corpus in tm_pairs:
            yield Unit(ja, en, document=corpus)
        held_pairs = [p for p in pairs if p[0] in revised]
        for ja, en, _ in held_pairs:
            for _ in range(rng.choice((1, 2, 3))):
                yield Unit(
                    _edit_ja(rng, ja, alphabet), _edit_en(rng, en, words), document="revised"
                )
        while True:  # `unique` stops at `units` distinct pairs
            ja, en, corpus = tm_pairs[rng.randrange(len(tm_pairs))]
            yield Unit(_edit_ja(rng, ja, alphabet), _edit_en(rng, en, words), document="variant")

    def unique(items: Iterator[Unit]) -> Iterator[Unit]:
        keys: set[int] = set()
        for unit in items:
            key = hash((unit.source_text, unit.target_text))
            if key not in keys:
                keys.add(key)
                yield unit
                if len(keys) >= units:
                    return

    count = write_tmx(out / "match-tm.tmx", unique(generate()), srclang="ja")
    (out / "match-queries.ja.txt").write_text("\n".join(queries) + "\n", encoding="utf-8")
    print(f"{out / 'match-tm.tmx'}: {count:,} units ({len(tm_pairs):,} real pairs)")
    print(
        f"{out / 'match-queries.ja.txt'}: {len(queries):,} held-out queries, "
        f"{len(revised):,} with edited copies in the TM"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/taiyaku-bench"))
    args = parser.parse_args()
    build(args.units, args.out)


if __name__ == "__main__":
    main()
