"""The numbers check: every number of the source is in the target, and the reverse.

Numbers are read by :func:`taiyaku.match.numbers.number_tokens` and compared by value, so
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
from collections.abc import Iterator

from taiyaku.align.anchors import kanji_number
from taiyaku.match.numbers import ERAS, NumberToken, number_tokens
from taiyaku.qa.findings import Finding, Located, finding

_KANJI_NUMERAL = re.compile(r"[〇一二三四五六七八九十百千]+")
_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
_TENS = {
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
_WORD_VALUES = {w: i for i, w in enumerate(_UNITS, 1)} | {w: i for i, w in enumerate(_ORDINALS, 1)}
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
_EN_WORD = re.compile(r"[A-Za-z]+")
# A date by an era name taiyaku has no table for, Wikipedia's disambiguation kept
# (仁安 (日本)3年, 天文 (元号)18年12月20日, 1481年（文明13）), or a date marked as old
# calendar (11月9日 (旧暦)).
_D = "[0-9０-９]"
_UNKNOWN_ERA = re.compile(
    rf"[\u4e00-\u9fff](?:\s?[(（][^()（）]{{1,6}}[)）])?\s*(?P<date>(?:{_D}{{1,2}}|元)(?:年|(?=[)）]))"
    rf"(?:\s*{_D}{{1,2}}月)?(?:\s*{_D}{{1,2}}日)?)"
    rf"|(?P<old>(?:{_D}{{1,2}}月)?\s*{_D}{{1,2}}日?)\s*[(（]旧暦[)）]"
)
# A character reference, written well or badly (&#29734; &amp29734): not a number.
_ENTITY = re.compile(r"&(?:#|amp#?)$")
_KNOWN_ERAS = frozenset(era for era, _, _ in ERAS)
_PERCENT_JA = re.compile(r"^\s*(?:%|％|パーセント)")
_PERCENT_EN = re.compile(r"^\s*(?:%|％|percent|per cent|pct)", re.I)
_YEN_JA = re.compile(r"^\s*円")
# Japanese fonts show the backslash as a yen sign, and some texts use it so.
_YEN_EN = re.compile(r"^\s*(?:yen|円)|(?:¥|￥|\\|JPY\s?)$", re.I)


def _roman(text: str) -> int:
    total = 0
    for i, c in enumerate(text):
        value = _ROMAN_VALUES[c]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _words_in(text: str, lang: str) -> set[float]:
    """Values written in words: kanji numerals, English number words, Roman numerals."""
    if lang == "ja":
        return {float(kanji_number(m.group())) for m in _KANJI_NUMERAL.finditer(text)}
    values = {
        float(_WORD_VALUES[w.casefold()])
        for w in _EN_WORD.findall(text)
        if w.casefold() in _WORD_VALUES
    }
    values |= {float(_roman(m.group())) for m in _ROMAN.finditer(text) if m.group()}
    return values


def _same(a: NumberToken, b: NumberToken) -> bool:
    return round(a.value, 6) == round(b.value, 6) and (
        a.kind == b.kind or "number" in (a.kind, b.kind)
    )


def _unit_of(text: str, token: NumberToken, lang: str) -> str:
    after, before = text[token.end : token.end + 12], text[max(0, token.start - 4) : token.start]
    if (_PERCENT_JA if lang == "ja" else _PERCENT_EN).search(after):
        return "percent"
    if lang == "ja" and _YEN_JA.search(after):
        return "yen"
    if lang != "ja" and (_YEN_EN.search(after) or _YEN_EN.search(before)):
        return "yen"
    return ""


def _in_name(text: str, token: NumberToken) -> bool:
    """True for a number inside a name made of letters and digits: COVID-19, G7, 5G."""
    before = text[max(0, token.start - 2) : token.start]
    after = text[token.end : token.end + 1]
    return bool(re.search(r"[A-Za-z]-?$", before) or re.match(r"[A-Za-z]", after))


def check_numbers(item: Located) -> Iterator[Finding]:
    """The numbers findings of one unit."""
    unit = item.unit
    source, target = unit.source_text, unit.target_text
    if not target.strip():
        return
    s_lang = "ja" if unit.source_lang.lower().startswith("ja") else "en"
    t_lang = "ja" if unit.target_lang.lower().startswith("ja") else "en"
    s_tokens, t_tokens = number_tokens(source), number_tokens(target)
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
    ]
    words_target = _words_in(target, t_lang)
    missing = [
        s
        for s in missing
        if s.value not in words_target
        and not any(a <= s.start < b for a, b in unknown_eras)
        and not _ENTITY.search(source[max(0, s.start - 4) : s.start])
    ]
    source_values = {round(s.value, 6) for s in s_tokens} | _words_in(source, s_lang)
    extra = [
        t
        for i, t in enumerate(t_tokens)
        if i not in used
        and round(t.value, 6) not in source_values
        and not (t.style == "month-en" and t.text == "May")  # the verb, most of the time
        and not _in_name(target, t)
        and not (unknown_eras and t.value.is_integer() and 500 <= t.value <= 2100)
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
        yield finding(item, "numbers", "extra-number", "warning",
                      f"not in the source: {', '.join(map(shown, extra))}", (), spans_t)  # fmt: skip
