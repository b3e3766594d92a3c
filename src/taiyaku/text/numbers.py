"""Numbers in Japanese and English text, read once: digits, scales, kanji numerals, eras, months.

Two parts of taiyaku read numbers: the aligner (:mod:`taiyaku.align.anchors`: a number both
sentences share anchors them) and fuzzy-match adaptation (:mod:`taiyaku.match.numbers`:
令和4年 → 令和5年 in the target). Both use this module, so they agree on one era table, one
reading of kanji numerals, one table of scales and months. What it reads:

- digits with or without grouping commas and decimals, full-width or half-width
  (``１，０００``), Japanese scales (``2,000万``, ``1億2000万``) and English ones
  (``20 million``);
- kanji numerals before a counter (三年, 二〇二三年, 四十八人; 一般 and 四十八願 are left
  alone);
- Japanese era years (令和, 平成, 昭和, 大正, 明治; 元年 = year 1) and their romanised
  forms (Reiwa 4), as Western years; ``2023年``;
- months: ``7月`` and English month names (``July``, ``Jul.``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

DIGIT = "[0-9０-９]"
# A number as written: digits, grouping commas, decimals (either width).
NUMBER = f"{DIGIT}(?:[0-9０-９,，]*{DIGIT})?(?:[.．]{DIGIT}+)?"
ERAS = (("明治", "Meiji", 1868), ("大正", "Taisho", 1912), ("昭和", "Showa", 1926),
        ("平成", "Heisei", 1989), ("令和", "Reiwa", 2019))  # fmt: skip
ERA_START = {name: start for ja, en, start in ERAS for name in (ja, en)}
ERA_START.update({"Shōwa": 1926, "Taishō": 1912})
JA_ERAS = "|".join(ja for ja, _, _ in reversed(ERAS))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
MONTH_NUMBER = {m.casefold(): i for i, m in enumerate(MONTHS, 1)}
MONTH_NUMBER.update({m[:3].casefold(): i for i, m in enumerate(MONTHS, 1)})
MONTH_NUMBER["sept"] = 9
JA_SCALES = {"兆": 10**12, "億": 10**8, "万": 10**4}
EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
# A kanji numeral counts only before a counter: 三年, but 四十八願 and 一般 are left alone.
KANJI_NUMBER = (
    r"(?<![〇一二三四五六七八九十百千])[〇一二三四五六七八九十百千]+"
    r"(?=[年月日人回つ件箇ヵカか国名歳世代番条章期割倍個社校枚冊隻台週種項])"
)
_MONTH_NAMES = "|".join([*MONTHS, "Sept", *(m[:3] for m in MONTHS if len(m) > 3)])

_TOKEN = re.compile(
    "|".join(
        [
            rf"(?P<era>{JA_ERAS})\s*(?P<era_n>元|{DIGIT}{{1,2}})(?=\s*年)",
            r"\b(?P<era_en>Reiwa|Heisei|Showa|Shōwa|Taisho|Taishō|Meiji)\s+(?P<era_en_n>\d{1,2})\b",
            rf"(?P<ja_amount>(?:{NUMBER}\s*[兆億万])+(?:{NUMBER})?)",
            rf"(?P<en_amount>{NUMBER})\s+(?P<en_scale>thousand|million|billion|trillion)\b",
            rf"(?P<year>{DIGIT}{{4}})(?=\s*年)",
            rf"(?P<month>{DIGIT}{{1,2}})(?=\s*月)",
            rf"\b(?P<month_en>{_MONTH_NAMES})(?P<dot>\.)?(?![A-Za-z])",
            rf"(?P<kanji>{KANJI_NUMBER})",
            rf"(?P<number>{NUMBER})",
        ]
    )
)

NumberKind = Literal["year", "month", "number"]
NumberStyle = Literal[
    "era", "era-en", "western", "month", "month-en", "ja-scale", "en-scale", "kanji", "plain"
]


@dataclass(frozen=True)
class NumberToken:
    """A number found in a text.

    :param kind: ``year`` (value: the Western year), ``month`` (1–12) or ``number``
    :param value: its value
    :param start: where its text starts
    :param end: where its text ends
    :param text: its text as written
    :param style: how it is written: ``era``, ``era-en``, ``western``, ``month``,
        ``month-en``, ``ja-scale``, ``en-scale``, ``kanji`` or ``plain``
    """

    kind: NumberKind
    value: float
    start: int
    end: int
    text: str
    style: NumberStyle


def number_value(text: str) -> float:
    """The value of digits as written: ``１，０００`` → 1000.0."""
    return float(unicodedata.normalize("NFKC", text).replace(",", ""))


def ja_amount(text: str) -> float:
    """The value of a Japanese amount with scales: ``1億2000万`` → 120000000.0."""
    total = 0.0
    for number, unit in re.findall(rf"({NUMBER})\s*([兆億万]?)", text):
        total += number_value(number) * JA_SCALES.get(unit, 1)
    return total


def kanji_number(text: str) -> int:
    """The value of a kanji numeral.

    >>> kanji_number("三"), kanji_number("四十八"), kanji_number("二千二十三"), kanji_number("二〇二三")
    (3, 48, 2023, 2023)
    """
    if not any(c in KANJI_UNITS for c in text):
        value = 0
        for c in text:
            value = value * 10 + KANJI_DIGITS[c]
        return value
    total = digit = 0
    for c in text:
        if c in KANJI_UNITS:
            total += (digit or 1) * KANJI_UNITS[c]
            digit = 0
        else:
            digit = digit * 10 + KANJI_DIGITS[c]
    return total + digit


def kanji_numeral(value: int, *, positional: bool = False) -> str:
    """Write ``value`` (0–9999) in kanji: 48 → 四十八, or digit by digit (二〇二三).

    >>> kanji_numeral(48), kanji_numeral(2023), kanji_numeral(2023, positional=True)
    ('四十八', '二千二十三', '二〇二三')
    """
    digits = "〇一二三四五六七八九"
    if positional or value == 0:
        return "".join(digits[int(d)] for d in str(value))
    out = []
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        count, value = divmod(value, unit)
        if count:
            out.append(("" if count == 1 else digits[count]) + name)
    if value:
        out.append(digits[value])
    return "".join(out)


def era_year(era: str, year: str) -> int:
    """The Western year of an era year: (``令和``, ``4``) → 2022; ``元`` is year 1."""
    n = 1 if year == "元" else int(number_value(year))
    return ERA_START[era] + n - 1


def number_tokens(text: str) -> list[NumberToken]:
    """Return the numbers of ``text`` in order.

    >>> [(t.kind, t.value, t.text) for t in number_tokens("令和4年7月に2,000万円")]
    [('year', 2022.0, '令和4'), ('month', 7.0, '7'), ('number', 20000000.0, '2,000万')]
    >>> [(t.value, t.style) for t in number_tokens("三年ぶり")]
    [(3.0, 'kanji')]
    """
    tokens = []
    kind: NumberKind
    style: NumberStyle
    for m in _TOKEN.finditer(text):
        if m["era"]:
            kind, value, style = "year", float(era_year(m["era"], m["era_n"])), "era"
        elif m["era_en"]:
            kind, style = "year", "era-en"
            value = float(era_year(m["era_en"], m["era_en_n"]))
        elif m["ja_amount"]:
            kind, value, style = "number", ja_amount(m["ja_amount"]), "ja-scale"
        elif m["en_amount"]:
            value = number_value(m["en_amount"]) * EN_SCALES[m["en_scale"]]
            kind, style = "number", "en-scale"
        elif m["year"]:
            kind, value, style = "year", number_value(m["year"]), "western"
        elif m["month"] and 1 <= number_value(m["month"]) <= 12:
            kind, value, style = "month", number_value(m["month"]), "month"
        elif m["month_en"]:
            kind, value = "month", float(MONTH_NUMBER[m["month_en"].casefold()])
            style = "month-en"
        elif m["kanji"]:
            kind, value, style = "number", float(kanji_number(m["kanji"])), "kanji"
        else:
            kind, value, style = "number", number_value(m.group()), "plain"
        tokens.append(NumberToken(kind, float(value), m.start(), m.end(), m.group(), style))
    return tokens
