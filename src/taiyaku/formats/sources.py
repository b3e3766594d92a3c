"""Which reader splits a source document: chosen by extension, or by the name a bilingual file gives."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from taiyaku.errors import FormatError
from taiyaku.formats.document import SourceDocument
from taiyaku.formats.files import check_readable

SOURCE_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".xlf": "xliff",
    ".xliff": "xliff",
}


def _reader(fmt: str) -> Callable[[str, bytes], SourceDocument]:
    if fmt == "html":
        from taiyaku.formats.html_doc import read_html

        return read_html
    if fmt == "docx":
        from taiyaku.formats.docx_doc import read_docx

        return read_docx
    if fmt == "xliff":
        from taiyaku.formats.xliff_source import read_xliff_source

        return read_xliff_source
    from taiyaku.formats.text_doc import read_markdown, read_plain

    return read_markdown if fmt == "markdown" else read_plain


def source_format(path: str | os.PathLike[str]) -> str:
    """The document format of ``path`` by its extension.

    :raises FormatError: an extension taiyaku cannot translate
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SOURCE_FORMATS:
        known = ", ".join(sorted(SOURCE_FORMATS))
        raise FormatError(
            path,
            f"cannot translate {suffix or 'a file without extension'!r} files (known: {known})",
        )
    return SOURCE_FORMATS[suffix]


def read_source(path: str | os.PathLike[str], *, name: str | None = None) -> SourceDocument:
    """Read a document to translate: plain text, HTML, Word, Markdown or XLIFF.

    :param name: the name to give the document (default: the file's name)
    :raises FormatError: the file is missing, empty, or cannot be read as its format
    """
    fmt = source_format(path)
    data = check_readable(path).read_bytes()
    document = _reader(fmt)(os.fspath(path), data)
    document.name = name or Path(path).name
    return document


def source_from_bytes(name: str, fmt: str, data: bytes) -> SourceDocument:
    """Read a document from its bytes: standard input, or those a bilingual file carries.

    :param name: the document's file name
    :param fmt: its format (see :data:`SOURCE_FORMATS`)
    """
    if fmt not in set(SOURCE_FORMATS.values()):
        raise FormatError(name, f"unknown document format {fmt!r}")
    document = _reader(fmt)(name, data)
    document.name = name
    return document
