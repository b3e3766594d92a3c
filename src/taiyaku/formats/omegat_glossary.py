"""OmegaT's glossary files: source term, target term and comment, one entry a line.

OmegaT reads ``*.txt`` / ``*.utf8`` / ``*.tab`` files (tab-separated) and ``*.csv`` files
(comma-separated, quotes as in RFC 4180) from a project's ``glossary/`` folder, with no
header; lines starting with ``#`` are comments. The encoding is detected (UTF-8 with or
without BOM, UTF-16 with BOM, Shift_JIS, EUC-JP). The source is the project's source
language, so a ja→en project's file holds Japanese first and an en→ja project's English
first: the reader tells them apart line by line from the scripts. A line OmegaT would skip
(fewer than two terms) is skipped with a warning naming it; a file with no entry at all is
an error. The writer puts the chosen source language first (``source_lang``).

Only the terms and the comment (our ``note``) travel; domain, part of speech, status,
source and dates are dropped, and tabs or line breaks inside a field become spaces (the
format has no escape for them). A term starting with ``#`` would be read as a comment.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from taiyaku.errors import FormatError
from taiyaku.formats.files import atomic_write
from taiyaku.models import Term
from taiyaku.text.decode import read_text
from taiyaku.text.lang import detect_lang


def read_omegat(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> Iterator[Term]:
    """Yield the entries of an OmegaT glossary file (encoding detected unless given).

    :param warn: called with a message naming each line skipped (fewer than two terms)
    :raises FormatError: no entry in the whole file (naming its first bad line), or CSV
        quoting that does not close
    """
    text = read_text(path, encoding)
    skipped: list[int] = []  # told once the file is known to hold entries at all
    found = 0
    for number, cells in _lines(path, text):
        if not any(cell.strip() for cell in cells) or cells[0].startswith("#"):
            continue
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            skipped.append(number)
            if found:
                _tell_skipped(path, skipped, warn)
            continue
        first, second = cells[0].strip(), cells[1].strip()
        if detect_lang(first) == "en" and detect_lang(second) == "ja":
            first, second = second, first
        found += 1
        _tell_skipped(path, skipped, warn)
        yield Term(ja=first, en=second, note="\t".join(cells[2:]).strip())
    if not found:
        where = f"line {skipped[0]}" if skipped else None
        raise FormatError(path, "an OmegaT glossary line needs a source and a target term", where)


def _tell_skipped(path: str | os.PathLike[str], skipped: list[int], warn: Any) -> None:
    for number in skipped:
        if warn:
            warn(
                f"{os.fspath(path)}: line {number}: an OmegaT glossary line needs a source "
                "and a target term; skipped"
            )
    skipped.clear()


def _lines(path: str | os.PathLike[str], text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each line: tab-separated, or CSV for a ``.csv`` file."""
    if os.fspath(path).lower().endswith(".csv"):
        reader = csv.reader(text.splitlines(keepends=True))
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as error:
            raise FormatError(path, str(error), f"line {reader.line_num}") from None
        return
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line.removesuffix("\r").split("\t")


def _field(value: str) -> str:
    return " ".join(value.replace("\t", " ").splitlines())


def write_omegat(
    path: str | os.PathLike[str],
    terms: Iterable[Term],
    *,
    header: str = "",
    source_lang: str = "ja",
) -> int:
    """Write ``terms`` as an OmegaT glossary (UTF-8, tab-separated); return how many.

    :param source_lang: the project's source language, written first: ``ja`` or ``en``
    """
    if source_lang not in ("ja", "en"):
        raise FormatError(path, f"the source language must be ja or en, not {source_lang!r}")
    count = 0
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        if header:
            out.write(f"# {_field(header)}\n")
        for term in terms:
            note = _field(term.note)
            pair = (term.ja, term.en) if source_lang == "ja" else (term.en, term.ja)
            out.write(
                f"{_field(pair[0])}\t{_field(pair[1])}" + (f"\t{note}" if note else "") + "\n"
            )
            count += 1
    return count
