"""Exchange formats: one module per format, chosen by file extension.

``read_units``/``write_units`` move translation units, ``read_terms``/``write_terms`` glossary
entries. Readers yield records lazily (so an import can stream inside one transaction);
writers take any iterable and write through a temporary file, so a failed export leaves no
half-written file behind. Format modules are imported only when used.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from taiyaku.errors import FormatError, TaiyakuError
from taiyaku.models import Origin, Term, Unit

UNIT_FORMATS = {".tmx": "tmx", ".tsv": "tsv", ".txt": "tsv", ".csv": "csv", ".xlsx": "xlsx"}
# Glossary formats by extension; "txt" and "xml" are told apart by content (detect_term_format).
TERM_FORMATS = {
    ".tsv": "tsv",
    ".txt": "txt",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".tbx": "tbx",
    ".xml": "xml",
    ".utf8": "omegat",
    ".tab": "omegat",
}
TERM_FORMAT_NAMES = ("tsv", "csv", "xlsx", "tbx", "omegat", "jlt", "candidates")
# The glossary formats taiyaku writes (the legal-terms dictionary is only read; a
# candidates sheet is written by `taiyaku term extract`).
TERM_WRITE_FORMATS = ("tsv", "csv", "xlsx", "tbx", "omegat")


def _format_of(path: str | os.PathLike[str], formats: dict[str, str], what: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in formats:
        known = ", ".join(sorted(set(formats)))
        raise FormatError(
            path,
            f"cannot tell the {what} format from {suffix or 'no extension'!r} (known: {known})",
        )
    return formats[suffix]


def read_units(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> Iterator[Unit]:
    """Yield the translation units of a TMX, TSV, CSV or XLSX file (by extension)."""
    fmt = _format_of(path, UNIT_FORMATS, "TM")
    if fmt == "tmx":
        from taiyaku.formats.tmx import read_tmx

        return read_tmx(path, warn=warn)
    from taiyaku.formats.tabular import read_units as read_table_units

    return read_table_units(path, encoding=encoding, sheet=sheet)


def with_provenance(
    units: Iterable[Unit],
    *,
    document: str | None = None,
    origin: Origin | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> Iterator[Unit]:
    """Units with where they came from and which way they go, as the user says.

    :param document: the document of every unit the file does not place in one
    :param origin: the origin of every unit (``imported``, ``aligned``, ``added``)
    :param src_lang: with ``tgt_lang``: the direction. A unit going the other way (by its
        language tags, or, when they name neither language, by its text) is turned round,
        so an English-first file becomes ja→en.
    """
    from dataclasses import replace

    from taiyaku.text.lang import detect_lang, primary_lang

    if (src_lang is None) != (tgt_lang is None):
        raise TaiyakuError("give both the source and the target language, or neither")
    for unit in units:
        changes: dict[str, Any] = {}
        if document and not unit.document:
            changes["document"] = document
        if origin:
            changes["origin"] = origin
        if src_lang and tgt_lang:
            src, tgt = primary_lang(src_lang), primary_lang(tgt_lang)
            langs = (primary_lang(unit.source_lang), primary_lang(unit.target_lang))
            if langs == (tgt, src):  # tagged the other way: turn round, tags and all
                changes.update(
                    source_text=unit.target_text,
                    target_text=unit.source_text,
                    source_lang=unit.target_lang,
                    target_lang=unit.source_lang,
                )
            elif langs != (src, tgt):  # tags name neither: the text tells
                if (detect_lang(unit.source_text), detect_lang(unit.target_text)) == (tgt, src):
                    changes.update(source_text=unit.target_text, target_text=unit.source_text)
                changes.update(source_lang=src_lang, target_lang=tgt_lang)
        yield replace(unit, **changes) if changes else unit


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\0" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(v) for v in value)
    return False


Record = TypeVar("Record", Unit, Term)


def refuse_nul(
    path: str | os.PathLike[str], records: Iterable[Record], why: str
) -> Iterator[Record]:
    """The records of ``path`` as they come, refusing the first that holds U+0000 (NUL).

    A PostgreSQL database cannot store that character in text (a SQLite file can): an
    import into one stops at it, naming the file and the record, before anything is stored.

    :param why: the end of the message, which says who cannot take the character
    :raises FormatError: ``FILE: unit N: ...`` (``entry N`` for terms)
    """
    import dataclasses

    for number, record in enumerate(records, 1):
        if any(_holds_nul(getattr(record, f.name)) for f in dataclasses.fields(record)):
            kind = "unit" if isinstance(record, Unit) else "entry"
            raise FormatError(path, f"a NUL character (U+0000): {why}", f"{kind} {number}")
        yield record


def read_units_with_places(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, Unit]]:
    """Like :func:`read_units`, each unit with its place in the file, for messages about it:
    ``line 3`` (TSV/CSV, and the line a TMX ``<tu>`` starts on), ``row 3`` (XLSX)."""
    fmt = _format_of(path, UNIT_FORMATS, "TM")
    if fmt == "tmx":
        from taiyaku.formats.tmx import read_tmx_lines

        return ((f"line {line}", unit) for line, unit in read_tmx_lines(path, warn=warn))
    from taiyaku.formats.tabular import read_unit_rows

    return read_unit_rows(path, encoding=encoding, sheet=sheet)


def estimate_units(path: str | os.PathLike[str]) -> int | None:
    """A quick count of the units in a file, for a progress bar (``None`` if unknown).

    Counts ``<tu`` tags of a TMX or the lines of a TSV/CSV in one pass over the bytes, without
    parsing: about 30 ms for 50 MB.
    """
    import re

    fmt = UNIT_FORMATS.get(Path(path).suffix.lower())
    if fmt not in ("tmx", "tsv", "csv"):
        return None
    pattern = re.compile(rb"<tu[\s>]" if fmt == "tmx" else rb"\n")
    count, tail = 0, b""
    try:
        with open(path, "rb") as file:
            while chunk := file.read(1 << 24):
                data = tail + chunk
                count += len(pattern.findall(data))
                # A tag cut by the chunk boundary is matched with the next chunk; the
                # 3 bytes kept cannot hold a whole 4-byte match, so none counts twice.
                tail = data[-3:] if fmt == "tmx" else b""
    except OSError:
        return None
    return count if fmt == "tmx" else max(0, count - 1)


def write_units(path: str | os.PathLike[str], units: Iterable[Unit], *, excel: bool = False) -> int:
    """Write units as TMX, TSV, CSV or XLSX (by extension); return how many were written.

    :param excel: for CSV: a UTF-8 BOM and CR LF line ends, as Excel wants them
    """
    fmt = _format_of(path, UNIT_FORMATS, "TM")
    if fmt == "tmx":
        from taiyaku.formats.tmx import write_tmx

        return write_tmx(path, units)
    from taiyaku.formats.tabular import UNIT_COLUMNS, unit_rows, write_table

    return write_table(
        path, UNIT_COLUMNS, unit_rows(units), title="Translation memory", excel=excel
    )


def detect_term_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """Return the glossary format of ``path``: one of :data:`TERM_FORMAT_NAMES`.

    By extension; a ``.txt`` file is our TSV when its first line is a header naming ja and
    en columns, else an OmegaT glossary; an ``.xml`` file is TBX or the legal-terms
    dictionary by its root element; a CSV/TSV with the dictionary's CSV header is ``jlt``,
    and one whose first line names no column taiyaku knows is an OmegaT glossary.

    :param fmt: a format name that overrides the extension
    :raises FormatError: unknown extension or format name
    """
    if fmt is not None:
        if fmt not in TERM_FORMAT_NAMES:
            raise FormatError(path, f"unknown glossary format {fmt!r}")
        return fmt
    found = _format_of(path, TERM_FORMATS, "glossary")
    if found in ("tsv", "txt", "csv", "xlsx"):
        from taiyaku.formats.candidates import looks_like_candidates

        if looks_like_candidates(path):
            return "candidates"
    if found in ("txt", "csv", "tsv"):
        from taiyaku.formats.delimited import read_rows
        from taiyaku.formats.jlt import is_jlt_csv_header
        from taiyaku.formats.tabular import names_no_column

        try:
            first, _ = read_rows(path)
        except FormatError:
            first = []
        if is_jlt_csv_header(first):
            return "jlt"
        if found != "txt" and first and names_no_column(first):
            return "omegat"  # OmegaT's CSV and TSV glossaries have no header
    if found == "txt":
        from taiyaku.formats.tabular import looks_like_term_table

        return "tsv" if looks_like_term_table(path) else "omegat"
    if found == "xml":
        from taiyaku.formats.tbx import root_name

        return "jlt" if root_name(path) == "Dictionary" else "tbx"
    return found


def read_terms(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    fmt: str | None = None,
    split: str | None = None,
    warn: Callable[[str], None] | None = None,
    columns: dict[str, str] | None = None,
    langs: tuple[str, str] | None = None,
) -> Iterator[Term]:
    """Yield the glossary entries of a file: TSV, CSV, XLSX, TBX, OmegaT or the JLT dictionary.

    A candidates sheet (:mod:`taiyaku.formats.candidates`) gives its rows marked to keep.

    :param encoding: of a TSV, CSV or OmegaT file (default: detected)
    :param sheet: of an XLSX file (default: the first)
    :param fmt: the format, when the extension does not say (see :func:`detect_term_format`)
    :param split: for TSV, CSV and XLSX: separators between several renderings in one cell
        (each character separates; a line break splits at line breaks)
    :param warn: for TSV, CSV and XLSX: skip rows missing a side, reporting each here (by
        default such a row is an error); for OmegaT glossaries: told of each line skipped;
        for TBX: told how many concepts lacked a side
    :param columns: for TSV, CSV and XLSX: which column holds each field (``{"ja": "見出し語",
        "en": "訳語"}``), for a layout taiyaku does not know; other columns are ignored
    :param langs: for TBX: the languages read as the ``ja`` and ``en`` sides (default
        ``("ja", "en")``)
    """
    found = "csv" if columns else detect_term_format(path, fmt)
    if found == "tbx":
        from taiyaku.formats.tbx import read_tbx

        return read_tbx(path, langs=langs or ("ja", "en"), warn=warn)
    if found == "omegat":
        from taiyaku.formats.omegat_glossary import read_omegat

        return read_omegat(path, encoding=encoding, warn=warn)
    if found == "jlt":
        from taiyaku.formats.jlt import read_jlt, read_jlt_csv

        if Path(path).suffix.lower() == ".xml":
            return read_jlt(path)
        return read_jlt_csv(path, encoding=encoding)
    if found == "candidates":
        from taiyaku.formats.candidates import read_candidates

        return read_candidates(path)
    from taiyaku.formats.tabular import read_terms as read_table_terms

    return read_table_terms(
        path, encoding=encoding, sheet=sheet, split=split, warn=warn, columns=columns
    )


# The glossary fields each format can carry, beside ja and en (tables: their header's columns).
_TERM_FORMAT_FIELDS = {
    "tbx": frozenset({"note", "domain", "pos", "status", "source"}),
    "omegat": frozenset({"note"}),
    "jlt": frozenset({"note", "domain", "source", "reading", "status"}),
    "candidates": frozenset({"note", "domain", "pos", "status", "source"}),
}


def term_fields(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    fmt: str | None = None,
    columns: dict[str, str] | None = None,
) -> frozenset[str]:
    """The glossary fields a file carries: an import leaves the others of a stored entry alone.

    For TSV, CSV and XLSX the columns of the header (or of ``columns``); for the other
    formats what the format can hold (an OmegaT glossary: the note only).
    """
    if columns:
        return frozenset(columns)
    found = detect_term_format(path, fmt)
    if found in _TERM_FORMAT_FIELDS:
        return _TERM_FORMAT_FIELDS[found]
    from taiyaku.formats.tabular import term_fields as table_fields

    return table_fields(path, encoding=encoding, sheet=sheet)


def write_terms(
    path: str | os.PathLike[str],
    terms: Iterable[Term],
    *,
    about: Iterable[tuple[str, str]] = (),
    fmt: str | None = None,
    tbx_version: int = 3,
    warn: Callable[[str], None] | None = None,
    source_lang: str = "ja",
    excel: bool = False,
) -> int:
    """Write glossary entries as TSV, CSV, XLSX, TBX or OmegaT (by extension); return how many.

    :param about: (label, value) lines describing the export: the XLSX "About" sheet, the
        TBX header, the OmegaT comment line
    :param tbx_version: 3 (TBX-Basic v3, ISO 30042:2019) or 2 (TBX-Basic ``<martif>``)
    :param warn: called with a message for each value a format cannot hold and leaves out
    :param source_lang: for an OmegaT glossary: the project's source language, written first
    :param excel: for CSV: a UTF-8 BOM and CR LF line ends, as Excel wants them
    """
    if fmt is not None:
        found = detect_term_format(path, fmt)
    else:
        found = _format_of(path, TERM_FORMATS, "glossary")
        found = {"txt": "tsv", "xml": "tbx"}.get(found, found)
    about = list(about)
    summary = "; ".join(f"{label}: {value}" for label, value in about)
    if found == "tbx":
        from taiyaku.formats.tbx import write_tbx

        return write_tbx(path, terms, description=summary, version=tbx_version, warn=warn)
    if found == "omegat":
        from taiyaku.formats.omegat_glossary import write_omegat

        return write_omegat(path, terms, header=summary, source_lang=source_lang)
    if found == "jlt":
        raise FormatError(path, "taiyaku reads the legal-terms dictionary but does not write it")
    if found == "candidates":
        raise FormatError(path, "a candidates sheet is written by `taiyaku term extract`")
    from taiyaku.formats.tabular import TERM_COLUMNS, term_rows, write_table

    return write_table(
        path, TERM_COLUMNS, term_rows(terms), title="Glossary", about=about, excel=excel
    )
