"""The consistency check: the same source translated one way, one target for one source.

Across the whole file (or TM, or document): units whose sources have the same match key
(:func:`taiyaku.text.normalize.match_key`: width, white space) but whose targets differ
beyond width, case, white space, punctuation, plurals and articles are reported, each unit
whose translation is not the one most used; likewise units whose targets are the same but
whose sources differ beyond those and are not near alike (an information finding:
synonyms are sometimes right).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence

from rapidfuzz.fuzz import ratio

from taiyaku.qa.findings import Finding, Located, finding
from taiyaku.text.keys import en_find_key
from taiyaku.text.normalize import match_key
from taiyaku.text.oldforms import modernize

_PUNCTUATION = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_ARTICLES = frozenset({"the", "a", "an"})
# Sources this alike (中国の仏教 / 中国仏教, 所在・アクセス / 所在地およびアクセス) rightly
# share a translation.
SIMILAR_SOURCES = 70
# A target this short ("Overview", "History") rightly stands for several sources.
MIN_TARGET_CHARS = 12


def _loose(text: str) -> str:
    """A text with width, case, punctuation, white space, plurals and articles folded:
    "The burial facilities" and "Burial facility" are one translation."""
    words = en_find_key(text).split()
    if words and sum(len(w) for w in words) * 2 >= len(_PUNCTUATION.sub("", text)):
        return " ".join(w for w in words if w not in _ARTICLES)
    return _PUNCTUATION.sub("", match_key(text).casefold())


def _groups(
    items: Sequence[Located], key: Callable[[Located], str], value: Callable[[Located], str]
) -> Iterator[tuple[list[Located], str]]:
    """Groups of items with one key and several values, with the most used value."""
    by_key: dict[str, list[Located]] = defaultdict(list)
    for item in items:
        by_key[key(item)].append(item)
    for group in by_key.values():
        values = Counter(value(item) for item in group)
        if len(values) > 1:
            yield group, values.most_common(1)[0][0]


def _unlike(a: str, b: str) -> bool:
    """True when two sources differ beyond a reading in brackets, old kanji forms and a
    few characters (茶杓 / 茶杓（ちゃしゃく）, 仏光寺 / 佛光寺, 現状 / 現況)."""
    a, b = (_loose(modernize(_BRACKETED.sub("", t))) for t in (a, b))
    return a != b and ratio(a, b) < SIMILAR_SOURCES


def check_consistency(items: Sequence[Located]) -> Iterator[Finding]:
    """The consistency findings of a set of units (a file, a TM, a document)."""
    checked = [i for i in items if i.unit.target_text.strip() and _loose(i.unit.source_text)]
    for group, usual in _groups(
        checked, lambda i: match_key(i.unit.source_text), lambda i: _loose(i.unit.target_text)
    ):
        reference = next(i for i in group if _loose(i.unit.target_text) == usual)
        for item in group:
            if _loose(item.unit.target_text) != usual:
                others = len([i for i in group if _loose(i.unit.target_text) == usual])
                yield finding(
                    item, "consistency", "source-translated-differently", "warning",
                    f"the same source is translated differently in {others} other unit(s), "
                    f"e.g. {reference.where}: {reference.unit.target_text}",
                    (), [(0, len(item.unit.target_text))],
                )  # fmt: skip
    # A source left as it is (an English heading in a Japanese page) is no other source.
    long_enough = [
        i
        for i in checked
        if len(_loose(i.unit.target_text)) >= MIN_TARGET_CHARS
        and _loose(i.unit.target_text) != _loose(i.unit.source_text)
    ]
    for group, usual in _groups(
        long_enough, lambda i: _loose(i.unit.target_text), lambda i: _loose(i.unit.source_text)
    ):
        reference = next(i for i in group if _loose(i.unit.source_text) == usual)
        for item in group:
            other = _loose(item.unit.source_text)
            if other != usual and _unlike(item.unit.source_text, reference.unit.source_text):
                yield finding(
                    item, "consistency", "target-for-different-sources", "info",
                    f"the same target translates another source at {reference.where}: "
                    f"{reference.unit.source_text}",
                    [(0, len(item.unit.source_text))],
                )  # fmt: skip
