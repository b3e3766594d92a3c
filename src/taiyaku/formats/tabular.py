"""Units and terms as rows of a table (TSV, CSV, XLSX): column mapping both ways.

The header decides what a column means. Names are matched without case, spaces, hyphens or
underscores, and common Japanese headings are understood (日本語, 英語, 備考, 分野, ...).
A column that means nothing to taiyaku is an error that names it: silently dropping a
column of someone's glossary would lose their work.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from taiyaku.errors import FormatError, TaiyakuError
from taiyaku.formats import delimited, inline, xlsx
from taiyaku.formats.cells import guard_cell, unguard_cell
from taiyaku.models import (
    ORIGINS,
    STATUSES,
    Markup,
    Term,
    Unit,
    annotations_from_json,
    annotations_to_json,
)
from taiyaku.text.lang import detect_lang, is_language_tag, normalize_lang_tag

UNIT_COLUMNS = (
    "source",
    "target",
    "source_lang",
    "target_lang",
    "origin",
    "document",
    "position",
    "confidence",
    "bead",
    "created",
    "changed",
    "metadata",
    # Written by exports so that a unit read from TMX travels through a table whole: its
    # notes/props/attributes and its two sides' inline codes (JSON, empty when it has none).
    "annotations",
    "source_markup",
    "target_markup",
)
TERM_COLUMNS = (
    "ja",
    "en",
    "note",
    "domain",
    "pos",
    "status",
    "source",
    "reading",
    "created",
    "changed",
)

_TERM_ALIASES = {
    "ja": ("ja", "japanese", "jajp", "日本語", "用語", "見出し語", "termja", "jaterm", "和文"),
    "en": ("en", "english", "enus", "engb", "英語", "訳語", "英訳", "termen", "enterm", "英文"),
    "note": ("note", "notes", "comment", "comments", "備考", "注記", "メモ", "説明"),
    "domain": ("domain", "subject", "field", "分野", "領域"),
    "pos": ("pos", "partofspeech", "品詞"),
    "status": ("status", "usage", "状態", "ステータス"),
    "source": ("source", "origin", "reference", "出典", "出所"),
    "reading": ("reading", "kana", "yomi", "読み", "よみ", "読み仮名", "ふりがな", "フリガナ"),
    "created": ("created", "creationdate", "作成日"),
    "changed": ("changed", "changedate", "modified", "更新日"),
}
_UNIT_ALIASES = {
    "source": ("source", "sourcetext", "src", "原文"),
    "target": ("target", "targettext", "tgt", "訳文"),
    "source_lang": ("sourcelang", "srclang", "sourcelanguage"),
    "target_lang": ("targetlang", "tgtlang", "targetlanguage"),
    **{name: (name.replace("_", ""),) for name in UNIT_COLUMNS[4:]},
}

# Column headings that name a language in words (a TM table's "日本語 | 英語").
_LANGUAGE_NAMES = {
    "japanese": "ja",
    "日本語": "ja",
    "和文": "ja",
    "english": "en",
    "英語": "en",
    "英文": "en",
}


def _fold(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name).casefold()


def _map_header(
    path: str | os.PathLike[str], header: Sequence[str], aliases: dict[str, tuple[str, ...]]
) -> dict[str, int]:
    lookup = {alias: field for field, names in aliases.items() for alias in names}
    mapping: dict[str, int] = {}
    unknown = []
    for index, name in enumerate(header):
        if not name:
            continue
        field = lookup.get(_fold(name))
        if field is None or field in mapping:
            unknown.append(name)
        else:
            mapping[field] = index
    if unknown:
        known = ", ".join(aliases)
        raise FormatError(
            path,
            f"unknown or repeated column(s) {', '.join(map(repr, unknown))} "
            f"(taiyaku reads: {known})",
            "header",
        )
    return mapping


def parse_columns(spec: str) -> dict[str, str]:
    """``"ja=見出し語,en=訳語"`` as ``{"ja": "見出し語", "en": "訳語"}`` (field → column heading).

    :raises TaiyakuError: an item without ``=``, or a field taiyaku has no place for
    """
    columns: dict[str, str] = {}
    for item in spec.split(","):
        field, sep, heading = item.partition("=")
        field = field.strip()
        if not sep or not heading.strip() or field not in _TERM_ALIASES:
            raise TaiyakuError(
                f"--columns: {item.strip()!r} is not FIELD=HEADING with FIELD one of "
                f"{', '.join(_TERM_ALIASES)}"
            )
        columns[field] = heading.strip()
    return columns


def _mapped_columns(
    path: str | os.PathLike[str], header: Sequence[str], columns: dict[str, str]
) -> dict[str, int]:
    """The header index of each field ``columns`` names; other columns are not read."""
    where = {name: index for index, name in reversed(list(enumerate(header)))}
    missing = [heading for heading in columns.values() if heading not in where]
    if missing:
        raise FormatError(
            path,
            f"no column {', '.join(map(repr, missing))} (header: {', '.join(header)})",
            "header",
        )
    return {field: where[heading] for field, heading in columns.items()}


def read_table(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
) -> tuple[list[str], Iterator[tuple[int, list[str]]], str]:
    """Read any table file: header, rows and the word for a place in it (``line``/``row``).

    :param is_header: for a workbook, tells the header row below a title (see
        :func:`taiyaku.formats.xlsx.read_rows`)
    """
    if os.fspath(path).lower().endswith((".xlsx", ".xlsm")):
        header, rows = xlsx.read_rows(path, sheet=sheet, is_header=is_header)
        return header, rows, "row"
    header, rows = delimited.read_rows(path, encoding=encoding)
    return header, rows, "line"


def is_term_header(cells: Sequence[str]) -> bool:
    """True when a row names a Japanese and an English column (a glossary's header row)."""
    lookup = {alias: field for field, names in _TERM_ALIASES.items() for alias in names}
    fields = {lookup.get(_fold(c)) for c in cells if c.strip()}
    return {"ja", "en"} <= fields


def names_no_column(cells: Sequence[str]) -> bool:
    """True when no cell of a first row is a column name taiyaku knows: it is data, not a
    header (OmegaT's glossaries have none)."""
    lookup = {alias for names in _TERM_ALIASES.values() for alias in names}
    return not any(_fold(c) in lookup for c in cells if c.strip())


def looks_like_term_table(path: str | os.PathLike[str]) -> bool:
    """True when a delimited file's first line is a glossary header (else: OmegaT's format)."""
    try:
        header, _ = delimited.read_rows(path)
    except FormatError:
        return False
    return is_term_header(header)


def term_fields(
    path: str | os.PathLike[str], *, encoding: str | None = None, sheet: str | None = None
) -> frozenset[str]:
    """The glossary fields a TSV, CSV or XLSX file has columns for (from its header)."""
    header, _, _ = read_table(path, encoding=encoding, sheet=sheet, is_header=is_term_header)
    return frozenset(_map_header(path, header, _TERM_ALIASES))


def _split(value: str, separators: str | None) -> list[str]:
    if not separators:
        return [value]
    parts = re.split("|".join(map(re.escape, separators)) + "|\r\n" * ("\n" in separators), value)
    return [p.strip() for p in parts if p.strip()] or [value]


def read_terms(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    split: str | None = None,
    warn: Callable[[str], None] | None = None,
    columns: dict[str, str] | None = None,
) -> Iterator[Term]:
    """Yield the glossary entries of a TSV, CSV or XLSX file with a header row.

    In a workbook the header row is the first of the top rows naming a Japanese and an
    English column, so a title above the table is skipped.

    :param split: characters that separate several renderings in one Japanese or English
        cell (``"\n"``: line breaks, as Alt+Enter makes in Excel; ``";"``); each
        Japanese × English rendering becomes an entry. Off by default: a term may hold ``;``.
    :param warn: when given, a row missing its Japanese or English side is skipped and
        reported through ``warn`` (a 50,000-row dictionary with one blank cell still
        imports); by default it is an error
    :param columns: which column holds each field (see :func:`parse_columns`), for a layout
        the header names do not tell; columns not named are not read
    :raises FormatError: unknown columns, no Japanese or English column, a bad status
    """
    header, rows, place = read_table(
        path,
        encoding=encoding,
        sheet=sheet,
        is_header=(lambda cells: set(columns.values()) <= set(cells))
        if columns
        else is_term_header,
    )
    if columns:
        mapping = _mapped_columns(path, header, columns)
    else:
        mapping = _map_header(path, header, _TERM_ALIASES)
    missing = [f for f in ("ja", "en") if f not in mapping]
    if missing:
        raise FormatError(
            path, f"no {' or '.join(missing)} column (header: {', '.join(header)})", "header"
        )
    clean = _cleaner(path)
    for number, cells in rows:
        # Outer white space of a term or a code is typing noise; a note is kept as written.
        values = {
            f: (clean(cells[i]) if f == "note" else clean(cells[i].strip()))
            if i < len(cells)
            else ""
            for f, i in mapping.items()
        }
        if not values["ja"] or not values["en"]:
            error = FormatError(
                path, "a term needs both a Japanese and an English side", f"{place} {number}"
            )
            if warn is None:
                raise error
            warn(f"{error}; skipped")
            continue
        # No status column: preferred. A blank status cell: "not stated" (the store keeps
        # a stored entry's status, see taiyaku.store.glossary.merge_term).
        status = values.get("status", "preferred")
        if status and status not in STATUSES:
            raise FormatError(
                path, f"status {status!r} is not one of {', '.join(STATUSES)}", f"{place} {number}"
            )
        for ja in _split(values["ja"], split):
            for en in _split(values["en"], split):
                for side in (ja, en):
                    if "\n" in side or "\r" in side:
                        hint = "" if split else "; --split '\\n' makes each line an entry"
                        raise FormatError(
                            path, f"a term is one line ({side!r}{hint})", f"{place} {number}"
                        )
                yield Term(
                    ja=ja,
                    en=en,
                    note=values.get("note", ""),
                    domain=values.get("domain", ""),
                    pos=values.get("pos", ""),
                    status=status,
                    source=values.get("source", ""),
                    reading=values.get("reading", ""),
                    created=values.get("created") or None,
                    changed=values.get("changed") or None,
                )


def term_rows(terms: Iterable[Term]) -> Iterator[list[str]]:
    """Rows (in :data:`TERM_COLUMNS` order) for ``terms``; :func:`write_table` guards them."""
    for t in terms:
        yield [
            v or ""
            for v in (
                t.ja,
                t.en,
                t.note,
                t.domain,
                t.pos,
                t.status,
                t.source,
                t.reading,
                t.created,
                t.changed,
            )
        ]


def read_units(
    path: str | os.PathLike[str], *, encoding: str | None = None, sheet: str | None = None
) -> Iterator[Unit]:
    """Yield the units of a TSV, CSV or XLSX file (see :func:`read_unit_rows`)."""
    for _, unit in read_unit_rows(path, encoding=encoding, sheet=sheet):
        yield unit


def read_unit_rows(
    path: str | os.PathLike[str], *, encoding: str | None = None, sheet: str | None = None
) -> Iterator[tuple[str, Unit]]:
    """Yield the units of a TSV, CSV or XLSX file, each with its place (``line 3`` in a
    TSV/CSV file, ``row 3`` in a workbook).

    The header names ``source`` and ``target`` columns (with optional ``source_lang`` and
    ``target_lang``), or two language columns such as ``ja`` and ``en`` (the first is the
    source). Missing languages are detected from the text.

    A TSV whose first line names no column taiyaku knows has no header (Tatoeba's
    ``jpn.txt``: ``English<TAB>Japanese``, newer exports with an attribution column): its
    columns are source, target and an optional third kept as the unit's ``attribution``
    metadata, languages detected line by line.
    """
    header, rows, place = read_table(path, encoding=encoding, sheet=sheet)
    if delimited.is_tsv(path) and not _names_a_unit_column(header):
        yield from _headerless_units(path, encoding)
        return
    lang_columns = [h for h in header if _column_lang(h)]
    fixed_langs: tuple[str, str] | None = None
    if len(lang_columns) == 2 and not {"source", "target"} & {_fold(h) for h in header}:
        fixed_langs = (_column_lang(lang_columns[0]), _column_lang(lang_columns[1]))
        header = [
            "source" if h == lang_columns[0] else "target" if h == lang_columns[1] else h
            for h in header
        ]
    mapping = _map_header(path, header, _UNIT_ALIASES)
    missing = [f for f in ("source", "target") if f not in mapping]
    if missing:
        raise FormatError(
            path,
            f"no {' or '.join(missing)} column: name them source/target or by language "
            f"(ja, en) (header: {', '.join(header)})",
            "header",
        )
    clean = _cleaner(path)
    for number, cells in rows:
        values = {f: clean(cells[i]) if i < len(cells) else "" for f, i in mapping.items()}
        where = f"{place} {number}"
        yield where, _checked_unit(path, values, fixed_langs, where)


def _column_lang(name: str) -> str:
    """The language a column header names (``ja``, ``en-US``, ``日本語``, ``English``), or ``""``."""
    folded = _fold(name)
    if folded in {a for names in _UNIT_ALIASES.values() for a in names}:
        return ""
    if folded in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[folded]
    return normalize_lang_tag(name) if is_language_tag(name) else ""


def _names_a_unit_column(header: Sequence[str]) -> bool:
    """A header names a source or target column, or two languages (``No`` alone is a word)."""
    aliases = {a for names in _UNIT_ALIASES.values() for a in names}
    return (
        any(_fold(h) in aliases for h in header) or sum(map(bool, map(_column_lang, header))) >= 2
    )


def _headerless_units(
    path: str | os.PathLike[str], encoding: str | None
) -> Iterator[tuple[str, Unit]]:
    _, rows = delimited.read_rows(path, encoding=encoding, header=False)
    clean = _cleaner(path)
    for number, cells in rows:
        where = f"line {number}"
        if len(cells) not in (2, 3):
            raise FormatError(
                path,
                f"{len(cells)} columns: a file without a header line has source, target and "
                "an optional attribution (or give it a header naming its columns)",
                where,
            )
        values = {"source": clean(cells[0]), "target": clean(cells[1])}
        if len(cells) == 3 and cells[2].strip():
            values["metadata"] = json.dumps({"attribution": clean(cells[2])}, ensure_ascii=False)
        yield where, _checked_unit(path, values, None, where)


def _checked_unit(
    path: str | os.PathLike[str],
    values: dict[str, str],
    fixed_langs: tuple[str, str] | None,
    where: str,
) -> Unit:
    if not values["source"].strip() or not values["target"].strip():
        raise FormatError(path, "a unit needs both a source and a target", where)
    try:
        return _unit(values, fixed_langs)
    except (ValueError, json.JSONDecodeError) as error:
        raise FormatError(path, str(error), where) from None


def _unit(values: dict[str, str], fixed_langs: tuple[str, str] | None) -> Unit:
    src_lang, tgt_lang = fixed_langs or (
        values.get("source_lang", ""),
        values.get("target_lang", ""),
    )
    src_lang = src_lang or detect_lang(values["source"])
    tgt_lang = tgt_lang or detect_lang(values["target"], default="ja" if src_lang == "en" else "en")
    origin = values.get("origin") or "imported"
    if origin not in ORIGINS:
        raise ValueError(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
    position, confidence = values.get("position"), values.get("confidence")
    metadata = values.get("metadata")
    source, target = values["source"], values["target"]
    return Unit(
        source_text=source,
        target_text=target,
        source_lang=src_lang,
        target_lang=tgt_lang,
        origin=origin,
        document=values.get("document") or None,
        position=int(position) if position else None,
        confidence=float(confidence) if confidence else None,
        bead=values.get("bead") or None,
        created=values.get("created") or None,
        changed=values.get("changed") or None,
        metadata=json.loads(metadata) if metadata else {},
        annotations=annotations_from_json(values.get("annotations")),
        source_markup=_markup(values.get("source_markup"), source, "source"),
        target_markup=_markup(values.get("target_markup"), target, "target"),
    )


def _markup(stored: str | None, text: str, side: str) -> Markup | None:
    """A side's inline codes from its ``*_markup`` cell; they must spell the side's text.

    :raises ValueError: not taiyaku's inline-code JSON, or codes for another text (the text
        was edited in the table and the codes were not)
    """
    if not stored:
        return None
    try:
        markup = inline.from_json(stored)
    except (TypeError, ValueError, KeyError, IndexError) as error:
        raise ValueError(f"{side}_markup is not taiyaku's inline-code JSON ({error})") from None
    if markup is not None and inline.plain_text(markup) != text:
        raise ValueError(
            f"{side}_markup does not spell the {side} text (was the text edited without it?)"
        )
    return markup


def unit_rows(units: Iterable[Unit]) -> Iterator[list[str]]:
    """Rows (in :data:`UNIT_COLUMNS` order) for ``units``; :func:`write_table` guards them."""
    for u in units:
        cells = (
            u.source_text,
            u.target_text,
            u.source_lang,
            u.target_lang,
            u.origin,
            u.document or "",
            "" if u.position is None else str(u.position),
            "" if u.confidence is None else repr(u.confidence),
            u.bead or "",
            u.created or "",
            u.changed or "",
            json.dumps(u.metadata, ensure_ascii=False, sort_keys=True) if u.metadata else "",
            annotations_to_json(u.annotations) or "",
            inline.to_json(u.source_markup) or "",
            inline.to_json(u.target_markup) or "",
        )
        yield list(cells)


def write_table(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    title: str,
    about: Sequence[tuple[str, str]] = (),
    excel: bool = False,
) -> int:
    """Write rows as XLSX, TSV or CSV, by the extension of ``path``.

    Formula injection is an Excel measure, taken where Excel opens the file: XLSX cells are
    typed as text and a cell that starts like a formula gets Excel's "quote prefix" style
    (shown as typed, no apostrophe); CSV cells get the apostrophe of
    :func:`~taiyaku.formats.cells.guard_cell`. TSV is for other tools and is written verbatim.

    :param excel: for CSV: a UTF-8 BOM and CR LF line ends, so that Excel opens it as UTF-8
    """
    if _is_xlsx(path):
        return xlsx.write_rows(path, header, rows, title=title, about=about)
    if delimited.is_tsv(path):
        return delimited.write_rows(path, header, rows)
    return delimited.write_rows(
        path, header, ([guard_cell(c) for c in row] for row in rows), excel=excel
    )


def _is_xlsx(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith((".xlsx", ".xlsm"))


def _cleaner(path: str | os.PathLike[str]) -> Callable[[str], str]:
    """How to read a cell back: undo the CSV apostrophe guard; XLSX and TSV cells are as stored."""
    return (lambda text: text) if _is_xlsx(path) or delimited.is_tsv(path) else unguard_cell
