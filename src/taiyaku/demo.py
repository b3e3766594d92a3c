"""The demo: the main job on the shipped seed data (the MIC Global Strategy Bureau page).

It loads ``glossary/`` into a database, segments and aligns the Japanese page of ``tm/`` with
its English version (glossary terms anchoring the alignment), stores the pairs in the TM and
exports the glossary to Excel. ``taiyaku demo`` prints a tour of the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from taiyaku.align import Alignment
from taiyaku.errors import NotFound
from taiyaku.formats import read_terms, write_terms
from taiyaku.project import Project
from taiyaku.store.glossary import TermsResult
from taiyaku.store.tm import AddResult

SEED = "mic-global-strategy-bureau"


@dataclass(frozen=True)
class DemoResult:
    """What the demo loaded, aligned and wrote."""

    db_path: str
    terms: TermsResult
    alignment: Alignment
    replaced: int
    units: AddResult
    glossary_xlsx: str


def find_data_dir(start: str | os.PathLike[str] | None = None) -> Path:
    """Find the folder holding ``glossary/`` and ``tm/``: the current folder or a parent,
    else the source checkout this package was installed from."""
    here = Path(start or Path.cwd()).resolve()
    for folder in [here, *here.parents, *Path(__file__).resolve().parents]:
        if (folder / "glossary" / f"{SEED}.tsv").is_file() and (folder / "tm").is_dir():
            return folder
    raise NotFound(
        "cannot find the shipped glossary/ and tm/ folders; run from the checkout or give --data"
    )


def run_demo(
    db_path: str | os.PathLike[str], data_dir: Path, xlsx_path: str | os.PathLike[str]
) -> DemoResult:
    """Load the seed glossary, align the seed page pair into the TM, export the glossary.

    Running it again changes nothing but the timestamps of the export: the glossary entries
    are already there and the page's aligned pairs are replaced, not duplicated.
    """
    with Project.open(db_path, write=True) as project:
        terms = project.glossary.add_many(read_terms(data_dir / "glossary" / f"{SEED}.tsv"))
        alignment = project.align(
            data_dir / "tm" / f"{SEED}.ja.txt", data_dir / "tm" / f"{SEED}.en.txt"
        )
        replaced, units = project.save_alignment(alignment, SEED)
        about = project.glossary_about(
            "taiyaku demo: the glossary of the MIC Global Strategy Bureau page"
        )
        write_terms(xlsx_path, project.glossary.iter_terms(), about=about)
    return DemoResult(os.fspath(db_path), terms, alignment, replaced, units, os.fspath(xlsx_path))
