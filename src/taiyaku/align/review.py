"""A side-by-side review sheet (.xlsx) of an alignment, rows likely wrong highlighted."""

from __future__ import annotations

import os
from typing import Any

from taiyaku.align.confidence import REVIEW_THRESHOLD, review_threshold_text
from taiyaku.align.core import Alignment
from taiyaku.formats.files import atomic_write
from taiyaku.formats.xlsx import (
    fit_row_height,
    set_filter,
    set_print_layout,
    styled_cell,
    text_cell,
)


def write_review(
    path: str | os.PathLike[str], alignment: Alignment, *, threshold: float = REVIEW_THRESHOLD
) -> int:
    """Write the beads of ``alignment`` to an Excel sheet for a person to check.

    One row per bead: its number, type, confidence, source and target text, and an empty
    "OK?" column. Rows below ``threshold`` and beads with one side empty are filled orange;
    the confidence column's header says which threshold, and the About sheet why (by
    default :data:`~taiyaku.align.confidence.REVIEW_THRESHOLD`: 90 % of wrong pairs caught
    with the fewest rows on the Kyoto benchmark).
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
        widths = (6, 7, 14, 60, 60, 6)
        for column, width in zip("ABCDEF", widths, strict=True):
            sheet.column_dimensions[column].width = width
        set_print_layout(sheet)
        set_filter(sheet, columns=len(widths), last_row=len(alignment.beads) + 1)
        bold = Font(bold=True)
        headers = ("#", "Bead", f"Confidence (orange < {threshold:.2f})", "Source", "Target", "OK?")
        sheet.append([text_cell(sheet, header, font=bold) for header in headers])
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
            fit_row_height(sheet, number + 1, ("", "", "", *texts[1:]), widths)
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
            ("Highlighted", review_threshold_text(threshold)),
            ("Confidence", "the probability that the pair is right (calibrated on Kyoto)"),
        ):
            value_cell = text_cell(about, value) if isinstance(value, str) else value
            about.append([text_cell(about, label), value_cell])
        book.save(temporary)
    return flagged
