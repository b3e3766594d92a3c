"""Romaji: Japanese written in Latin letters, compared with Japanese written in kana.

Two comparisons need it, in opposite directions, and both live here:

- a romaji query (``kokusai senryaku``) or a kana one finds a glossary term by its reading:
  :func:`romaji_to_reading` and :func:`kana_to_reading` turn the query into the folded kana
  :func:`reading_key` the glossary stores (long vowels written out or left out, ぢ/じ, を/お
  meet);
- a name written in kanji on one side of a document pair and in romaji on the other
  (雪舟 ↔ Sesshu) anchors an alignment: :func:`romanise` turns a kana reading into the folded
  romaji :func:`fold_romaji` makes of an English word (Sesshū, Sesshuu, Sesshu and セッシュウ
  all become ``sesshu``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import jaconv

from taiyaku.text.chars import fold_char, is_kana

_FOLDS = (
    ("tch", "cch"),
    ("ou", "o"),
    ("oo", "o"),
    ("uu", "u"),
    ("aa", "a"),
    ("ii", "i"),
    ("ee", "e"),
    ("mb", "nb"),
    ("mp", "np"),
    ("mm", "nm"),
    ("dzu", "zu"),
    ("du", "zu"),
    ("di", "ji"),
)


@functools.lru_cache(maxsize=65536)
def fold_romaji(roman: str) -> str:
    """The matching key of a romanised word: ``Sesshū`` and ``sesshuu`` → ``sesshu``."""
    text = unicodedata.normalize("NFKD", roman).casefold()
    text = "".join(c for c in text if "a" <= c <= "z")
    for old, new in _FOLDS:
        text = text.replace(old, new)
    return text


@functools.lru_cache(maxsize=65536)
def romanise(kana: str) -> str:
    """The folded key of a kana reading (hiragana or katakana)."""
    return fold_romaji(jaconv.kata2alphabet(jaconv.hira2kata(kana)))


# Long vowels written out or left out: the reading key keeps one vowel.
_READING_FOLDS = (
    ("ー", ""),
    ("ぢ", "じ"),
    ("づ", "ず"),
    ("を", "お"),
    ("おう", "お"),
    ("おお", "お"),
    ("うう", "う"),
    ("えい", "え"),
    ("ええ", "え"),
    ("いい", "い"),
    ("ああ", "あ"),
)


def reading_key(kana: str) -> str:
    """Fold a kana reading: hiragana, long vowels kept once (とうきょう → ときょ)."""
    text = "".join(fold_char(c) for c in kana).replace(" ", "")
    # Vowel lengthening after a consonant row: こう, そう, ... fold their う/お.
    folded = _lengthen(text)
    for old, new in _READING_FOLDS:
        folded = folded.replace(old, new)
    return folded


_O_ROW = "おこごそぞとどのほぼぽもよょろ"
_E_ROW = "えけげせぜてでねへべぺめれ"
_U_ROW = "うくぐすずつづぬふぶぷむゆゅる"
_I_ROW = "いきぎしじちぢにひびぴみり"
_A_ROW = "あかがさざただなはばぱまやゃらわ"


def _lengthen(text: str) -> str:
    out: list[str] = []
    for c in text:
        prev = out[-1] if out else ""
        if (
            (c in "うお" and prev in _O_ROW)
            or (c in "いえ" and prev in _E_ROW)
            or (c == "う" and prev in _U_ROW)
            or (c == "い" and prev in _I_ROW)
            or (c == "あ" and prev in _A_ROW)
        ) and prev:
            continue
        out.append(c)
    return "".join(out)


_MACRONS = str.maketrans(
    {"ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou", "â": "aa", "î": "ii", "û": "uu"}
    | {"ê": "ee", "ô": "ou"}
)
_ROMAJI = re.compile(r"[a-zāīūēōâîûêô' \-]+")


def romaji_to_reading(query: str) -> str | None:
    """The reading key of a romaji query (``kokusai senryaku``), or None if it is not romaji."""
    text = unicodedata.normalize("NFKC", query).casefold().strip()
    if not text or not _ROMAJI.fullmatch(text):
        return None
    text = text.translate(_MACRONS)
    text = re.sub(r"m(?=[bpm])", "n", text)  # shimbun = shinbun
    kana = jaconv.alphabet2kana(re.sub(r"[ \-]", "", text)).replace("'", "")
    if re.search(r"[a-z]", kana):
        return None
    return reading_key(kana)


def kana_to_reading(query: str) -> str | None:
    """The reading key of a query written only in kana (``こくさいせんりゃく``), else None."""
    text = unicodedata.normalize("NFKC", query).replace(" ", "").replace("\u3000", "")
    if not text or not all(is_kana(c) for c in text):
        return None
    return reading_key(text)
