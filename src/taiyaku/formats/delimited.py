"""TSV and CSV files: rows of text with a header line, in any Japanese encoding.

The two are different formats, not one format with two delimiters:

- **TSV** (``.tsv``, ``.tab``, ``.txt``) has no quoting at all, as the TM and corpus tools
  that exchange it expect (Tatoeba, OmegaT, Moses, PostgreSQL ``COPY``): a tab separates
  fields, a line break ends the row, and a quote is just a character. A tab, line feed,
  carriage return or backslash inside a field is written as ``\\t``, ``\\n``, ``\\r`` or
  ``\\\\``, and read back; any other backslash is kept as it stands. So ``"はい"と言った`` is
  read as typed, and a line that opens a quote cannot swallow the lines after it.
- **CSV** (``.csv``) is RFC 4180: fields holding a comma, quote or line break are quoted.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence

from taiyaku.errors import FormatError
from taiyaku.formats.files import atomic_write
from taiyaku.text.decode import read_text

Row = tuple[int, list[str]]

TSV_SUFFIXES = (".tsv", ".tab", ".txt")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_TO_ESCAPE = re.compile(r"[\\\t\n\r]")
_ESCAPED = re.compile(r"\\([\\tnr])")


def is_tsv(path: str | os.PathLike[str]) -> bool:
    """True for the tab-separated, quote-free files: ``.tsv``, ``.tab``, ``.txt``."""
    return os.fspath(path).lower().endswith(TSV_SUFFIXES)


def escape_tsv(text: str) -> str:
    """Write tab, LF, CR and backslash as ``\\t``, ``\\n``, ``\\r``, ``\\\\`` (a TSV field)."""
    return _TO_ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)


def unescape_tsv(text: str) -> str:
    """Undo :func:`escape_tsv`; a backslash before any other character stays as it is."""
    if "\\" not in text:
        return text
    return _ESCAPED.sub(lambda m: _UNESCAPES[m.group(1)], text)


def read_rows(
    path: str | os.PathLike[str], *, encoding: str | None = None, header: bool = True
) -> tuple[list[str], Iterator[Row]]:
    """Read a delimited file: return its header and an iterator of (line number, cells).

    Blank lines are skipped. The encoding is detected unless given.

    :param header: when false, the file has no header line: ``[]`` is returned for it and
        the first line is a row
    :raises FormatError: empty file, undecodable bytes, malformed CSV quoting
    """
    text = read_text(path, encoding)
    rows = _tsv_rows(path, text) if is_tsv(path) else _csv_rows(path, text)
    if not header:
        return [], _data_rows(rows)
    try:
        first = next(rows, None)
    except csv.Error as error:
        raise FormatError(path, str(error), "line 1") from None
    if first is None or not any(cell.strip() for cell in first[1]):
        raise FormatError(path, "no header line", "line 1")
    return [cell.strip() for cell in first[1]], _data_rows(rows)


def _data_rows(rows: Iterator[Row]) -> Iterator[Row]:
    for number, cells in rows:
        if any(cell.strip() for cell in cells):
            yield number, cells


def _tsv_rows(path: str | os.PathLike[str], text: str) -> Iterator[Row]:
    # Only LF ends a row (CR LF too): U+2028, VT or FF inside a field are text, not line ends.
    limit = csv.field_size_limit()  # the same bound as CSV: a broken file, not a unit
    for number, line in enumerate(text.split("\n"), start=1):
        cells = line.removesuffix("\r").split("\t")
        if len(line) > limit and any(len(cell) > limit for cell in cells):
            raise FormatError(path, f"field larger than field limit ({limit})", f"line {number}")
        yield number, [unescape_tsv(cell) for cell in cells]


def _csv_rows(path: str | os.PathLike[str], text: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FormatError(path, str(error), f"line {reader.line_num}") from None
        yield reader.line_num, cells


def write_rows(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    excel: bool = False,
) -> int:
    """Write a header and rows as UTF-8 TSV or CSV (by extension); return the row count.

    TSV fields are escaped (:func:`escape_tsv`), never quoted. CSV lines end in LF; a field
    holding a comma, a quote, LF or CR is quoted (the csv module would leave a lone CR
    unquoted, and readers would take it for a line end).

    :param excel: for CSV: write what Excel opens without mojibake: a UTF-8 BOM and CR LF
        line ends
    """
    tsv = is_tsv(path)
    end = "\r\n" if excel and not tsv else "\n"
    encoding = "utf-8-sig" if excel and not tsv else "utf-8"
    count = 0
    with atomic_write(path) as tmp, open(tmp, "w", encoding=encoding, newline="") as out:
        line = _tsv_line if tsv else _csv_line
        out.write(line(header) + end)
        for row in rows:
            out.write(line(row) + end)
            count += 1
    return count


def _tsv_line(cells: Sequence[str]) -> str:
    return "\t".join(escape_tsv(c) for c in cells)


def _csv_line(cells: Sequence[str]) -> str:
    special = (",", '"', "\n", "\r")
    return ",".join(
        '"' + c.replace('"', '""') + '"' if any(ch in c for ch in special) else c for c in cells
    )
