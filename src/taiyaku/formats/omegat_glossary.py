"""OmegaT's glossary files: tab-separated source term, target term and comment.

OmegaT reads ``*.txt`` / ``*.utf8`` / ``*.tab`` files from a project's ``glossary/`` folder,
one entry a line: ``source<TAB>target<TAB>comment`` with no header; lines starting with
``#`` are comments. The source is the project's source language, so a ja→en project's file
holds Japanese first and an en→ja project's English first: the reader tells them apart
line by line from the scripts. The writer puts Japanese first (a ja→en project).

Only the terms and the comment (our ``note``) travel; domain, part of speech, status,
source and dates are dropped, and tabs or line breaks inside a field become spaces (the
format has no escape for them). A term starting with ``#`` would be read as a comment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from taiyaku.errors import FormatError
from taiyaku.formats.files import atomic_write
from taiyaku.models import Term
from taiyaku.text.decode import read_text
from taiyaku.text.lang import detect_lang


def read_omegat(path: str | os.PathLike[str], *, encoding: str | None = None) -> Iterator[Term]:
    """Yield the entries of an OmegaT glossary file (encoding detected unless given).

    :raises FormatError: a line without two columns, naming the line
    """
    text = read_text(path, encoding)
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            raise FormatError(
                path, "an OmegaT glossary line needs a source and a target term", f"line {number}"
            )
        first, second = cells[0].strip(), cells[1].strip()
        if detect_lang(first) == "en" and detect_lang(second) == "ja":
            first, second = second, first
        yield Term(ja=first, en=second, note="\t".join(cells[2:]).strip())


def _field(value: str) -> str:
    return " ".join(value.replace("\t", " ").splitlines())


def write_omegat(path: str | os.PathLike[str], terms: Iterable[Term], *, header: str = "") -> int:
    """Write ``terms`` as an OmegaT glossary (UTF-8, Japanese first); return how many."""
    count = 0
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        if header:
            out.write(f"# {_field(header)}\n")
        for term in terms:
            note = _field(term.note)
            out.write(
                f"{_field(term.ja)}\t{_field(term.en)}" + (f"\t{note}" if note else "") + "\n"
            )
            count += 1
    return count
