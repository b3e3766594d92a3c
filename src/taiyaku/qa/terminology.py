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

from taiyaku.extract.english import FUNCTION_WORDS
from taiyaku.glossary import Glossary
from taiyaku.glossary.find import TermOccurrence, find_terms
from taiyaku.models import Side, Term
from taiyaku.qa.findings import Finding, Located, finding
from taiyaku.text.chars import HIRAGANA
from taiyaku.text.keys import en_find_key, en_words, fold_ja_with_offsets, ja_find_key
from taiyaku.text.lang import primary_lang

_USABLE = ("preferred", "admitted")


def _en_spans(target: str, rendering: str, *, loose: bool = False) -> list[tuple[int, int]]:
    """Where ``rendering`` occurs in ``target``, forgiving as a reader would.

    Case, plurals (``EPAs`` too), an inflected last word (``bilateral``/``bilaterally``),
    hyphens or spaces inside (``e-mail`` = ``email``), ``&`` for ``and``; a rendering with an
    abbreviation in brackets is found spelt out or abbreviated
    (``research and development (R&D)``); a leading article is left out.

    :param loose: also find the rendering's words in another order or apart (for a
        preferred rendering; a forbidden one is reported only as written)
    """
    words = [
        (w[:-1] if w.endswith("s") and _ACRONYM_PLURAL.fullmatch(target[s:e]) else w, s, e)
        for w, s, e in en_words(target)
        if w != "and"
    ]
    spans: list[tuple[int, int]] = []
    for variant in _variants(rendering):
        wanted = [w for w in en_find_key(variant).split() if w != "and"]
        if len(wanted) > 1 and wanted[0] in ("a", "an", "the"):
            wanted = wanted[1:]
        if not wanted:
            spans += [(i, i + len(variant)) for i in _all(target.casefold(), variant.casefold())]
            continue
        glued = "".join(wanted)
        for i in range(len(words)):
            joined = ""
            for j in range(i, len(words)):
                joined += words[j][0]
                if (
                    joined == glued
                    or (joined.startswith(glued) and joined[len(glued) :] in _ENDINGS)
                    # A romanised name glued to the next (Takagaminekoetsu-cho).
                    or (loose and len(wanted) == 1 and len(glued) >= 5 and joined.startswith(glued))
                ):
                    spans.append((words[i][1], words[j][2]))
                    break
                if len(joined) >= len(glued) or not glued.startswith(joined):
                    break
        if loose and not spans and len(wanted) > 1:
            # Every word of the rendering in the sentence, in another order or apart
            # ("Shinden-zukuri style" in "Shinden-zukuri is a style").
            content = [w for w in wanted if w not in FUNCTION_WORDS]
            where = {w: (s, e) for w, s, e in words}
            if content and all(w in where for w in content):
                spans += [where[w] for w in content]
    return sorted(set(spans))


_HIRAGANA = re.compile(f"[{HIRAGANA}]+")
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
_ENDINGS = frozenset({"ly", "al", "s", "es", "ed", "d", "ing", "n"})
_BRACKETED = re.compile(r"^(.*?)\s*[(（]([^()（）]+)[)）]\s*$")


def _variants(rendering: str) -> list[str]:
    """A rendering and, if it ends with a bracket, its two halves; one-word spellings
    listed with commas (``Taizanfukun, Taishanfuzhun``) each."""
    match = _BRACKETED.match(rendering)
    if match and match.group(1):
        return [rendering, match.group(1), match.group(2)]
    parts = [p.strip() for p in rendering.split(",")]
    if len(parts) > 1 and all(p and " " not in p for p in parts):
        return [rendering, *parts]
    return [rendering]


def _whole_words(text: str, found: list[TermOccurrence]) -> list[TermOccurrence]:
    """The occurrences that begin and end on MeCab word boundaries and are longer than
    one character: 業 inside 営業時間 or 実 inside 実際 is not the glossary's term. A term
    written in hiragana only (あり, なし) is a word of grammar too often to be checked."""
    from taiyaku.extract.japanese import words

    starts = {w.start for w in words(text)}
    ends = {w.start + len(w.surface) for w in words(text)}
    return [
        o
        for o in found
        if o.end - o.start > 1
        and o.start in starts
        and o.end in ends
        and not _HIRAGANA.fullmatch(o.text)
    ]


def _ja_spans(target: str, rendering: str, *, loose: bool = False) -> list[tuple[int, int]]:
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
    source_side: Side = "ja" if primary_lang(unit.source_lang) == "ja" else "en"
    target_side = "en" if source_side == "ja" else "ja"
    spans_of = _en_spans if target_side == "en" else _ja_spans

    def rendering(term: Term) -> str:
        return term.en if target_side == "en" else term.ja

    def original(term: Term) -> str:
        return term.ja if target_side == "en" else term.en

    by_span: dict[tuple[int, int], list[TermOccurrence]] = defaultdict(list)
    found_terms = find_terms(glossary, source, sides=(source_side,))
    if found_terms and source_side == "ja":
        found_terms = _whole_words(source, found_terms)
    for occurrence in found_terms:
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
        if any(spans_of(target, rendering(t), loose=True) for t in usable):
            continue
        missing[tuple(dict.fromkeys(rendering(t) for t in usable))].append((start, end))
    for choices, spans in missing.items():
        names = ", ".join(dict.fromkeys(source[s:e] for s, e in spans))
        yield finding(
            item, "terminology", "missing-term", "warning",
            f"{names} → {' or '.join(choices)} not in the target", spans,
        )  # fmt: skip
