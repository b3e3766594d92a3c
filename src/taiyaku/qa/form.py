"""The form check: what a careful reader of the target notices before reading it.

- brackets and quotes that do not pair up in the target (when the source's do);
- placeholders written in the text (``{0}``, ``%s``, ``<b>``, ``&amp;``) and inline codes
  kept from TMX/XLIFF (``<bpt i="1">``, ``<ph x="2">``) that are not the same in source
  and target, order aside;
- two spaces in a row in the target that the source does not have; white space at the
  start or end of one side only;
- in an English target: full-width Latin letters, digits or punctuation (``ＡＢＣ``, ``，``,
  ``（）``, ``。``) and Japanese characters left untranslated.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from taiyaku.models import Code, Markup
from taiyaku.qa.findings import Finding, Located, finding
from taiyaku.text.lang import primary_lang

_PAIRS = {"(": ")", "[": "]", "{": "}", "（": "）", "「": "」", "『": "』", "【": "】", "“": "”",
          "［": "］", "〔": "〕", "《": "》", "〈": "〉", "｛": "｝"}  # fmt: skip
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_HALF_WIDTH = str.maketrans("（）［］｛｝", "()[]{}")
# Placeholders of software strings, markup tags (with attributes, self-closing, or a known
# inline tag: "<the founder of the sect>" and "<Tips>" in a sentence are words) and
# character references.
_PLACEHOLDER = re.compile(
    r"\{\d+\}|\{[A-Za-z_][A-Za-z0-9_]*\}|%(?:\d+\$)?[sdif]|%%|\$\{[^}]+\}|\{\{[^}]+\}\}"
    r"|</?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))+\s*/?>"
    r"|<[A-Za-z][\w:.-]*\s*/>"
    r"|</?(?:a|abbr|b|bpt|br|code|div|em|ept|g|h[1-6]|i|img|it|kbd|li|ol|p|ph|q|s|small|span"
    r"|strong|sub|sup|u|ul|x)>"
    r"|&(?:[a-z]+|#\d+|#x[0-9a-fA-F]+);"
)
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
# Full-width forms of ASCII (ＡＢＣ, １２３, ，．：（）) and CJK punctuation (、。「」・〜　).
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e\u3000-\u3003\u3008-\u3011\u3014-\u301f\u30fb]+")
_JAPANESE = re.compile(
    r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+"
)


def bracket_problems(text: str) -> list[tuple[int, int]]:
    """Spans of the brackets and double quotes of ``text`` that pair with nothing.

    >>> bracket_problems("a (b [c) d]")
    [(2, 3), (7, 8)]
    """
    stack: list[tuple[str, int]] = []
    bad: list[tuple[int, int]] = []
    # A full-width bracket closes a half-width one (the full-width check reports its width).
    for index, char in enumerate(text.translate(_HALF_WIDTH)):
        if char in _PAIRS:
            stack.append((char, index))
        elif char in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[char]:
                stack.pop()
            else:
                bad.append((index, index + 1))
    bad += [(i, i + 1) for _, i in stack]
    straight = [i for i, c in enumerate(text) if c == '"']
    if len(straight) % 2:
        bad.append((straight[-1], straight[-1] + 1))
    return sorted(bad)


def placeholders(text: str) -> Counter[str]:
    """The placeholders and inline tags of ``text``, counted."""
    return Counter(m.group() for m in _PLACEHOLDER.finditer(text))


def _codes(markup: Markup | None) -> Counter[str]:
    """The inline codes of a segment (TMX/XLIFF), as ``kind#id``, counted."""
    found: Counter[str] = Counter()

    def walk(parts: Markup) -> None:
        for part in parts:
            if isinstance(part, Code):
                name = part.pair or part.attr("x") or part.attr("type") or ""
                found[f"<{part.kind}{' ' + name if name else ''}>"] += 1
                walk(part.content)

    walk(markup or ())
    return found


def _difference(missing: Counter[str], extra: Counter[str]) -> str:
    """``missing {a}, {b}; extra {c}``: what a target lacks and adds, for a finding's message."""
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing.elements())))
    if extra:
        parts.append("extra " + ", ".join(sorted(extra.elements())))
    return "; ".join(parts)


def _next_to_japanese(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1 : match.start()]
    after = text[match.end() : match.end() + 1]
    return bool(_JAPANESE.match(before) or _JAPANESE.match(after))


_OPENING = "(\"'（「『‘“["
_CLOSING = ")\"'）」』’”]"


def _quoted(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` sits in brackets or quotes, maybe with more inside."""
    opening = max(text.rfind(c, 0, start) for c in _OPENING)
    closing = [i for i in (text.find(c, end) for c in _CLOSING) if i >= 0]
    return opening >= 0 and bool(closing) and ("." not in text[opening:start])


def check_form(item: Located) -> Iterator[Finding]:
    """The form findings of one unit."""
    unit = item.unit
    source, target = unit.source_text, unit.target_text
    if not target.strip():
        return
    unbalanced = bracket_problems(target)
    if unbalanced and not bracket_problems(source):
        marks = " ".join(target[s:e] for s, e in unbalanced)
        yield finding(item, "form", "unbalanced-brackets", "warning",
                      f"unpaired bracket or quote in the target: {marks}", (), unbalanced)  # fmt: skip
    in_source, in_target = placeholders(source), placeholders(target)
    if in_source != in_target:
        missing, extra = in_source - in_target, in_target - in_source
        yield finding(
            item, "form", "placeholders", "error",
            "placeholders or tags differ: " + _difference(missing, extra),
            [m.span() for m in _PLACEHOLDER.finditer(source) if m.group() in missing],
            [m.span() for m in _PLACEHOLDER.finditer(target) if m.group() in extra],
        )  # fmt: skip
    codes_source, codes_target = _codes(unit.source_markup), _codes(unit.target_markup)
    if codes_source != codes_target:
        difference = _difference(codes_source - codes_target, codes_target - codes_source)
        yield finding(item, "form", "inline-codes", "error",
                      "inline codes differ: " + difference)  # fmt: skip
    doubles = [m.span() for m in _DOUBLE_SPACE.finditer(target)]
    if doubles and not _DOUBLE_SPACE.search(source):
        yield finding(item, "form", "double-space", "info",
                      "two or more spaces in a row in the target", (), doubles)  # fmt: skip
    for side in ("start", "end"):
        space_source = bool(source) and (source[0] if side == "start" else source[-1]).isspace()
        space_target = (target[0] if side == "start" else target[-1]).isspace()
        if space_source != space_target:
            which = "source" if space_source else "target"
            span_text = source if space_source else target
            stripped = span_text.lstrip() if side == "start" else span_text.rstrip()
            span = (
                (0, len(span_text) - len(stripped))
                if side == "start"
                else (len(stripped), len(span_text))
            )
            yield finding(
                item, "form", f"{side}-space", "info",
                f"white space at the {side} of the {which} only",
                [span] if space_source else [], [span] if space_target else [],
            )  # fmt: skip
    if primary_lang(unit.target_lang) == "en":
        # Full-width punctuation inside Japanese quoted in the English (聞信・宣布) is the
        # quotation's own; the Japanese is reported below.
        wide = [m.span() for m in _FULL_WIDTH.finditer(target) if not _next_to_japanese(target, m)]
        if wide:
            chars = "".join(dict.fromkeys("".join(target[s:e] for s, e in wide)))
            yield finding(item, "form", "full-width", "warning",
                          f"full-width characters in English: {chars}", (), wide)  # fmt: skip
        japanese = [m.span() for m in _JAPANESE.finditer(target)]
        if japanese:
            words = ", ".join(dict.fromkeys(target[s:e] for s, e in japanese))
            # Japanese in brackets or quotes is most often quoted on purpose (a title, the
            # characters a sentence is about): worth a look, not a warning.
            quoted = all(_quoted(target, s, e) for s, e in japanese)
            yield finding(item, "form", "japanese-in-english", "info" if quoted else "warning",
                          f"Japanese left in the English: {words}", (), japanese)  # fmt: skip
