"""Reading EDICT, the Japanese–English dictionary file of the JMdict project.

Debian's ``edict`` package installs it as ``/usr/share/edict/edict`` (EUC-JP, one entry a
line); EDICT2 files (several headwords separated by ``;``, an ``EntL`` sequence number) and
UTF-8 copies read the same way. A line is ``headword [reading] /gloss/gloss/.../``; part of
speech and usage marks are parenthesised at the start of a gloss (``(n) (1) hot spring``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from taiyaku.errors import FormatError
from taiyaku.text.decode import decode_bytes

# Marks before a gloss: "(n,vs)", "(1)", "(uk)", "{comp}"; a trailing "(P)" is a whole gloss.
_MARKS = re.compile(r"^(?:\s*(?:\([^)]*\)|\{[^}]*\}))+\s*")
_FORM_MARK = re.compile(r"\([^)]*\)")
_LINE = re.compile(r"^(?P<head>[^\s\[/]+)\s*(?:\[(?P<reading>[^\]]*)\])?\s*/(?P<glosses>.*)$")


@dataclass(frozen=True)
class EdictEntry:
    """One dictionary entry.

    :param headwords: the written forms (kanji, or kana when the word has none)
    :param readings: the kana readings, empty when the headword is kana
    :param glosses: English glosses, marks removed, in the file's order
    """

    headwords: tuple[str, ...]
    readings: tuple[str, ...]
    glosses: tuple[str, ...]


def read_edict(path: str | os.PathLike[str]) -> Iterator[EdictEntry]:
    """The entries of an EDICT or EDICT2 file (EUC-JP or UTF-8).

    :raises FormatError: the file cannot be read or decoded, or a line is not an entry
        (the message names the line)
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise FormatError(path, f"cannot read: {error.strerror}") from None
    encoding = None if data[:3] == b"\xef\xbb\xbf" or _is_utf8(data[:4096]) else "euc_jp"
    text = decode_bytes(data, path, encoding)
    for number, line in enumerate(text.splitlines(), 1):
        if number == 1 and line.startswith(("\u3000？？？", "？？？")):
            continue  # EDICT's header line names the file and its licence
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise FormatError(path, f"line {number} is not an EDICT entry: {line[:60]!r}")
        glosses = []
        for gloss in match["glosses"].rstrip().rstrip("/").split("/"):
            if gloss[:1] in "({":
                gloss = _MARKS.sub("", gloss)
            gloss = gloss.strip()
            if gloss and gloss != "(P)" and not gloss.startswith("EntL"):
                glosses.append(gloss)
        yield EdictEntry(
            tuple(_forms(match["head"])), tuple(_forms(match["reading"] or "")), tuple(glosses)
        )


def _forms(field: str) -> list[str]:
    """``掲示板(P);ＢＢＳ`` → the forms without their marks."""
    if "(" not in field and ";" not in field:
        return [field] if field else []
    return [f for f in (_FORM_MARK.sub("", part).strip() for part in field.split(";")) if f]


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a character cut by the slice is still UTF-8
    return True
