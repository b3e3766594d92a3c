"""Excel workbooks: a header row and one record per row, readable by a person.

Exports freeze the header, add an autofilter and size the columns; every text cell goes
through the formula guard and Excel's control-character escapes (:mod:`taiyaku.formats.cells`).
"""

from __future__ import annotations

import functools
import itertools
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from taiyaku.errors import FormatError
from taiyaku.formats.cells import escape_xlsx, starts_like_formula, unescape_xlsx
from taiyaku.formats.files import atomic_write, check_readable

Row = tuple[int, list[str]]
_WRAP_WIDTH = 40
# Hostile-workbook limits. A real glossary or TM workbook of a million rows unpacks to well
# under 1 GB and compresses about 5-20x; a zip bomb compresses thousands of times.
MAX_UNPACKED_BYTES = 1_000_000_000
MAX_RATIO = 200
MAX_BLANK_ROWS = 10_000
HEADER_SEARCH_ROWS = 20


def read_rows(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
) -> tuple[list[str], Iterator[Row]]:
    """Read a sheet (the first unless named): return its header and (row number, cells).

    :param is_header: tells a header row; the first of the first :data:`HEADER_SEARCH_ROWS`
        non-blank rows it accepts is the header (a title or a date above the table is
        skipped). Without it, or when it accepts none, the first non-blank row is the header.
    :raises FormatError: not an XLSX file, no such sheet, empty sheet
    """
    from openpyxl import load_workbook

    check_readable(path)
    _check_archive(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FormatError(path, f"cannot read the workbook: {error}") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise FormatError(path, f"no sheet named {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    worksheet = book[sheet] if sheet else book.worksheets[0]
    values = worksheet.iter_rows(values_only=True)
    leading: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(values, start=1):
        cells = [_text(v) for v in raw]
        if any(c.strip() for c in cells):
            leading.append((number, cells))
            if is_header is None or is_header(cells) or len(leading) >= HEADER_SEARCH_ROWS:
                break
    if not leading:
        raise FormatError(path, f"sheet {worksheet.title!r} is empty")
    chosen = next((i for i, (_, c) in enumerate(leading) if is_header and is_header(c)), 0)
    header = [c.strip() for c in leading[chosen][1]]
    # Rows read while looking for the header, below it, are data.
    pending = leading[chosen + 1 :]

    def rows() -> Iterator[Row]:
        yield from pending
        blank_run = 0
        start = leading[-1][0] + 1
        for number, raw in enumerate(values, start=start):
            cells = [_text(v) for v in raw]
            if any(c.strip() for c in cells):
                blank_run = 0
                yield number, cells
            else:
                blank_run += 1
                if blank_run >= MAX_BLANK_ROWS:
                    break  # a sheet "used" down to row 1,048,576 holds nothing more
        book.close()

    return header, rows()


def _check_archive(path: str | os.PathLike[str]) -> None:
    """Refuse what is not a zip, and zip bombs, before openpyxl inflates anything."""
    if not zipfile.is_zipfile(path):
        raise FormatError(path, "not an Excel .xlsx file (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise FormatError(path, f"damaged .xlsx archive: {error}") from None
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if total > MAX_UNPACKED_BYTES or (total > 10_000_000 and total / packed > MAX_RATIO):
        raise FormatError(
            path,
            f"refused: the workbook would unpack to {total:,} bytes from {packed:,} "
            f"(limit {MAX_UNPACKED_BYTES:,} bytes, ratio {MAX_RATIO}); it looks like a zip bomb",
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape_xlsx(str(value))


def write_rows(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    title: str = "Sheet1",
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """Write a workbook: one sheet of records, and an "About" sheet when ``about`` is given.

    :param about: (label, value) lines describing the file (database, date, counts, version)
    :return: the number of records written
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    cell = text_cell
    # Claim the file first: a folder that cannot be written fails before any sheet is made.
    with atomic_write(path) as tmp:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title)
        widths = [len(h) + 2 for h in header]
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        # Column widths must be set before rows in a write-only sheet: estimate from the header
        # now and from a first sample of rows (the rest rarely changes the picture).
        buffered: list[Sequence[str]] = []
        iterator = iter(rows)
        for row in iterator:
            buffered.append(row)
            for i, value in enumerate(row):
                widths[i] = max(widths[i], min(_WRAP_WIDTH, _display_width(value) + 2))
            if len(buffered) >= 500:
                break
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        set_print_layout(sheet)
        sheet.append([cell(sheet, h, font=bold) for h in header])
        count = 0
        for row in itertools.chain(buffered, iterator):
            fit_row_height(sheet, count + 2, row, widths)
            sheet.append([cell(sheet, v, alignment=wrap) for v in row])
            count += 1
        set_filter(sheet, columns=len(header), last_row=count + 1)
        if about:
            info = book.create_sheet("About")
            info.column_dimensions["A"].width = 22
            info.column_dimensions["B"].width = 60
            for label, value in about:
                info.append([cell(info, label, font=bold), cell(info, value)])
        book.save(tmp)
    return count


@functools.cache
def _write_only_cell() -> Any:
    from openpyxl.cell import WriteOnlyCell  # openpyxl is imported only when a sheet is written

    return WriteOnlyCell


def styled_cell(sheet: Any, value: Any, **style: Any) -> Any:
    """A cell of a write-only sheet with ``value`` (a number, or text already made safe).

    :param style: cell style attributes to set (``font``, ``alignment``, ``fill``)
    """
    made = _write_only_cell()(sheet, value=value)
    for name, attr in style.items():
        setattr(made, name, attr)
    return made


def text_cell(sheet: Any, value: str, **style: Any) -> Any:
    """A cell of a write-only sheet holding ``value`` as text, whatever it starts with.

    Every text cell taiyaku writes goes through here: characters XML cannot hold are escaped
    the way Excel does, the cell is typed as a string (never a formula), and text that starts
    like a formula gets Excel's quote-prefix style, so Excel shows it as written and keeps it
    text when edited, with no visible apostrophe.
    """
    made = styled_cell(sheet, escape_xlsx(value), **style)
    made.data_type = "s"
    if starts_like_formula(value):
        made.quotePrefix = True
    return made


_LINE_HEIGHT = 15.0  # points per line of 11-point text, Excel's default row height
_MAX_ROW_HEIGHT = 409.0  # Excel's limit


def set_print_layout(sheet: Any, *, header_row: int = 1) -> None:
    """Make a records sheet read and print well: what every sheet taiyaku writes gets.

    The header row is frozen and repeated at the top of every printed page; pages are A4
    landscape, scaled to the sheet's width (a glossary no longer prints one column a page).
    Call before the first row is written (a write-only sheet streams its rows); add the
    filter with :func:`set_filter` once the rows are counted.
    """
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def set_filter(sheet: Any, *, columns: int, last_row: int, header_row: int = 1) -> None:
    """An autofilter on the header row over the records (rows ``header_row``..``last_row``)."""
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(max(1, columns))}{last_row}"


def fit_row_height(sheet: Any, row: int, values: Sequence[Any], widths: Sequence[float]) -> None:
    """Give row ``row`` the height its wrapped text needs in columns of ``widths``.

    Spreadsheets do not grow a row for wrapped text written by a program: without this, a
    long sentence shows one line and hides the rest. Call before the row is appended.
    """
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if not isinstance(value, str) or not value:
            continue
        usable = max(1.0, width - 1)
        needed = sum(max(1, -(-display_width(line) // int(usable))) for line in value.split("\n"))
        lines = max(lines, needed)
    if lines > 1:
        sheet.row_dimensions[row].height = min(_MAX_ROW_HEIGHT, _LINE_HEIGHT * lines + 2)


def _display_width(text: str) -> int:
    return display_width(text.split("\n", 1)[0])


def display_width(line: str) -> int:
    """The columns a line of text takes in a sheet: East Asian wide characters take two."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in line)
