"""What a bilingual file (XLIFF, the review sheet) carries, going out and coming back.

Going out, each segment of a :class:`~taiyaku.formats.document.SourceDocument` travels as a
:class:`BilingualSegment`: its translation so far, how it was found, and the TM candidates
and glossary terms offered beside it. Coming back, a :class:`Translated` holds the embedded
original document and each segment's translation as the translator left it, tags still
naming the source's codes (:class:`~taiyaku.formats.document.CodeRef`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from taiyaku.formats.document import Code, CodeRef, Content, DocSegment

# taiyaku's states, and what the XLIFF versions call them.
STATES = ("new", "needs-review", "translated", "reviewed", "final")
XLIFF1_STATES = {
    "new": "new",
    "needs-review": "needs-review-translation",
    "translated": "translated",
    "reviewed": "signed-off",
    "final": "final",
}
XLIFF2_STATES = {
    "new": "initial",
    "needs-review": "initial",
    "translated": "translated",
    "reviewed": "reviewed",
    "final": "final",
}
# States whose translation a person has confirmed: what ``tm import`` stores.
CONFIRMED = ("translated", "reviewed", "final")


@dataclass(frozen=True)
class Candidate:
    """A TM match offered for a segment.

    :param score: 0–100; 101 for a context match (the previous segment matched too)
    :param source: the TM unit's source text
    :param target: its translation (numbers adapted to the segment where they could be)
    :param origin: where it came from (the TM unit's document, or ``taiyaku TM``)
    :param diff: what turns the TM source into the segment: ``[-deleted-]{+inserted+}``
    """

    score: float
    source: str
    target: Content
    origin: str = "taiyaku TM"
    diff: str = ""


@dataclass(frozen=True)
class GlossaryHint:
    """A glossary term found in a segment.

    :param source: the term as the segment has it (the glossary's form)
    :param target: the glossary's translation
    :param status: ``preferred``, ``admitted``, ``deprecated`` or ``forbidden``
    """

    source: str
    target: str
    status: str


@dataclass
class BilingualSegment:
    """A segment on its way to the translator.

    :param segment: the source segment
    :param target: the translation filled in, if any
    :param state: one of :data:`STATES`
    :param match: how the translation was found: ``context``, ``exact``, ``numbers``
        (an exact match but for numbers, adapted), ``repetition``, ``existing`` or ``""``
    :param score: the best match's score (101 for a context match), 0 if none
    :param candidates: TM matches offered, best first
    :param terms: glossary terms found in the segment
    """

    segment: DocSegment
    target: Content | None = None
    state: str = "new"
    match: str = ""
    score: float = 0.0
    candidates: list[Candidate] = field(default_factory=list)
    terms: list[GlossaryHint] = field(default_factory=list)


@dataclass(frozen=True)
class TranslatedSegment:
    """A segment coming back from the translator.

    :param id: the segment's id
    :param source: its source text as the file has it (plain)
    :param target: the translation with tags, or None when there is none
    :param state: taiyaku's name for its state (see :data:`STATES`)
    :param where: its place in the file, for messages (``unit 3``, ``row 5``)
    """

    id: str
    source: str
    target: tuple[str | CodeRef | Code, ...] | None
    state: str
    where: str


@dataclass
class Translated:
    """A bilingual file read back: the original document and the translations.

    :param path: the bilingual file
    :param name: the original document's file name
    :param format: the original document's format
    :param data: the original document's bytes
    :param fingerprint: the fingerprint the file claims for them
    :param source_lang: the source language
    :param target_lang: the target language
    :param segments: the translations, in file order
    """

    path: str
    name: str
    format: str
    data: bytes
    fingerprint: str
    source_lang: str
    target_lang: str
    segments: list[TranslatedSegment]
