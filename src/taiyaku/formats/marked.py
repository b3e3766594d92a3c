"""A printable workbook of text rows whose marked spans are shown in red, bold and underlined.

Used for the QA report (one row per finding, the offending words marked in the source and
target cells) and the term candidates sheet. Excel shows the marks as rich text, and they survive printing; filters and a
frozen header make the sheet easy to work through; on paper it is landscape, one page wide,
with the header row repeated on every page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from taiyaku.formats.cells import escape_xlsx, starts_like_formula
from taiyaku.formats.files import atomic_write
from taiyaku.formats.xlsx import set_filter, set_print_layout

# A cell: plain text, a number, or text with (start, end) spans to mark.
Marked = tuple[str, Sequence[tuple[int, int]]]
Cell = str | int | float | Marked

_FILLS = {"error": "F4B6B6", "warning": "FCE4B0", "info": "DDEBF7"}


def _rich(text: str, spans: Sequence[tuple[int, int]]) -> Any:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    marked = InlineFont(b=True, color="C00000", u="single")
    pieces: list[Any] = []
    last = 0
    for start, end in sorted(set(spans)):
        start, end = max(start, last), min(end, len(text))
        if start >= end:
            continue
        if start > last:
            pieces.append(escape_xlsx(text[last:start]))
        pieces.append(TextBlock(marked, escape_xlsx(text[start:end])))
        last = end
    if last < len(text):
        pieces.append(escape_xlsx(text[last:]))
    return CellRichText(pieces)


def _row_height(row: Sequence[Cell], widths: Sequence[int]) -> float:
    """Points for a row whose wrapped cells all show (about 13 per line of text)."""
    from taiyaku.formats.xlsx import display_width

    lines = 1
    for value, width in zip(row, widths, strict=False):
        text = value[0] if isinstance(value, tuple) else value
        if isinstance(text, str) and text:
            wrapped = sum(
                max(1, -(-display_width(part) // max(int(width * 0.85), 1)))
                for part in text.split("\n")
            )
            lines = max(lines, wrapped)
    return 13.0 * lines + 2


def write_marked_sheet(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    widths: Sequence[int],
    title: str,
    severity_column: int | None = None,
    fill_columns: Mapping[int, str] | None = None,
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """Write rows to an .xlsx file, marking the spans of ``(text, spans)`` cells.

    :param widths: column widths in characters
    :param severity_column: index of a column holding ``error``/``warning``/``info``:
        its cell is filled by severity
    :param fill_columns: column index → RGB fill for the whole column below the header
        (the column a reviewer fills in)
    :param about: (label, value) lines for an "About" sheet
    :return: the number of rows written
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    with atomic_write(path) as tmp:
        book = Workbook()
        sheet = book.active
        sheet.title = title
        top = Alignment(wrap_text=True, vertical="top")
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
        count = 0
        for count, row in enumerate(rows, start=1):
            sheet.row_dimensions[count + 1].height = _row_height(row, widths)
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=count + 1, column=column)
                if isinstance(value, tuple):
                    text, spans = value
                    cell.value = _rich(text, spans) if spans else escape_xlsx(text)
                    cell.data_type = "s"
                elif isinstance(value, str):
                    cell.value = escape_xlsx(value)
                    cell.data_type = "s"
                    cell.quotePrefix = starts_like_formula(value)
                else:
                    cell.value = value
                cell.alignment = top
                if fill_columns and column - 1 in fill_columns:
                    fill = fill_columns[column - 1]
                    cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
                if severity_column is not None and column == severity_column + 1:
                    color = _FILLS.get(str(value))
                    if color:
                        cell.fill = PatternFill("solid", start_color=color, end_color=color)
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        set_print_layout(sheet)
        set_filter(sheet, columns=len(header), last_row=count + 1)
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.oddFooter.center.text = "&P / &N"
        if about:
            info = book.create_sheet("About")
            info.column_dimensions["A"].width = 22
            info.column_dimensions["B"].width = 80
            for label, value in about:
                info.append([escape_xlsx(label), escape_xlsx(value)])
                info.cell(row=info.max_row, column=1).font = Font(bold=True)
        book.save(tmp)
    return count
