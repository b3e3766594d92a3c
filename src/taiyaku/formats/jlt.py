"""The Standard Bilingual Dictionary of legal terms (法令用語日英標準対訳辞書), in its XML form.

Published by the Ministry of Justice on the Japanese Law Translation Database System
(https://www.japaneselawtranslation.go.jp/). Its terms of use allow reuse on condition of
citing the source, so every entry read here carries that citation in its ``source``.

Structure: ``<Dictionary Version>`` > ``<Entry>`` > ``<Word Kana="読み">`` headword and one
``<Trans Num>`` per English rendering, with ``<TransWord>``, the usage rule ``<Usage>``
(使い分け基準), notes ``<Note1>``/``<Note2>``, ``<Example>`` sentence pairs and ``<xref>``.

Each headword × rendering becomes one entry: ``note`` holds the usage rule and the notes (one
per line); ``domain`` is ``law``; the same rendering listed twice under one headword (言渡し →
rendering, for criminal and civil cases) is one entry whose note has both usage rules.
Dropped: the ``Kana`` reading (taiyaku computes readings itself), example sentences, xrefs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from taiyaku.errors import FormatError
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
