"""The kyoto-wiki TM and the kyoto-lexicon glossary, loaded into a taiyaku database.

Shared by ``extract_bench.py`` and ``check_bench.py``. The data sets are read from
``../shared/data`` beside the checkout, or from ``$TAIYAKU_SHARED_DATA``.
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from taiyaku.models import Unit

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("TAIYAKU_SHARED_DATA", HERE.parent.parent / "shared" / "data"))
KYOTO_WIKI = DATA / "kyoto-wiki-ja-en" / "sentences.tsv"
KYOTO_LEXICON = DATA / "kyoto-lexicon-ja-en" / "kyoto_lexicon.csv"


def require(*paths: Path) -> None:
    """Exit with a clear message when a data set is missing."""
    for path in paths:
        if not path.exists():
            sys.exit(f"DATA MISSING: {path} is not here (set $TAIYAKU_SHARED_DATA); nothing to run")


def kyoto_units(docs: int | None = None) -> Iterator[Unit]:
    """The kyoto-wiki pairs as aligned units, document by document (the first ``docs``)."""
    seen: list[str] = []
    with open(KYOTO_WIKI, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for position, row in enumerate(rows):
            if not seen or seen[-1] != row["doc_id"]:
                if docs is not None and len(seen) == docs:
                    return
                seen.append(row["doc_id"])
            yield Unit(
                row["ja"],
                row["en"],
                origin="aligned",
                document=row["doc_id"],
                position=position,
            )


def uptime() -> str:
    """The machine's load average, printed beside every timing."""
    with open("/proc/loadavg", encoding="utf-8") as handle:
        return "load average " + " ".join(handle.read().split()[:3])
