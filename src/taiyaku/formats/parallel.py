"""Line-aligned file pairs: ``train.ja`` and ``train.en``, line N of one translating line N of the other.

This is how MT corpora ship (small_parallel_enja, LASER's Tatoeba test sets, Moses
``corpus.ja``/``corpus.en``). The language of each file is its last suffix (``.ja``,
``.jpn``, ``.en``, ``.eng``, any ISO 639 code); both files must have the same number of
lines, else neither is imported: a pair that drifted by one line would pair every sentence
after it with the wrong translation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from taiyaku.errors import FormatError
from taiyaku.models import Unit
from taiyaku.text.decode import read_text
from taiyaku.text.lang import is_language_tag, normalize_lang_tag

_THREE_LETTER = {"jpn": "ja", "eng": "en"}


def file_lang(path: str | os.PathLike[str]) -> str | None:
    """The language a file's last suffix names (``train.ja`` → ``ja``), or ``None``."""
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix in _THREE_LETTER:
        return _THREE_LETTER[suffix]
    return normalize_lang_tag(suffix) if len(suffix) == 2 and is_language_tag(suffix) else None


def is_line_pair(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """True when two paths are the two languages of one line-aligned corpus."""
    a, b = file_lang(first), file_lang(second)
    return a is not None and b is not None and a != b


def read_line_pair(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> Iterator[Unit]:
    """Yield a unit per line of two line-aligned files (source language: ``source``'s suffix).

    A line blank on one side only is skipped and reported through ``warn``; blank on both
    sides, it is skipped silently (a paragraph break kept in both).

    :raises FormatError: the files' line counts differ, or their languages are not named
    """
    src_lang, tgt_lang = file_lang(source), file_lang(target)
    if src_lang is None or tgt_lang is None:
        raise FormatError(source, "name the languages by suffix: corpus.ja and corpus.en")
    src_lines = read_text(source, encoding).removesuffix("\n").split("\n")
    tgt_lines = read_text(target, encoding).removesuffix("\n").split("\n")
    if len(src_lines) != len(tgt_lines):
        raise FormatError(
            source,
            f"{len(src_lines):,} lines, but {os.fspath(target)} has {len(tgt_lines):,}: "
            "line-aligned files must have the same number of lines",
        )
    for number, (src, tgt) in enumerate(zip(src_lines, tgt_lines, strict=True), start=1):
        src, tgt = src.removesuffix("\r"), tgt.removesuffix("\r")
        if not src.strip() or not tgt.strip():
            if (src.strip() or tgt.strip()) and warn is not None:
                blank = target if src.strip() else source
                warn(f"{os.fspath(blank)}, line {number}: blank, the other side is not; skipped")
            continue
        yield Unit(src, tgt, source_lang=src_lang, target_lang=tgt_lang)
