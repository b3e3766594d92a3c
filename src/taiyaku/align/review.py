"""A side-by-side review sheet (.xlsx) of an alignment, low-confidence rows highlighted."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from taiyaku.align.core import Alignment

LOW_CONFIDENCE = 0.5
_HEADERS = ("#", "Bead", "Confidence", "Source", "Target", "OK?")


def write_review(
    path: str | os.PathLike[str], alignment: Alignment, *, threshold: float = LOW_CONFIDENCE
) -> int:
    """Write the beads of ``alignment`` to an Excel sheet for a person to check.

    One row per bead: its number, type, confidence, source and target text, and an empty
    "OK?" column. Rows below ``threshold`` and beads with one side empty are filled orange.
    The file is written to a temporary name and renamed, so a failure leaves no half file.

    :return: the number of rows highlighted
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment as CellAlignment
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Alignment"
    sheet.append(_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    low = PatternFill("solid", start_color="FFD59E", end_color="FFD59E")
    wrap = CellAlignment(wrap_text=True, vertical="top")
    flagged = 0
    for number, bead in enumerate(alignment.beads, start=1):
        sheet.append(
            (number, bead.type, round(bead.confidence, 3), bead.source_text, bead.target_text, "")
        )
        row = sheet[sheet.max_row]
        for cell in row:
            cell.alignment = wrap
        if bead.confidence < threshold or not bead.is_pair:
            flagged += 1
            for cell in row:
                cell.fill = low
    for column, width in zip("ABCDEF", (6, 7, 11, 60, 60, 6), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:F{sheet.max_row}"
    about = book.create_sheet("About")
    for row in (
        ("Source language", alignment.source_lang),
        ("Target language", alignment.target_lang),
        ("Length ratio (target/source characters)", round(alignment.ratio, 3)),
        ("Highlighted", f"confidence below {threshold} or one side empty"),
    ):
        about.append(row)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=target.parent or ".")
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return flagged
