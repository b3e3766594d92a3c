"""The numbers check: every number of the source is in the target, and the reverse.

Numbers are read by :func:`taiyaku.text.numbers.number_tokens` and compared by value, so
令和5年 matches 2023, 7月 matches July, 2,000万 matches 20 million, １２ matches 12. A number
written in words on the other side counts too: kanji numerals in Japanese (十五世紀 ↔ 15th
century), number words and ordinals in English (3人 ↔ three people, 第2 ↔ second), Roman
numerals (第二次 ↔ II). A matched number whose unit differs (50% ↔ 50 yen) is reported too.

Japanese often gives a year twice, Western and by an era taiyaku has no table for
(1420年（応永27年）), and the English only once: an unmatched number that reads as such an
era year (a number of at most two digits, after kanji, before 年) is not reported, and
neither are Western years in the English of such a sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

from taiyaku.qa.findings import Finding, Located, finding
from taiyaku.text.numbers import ERAS, NumberToken, kanji_number, number_tokens

_KANJI_NUMERAL = re.compile(r"[〇一二三四五六七八九十百千]+")
_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
_TENS: dict[str, float] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
_WORD_VALUES: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS, 1)} | {
    w: float(i) for i, w in enumerate(_ORDINALS, 1)
}
_WORD_VALUES |= _TENS | {
    "twice": 2,
    "thrice": 3,
    "dozen": 12,
    "single": 1,
    "double": 2,
    "triple": 3,
    "once": 1,
    "half": 0.5,
    "both": 2,
    "pair": 2,
    "couple": 2,
}
_ROMAN = re.compile(r"\b(?=[MDCLXVI]+\b)M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\b")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
_HUNDREDS = re.compile(
    r"\b(?P<head>[A-Za-z]+) hundred(?: and (?P<tail>[A-Za-z]+(?:-[A-Za-z]+)?))?\b", re.I
)
_EN_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")
_ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                 "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}  # fmt: skip
# A date by an era name taiyaku has no table for, Wikipedia's disambiguation kept
# (仁安 (日本)3年, 天文 (元号)18年12月20日, 1481年（文明13）), or a date marked as old
# calendar (11月9日 (旧暦)).
_D = "[0-9０-９]"
_UNKNOWN_ERA = re.compile(
    rf"[\u4e00-\u9fff](?:\s?[(（][^()（）]{{1,6}}[)）])?\s*(?P<date>(?:{_D}{{1,2}}|元)(?:年|(?=[)）]))"
    rf"(?:\s*[(（]{_D}{{3,4}}年?[)）])?(?:\s*{_D}{{1,2}}月)?(?:\s*{_D}{{1,2}}日)?)"
    rf"|(?P<old>(?:{_D}{{1,2}}月)?\s*{_D}{{1,2}}日?)\s*[(（]旧暦[)）]"
)
# A character reference, written well or badly (&#29734; &amp29734): not a number.
_ENTITY = re.compile(r"&(?:#|amp#?)$")
_KNOWN_ERAS = frozenset(era for era, _, _ in ERAS)
_PERCENT_JA = re.compile(r"^\s*(?:%|％|パーセント)|(?<=割)$")
# The lunisolar calendar was Japan's until 1873: the English of an earlier date is often
# converted to the Gregorian day and month (10月20日 → November 11).
_CALENDAR_REFORM = 1873
_PERCENT_EN = re.compile(r"^(?:\s*(?:-|–|to)\s*[0-9.]+)?\s*(?:%|％|percent|per cent|pct)", re.I)
_YEN_JA = re.compile(r"^\s*円")
# Japanese fonts show the backslash as a yen sign, and some texts use it so.
_YEN_EN = re.compile(r"^\s*(?:yen|円|JPY)|(?:¥|￥|\\|JPY\s?)$", re.I)


def _roman(text: str) -> int:
    total = 0
    for i, c in enumerate(text):
        value = _ROMAN_VALUES[c]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _word_value(word: str) -> float | None:
    """The value of an English number word: ``three``, ``fifteenth``, ``seventy-six``."""
    word = word.casefold()
    if word in _WORD_VALUES:
        return float(_WORD_VALUES[word])
    if word in _ORDINAL_TENS:
        return float(_ORDINAL_TENS[word])
    tens, _, unit = word.partition("-")
    if tens in _TENS and _TENS[tens] < 100 and unit in _WORD_VALUES and _WORD_VALUES[unit] < 10:
        return float(_TENS[tens] + _WORD_VALUES[unit])
    return None


def _words_in(text: str, lang: str) -> set[float]:
    """Values written in words: kanji numerals, English number words (``a`` is one),
    Roman numerals."""
    if lang == "ja":
        values = {float(kanji_number(m.group())) for m in _KANJI_NUMERAL.finditer(text)}
        return values | ({1.0} if "正月" in text else set())
    words = _EN_WORD.findall(text)
    # "mid-sixth", "thirteen-year": the parts of a hyphenated word count too.
    words += [part for w in words if "-" in w for part in w.split("-")]
    values = {v for w in words if (v := _word_value(w)) is not None}
    for m in _HUNDREDS.finditer(text):
        head, tail = _word_value(m["head"]), _word_value(m["tail"]) if m["tail"] else 0.0
        if head is not None and tail is not None:
            values.add(head * 100 + tail)
    if re.search(r"\b(?:a|an|A|An)\b", text):
        values.add(1.0)
    values |= {float(_roman(m.group())) for m in _ROMAN.finditer(text) if m.group()}
    return values


def _same(a: NumberToken, b: NumberToken) -> bool:
    return round(a.value, 6) == round(b.value, 6) and (
        a.kind == b.kind or "number" in (a.kind, b.kind)
    )


def _unit_of(text: str, token: NumberToken, lang: str) -> str:
    after, before = text[token.end : token.end + 24], text[max(0, token.start - 4) : token.start]
    if (_PERCENT_JA if lang == "ja" else _PERCENT_EN).search(after):
        return "percent"
    if lang == "ja" and _YEN_JA.search(after):
        return "yen"
    if lang != "ja" and (_YEN_EN.search(after) or _YEN_EN.search(before)):
        return "yen"
    return ""


def _month_word(text: str, token: NumberToken) -> bool:
    """True for a month name that is likely another word: ``May`` (the verb), ``Jun`` (a
    name), abbreviations with no day or year beside them."""
    if token.text == "May" or len(token.text.rstrip(".")) <= 4:
        near = text[max(0, token.start - 4) : token.end + 5]
        return not re.search(r"\d", near)
    return False


def _in_name(text: str, token: NumberToken) -> bool:
    """True for a number inside a name made of letters and digits: COVID-19, G7, 5G."""
    before = text[max(0, token.start - 2) : token.start]
    after = text[token.end : token.end + 1]
    return bool(re.search(r"[A-Za-z]-?$", before) or re.match(r"[A-Za-z]", after))


def _japanese_units(text: str, token: NumberToken) -> NumberToken:
    """A Japanese amount read to its end: 22万7千 is 227,000, 5割 is 50 (per cent)."""
    following = text[token.end : token.end + 1]
    if following in ("千", "百") and token.style in ("ja-scale", "plain"):
        tail = re.search(r"[0-9０-９]+$", token.text)
        if tail:
            n = float(unicodedata.normalize("NFKC", tail.group()))
            scale = 1000 if following == "千" else 100
            return replace(token, value=token.value - n + n * scale, end=token.end + 1,
                           text=token.text + following)  # fmt: skip
    if following == "割" and token.style == "plain":
        return replace(token, value=token.value * 10, end=token.end + 1, text=token.text + "割")
    return token


def _read_on(text: str, tokens: list[NumberToken]) -> list[NumberToken]:
    """Japanese amounts read to their end (:func:`_japanese_units`), the tokens they swallow
    dropped."""
    out: list[NumberToken] = []
    for token in tokens:
        if out and token.start < out[-1].end:
            continue
        out.append(_japanese_units(text, token))
    return out


def _clock(text: str, token: NumberToken) -> NumberToken:
    """An English clock time read as the 24-hour hour: ``5:00 p.m.`` is 17."""
    after = text[token.end : token.end + 10]
    if re.match(r":[0-5]\d\s*(?:p\.m\.|pm)", after, re.I) and token.value < 12:
        return replace(token, value=token.value + 12)
    return token


def _day_or_month(text: str, token: NumberToken) -> bool:
    """True for a month, or a day of the month (15日)."""
    return token.kind == "month" or (token.value <= 31 and text[token.end : token.end + 1] == "日")


def _minutes(text: str, token: NumberToken) -> bool:
    """True for the minutes of a clock time (``17:00``), which Japanese leaves out."""
    return text[max(0, token.start - 1) : token.start] == ":" and token.value == 0


def check_numbers(item: Located) -> Iterator[Finding]:
    """The numbers findings of one unit."""
    unit = item.unit
    source, target = unit.source_text, unit.target_text
    if not target.strip():
        return
    s_lang = "ja" if unit.source_lang.lower().startswith("ja") else "en"
    t_lang = "ja" if unit.target_lang.lower().startswith("ja") else "en"
    s_tokens = _read_on(source, number_tokens(source)) if s_lang == "ja" else number_tokens(source)
    t_tokens = (
        [_clock(target, t) for t in number_tokens(target)]
        if t_lang == "en"
        else number_tokens(target)
    )
    used: set[int] = set()
    missing: list[NumberToken] = []
    for s in s_tokens:
        spot = next((i for i, t in enumerate(t_tokens) if i not in used and _same(s, t)), None)
        if spot is None:
            # A value repeated in the source may be written once in the target.
            if any(_same(s, t) for t in t_tokens):
                continue
            missing.append(s)
            continue
        used.add(spot)
        t = t_tokens[spot]
        s_unit, t_unit = _unit_of(source, s, s_lang), _unit_of(target, t, t_lang)
        if s_unit and t_unit != s_unit:
            yield finding(
                item, "numbers", "unit", "warning",
                f"{s.text} is a {s_unit} amount in the source, {t.text} is not in the target",
                [(s.start, s.end)], [(t.start, t.end)],
            )  # fmt: skip
    unknown_eras = [
        m.span("date") if m["date"] else m.span("old")
        for m in (_UNKNOWN_ERA.finditer(source) if s_lang == "ja" else ())
        if source[max(0, m.start() - 1) : m.start() + 1] not in _KNOWN_ERAS
        or (m["date"] and "年" not in m["date"])
    ]
    years = [t.value for t in (*s_tokens, *t_tokens) if t.kind == "year" or 500 <= t.value <= 2100]
    old_calendar = bool(unknown_eras) or any(500 <= y < _CALENDAR_REFORM for y in years)
    words_target = _words_in(target, t_lang)
    missing = [
        s
        for s in missing
        # A kanji numeral is often part of a name (三十三間堂, 四天王寺): evidence, not a demand.
        if s.style != "kanji"
        and s.value not in words_target
        and not any(a <= s.start < b for a, b in unknown_eras)
        and not (old_calendar and _day_or_month(source, s))
        and not _ENTITY.search(source[max(0, s.start - 4) : s.start])
    ]
    source_values = {round(s.value, 6) for s in s_tokens} | _words_in(source, s_lang)
    extra = [
        t
        for i, t in enumerate(t_tokens)
        if i not in used
        and round(t.value, 6) not in source_values
        and not (t.style == "month-en" and _month_word(target, t))
        and not _in_name(target, t)
        and not _minutes(target, t)
        # The source dates by an era or calendar taiyaku cannot convert: the target's
        # Western years, months and days are its conversion.
        and not (old_calendar and (t.kind == "month" or (t.value.is_integer() and t.value <= 31)))
        and not (unknown_eras and t.value.is_integer() and 500 <= t.value < _CALENDAR_REFORM)
    ]

    def shown(token: NumberToken) -> str:
        if token.style in ("era", "era-en"):
            return f"{token.text} ({token.value:g})"
        return token.text

    spans_s = [(t.start, t.end) for t in missing]
    spans_t = [(t.start, t.end) for t in extra]
    if missing and extra:
        yield finding(
            item, "numbers", "different-number", "error",
            f"{', '.join(map(shown, missing))} in the source, {', '.join(map(shown, extra))} "
            "in the target",
            spans_s, spans_t,
        )  # fmt: skip
    elif missing:
        yield finding(item, "numbers", "missing-number", "error",
                      f"not in the target: {', '.join(map(shown, missing))}", spans_s)  # fmt: skip
    elif extra:
        # Most numbers only the target has are the translator's glosses (3.3 mm, 1 koku is
        # about 180 litres): worth a look, not an error.
        yield finding(item, "numbers", "extra-number", "info",
                      f"not in the source: {', '.join(map(shown, extra))}", (), spans_t)  # fmt: skip
