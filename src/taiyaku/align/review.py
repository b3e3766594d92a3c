"""A side-by-side review sheet (.xlsx) of an alignment, low-confidence rows highlighted."""

from __future__ import annotations

import os
from typing import Any

from taiyaku.align.core import Alignment
from taiyaku.formats.files import atomic_write
from taiyaku.formats.xlsx import styled_cell, text_cell

LOW_CONFIDENCE = 0.5
_HEADERS = ("#", "Bead", "Confidence", "Source", "Target", "OK?")


def write_review(
    path: str | os.PathLike[str], alignment: Alignment, *, threshold: float = LOW_CONFIDENCE
) -> int:
    """Write the beads of ``alignment`` to an Excel sheet for a person to check.

    One row per bead: its number, type, confidence, source and target text, and an empty
    "OK?" column. Rows below ``threshold`` and beads with one side empty are filled orange.
    Text cells are written as text, never as formulas (:func:`~taiyaku.formats.xlsx.text_cell`);
    the file appears only when complete (:func:`~taiyaku.formats.files.atomic_write`).

    :return: the number of rows highlighted
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment as CellAlignment
    from openpyxl.styles import Font, PatternFill

    # Claim the file first: a folder that cannot be written fails before any sheet is made.
    with atomic_write(path) as temporary:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Alignment")
        for column, width in zip("ABCDEF", (6, 7, 11, 60, 60, 6), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:F{len(alignment.beads) + 1}"
        bold = Font(bold=True)
        sheet.append([text_cell(sheet, header, font=bold) for header in _HEADERS])
        low = PatternFill("solid", start_color="FFD59E", end_color="FFD59E")
        wrap = CellAlignment(wrap_text=True, vertical="top")
        flagged = 0
        for number, bead in enumerate(alignment.beads, start=1):
            style: dict[str, Any] = {"alignment": wrap}
            if bead.confidence < threshold or not bead.is_pair:
                flagged += 1
                style["fill"] = low
            texts = (bead.type, bead.source_text, bead.target_text)
            bead_type, source, target = (text_cell(sheet, text, **style) for text in texts)
            numbers = (number, round(bead.confidence, 3))
            number_cell, confidence = (styled_cell(sheet, value, **style) for value in numbers)
            sheet.append(
                [number_cell, bead_type, confidence, source, target, text_cell(sheet, "", **style)]
            )
        about = book.create_sheet("About")
        for label, value in (
            ("Source language", alignment.source_lang),
            ("Target language", alignment.target_lang),
            ("Length ratio (target/source characters)", round(alignment.ratio, 3)),
            ("Highlighted", f"confidence below {threshold} or one side empty"),
        ):
            value_cell = text_cell(about, value) if isinstance(value, str) else value
            about.append([text_cell(about, label), value_cell])
        book.save(temporary)
    return flagged
