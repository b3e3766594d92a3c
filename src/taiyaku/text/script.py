"""Which writing system a text is in: enough to tell a Japanese side from a Korean one.

Used to check that a file's sides are what they claim (a glossary column headed 日本語 that
holds Hangul is not Japanese). Kanji-only text counts as Japanese: glossary terms such as
国際戦略局 have no kana.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from taiyaku.text.chars import JAPANESE_CHAR

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def script_of(text: str) -> str:
    """The script most letters of ``text`` are in: ``Japanese``, ``Hangul``, ``Latin``,
    ``Cyrillic``, ``Arabic``, ... (Unicode's name for it), or ``""`` for no letters.

    >>> script_of("国際戦略局"), script_of("사랑해요"), script_of("Bureau"), script_of("123")
    ('Japanese', 'Hangul', 'Latin', '')
    """
    counts: Counter[str] = Counter()
    for char in text:
        if JAPANESE_CHAR.match(char):
            counts["Japanese"] += 1
        elif _HANGUL.match(char):
            counts["Hangul"] += 1
        elif char.isalpha():
            name = unicodedata.name(char, "")
            counts[name.split(" ")[0].title() if name else "Other"] += 1
    return counts.most_common(1)[0][0] if counts else ""


def main_script(texts: Iterable[str]) -> str:
    """The script most of ``texts`` are in (texts without letters do not count)."""
    counts = Counter(s for s in map(script_of, texts) if s)
    return counts.most_common(1)[0][0] if counts else ""
