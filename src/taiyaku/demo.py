"""The demo: the main job on the shipped seed data (the MIC Global Strategy Bureau page).

It loads ``glossary/`` into a database, brings the page pair of ``tm/`` into the TM and
exports the glossary to Excel. The CLI's ``taiyaku demo`` prints a tour of the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from taiyaku.errors import NotFound
from taiyaku.formats import read_terms, read_units, write_terms
from taiyaku.store.db import open_db
from taiyaku.store.glossary import Glossary
from taiyaku.store.tm import AddResult, TranslationMemory

SEED = "mic-global-strategy-bureau"


@dataclass(frozen=True)
class DemoResult:
    """What the demo loaded and wrote."""

    db_path: str
    terms_added: int
    units: AddResult
    glossary_xlsx: str


def find_data_dir(start: str | os.PathLike[str] | None = None) -> Path:
    """Find the folder holding ``glossary/`` and ``tm/``: the current folder or a parent,
    else the source checkout this package was installed from."""
    candidates = [Path(start or Path.cwd()).resolve()]
    candidates += list(candidates[0].parents)
    candidates += list(Path(__file__).resolve().parents)
    for folder in candidates:
        if (folder / "glossary" / f"{SEED}.tsv").is_file() and (folder / "tm").is_dir():
            return folder
    raise NotFound(
        "cannot find the shipped glossary/ and tm/ folders; run from the checkout or give --data"
    )


def run_demo(
    db_path: str | os.PathLike[str], data_dir: Path, xlsx_path: str | os.PathLike[str]
) -> DemoResult:
    """Load the seed glossary and TM into ``db_path`` and export the glossary to ``xlsx_path``."""
    db = open_db(db_path)
    glossary = Glossary(db)
    terms = glossary.add_many(read_terms(data_dir / "glossary" / f"{SEED}.tsv"))
    memory = TranslationMemory(db)
    pairs = data_dir / "tm" / f"{SEED}.pairs.tsv"
    from dataclasses import replace

    units = memory.add_many(
        replace(u, document=SEED, position=i, origin="aligned")
        for i, u in enumerate(read_units(pairs))
    )
    write_terms(xlsx_path, glossary.iter_terms(), about=[("What", "taiyaku demo glossary")])
    return DemoResult(os.fspath(db_path), terms.added, units, os.fspath(xlsx_path))
