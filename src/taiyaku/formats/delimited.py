"""TSV and CSV files: rows of text with a header line, in any Japanese encoding."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence

from taiyaku.errors import FormatError
from taiyaku.formats.files import atomic_write
from taiyaku.text.decode import read_text

Row = tuple[int, list[str]]


def delimiter_for(path: str | os.PathLike[str]) -> str:
    """Tab for ``.tsv``/``.tab``/``.txt``, comma otherwise."""
    return "\t" if os.fspath(path).lower().endswith((".tsv", ".tab", ".txt")) else ","


def read_rows(
    path: str | os.PathLike[str], *, encoding: str | None = None
) -> tuple[list[str], Iterator[Row]]:
    """Read a delimited file: return its header and an iterator of (line number, cells).

    Blank lines are skipped. The encoding is detected unless given.

    :raises FormatError: empty file, undecodable bytes, malformed quoting
    """
    text = read_text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_for(path))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise FormatError(path, str(error), f"line {reader.line_num}") from None
    if header is None or not any(cell.strip() for cell in header):
        raise FormatError(path, "no header line", "line 1")

    def rows() -> Iterator[Row]:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise FormatError(path, str(error), f"line {reader.line_num}") from None
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells

    return [cell.strip() for cell in header], rows()


def write_rows(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[str]]
) -> int:
    """Write a header and rows as UTF-8 TSV or CSV (by extension); return the row count.

    Lines end in LF. A field holding the delimiter, a quote, LF or CR is quoted (the csv
    module would leave a lone CR unquoted, and readers would take it for a line end).
    """
    delimiter = delimiter_for(path)
    count = 0
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        out.write(_line(header, delimiter))
        for row in rows:
            out.write(_line(row, delimiter))
            count += 1
    return count


def _line(cells: Sequence[str], delimiter: str) -> str:
    special = (delimiter, '"', "\n", "\r")
    return (
        delimiter.join(
            '"' + c.replace('"', '""') + '"' if any(ch in c for ch in special) else c for c in cells
        )
        + "\n"
    )
