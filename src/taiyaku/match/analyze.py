"""Analysis of a new document against the TM, as CAT tools report it for quoting.

Every sentence is matched; its best score puts it in a band (100 %, 95–99, 85–94, 75–84,
50–74, no match). A sentence whose key already occurred earlier in the document is a
repetition: it is counted once, where it first occurs, and the later occurrences go in the
``repetitions`` row. Sizes are counted in characters for Japanese (white space left out) and
in words for English.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from taiyaku.match.score import METRIC
from taiyaku.match.search import Matcher
from taiyaku.text.lang import detect_lang
from taiyaku.text.normalize import match_key

BANDS = (
    ("100%", 100.0, 100.0),
    ("95-99%", 95.0, 99.99),
    ("85-94%", 85.0, 94.99),
    ("75-84%", 75.0, 84.99),
    ("50-74%", 50.0, 74.99),
    ("no match", 0.0, 49.99),
)
REPETITIONS = "repetitions"


@dataclass
class Band:
    """One row of an analysis: how many segments and how much text fall in it.

    :param name: ``100%``, ``95-99%``, …, ``no match`` or ``repetitions``
    :param segments: the number of segments
    :param size: their size in characters (Japanese) or words (English)
    """

    name: str
    segments: int = 0
    size: int = 0


@dataclass
class SegmentScore:
    """A sentence of the document and its best match.

    :param text: the sentence
    :param score: the best match's score, 0 when nothing reached 50
    :param band: the band it was counted in
    :param size: its size in characters or words
    """

    text: str
    score: float
    band: str
    size: int


@dataclass
class Analysis:
    """What a document would cost to translate with this TM.

    :param lang: the document's language
    :param unit: ``characters`` or ``words``
    :param bands: the band rows, best first, then repetitions
    :param segments: every sentence with its score
    """

    lang: str
    unit: str
    bands: list[Band]
    segments: list[SegmentScore] = field(default_factory=list)

    @property
    def total(self) -> Band:
        """The sum of all rows."""
        return Band("total", sum(b.segments for b in self.bands), sum(b.size for b in self.bands))

    def to_dict(self) -> dict[str, Any]:
        """The band counts as ``--json`` prints them (the size under ``characters``/``words``)."""
        return {
            "lang": self.lang,
            "unit": self.unit,
            "metric": METRIC,
            "bands": [
                {"band": b.name, "segments": b.segments, self.unit: b.size}
                for b in [*self.bands, self.total]
            ],
        }


def sentences_of(text: str, lang: str) -> list[str]:
    """Split a document into sentences with the segmenter (headings and list items too)."""
    from taiyaku.text.segment import split_sentences

    return [s.text for s in split_sentences(text, lang) if s.text.strip()]


def size_of(sentence: str, lang: str) -> int:
    """Return a sentence's size: characters without white space (Japanese) or words."""
    if lang == "ja":
        return sum(1 for c in sentence if not c.isspace())
    return len(sentence.split())


def band_of(score: float) -> str:
    """Return the name of the band a score falls in."""
    for name, low, _ in BANDS:
        if score >= low:
            return name
    return BANDS[-1][0]


def analyze_text(db_or_tm: Any, text: str, *, lang: str | None = None) -> Analysis:
    """Segment ``text``, match every sentence and count the bands.

    :param lang: the document's language; detected when not given
    """
    lang = lang or detect_lang(text)
    matcher = db_or_tm if isinstance(db_or_tm, Matcher) else Matcher(db_or_tm)
    rows = {name: Band(name) for name, _, _ in BANDS}
    rows[REPETITIONS] = Band(REPETITIONS)
    seen: set[str] = set()
    segments = []
    for sentence in sentences_of(text, lang):
        size = size_of(sentence, lang)
        key = match_key(sentence)
        if key in seen:
            band, score = REPETITIONS, 100.0
        else:
            seen.add(key)
            best = matcher.scores(sentence, min_score=50, limit=1, lang=lang)
            score = best[0][0] if best else 0.0
            band = band_of(score)
        rows[band].segments += 1
        rows[band].size += size
        segments.append(SegmentScore(sentence, score, band, size))
    return Analysis(lang, "characters" if lang == "ja" else "words", list(rows.values()), segments)


def analyze_file(
    db_or_tm: Any, path: str | os.PathLike[str], *, lang: str | None = None
) -> Analysis:
    """Read a text file (encoding detected) and analyse it, see :func:`analyze_text`."""
    from taiyaku.text.html import read_document

    return analyze_text(db_or_tm, read_document(path), lang=lang)


def write_analysis_xlsx(analysis: Analysis, path: str | os.PathLike[str]) -> None:
    """Write the band table and the per-sentence scores as an Excel workbook."""
    from openpyxl import Workbook

    from taiyaku.formats.files import atomic_write
    from taiyaku.formats.xlsx import text_cell

    # Claim the file first: a folder that cannot be written fails before any sheet is made.
    with atomic_write(path) as tmp:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Analysis")
        sheet.append(["Band", "Segments", analysis.unit.capitalize()])
        for band in [*analysis.bands, analysis.total]:
            sheet.append([band.name, band.segments, band.size])
        detail = book.create_sheet("Segments")
        detail.append(["Segment", "Best score", "Band", analysis.unit.capitalize()])
        for segment in analysis.segments:
            # Segment text is the user's document: written as text, never as a formula.
            detail.append(
                [text_cell(detail, segment.text), segment.score, segment.band, segment.size]
            )
        book.save(tmp)
