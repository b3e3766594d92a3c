"""The terminology check: the glossary's renderings are used, and its bad ones are not.

For every glossary term found in the source (:func:`taiyaku.glossary.find.find_terms`, which
already forgives width, kana and English case and plurals), one of its preferred or
admitted renderings must be in the target. The target is searched as lookup forgives:
case, plurals, and hyphens or spaces inside a term (``e-mail`` = ``email``,
``Kiyomizu-dera`` = ``Kiyomizudera``). A deprecated or forbidden rendering of a term of the
source found in the target is an error, with the preferred rendering suggested.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from taiyaku.glossary.find import TermOccurrence, find_terms
from taiyaku.glossary.keys import en_find_key, en_words, fold_ja_with_offsets, ja_find_key
from taiyaku.models import Term
from taiyaku.qa.findings import Finding, Located, finding
from taiyaku.store.glossary import Glossary
from taiyaku.text.lang import primary_lang

_USABLE = ("preferred", "admitted")


def _en_spans(target: str, rendering: str) -> list[tuple[int, int]]:
    """Where ``rendering`` occurs in ``target``, forgiving as a reader would.

    Case, plurals (``EPAs`` too), an inflected last word (``bilateral``/``bilaterally``),
    hyphens or spaces inside (``e-mail`` = ``email``), ``&`` for ``and``; a rendering with an
    abbreviation in brackets is found spelt out or abbreviated
    (``research and development (R&D)``).
    """
    words = [
        (w[:-1] if w.endswith("s") and _ACRONYM_PLURAL.fullmatch(target[s:e]) else w, s, e)
        for w, s, e in en_words(target)
        if w != "and"
    ]
    spans: list[tuple[int, int]] = []
    for variant in _variants(rendering):
        wanted = [w for w in en_find_key(variant).split() if w != "and"]
        if not wanted:
            spans += [(i, i + len(variant)) for i in _all(target.casefold(), variant.casefold())]
            continue
        glued = "".join(wanted)
        for i in range(len(words)):
            joined = ""
            for j in range(i, len(words)):
                joined += words[j][0]
                if joined == glued or (
                    joined.startswith(glued) and joined[len(glued) :] in _ENDINGS
                ):
                    spans.append((words[i][1], words[j][2]))
                    break
                if len(joined) >= len(glued) or not glued.startswith(joined):
                    break
    return sorted(set(spans))


_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
_ENDINGS = frozenset({"ly", "al", "s", "es", "ed", "d", "ing", "n"})
_BRACKETED = re.compile(r"^(.*?)\s*[(（]([^()（）]+)[)）]\s*$")


def _variants(rendering: str) -> list[str]:
    """A rendering and, if it ends with a bracket, its two halves."""
    match = _BRACKETED.match(rendering)
    if not match or not match.group(1):
        return [rendering]
    return [rendering, match.group(1), match.group(2)]


def _ja_spans(target: str, rendering: str) -> list[tuple[int, int]]:
    folded, starts, ends = fold_ja_with_offsets(target)
    key = ja_find_key(rendering)
    return [(starts[i], ends[i + len(key) - 1]) for i in _all(folded, key)] if key else []


def _all(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while part and at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def check_terminology(item: Located, glossary: Glossary) -> Iterator[Finding]:
    """The terminology findings of one unit."""
    unit = item.unit
    source, target = unit.source_text, unit.target_text
    if not target.strip():
        return
    source_side = "ja" if primary_lang(unit.source_lang) == "ja" else "en"
    target_side = "en" if source_side == "ja" else "ja"
    spans_of = _en_spans if target_side == "en" else _ja_spans

    def rendering(term: Term) -> str:
        return term.en if target_side == "en" else term.ja

    def original(term: Term) -> str:
        return term.ja if target_side == "en" else term.en

    by_span: dict[tuple[int, int], list[TermOccurrence]] = defaultdict(list)
    for occurrence in find_terms(glossary, source, sides=(source_side,)):
        by_span[(occurrence.start, occurrence.end)].append(occurrence)
    in_source = {original(o.term) for found in by_span.values() for o in found}
    # Bad renderings in the target, for terms of the source.
    bad: dict[str, list[tuple[Term, list[tuple[int, int]]]]] = defaultdict(list)
    for found in by_span.values():
        for o in found:
            if o.term.status in _USABLE:
                continue
            usable = [x.term for x in found if x.term.status in _USABLE]
            if any(rendering(u) == rendering(o.term) for u in usable):
                continue  # also a good rendering of the same term
            spans = spans_of(target, rendering(o.term))
            if spans:
                bad[original(o.term)].append((o.term, spans))
    for name, entries in bad.items():
        if name not in in_source:
            continue
        preferred = [
            rendering(o.term)
            for found in by_span.values()
            for o in found
            if original(o.term) == name and o.term.status in _USABLE
        ]
        for term, spans in entries:
            use = f"; use {' or '.join(dict.fromkeys(preferred))}" if preferred else ""
            yield finding(
                item, "terminology", f"{term.status}-term",
                "error" if term.status == "forbidden" else "warning",
                f"{rendering(term)} is {term.status} for {name}{use}",
                [(o.start, o.end) for f in by_span.values() for o in f if original(o.term) == name][:1],
                spans,
            )  # fmt: skip
    missing: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for (start, end), found in by_span.items():
        usable = list({o.term.id: o.term for o in found if o.term.status in _USABLE}.values())
        if not usable or any(original(t) in bad for t in usable):
            continue
        if any(spans_of(target, rendering(t)) for t in usable):
            continue
        missing[tuple(dict.fromkeys(rendering(t) for t in usable))].append((start, end))
    for choices, spans in missing.items():
        names = ", ".join(dict.fromkeys(source[s:e] for s, e in spans))
        yield finding(
            item, "terminology", "missing-term", "warning",
            f"{names} → {' or '.join(choices)} not in the target", spans,
        )  # fmt: skip
