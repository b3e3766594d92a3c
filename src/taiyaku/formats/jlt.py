"""The Standard Bilingual Dictionary of legal terms (法令用語日英標準対訳辞書): XML and CSV.

Published by the Ministry of Justice on the Japanese Law Translation Database System
(https://www.japaneselawtranslation.go.jp/). Its terms of use allow reuse on condition of
citing the source, so every entry read here carries that citation in its ``source``.

Structure: ``<Dictionary Version>`` > ``<Entry>`` > ``<Word Kana="読み">`` headword and one
``<Trans Num>`` per English rendering, with ``<TransWord>``, the usage rule ``<Usage>``
(使い分け基準), notes ``<Note1>``/``<Note2>``, ``<Example>`` sentence pairs and ``<xref>``.

Each headword × rendering becomes one entry: ``note`` holds the usage rule and the notes (one
per line); ``domain`` is ``law``; the same rendering listed twice under one headword (言渡し →
rendering, for criminal and civil cases) is one entry whose note has both usage rules.
The ``Kana`` reading goes into the entry's ``reading``. Dropped: example sentences, xrefs.

**The CSV download** (``utf8_law.je.dic.9.0.a.csv``: ``用語,読み,訳語候補番号,訳語候補,
使い分け基準,用例(和文),用例(英文),用例出典,注釈``) has one row per headword × candidate
rendering. Each rendering (訳語候補) becomes an *admitted* entry (the dictionary offers
candidates, each right in its context) with the reading (読み); its note holds, one per line,
the usage criterion (使い分け基準), the example as ``用例: 和文 / English (出典)`` and the
annotation (注釈). A candidate listed on several rows is one entry with every row's notes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

from taiyaku.errors import FormatError
from taiyaku.formats import delimited
from taiyaku.formats.xmlsafe import iterparse_safe, release
from taiyaku.models import Term

CITATION = (
    "Japanese Law Translation Database System (Ministry of Justice), "
    "https://www.japaneselawtranslation.go.jp/: Standard Bilingual Dictionary"
)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def read_jlt(path: str | os.PathLike[str]) -> Iterator[Term]:
    """Yield the entries of the dictionary's XML file, streaming.

    :raises FormatError: not well-formed XML, not the dictionary, an entry without a headword
    """
    version = ""
    first = True
    for event, element in iterparse_safe(path):
        if event == "start":
            if first:
                first = False
                if element.tag != "Dictionary":
                    raise FormatError(
                        path,
                        f"not the legal-terms dictionary (root element <{element.tag}>)",
                        "line 1",
                    )
                version = element.get("Version") or ""
            continue
        if element.tag == "Entry":
            yield from _entry_terms(path, element, version)
            release(element)


def _entry_terms(path: Any, entry: Any, version: str) -> Iterator[Term]:
    headword = entry.find("Word")
    word = _text(headword)
    reading = (headword.get("Kana") or "").strip() if headword is not None else ""
    if not word:
        raise FormatError(path, "an <Entry> without a <Word>", f"line {entry.sourceline}")
    source = f"{CITATION}, v{version}" if version else CITATION
    renderings: dict[str, list[str]] = {}
    for trans in entry.iterfind("Trans"):
        english = _text(trans.find("TransWord"))
        if not english:
            continue
        notes = renderings.setdefault(english, [])
        for tag in ("Usage", "Note1", "Note2"):
            for part in trans.iterfind(tag):
                value = _text(part)
                if value and value not in notes:
                    notes.append(value)
    for english, notes in renderings.items():
        yield Term(
            ja=word,
            en=english,
            note="\n".join(notes),
            domain="law",
            source=source,
            reading=reading,
        )


# The CSV download's columns and what each is read as.
CSV_COLUMNS = {
    "用語": "ja",
    "読み": "reading",
    "訳語候補番号": "number",
    "訳語候補": "en",
    "使い分け基準": "usage",
    "用例(和文)": "example_ja",
    "用例(英文)": "example_en",
    "用例出典": "example_source",
    "注釈": "note",
}


def is_jlt_csv_header(cells: Sequence[str]) -> bool:
    """True for the header of the dictionary's CSV download (用語, 訳語候補, 使い分け基準 ...)."""
    return {"用語", "訳語候補", "使い分け基準"} <= {cell.strip() for cell in cells}


def read_jlt_csv(path: str | os.PathLike[str], *, encoding: str | None = None) -> Iterator[Term]:
    """Yield the entries of the dictionary's CSV download (see the module docstring).

    :raises FormatError: a column the download does not have, a row without a headword or
        rendering (naming the line)
    """
    header, rows = delimited.read_rows(path, encoding=encoding)
    unknown = [name for name in header if name and name not in CSV_COLUMNS]
    if unknown or not is_jlt_csv_header(header):
        raise FormatError(
            path,
            f"not the legal-terms dictionary CSV (columns {', '.join(map(repr, unknown))} "
            f"unknown; it has {', '.join(CSV_COLUMNS)})",
            "header",
        )
    where = {CSV_COLUMNS[name]: index for index, name in enumerate(header) if name}
    version = re.search(r"dic\.(\d+(?:\.\d+)*)", os.path.basename(os.fspath(path)))
    source = f"{CITATION}, v{version[1]}" if version else CITATION
    word = reading = ""
    renderings: dict[str, list[str]] = {}
    for number, cells in rows:
        row = {field: cells[i].strip() if i < len(cells) else "" for field, i in where.items()}
        if not row["ja"] or not row["en"]:
            raise FormatError(path, "a row without 用語 or 訳語候補", f"line {number}")
        if row["ja"] != word:
            yield from _csv_terms(word, reading, renderings, source)
            word, reading, renderings = row["ja"], row.get("reading", ""), {}
        notes = renderings.setdefault(row["en"], [])
        example = " / ".join(v for v in (row.get("example_ja"), row.get("example_en")) if v)
        if example and row.get("example_source"):
            example += f" ({row['example_source']})"
        for value in (row.get("usage"), example and f"用例: {example}", row.get("note")):
            if value and value not in notes:
                notes.append(value)
    yield from _csv_terms(word, reading, renderings, source)


def _csv_terms(
    word: str, reading: str, renderings: dict[str, list[str]], source: str
) -> Iterator[Term]:
    for english, notes in renderings.items():
        yield Term(
            ja=word,
            en=english,
            note="\n".join(notes),
            domain="law",
            status="admitted",
            source=source,
            reading=reading,
        )
