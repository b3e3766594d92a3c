"""Fuzz the XML readers (TMX, TBX and the JLT dictionary) with hypothesis-driven byte mutation.

Real sample files are mutated (bytes flipped, inserted, deleted, chunks duplicated or cut) and
fed to the readers. A reader may yield records or raise taiyaku's FormatError; anything else
(a crash, another exception type, a hang past the per-case limit) is a finding. Findings are
written to --out as files, to become regression tests in tests/test_bad_input.py.

    .venv/bin/python benchmarks/fuzz_readers.py --seconds 60

Samples: tests/fixtures/*.tmx, *.tbx and jlt-*.xml always; with ../shared/data present (or
$TAIYAKU_SHARED_DATA) also the real OmegaT TMX and the TBX files there.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisWarning

from taiyaku.errors import FormatError
from taiyaku.formats import read_terms, read_units

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("TAIYAKU_SHARED_DATA", ROOT.parent / "shared" / "data"))


warnings.filterwarnings("ignore", category=HypothesisWarning)


class TimeUp(Exception):
    pass


def samples() -> list[Path]:
    found = sorted((ROOT / "tests" / "fixtures").glob("*.tmx"))
    found += sorted((ROOT / "tests" / "fixtures").glob("*.tbx"))
    found += sorted((ROOT / "tests" / "fixtures").glob("jlt-*.xml"))
    extra = [
        DATA / "qgis-omegat-tmx-ja-en" / "for_use_qgis-documentation_docs--gentle_gis_introduction"
        "--coordinate_reference_systems_ja.tmx",
        DATA / "weblate-glossary-tbx" / "ja.tbx",
        DATA / "tbx-basic-v3-sample" / "Example_Astronomy_DCA_VALID.tbx",
    ]
    present = [p for p in extra if p.exists()]
    if len(present) < len(extra):
        print(f"note: {DATA} is missing some samples; fuzzing the fixtures only for those")
    return found + present


def reader_for(path: Path):
    if path.suffix == ".tmx":
        return lambda p: list(read_units(p))
    return lambda p: list(read_terms(p))


@st.composite
def mutated(draw, originals: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate", "markup"]))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "duplicate":
            size = draw(st.integers(1, 512))
            data[at:at] = data[at : at + size] * draw(st.integers(1, 4))
        elif op == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"<",
                        b"</tu>",
                        b"<tuv>",
                        b"&#1;",
                        b"&amp",
                        b"<!ENTITY x 'y'>",
                        b"]]>",
                        b'xml:lang=""',
                        b"<seg/>",
                        b"\xef\xbb\xbf",
                        b"\x00",
                    ]
                )
            )
    return bytes(data)


def fuzz_one(
    suffix: str,
    originals: list[bytes],
    stop_at: float,
    work: Path,
    out: Path,
    counts: dict[str, int],
    findings: list[str],
) -> None:
    """Fuzz the reader of one file type until ``stop_at``."""
    read = reader_for(Path("x" + suffix))

    def keep(data: bytes, why: str) -> None:
        name = hashlib.sha1(data).hexdigest()[:12] + suffix
        (out / name).write_bytes(data)
        findings.append(f"{name}: {why}")

    @settings(
        max_examples=10**9,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=mutated(originals))
    def run(data: bytes) -> None:
        if time.monotonic() > stop_at:
            raise TimeUp
        counts["cases"] += 1
        case = work / f"case{suffix}"
        case.write_bytes(data)
        started = time.monotonic()
        try:
            read(case)
            counts["accepted"] += 1
        except FormatError:
            counts["format_error"] += 1
        except Exception as error:  # anything but a clean FormatError is a finding
            keep(data, f"{type(error).__name__}: {error}")
        if time.monotonic() - started > 5:
            keep(data, f"took {time.monotonic() - started:.1f} s")

    try:
        run()
    except TimeUp:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "taiyaku-fuzz")
    args = parser.parse_args()
    files = samples()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="taiyaku-fuzz-"))
    deadline = time.monotonic() + args.seconds
    counts = {"cases": 0, "accepted": 0, "format_error": 0}
    findings: list[str] = []
    by_suffix: dict[str, list[bytes]] = {}
    for path in files:
        by_suffix.setdefault(path.suffix, []).append(path.read_bytes())
    for index, (suffix, originals) in enumerate(by_suffix.items()):
        share = (deadline - time.monotonic()) / (len(by_suffix) - index)
        fuzz_one(suffix, originals, time.monotonic() + share, work, args.out, counts, findings)

    print(f"samples: {', '.join(p.name for p in files)}")
    print(
        f"cases: {counts['cases']:,} in {args.seconds:g} s; accepted {counts['accepted']:,}, "
        f"clean FormatError {counts['format_error']:,}, findings {len(findings)}"
    )
    for finding in findings[:20]:
        print("  finding:", finding)
    if findings:
        print(f"finding files in {args.out}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
