"""Numbers that differ: when a query and a TM source differ only in numbers, adapt the target.

令和4年7月 → 令和5年8月 should not cost a translator a re-translation: if the TM target says
"July 2022", the adapted target says "August 2023". The numbers are those
:func:`taiyaku.text.numbers.number_tokens` reads: era and Western years, months, amounts with
Japanese or English scales, kanji numerals before a counter (三年 → 四年).

A changed number in the source is looked up in the target by value (an era year matches the
Western year it stands for; ``1,000万`` matches ``10 million``) and rewritten there in the
target's own style: its era or Western years, its scale word, its commas, its digit width.
If any changed number cannot be found in the target there is no adapted target, but the
match still says that only numbers differ.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from taiyaku.text.normalize import match_key
from taiyaku.text.numbers import (
    EN_SCALES,
    ERAS,
    JA_SCALES,
    KANJI_UNITS,
    MONTHS,
    NUMBER,
    NumberToken,
    kanji_numeral,
    number_tokens,
)

_FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@dataclass(frozen=True)
class NumberAdaptation:
    """How a TM target changes for a query that differs from its source only in numbers.

    :param changes: ``(source number, query number)`` texts, in order
    :param adapted_target: the target with those numbers rewritten, or ``None`` when some
        changed number could not be found in the target
    """

    changes: tuple[tuple[str, str], ...]
    adapted_target: str | None


def _skeleton(text: str, tokens: list[NumberToken]) -> str:
    pieces, last = [], 0
    for token in tokens:
        pieces.append(text[last : token.start])
        pieces.append("\x00")
        last = token.end
    pieces.append(text[last:])
    return match_key("".join(pieces))


def _compatible(source: NumberToken, target: NumberToken) -> bool:
    if source.value != target.value:
        return False
    if source.kind == target.kind:
        return True
    # A year in one language is often a bare number in the other ("2023" in English).
    kinds = {source.kind, target.kind}
    return kinds == {"year", "number"} and source.value.is_integer()


def _digits(value: float, like: str, *, commas: bool | None = None) -> str:
    """Write ``value`` as ``like`` writes its numbers: commas, decimals, digit width."""
    value = float(value)
    plain = unicodedata.normalize("NFKC", like)
    grouped = "," in plain if commas is None else commas
    decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
    if value.is_integer() and decimals == 0:
        text = f"{int(value):,}" if grouped else str(int(value))
    else:
        places = max(decimals, len(repr(value).split(".", 1)[1].rstrip("0")))
        text = f"{value:,.{places}f}" if grouped else f"{value:.{places}f}"
    if re.search("[０-９]", like):
        text = text.translate(_FULL_WIDTH)
    return text


def render(value: float, like: NumberToken, *, written: NumberToken | None = None) -> str | None:
    """Write ``value`` in the style of ``like``; ``None`` if that style cannot express it.

    :param written: the same value as the query wrote it: its era is kept when ``like`` is
        an era year too (平成31年 and 令和元年 are both 2019)
    """
    if like.style in ("era", "era-en"):
        era = next((e for e in reversed(ERAS) if e[2] <= value), None)
        if written is not None and written.style in ("era", "era-en"):
            era = next((e for e in ERAS if e[0] in written.text or e[1] in written.text), era)
        if era is None or not value.is_integer() or value < era[2]:
            return None
        n = int(value) - era[2] + 1
        if like.style == "era-en":
            return f"{era[1]} {n}"
        gannen = "元" in like.text or (written is not None and "元" in written.text)
        number = "元" if n == 1 and gannen else _digits(n, like.text)
        return f"{era[0]}{number}"
    if like.style == "month-en":
        if not value.is_integer() or not 1 <= value <= 12:
            return None
        name = MONTHS[int(value) - 1]
        if like.text.rstrip(".") not in MONTHS:  # written abbreviated
            name = "Sept" if like.text.startswith("Sept") and value == 9 else name[:3]
        return name + ("." if like.text.endswith(".") else "")
    if like.style == "en-scale":
        word = like.text.split()[-1]
        return f"{_digits(value / EN_SCALES[word], like.text.split()[0])} {word}"
    if like.style == "kanji":
        if not value.is_integer() or not 0 <= value <= 9999:
            return None
        positional = not any(c in KANJI_UNITS for c in like.text)
        return kanji_numeral(int(value), positional=positional)
    if like.style == "ja-scale":
        units = [u for u in JA_SCALES if u in like.text]
        biggest = units[0]
        first = re.match(NUMBER, like.text)
        scaled = value / JA_SCALES[biggest]
        if scaled.is_integer() or len(units) == 1:
            return _digits(scaled, first.group() if first else "0") + biggest
        return None
    if like.kind == "month" and not 1 <= value <= 12:
        return None
    return _digits(value, like.text, commas=None if like.kind == "number" else False)


def adapt_numbers(source: str, query: str, target: str) -> NumberAdaptation | None:
    """Adapt ``target`` if ``query`` differs from ``source`` only in numbers.

    :return: ``None`` if the two differ in anything but numbers, or not in numbers at all
    """
    source_tokens, query_tokens = number_tokens(source), number_tokens(query)
    if not source_tokens or len(source_tokens) != len(query_tokens):
        return None
    if _skeleton(source, source_tokens) != _skeleton(query, query_tokens):
        return None
    changed = [
        (s, q)
        for s, q in zip(source_tokens, query_tokens, strict=True)
        if (s.kind, s.value) != (q.kind, q.value)
    ]
    if not changed:
        return None
    changes = tuple((s.text, q.text) for s, q in changed)
    target_tokens = number_tokens(target)
    used: set[int] = set()
    edits: list[tuple[NumberToken, str]] = []
    for s, q in changed:
        if s.kind != q.kind and {s.kind, q.kind} != {"year", "number"}:
            return NumberAdaptation(changes, None)
        spot = next(
            (i for i, t in enumerate(target_tokens) if i not in used and _compatible(s, t)), None
        )
        if spot is None:
            return NumberAdaptation(changes, None)
        used.add(spot)
        written = render(q.value, target_tokens[spot], written=q)
        if written is None:
            return NumberAdaptation(changes, None)
        edits.append((target_tokens[spot], written))
    adapted = target
    for token, written in sorted(edits, key=lambda e: e[0].start, reverse=True):
        adapted = adapted[: token.start] + written + adapted[token.end :]
    return NumberAdaptation(changes, adapted)
