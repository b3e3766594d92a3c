"""The review sheet (.xlsx) of an alignment: rows likely wrong highlighted, corrections back.

A person checks an alignment in a spreadsheet, not in a database. :func:`write_review`
writes one row per bead; the reviewer marks rows in the "OK?" column, edits texts, merges
and splits rows (:data:`CONVENTIONS`, repeated on the sheet's About page), and
:func:`apply_review` stores the corrected pairs, origin ``reviewed``, in one transaction.

A hidden ``taiyaku`` sheet carries the document's name and a fingerprint of the pairs stored
for it when the sheet was written: a sheet from another document, or from an alignment that
has since been redone, is refused instead of overwriting pairs it never showed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from taiyaku.align.confidence import (
    REVIEW_THRESHOLD,
    review_threshold_header,
    review_threshold_text,
)
from taiyaku.align.core import Alignment
from taiyaku.align.document import covers
from taiyaku.errors import FormatError, TaiyakuError
from taiyaku.formats.files import atomic_write
from taiyaku.formats.xlsx import (
    fit_row_height,
    read_rows,
    set_filter,
    set_print_layout,
    styled_cell,
    text_cell,
)
from taiyaku.models import Unit
from taiyaku.store.db import Db, transaction
from taiyaku.store.tm import AddResult, TranslationMemory

INFO_SHEET = "taiyaku"
TEXT_WIDTH = 60  # characters of the Source and Target columns
STORED_ORIGINS = ("aligned", "reviewed")
OK_MARKS = frozenset({"ok", "y", "yes", "✓", "o", "○"})
WRONG_MARKS = frozenset({"wrong", "x", "n", "no", "×", "✗"})
MERGE_MARKS = frozenset({"merge", "+"})
SPLIT_MARKS = frozenset({"split"})
CONVENTIONS = (
    ("OK? empty", "the row is kept as it was (edited text counts as reviewed)"),
    ("OK? = ok (or y, ✓)", "the pair is right: stored as reviewed"),
    ("OK? = wrong (or x, n)", "the pair is dropped from the TM"),
    ("OK? = merge (or +)", "the row joins the row above it (a 1-0 row and a 0-1 row make a pair)"),
    (
        "OK? = split",
        "Source and Target hold the same number of lines (Alt+Enter): one pair per line",
    ),
    ("Edited Source or Target", "the edited text is stored, as reviewed"),
    ("Apply", "taiyaku align --apply SHEET.xlsx (only to the database the sheet came from)"),
)


def fingerprint(units: Iterable[Unit]) -> str:
    """A short hash of a document's aligned pairs: the distinct (source, target) texts.

    Distinct, because the store keeps a pair once (a heading repeated on a page is one unit).
    """
    digest = hashlib.sha256()
    for source, target in sorted({(u.source_text, u.target_text) for u in units}):
        digest.update(f"{source}\t{target}\n".encode())
    return digest.hexdigest()[:20]


def write_review(
    path: str | os.PathLike[str],
    alignment: Alignment,
    *,
    threshold: float = REVIEW_THRESHOLD,
    document: str | None = None,
    units: Iterable[Unit] = (),
) -> int:
    """Write the beads of ``alignment`` to an Excel sheet for a person to check.

    One row per bead: its number, type, confidence, source and target text, and an empty
    "OK?" column. Rows below ``threshold`` and beads with one side empty are filled orange;
    the confidence column's header says which threshold, and the About sheet why (by
    default :data:`~taiyaku.align.confidence.REVIEW_THRESHOLD`: 90 % of wrong pairs caught
    with the fewest rows on the Kyoto benchmark) and how to mark corrections.
    Text cells are written as text, never as formulas (:func:`~taiyaku.formats.xlsx.text_cell`);
    the file appears only when complete (:func:`~taiyaku.formats.files.atomic_write`).

    :param document: the document name the pairs are stored under; with it, the sheet can
        be applied back (:func:`apply_review`)
    :param units: the units stored for ``document`` (what the fingerprint covers)
    :return: the number of rows highlighted
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment as CellAlignment
    from openpyxl.styles import Font, PatternFill

    # Claim the file first: a folder that cannot be written fails before any sheet is made.
    with atomic_write(path) as temporary:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Alignment")
        widths = (6, 7, 16, TEXT_WIDTH, TEXT_WIDTH, 8)
        for column, width in zip("ABCDEF", widths, strict=True):
            sheet.column_dimensions[column].width = width
        set_print_layout(sheet)
        set_filter(sheet, columns=len(widths), last_row=len(alignment.beads) + 1)
        bold = Font(bold=True)
        headers = ("#", "Bead", review_threshold_header(threshold), "Source", "Target", "OK?")
        low = PatternFill("solid", start_color="FFD59E", end_color="FFD59E")
        wrap = CellAlignment(wrap_text=True, vertical="top")
        fit_row_height(sheet, 1, headers, widths)
        sheet.append([text_cell(sheet, h, font=bold, alignment=wrap) for h in headers])
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
        about_widths = (34, 90)
        about.column_dimensions["A"].width, about.column_dimensions["B"].width = about_widths
        set_print_layout(about)
        for about_row, (label, value) in enumerate(
            (
                ("Document", document or "(not stored: cannot be applied back)"),
                ("Source language", alignment.source_lang),
                ("Target language", alignment.target_lang),
                ("Length ratio (target/source characters)", round(alignment.ratio, 3)),
                ("Highlighted", review_threshold_text(threshold)),
                ("Confidence", "the probability that the pair is right (calibrated on Kyoto)"),
                *CONVENTIONS,
            ),
            start=1,
        ):
            fit_row_height(about, about_row, (label, str(value)), about_widths)
            value_cell = (
                text_cell(about, value, alignment=wrap) if isinstance(value, str) else value
            )
            about.append([text_cell(about, label, font=bold, alignment=wrap), value_cell])
        if document is not None:
            info = book.create_sheet(INFO_SHEET)
            info.sheet_state = "hidden"
            for row in (
                ("key", "value"),
                ("document", document),
                ("fingerprint", fingerprint(units)),
                ("source_lang", alignment.source_lang),
                ("target_lang", alignment.target_lang),
            ):
                info.append([text_cell(info, cell) for cell in row])
        book.save(temporary)
    return flagged


@dataclass(frozen=True)
class Applied:
    """What applying a review sheet did to a document's pairs."""

    document: str
    stored: int
    reviewed: int
    replaced: int


@dataclass
class _Row:
    number: int  # the sheet's row number, for messages
    position: int
    source: str
    target: str
    mark: str
    reviewed: bool = False


def apply_review(db: Db, path: str | os.PathLike[str]) -> Applied:
    """Store the corrections of a review sheet: the document's pairs, as the sheet says.

    Rows are read and checked first, then the document's ``aligned`` and ``reviewed`` units
    are replaced in one transaction: on any error the database is unchanged.

    :raises FormatError: the sheet is not a taiyaku review sheet, or a row's mark is unknown
        or a split does not have as many source as target lines (the row is named)
    :raises TaiyakuError: the sheet belongs to another document or to an older alignment
    """
    info = _info(path)
    document = info.get("document", "")
    memory = TranslationMemory(db)
    stored = [u for u in memory.iter_units(document=document) if u.origin in STORED_ORIGINS]
    if not stored:
        raise TaiyakuError(f"{path}: document {document!r} has no aligned pairs in this database")
    if fingerprint(u for u in stored if u.origin == "aligned") != info.get("fingerprint"):
        raise TaiyakuError(
            f"{path}: the sheet does not match the pairs stored for document {document!r} "
            "(another database, or aligned again since the sheet was written): align again "
            "with --review for a new sheet"
        )
    by_position = {u.position: u for u in stored if u.origin == "aligned"}
    earlier = [u for u in stored if u.origin == "reviewed"]
    under_earlier = covers(earlier, info.get("source_lang", "ja"), info.get("target_lang", "en"))
    fresh = []
    # Positions are renumbered in sheet order: a split row becomes several units, merged
    # rows one, and a unit's neighbour (what context matches read) stays its neighbour.
    for position, row in enumerate(_corrected(path, _rows(path), info.get("source_lang", "ja"))):
        if not (row.source.strip() and row.target.strip()):
            continue
        old = by_position.get(row.position) if row.mark != "split" else None
        unchanged = old is not None and (old.source_text, old.target_text) == (
            row.source,
            row.target,
        )
        if old is None and not row.reviewed and under_earlier(row.source, row.target):
            # A bead left unstored because an earlier reviewed pair shares its sentences
            # (see save_alignment): that pair stands unless this row is marked or edited.
            continue
        kept = unchanged and not row.reviewed
        fresh.append(
            _stored_unit(
                ReviewedRow(
                    row.source,
                    row.target,
                    reviewed=not kept,
                    bead=old.bead if old else None,
                    confidence=old.confidence if old else None,
                ),
                source_lang=old.source_lang if old else info.get("source_lang", "ja"),
                target_lang=old.target_lang if old else info.get("target_lang", "en"),
                document=document,
                position=position,
            )
        )
    # Earlier reviewed pairs stay, except where this sheet's rows now say otherwise.
    covered = covers(fresh, info.get("source_lang", "ja"), info.get("target_lang", "en"))
    fresh += [u for u in earlier if not covered(u.source_text, u.target_text)]
    replaced, _ = _replace_document(memory, document, fresh)
    reviewed = sum(1 for u in fresh if u.origin == "reviewed")
    return Applied(document, len(fresh), reviewed, replaced)


def reviewed_unit(
    source: str,
    target: str,
    *,
    source_lang: str,
    target_lang: str,
    document: str,
    position: int | None = None,
) -> Unit:
    """A pair a person checked, marked the one way taiyaku marks them: origin ``reviewed``
    (exported to TMX as such) and no confidence, which only the aligner's pairs have."""
    return Unit(
        source,
        target,
        source_lang=source_lang,
        target_lang=target_lang,
        origin="reviewed",
        document=document,
        position=position,
    )


@dataclass(frozen=True)
class ReviewedRow:
    """One pair of a document as a review leaves it (the web page's rows).

    :param reviewed: a person accepted, edited, merged or split it: stored as
        :func:`reviewed_unit`; otherwise it stays an ``aligned`` pair with its bead and
        confidence
    """

    source: str
    target: str
    reviewed: bool = True
    bead: str | None = None
    confidence: float | None = None


def store_review(
    db: Db,
    document: str,
    rows: Iterable[ReviewedRow],
    *,
    source_lang: str,
    target_lang: str,
) -> tuple[int, AddResult]:
    """Store a document's pairs as a review left them, in place of its ``aligned`` and
    ``reviewed`` pairs, in one transaction: the checked rows marked as :func:`apply_review`
    marks them, the others kept as aligned pairs. Pairs of other origins stay.

    :param rows: the pairs in document order (positions are renumbered in that order)
    :return: how many units were replaced, and what adding the rows did
    """
    units = [
        _stored_unit(row, source_lang=source_lang, target_lang=target_lang, document=document,
                     position=position)
        for position, row in enumerate(rows)
    ]  # fmt: skip
    return _replace_document(TranslationMemory(db), document, units)


def _stored_unit(
    row: ReviewedRow, *, source_lang: str, target_lang: str, document: str, position: int
) -> Unit:
    """The unit a review stores for ``row``: :func:`reviewed_unit` when a person checked it,
    else the aligned pair it was, with its bead and confidence."""
    if row.reviewed:
        return reviewed_unit(row.source, row.target, source_lang=source_lang,
                             target_lang=target_lang, document=document, position=position)  # fmt: skip
    return Unit(
        row.source,
        row.target,
        source_lang=source_lang,
        target_lang=target_lang,
        origin="aligned",
        document=document,
        position=position,
        confidence=row.confidence,
        bead=row.bead,
    )


def _replace_document(
    memory: TranslationMemory, document: str, units: list[Unit]
) -> tuple[int, AddResult]:
    """Replace the document's ``aligned`` and ``reviewed`` units by ``units``, in one
    transaction: how many were replaced, and what adding ``units`` did."""
    with transaction(memory.db):
        replaced = sum(memory.delete_document(document, origin=o) for o in STORED_ORIGINS)
        added = memory.add_many(units)
    return replaced, added


def _info(path: str | os.PathLike[str]) -> dict[str, str]:
    try:
        _, rows = read_rows(path, sheet=INFO_SHEET)
    except FormatError as error:
        if "no sheet named" in error.detail:
            raise FormatError(
                path, "not a taiyaku review sheet written for a stored document (no info sheet)"
            ) from None
        raise
    return {cells[0]: cells[1] for _, cells in rows if len(cells) >= 2}


def _rows(path: str | os.PathLike[str]) -> list[_Row]:
    header, rows = read_rows(path, sheet="Alignment")
    names = [h.split(" (")[0].strip().lower() for h in header]
    try:
        number, source, target, mark = (names.index(n) for n in ("#", "source", "target", "ok?"))
    except ValueError:
        raise FormatError(path, "the Alignment sheet lacks one of #, Source, Target, OK?") from None
    out = []
    for row_number, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        try:
            position = int(cells[number]) - 1
        except ValueError:
            raise FormatError(
                path, f"# must be the row's number, not {cells[number]!r}", f"row {row_number}"
            ) from None
        out.append(
            _Row(row_number, position, cells[source], cells[target], cells[mark].strip().lower())
        )
    return out


def _corrected(path: str | os.PathLike[str], rows: list[_Row], source_lang: str) -> list[_Row]:
    """Rows with the reviewer's marks carried out: wrong ones dropped, merges joined, splits
    split. A row is ``reviewed`` when it was marked, merged, split or edited."""
    out: list[_Row] = []
    for row in rows:
        if row.mark in WRONG_MARKS:
            continue
        if row.mark in OK_MARKS:
            row.reviewed = True
            out.append(row)
        elif row.mark in MERGE_MARKS:
            if not out:
                raise FormatError(path, "merge: there is no row above to join", f"row {row.number}")
            above = out[-1]
            above.source = _join(above.source, row.source, source_lang)
            above.target = _join(above.target, row.target, "en" if source_lang == "ja" else "ja")
            above.reviewed = True
        elif row.mark in SPLIT_MARKS:
            sources, targets = row.source.splitlines(), row.target.splitlines()
            if len(sources) != len(targets) or len(sources) < 2:
                raise FormatError(
                    path,
                    f"split: Source has {len(sources)} lines and Target {len(targets)}; "
                    "give each the same number of lines (two or more)",
                    f"row {row.number}",
                )
            for s, t in zip(sources, targets, strict=True):
                out.append(_Row(row.number, row.position, s, t, "split", True))
        elif row.mark == "":
            out.append(row)
        else:
            raise FormatError(
                path,
                f"OK? must be empty, ok, wrong, merge or split, not {row.mark!r}",
                f"row {row.number}",
            )
    return out


def _join(first: str, second: str, lang: str) -> str:
    if not first or not second:
        return first or second
    return first + ("" if lang == "ja" else " ") + second
