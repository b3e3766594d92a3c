"""Pretranslation: every segment of a new document matched against the TM and the glossary.

What CAT tools do before a translator opens a file. A segment whose text the TM holds
exactly is filled in (a *context* match, scored 101 like memoQ, when the TM unit before it
also matches the segment before); an exact match but for numbers is filled with the numbers
adapted, for review; fuzzy matches at or above ``min_score`` are offered as candidates; a
segment seen earlier in the document (a repetition) gets the same translation. Glossary
terms are attached to every segment. The summary counts segments and their size by match
band, as ``analyze`` does, down to ``min_score``: weaker matches are not searched for (on a
large TM that search costs about a second per segment) and count as no match.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from taiyaku.errors import FormatError
from taiyaku.formats.bilingual import BilingualSegment, Candidate, GlossaryHint
from taiyaku.formats.document import (
    CodeRef,
    Content,
    SourceDocument,
    codes_of,
    plain_text,
    refs_from_markup,
    resolve_target,
    with_source_codes,
    wraps_only,
)
from taiyaku.match.analyze import BANDS, REPETITIONS, Band, band_of, size_of
from taiyaku.match.batch import search_many
from taiyaku.match.diff import DiffSpan
from taiyaku.match.search import Match, Matcher
from taiyaku.match.terms import find_glossary_terms
from taiyaku.models import Unit
from taiyaku.text.normalize import match_key

CONTEXT = "101% (context)"


@dataclass
class Pretranslation:
    """A document pretranslated: its segments and the summary by match band.

    :param document: the source document
    :param segments: one :class:`BilingualSegment` per segment, in order
    :param target_lang: the target language
    :param bands: the band rows: context, 100 %, …, no match, repetitions
    :param unit: ``characters`` (Japanese source) or ``words``
    """

    document: SourceDocument
    segments: list[BilingualSegment]
    target_lang: str
    bands: list[Band] = field(default_factory=list)
    unit: str = "characters"

    @property
    def filled(self) -> int:
        """The number of segments filled in from the TM (repetitions included)."""
        return sum(1 for i in self.segments if i.target is not None and i.match != "existing")

    @property
    def kept(self) -> int:
        """The number of translations the source already had (XLIFF), kept."""
        return sum(1 for item in self.segments if item.match == "existing")

    @property
    def total(self) -> Band:
        """The sum of all band rows."""
        return Band("total", sum(b.segments for b in self.bands), sum(b.size for b in self.bands))


def pretranslate(
    db_or_tm: Any,
    document: SourceDocument,
    *,
    min_score: float = 75,
    candidates: int = 3,
    overwrite: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Pretranslation:
    """Match every segment of ``document`` and fill in what the TM knows.

    :param db_or_tm: a taiyaku database or TranslationMemory (or a :class:`Matcher`)
    :param min_score: offer matches scoring at least this (0–100)
    :param candidates: offer at most this many matches per segment
    :param overwrite: replace translations the document already has (XLIFF from another
        tool); by default they are kept
    :param progress: called with 1 after each segment
    """
    from taiyaku.store.tm import TranslationMemory

    matcher = db_or_tm if isinstance(db_or_tm, Matcher) else Matcher(db_or_tm)
    memory = TranslationMemory(matcher.db)
    lang = document.lang
    target_lang = "en" if lang == "ja" else "ja"
    # The bands of analyze, less those below min_score (not searched: they count as no match).
    shown = [name for name, low, high in BANDS if high >= min_score or low == 0]
    rows = {CONTEXT: Band(CONTEXT), **{name: Band(name) for name in shown}}
    rows[REPETITIONS] = Band(REPETITIONS)
    # Every distinct segment is searched once, on every core, before the segments are filled.
    texts = {match_key(s.text): s.text for s in reversed(document.segments)}  # first wins
    texts.pop("", None)
    # An English heading in a Japanese page is matched as English: the language is detected.
    found = dict(
        zip(
            texts,
            search_many(matcher, list(texts.values()), min_score=min_score, limit=candidates),
            strict=True,
        )
    )
    first: dict[str, BilingualSegment] = {}
    out: list[BilingualSegment] = []
    previous_key = ""
    for segment in document.segments:
        text = segment.text
        key = match_key(text)
        size = size_of(text, lang)
        # A term used twice in the segment is listed once.
        terms = list(
            dict.fromkeys(
                GlossaryHint(t.text, t.translation, t.status)
                for t in find_glossary_terms(matcher.db, text, lang)
            )
        )
        item = BilingualSegment(segment, terms=terms)
        earlier = first.get(key)
        if earlier is not None:
            band = REPETITIONS
            item.target, item.state, item.score = earlier.target, earlier.state, earlier.score
            item.match = "repetition" if earlier.target is not None else ""
            item.candidates = earlier.candidates
        else:
            band = _match(memory, item, found.get(key, []), min_score, previous_key)
            first[key] = item
        if segment.existing is not None and not overwrite:
            item.target, item.state, item.match = (
                segment.existing,
                segment.existing_state,
                "existing",
            )
        rows[band].segments += 1
        rows[band].size += size
        out.append(item)
        previous_key = key
        if progress:
            progress(1)
    return Pretranslation(
        document, out, target_lang, list(rows.values()), "characters" if lang == "ja" else "words"
    )


def _match(
    memory: Any,
    item: BilingualSegment,
    matches: list[Match],
    min_score: float,
    previous_key: str,
) -> str:
    """Fill ``item`` from its matches; return the summary band it falls in."""
    segment = item.segment
    if not matches:
        return band_of(0)
    best = matches[0]
    item.score = best.score
    offered = []
    for match in matches:
        score = match.score
        if (
            score >= 100
            and previous_key
            and match_key(memory.source_before(match.unit) or "") == previous_key
        ):
            score = 101.0
        if score >= min_score:
            target = (
                match.adapted_target
                if match.numbers_only and match.adapted_target
                else match.target
            )
            origin = match.unit.document or "taiyaku TM"
            candidate = Candidate(score, match.source, (target,), origin, _diff_text(match.diff))
            offered.append((candidate, match))
    offered.sort(key=lambda pair: -pair[0].score)
    item.candidates = [candidate for candidate, _ in offered]
    if offered and offered[0][0].score >= 100:
        top, match = offered[0]
        item.score = top.score
        item.match = "context" if top.score > 100 else "exact"
        item.target, placed = _dressed(segment.content, match.target, match.unit)
        item.state = "translated" if placed else "needs-review"
    elif best.numbers_only and best.adapted_target and best.score >= min_score:
        item.match = "numbers"
        item.target = with_source_codes(segment.content, best.adapted_target)
        item.state = "needs-review"
    if item.score > 100:
        return CONTEXT
    return band_of(item.score)


def _diff_text(spans: Sequence[DiffSpan]) -> str:
    """A diff as one line: ``[-TM text-]{+segment text+}`` around what changed ("" if nothing)."""
    if all(span.op == "equal" for span in spans):
        return ""
    out = []
    for span in spans:
        if span.op == "equal":
            out.append(span.source)
            continue
        if span.source:
            out.append(f"[-{span.source}-]")
        if span.query:
            out.append(f"{{+{span.query}+}}")
    return "".join(out)


def _dressed(source: Content, text: str, unit: Unit) -> tuple[Content, bool]:
    """The TM's translation with the source segment's codes; True when each is in place.

    A TM unit imported from a translated file keeps its tags (``<bpt i>``, ``<ph x>``): when
    its source has the same tags as this segment, in the same order, the translation's tags
    are put where the translator put them. Otherwise codes wrapping the whole segment wrap
    the translation and any others follow it, for the translator to move.
    """
    if unit.source_markup and unit.target_markup:
        tm_source = refs_from_markup(unit.source_markup)
        refs = refs_from_markup(unit.target_markup)
        ours = [CodeRef(code.kind, code.id) for code in codes_of(source)]
        same_tags = (
            tm_source is not None and [p for p in tm_source if isinstance(p, CodeRef)] == ours
        )
        if same_tags and refs is not None and plain_text(refs) == text:  # type: ignore[arg-type]
            try:
                return resolve_target("TM", "", source, refs), True
            except FormatError:
                pass
    return with_source_codes(source, text), wraps_only(source)


def write_bilingual(
    pretranslation: Pretranslation, path: str | os.PathLike[str], *, xliff_version: str = "1.2"
) -> None:
    """Write the pretranslated document as XLIFF (``.xlf``/``.xliff``) or a sheet (``.xlsx``).

    :raises FormatError: an extension that is neither
    """
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    if suffix in (".xlf", ".xliff"):
        from taiyaku.formats.xliff import write_xliff

        write_xliff(
            path,
            pretranslation.document,
            pretranslation.segments,
            target_lang=pretranslation.target_lang,
            version=xliff_version,
        )
    elif suffix == ".xlsx":
        from taiyaku.formats.review_sheet import write_review_sheet

        write_review_sheet(
            path,
            pretranslation.document,
            pretranslation.segments,
            target_lang=pretranslation.target_lang,
        )
    else:
        raise FormatError(path, "write the bilingual file as .xlf, .xliff or .xlsx")
