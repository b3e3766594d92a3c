"""The term candidates sheet: extracted glossary candidates laid out for a person to review.

``taiyaku term extract -o candidates.xlsx`` writes one row per candidate: an empty ``keep``
column first, then the Japanese and English (edit the English in place), status, note and
source (the documents the pair came from), then what helps decide: whether the glossary
already has the term, the score, counts, other renderings and an example pair. A reviewer
marks the rows to keep (``x``, ``y``, ``yes``, ``1``, ``✓``, ``○``) and imports the file:
``taiyaku term import --update candidates.xlsx`` adds the kept pairs the glossary does not
have yet and touches nothing else. The sheet is told apart from a glossary by its ``keep``
column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence

from taiyaku.errors import FormatError
from taiyaku.models import STATUSES, Term

CANDIDATE_COLUMNS = (
    "keep",
    "ja",
    "en",
    "status",
    "note",
    "source",
    "glossary",
    "glossary_en",
    "score",
    "count",
    "together",
    "alternatives",
    "example_ja",
    "example_en",
)
# Columns the import reads; the others are there to help the reviewer and are not imported.
_IMPORTED = ("ja", "en", "status", "note", "source", "domain", "pos")
_KEPT = frozenset({"x", "y", "yes", "1", "true", "keep", "ok", "✓", "✔", "○", "〇", "◯", "o"})


def _fold(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name).casefold()


def is_candidates_header(cells: Sequence[str]) -> bool:
    """True for the header row of a candidates sheet: a ``keep`` column beside ja and en."""
    names = {_fold(c) for c in cells}
    return {"keep", "ja", "en"} <= names


def looks_like_candidates(path: str | os.PathLike[str]) -> bool:
    """True when a TSV, CSV or XLSX file is a candidates sheet (by its header row)."""
    from taiyaku.formats.tabular import read_table

    try:
        header, _, _ = read_table(path, is_header=is_candidates_header)
    except FormatError:
        return False
    return is_candidates_header(header)


def read_candidates(path: str | os.PathLike[str]) -> Iterator[Term]:
    """Yield the rows of a candidates sheet marked to keep, as glossary entries.

    :raises FormatError: a column the sheet does not have, a kept row without ja or en,
        a bad status
    """
    from taiyaku.formats.cells import unguard_cell
    from taiyaku.formats.tabular import read_table

    header, rows, place = read_table(path, is_header=is_candidates_header)
    known = set(CANDIDATE_COLUMNS) | set(_IMPORTED)
    index = {}
    for i, name in enumerate(header):
        if not name:
            continue
        if _fold(name) not in {_fold(k) for k in known}:
            raise FormatError(path, f"unknown column {name!r} in a candidates sheet", "header")
        index[next(k for k in known if _fold(k) == _fold(name))] = i
    clean = (lambda t: t) if place == "row" else unguard_cell
    for number, cells in rows:
        values = {f: clean(cells[i]).strip() if i < len(cells) else "" for f, i in index.items()}
        cell = values.get
        if cell("keep", "").casefold() not in _KEPT:
            continue
        ja, en = cell("ja", ""), cell("en", "")
        if not ja or not en:
            raise FormatError(path, "a kept row needs both ja and en", f"{place} {number}")
        status = cell("status", "") or "preferred"
        if status not in STATUSES:
            raise FormatError(
                path, f"status {status!r} is not one of {', '.join(STATUSES)}", f"{place} {number}"
            )
        yield Term(ja=ja, en=en, note=cell("note", ""), domain=cell("domain", ""), pos=cell("pos", ""),
                   status=status, source=cell("source", ""))  # fmt: skip


_WIDTHS = (6, 16, 26, 10, 14, 18, 10, 20, 7, 6, 8, 22, 34, 34)
_KEEP_FILL = "FFF2CC"


def write_candidates(
    path: str | os.PathLike[str],
    rows: Iterable[Sequence[str | int | float]],
    *,
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """Write candidate rows (in :data:`CANDIDATE_COLUMNS` order) as XLSX, TSV or CSV.

    The workbook is made to review and to print: the keep column filled, filters, frozen
    header, wrapped text, numbers as numbers (sortable), landscape one page wide.

    :return: the number of rows written
    """
    from taiyaku.formats.tabular import write_table

    if os.fspath(path).lower().endswith((".xlsx", ".xlsm")):
        from taiyaku.formats.marked import write_marked_sheet

        return write_marked_sheet(
            path,
            CANDIDATE_COLUMNS,
            rows,
            widths=_WIDTHS,
            title="Term candidates",
            fill_columns={0: _KEEP_FILL},
            about=about,
        )
    text_rows = ([v if isinstance(v, str) else f"{v:g}" for v in row] for row in rows)
    return write_table(path, CANDIDATE_COLUMNS, text_rows, title="Term candidates", about=about)
