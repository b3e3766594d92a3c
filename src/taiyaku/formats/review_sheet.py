"""The bilingual review sheet: a pretranslated document as an Excel workbook, and back.

One row per segment: id, source, target (to fill in), the best match's score, the TM
source it came from, the diff from that source to the segment, and the glossary terms.
Inline codes show as numbered tags (``<1>``…``</1>``, ``<2/>``) which the translation keeps.
The header is frozen, text wraps, every cell is written as text (a segment starting with
``=`` stays text). A hidden column fingerprints each row (document, id and source text),
and a hidden sheet carries the original document, so the sheet merges back on its own and
a row pasted from another document's sheet is refused.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Sequence
from typing import Any

from taiyaku.errors import FormatError
from taiyaku.formats.bilingual import BilingualSegment, Translated, TranslatedSegment
from taiyaku.formats.document import Code, CodeRef, SourceDocument
from taiyaku.formats.files import atomic_write

HEADER = ("ID", "Source", "Target", "Score", "TM source", "Diff", "Terms", "Fingerprint")
WIDTHS = (6, 50, 50, 7, 40, 40, 30, 18)
INFO_SHEET = "taiyaku"
_CHUNK = 30_000  # a cell holds at most 32,767 characters
_TAG = re.compile(r"<(/?)(\d+)(/?)>")


def row_fingerprint(document_fingerprint: str, segment_id: str, source: str) -> str:
    """The hidden fingerprint of one row: which document, which segment, which source text."""
    digest = hashlib.sha256(f"{document_fingerprint}\n{segment_id}\n{source}".encode())
    return digest.hexdigest()[:16]


def tagged(content: Sequence[str | Code]) -> str:
    """A segment's content with its codes as numbered tags: ``<1>``…``</1>``, ``<2/>``."""
    out = []
    for part in content:
        if isinstance(part, str):
            out.append(part)
        else:
            out.append(
                {"open": f"<{part.id}>", "close": f"</{part.id}>"}.get(part.kind, f"<{part.id}/>")
            )
    return "".join(out)


def untagged(text: str, codes: set[str]) -> tuple[str | CodeRef, ...]:
    """Read numbered tags back as :class:`CodeRef`\\ s (tags naming no code stay text)."""
    out: list[str | CodeRef] = []
    position = 0
    for found in _TAG.finditer(text):
        closing, code_id, empty = found.groups()
        if code_id not in codes or (closing and empty):
            continue
        out.append(text[position : found.start()])
        out.append(CodeRef("close" if closing else "ph" if empty else "open", code_id))
        position = found.end()
    out.append(text[position:])
    return tuple(part for part in out if part != "")


def write_review_sheet(
    path: str | os.PathLike[str],
    document: SourceDocument,
    segments: Sequence[BilingualSegment],
    *,
    target_lang: str,
) -> None:
    """Write the review sheet (through a temporary file)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from taiyaku.formats.xlsx import set_print_layout, styled_cell, text_cell

    with atomic_write(path) as tmp:
        # An ordinary workbook (not write-only): rows get heights that fit their wrapped text.
        book = Workbook()
        sheet = book.active
        sheet.title = "Translation"
        set_print_layout(sheet)
        sheet.freeze_panes = "B2"  # the segment id column stays in view too
        for number, width in enumerate(WIDTHS, 1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.column_dimensions[get_column_letter(len(HEADER))].hidden = True
        bold = Font(bold=True)
        header_fill = PatternFill("solid", fgColor="DDE5F0")
        filled_fill = PatternFill("solid", fgColor="E8F4E0")
        wrap = Alignment(wrap_text=True, vertical="top")
        sheet.append([text_cell(sheet, name, font=bold, fill=header_fill) for name in HEADER])
        for item in segments:
            best = item.candidates[0] if item.candidates else None
            target_style = {"alignment": wrap}
            if item.target is not None:
                target_style["fill"] = filled_fill
            terms = "; ".join(
                f"{t.source} → {t.target}" + ("" if t.status == "preferred" else f" ({t.status})")
                for t in item.terms
            )
            row = [
                text_cell(sheet, item.segment.id, alignment=wrap),
                text_cell(sheet, tagged(item.segment.content), alignment=wrap),
                text_cell(
                    sheet,
                    tagged(item.target) if item.target is not None else "",
                    **target_style,
                ),
                styled_cell(sheet, round(item.score, 2) if item.score else None, alignment=wrap),
                text_cell(sheet, best.source if best else "", alignment=wrap),
                text_cell(sheet, best.diff if best else "", alignment=wrap),
                text_cell(sheet, terms, alignment=wrap),
                text_cell(
                    sheet,
                    row_fingerprint(document.fingerprint, item.segment.id, item.segment.text),
                ),
            ]
            sheet.append(row)
            sheet.row_dimensions[sheet.max_row].height = _row_height(row)
        info = book.create_sheet(INFO_SHEET)
        info.sheet_state = "hidden"
        embedded = base64.b64encode(document.data).decode("ascii")
        for label, value in (
            ("name", document.name),
            ("format", document.format),
            ("fingerprint", document.fingerprint),
            ("source_lang", document.lang),
            ("target_lang", target_lang),
        ):
            info.append([text_cell(info, label), text_cell(info, value)])
        for start in range(0, len(embedded), _CHUNK):
            info.append(
                [text_cell(info, "document"), text_cell(info, embedded[start : start + _CHUNK])]
            )
        book.save(tmp)


def _row_height(row: Sequence[Any]) -> float:
    """Points for a row whose wrapped cells are all visible (15 per line of text)."""
    from taiyaku.formats.xlsx import display_width

    lines = 1
    for cell, width in zip(row[:-1], WIDTHS, strict=False):
        if isinstance(cell.value, str) and cell.value:
            lines = max(
                lines,
                sum(
                    max(1, -(-display_width(part) // max(width - 1, 1)))
                    for part in cell.value.split("\n")
                ),
            )
    return 15.0 * lines


def is_review_sheet(path: str | os.PathLike[str]) -> bool:
    """True when the workbook has the hidden sheet a review sheet carries."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # not a workbook: the ordinary reader reports it
        return False
    try:
        return INFO_SHEET in book.sheetnames
    finally:
        book.close()


def read_review_sheet(path: str | os.PathLike[str]) -> Translated:
    """Read a filled review sheet back.

    :raises FormatError: not a review sheet, or a row whose fingerprint is not of this
        document's segment (pasted from another document's sheet, or its source edited)
    """
    from taiyaku.formats.xlsx import read_rows

    name = os.fspath(path)
    if not is_review_sheet(path):
        raise FormatError(name, "not a taiyaku review sheet (no hidden 'taiyaku' sheet)")
    info, chunks = _info(path)
    document_fingerprint = info.get("fingerprint", "")
    header, rows = read_rows(path, sheet="Translation")
    if tuple(header[: len(HEADER)]) != HEADER:
        raise FormatError(name, "the Translation sheet's header is not a review sheet's", "row 1")
    segments = []
    for number, cells in rows:
        cells = (cells + [""] * len(HEADER))[: len(HEADER)]
        segment_id, source, target = cells[0].strip(), cells[1], cells[2]
        where = f"row {number}"
        plain_source = "".join(
            p for p in untagged(source, set(_TAG_IDS.findall(source))) if isinstance(p, str)
        )
        if cells[7] != row_fingerprint(document_fingerprint, segment_id, plain_source):
            raise FormatError(
                name,
                "this row belongs to another document or its source was changed "
                "(its fingerprint does not match)",
                where,
            )
        ids = set(_TAG_IDS.findall(source))
        content = untagged(target, ids) if target.strip() else None
        segments.append(
            TranslatedSegment(
                segment_id, plain_source, content, "translated" if content else "new", where
            )
        )
    return Translated(
        name,
        info.get("name", ""),
        info.get("format", ""),
        base64.b64decode("".join(chunks).encode("ascii")),
        document_fingerprint,
        info.get("source_lang", ""),
        info.get("target_lang", ""),
        segments,
    )


_TAG_IDS = re.compile(r"</?(\d+)/?>")


def _info(path: str | os.PathLike[str]) -> tuple[dict[str, str], list[str]]:
    """The hidden sheet: the document's name, format, fingerprint, languages and bytes."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    info: dict[str, str] = {}
    chunks: list[str] = []
    try:
        for label, value, *_ in book[INFO_SHEET].iter_rows(values_only=True):
            if label == "document":
                chunks.append(str(value or ""))
            elif label:
                info[str(label)] = str(value or "")
    finally:
        book.close()
    return info, chunks
