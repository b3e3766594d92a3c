"""Japanese script classes, defined once: which characters are kana, kanji, Japanese text.

Every module that asks "is this Japanese?" uses these ranges, so that the language
detector, the segmenter, the HTML reader, the encoding guesser, the aligner's anchors and
the glossary's keys agree on what a Japanese character is. Each constant is the inside of
a regular-expression character class (``f"[{KANA}]"``); :func:`is_kanji` and
:func:`is_kana` test one character.

>>> from taiyaku.text.chars import JAPANESE_CHAR
>>> bool(JAPANESE_CHAR.search("ICT(情報通信技術)")), bool(JAPANESE_CHAR.search("ICT"))
(True, False)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

from taiyaku.text.oldforms import modernize

HIRAGANA = "\u3041-\u309f"  # ぁ … ゟ, with the voicing marks and ゝ ゞ
KATAKANA = "\u30a0-\u30ff"  # ゠ … ヿ, with ・ and ー
KANA = "\u3041-\u30ff"  # HIRAGANA and KATAKANA together
KATAKANA_PHONETIC = "\u31f0-\u31ff"  # small katakana for Ainu (ㇰ … ㇿ)
HALF_WIDTH_KATAKANA = "\uff66-\uff9f"  # ｦ … ﾟ
# CJK ideographs: extension A, the unified block, compatibility ideographs, extensions B+.
KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANJI_MARKS = "々〆〇"  # iteration mark, shime, the kanji zero: written among kanji
JAPANESE = KANA + KATAKANA_PHONETIC + HALF_WIDTH_KATAKANA + KANJI + KANJI_MARKS
# Text that takes no spaces between words: Japanese script, CJK punctuation (、。「」 and the
# ideographic space) and the full- and half-width forms block.
CJK_TEXT = "\u3000-\u30ff" + KANJI + "\uff00-\uffef"

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6  # ァ .. ヶ

# Compiled when first used: a class with the supplementary planes' kanji takes the regular
# expression compiler about 10 ms, and a command needs one or two of them (`taiyaku match`
# only JAPANESE_CHAR, for the language of a query).
_CLASSES = {
    "KANA_CHAR": f"[{KANA}]",
    "KANJI_CHAR": f"[{KANJI}々]",
    "JAPANESE_CHAR": f"[{JAPANESE}]",
    "CJK_TEXT_CHAR": f"[{CJK_TEXT}]",
}
if TYPE_CHECKING:
    KANA_CHAR: re.Pattern[str]
    KANJI_CHAR: re.Pattern[str]
    JAPANESE_CHAR: re.Pattern[str]
    CJK_TEXT_CHAR: re.Pattern[str]


@functools.cache
def _compiled(name: str) -> re.Pattern[str]:
    return re.compile(_CLASSES[name])


def __getattr__(name: str) -> re.Pattern[str]:
    """KANA_CHAR, KANJI_CHAR, JAPANESE_CHAR and CJK_TEXT_CHAR, compiled on first use."""
    if name not in _CLASSES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    compiled = globals()[name] = _compiled(name)
    return compiled


def is_kanji(char: str) -> bool:
    """True for a CJK ideograph (and 々, 〆, ヶ used as kanji).

    >>> is_kanji("国"), is_kanji("々"), is_kanji("く")
    (True, True, False)
    """
    return char in "々〆ヶ" or _compiled("KANJI_CHAR").fullmatch(char) is not None


def is_kana(char: str) -> bool:
    """True for hiragana, katakana and the long-vowel mark."""
    return "\u3041" <= char <= "\u30ff"


@functools.lru_cache(maxsize=32768)
def fold_char(char: str) -> str:
    """One character as the keys compare it: NFKC, case-folded, old kanji forms as the new
    (:func:`~taiyaku.text.oldforms.modernize`), katakana as hiragana.

    >>> fold_char("Ａ"), fold_char("カ"), fold_char("ヶ")
    ('a', 'か', 'ヶ')
    """
    if char.isascii():
        return char.lower()
    folded = modernize(unicodedata.normalize("NFKC", char).casefold())
    # NFKC may give several characters (the square ㌀ is アパート): fold each of them.
    return "".join(_fold_kana(c) for c in folded)


def _fold_kana(char: str) -> str:
    if _KATAKANA_START <= ord(char) <= _KATAKANA_END:
        if char in "ヵヶ":
            return char  # counters (一ヶ月), not syllables
        return chr(ord(char) - 0x60)
    if char == "ヽ":
        return "ゝ"
    if char == "ヾ":
        return "ゞ"
    return char
