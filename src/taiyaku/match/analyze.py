"""Analysis of a new document against the TM, as CAT tools report it for quoting.

Every sentence is matched; its best score puts it in a band (100 %, 95–99, 85–94, 75–84,
50–74, no match). A sentence whose key already occurred earlier in the document is a
repetition: it is counted once, where it first occurs, and the later occurrences go in the
``repetitions`` row. Sizes are counted in characters for Japanese (white space left out) and
in words for English.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from taiyaku.match.batch import scores_many
from taiyaku.match.score import METRIC
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


def analyze_text(
    db_or_tm: Any,
    text: str,
    *,
    lang: str | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> Analysis:
    """Segment ``text``, match every sentence and count the bands.

    The sentences are matched on every core (:func:`~taiyaku.match.batch.scores_many`).

    :param lang: the document's language; detected when not given
    :param progress: called with 1 after each sentence (drives a progress bar)
    :param workers: processes to match with; default: ``$TAIYAKU_WORKERS``, else one per core
    """
    lang = lang or detect_lang(text)
    rows = {name: Band(name) for name, _, _ in BANDS}
    rows[REPETITIONS] = Band(REPETITIONS)
    sentences = sentences_of(text, lang)
    keys = [match_key(sentence) for sentence in sentences]
    first: dict[str, str] = {}  # each distinct key's first sentence: the one matched
    for key, sentence in zip(keys, sentences, strict=True):
        first.setdefault(key, sentence)
    found = scores_many(
        db_or_tm, list(first.values()), min_score=50, limit=1, lang=lang, workers=workers
    )
    best = {
        key: (scored[0][0] if scored else 0.0) for key, scored in zip(first, found, strict=True)
    }
    seen: set[str] = set()
    segments = []
    for sentence, key in zip(sentences, keys, strict=True):
        size = size_of(sentence, lang)
        if key in seen:
            band, score = REPETITIONS, 100.0
        else:
            seen.add(key)
            score = best[key]
            band = band_of(score)
        rows[band].segments += 1
        rows[band].size += size
        segments.append(SegmentScore(sentence, score, band, size))
        if progress:
            progress(1)
    return Analysis(lang, "characters" if lang == "ja" else "words", list(rows.values()), segments)


def analyze_file(
    db_or_tm: Any,
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> Analysis:
    """Read a text file (encoding detected) and analyse it, see :func:`analyze_text`."""
    from taiyaku.text.html import read_document

    return analyze_text(
        db_or_tm, read_document(path), lang=lang, progress=progress, workers=workers
    )


def write_analysis_xlsx(
    analysis: Analysis,
    path: str | os.PathLike[str],
    *,
    document: str = "",
    database: str = "",
) -> None:
    """Write the analysis as a workbook laid out like a CAT tool's analysis report.

    The "Analysis" sheet opens with a header block (document, database, date, metric,
    language), then the band table with each band's share of the segments and of the text,
    and a native Excel bar chart of the text by band; "Segments" lists every sentence with
    its best score. Both sheets print on A4 landscape with their header row repeated.

    :param document: the analysed document's name, for the header block
    :param database: the database's name (a file name, never a full path)
    """
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    from taiyaku.formats.files import atomic_write
    from taiyaku.formats.xlsx import (
        fit_row_height,
        set_filter,
        set_print_layout,
        styled_cell,
        text_cell,
    )
    from taiyaku.models import now_iso

    bold, title = Font(bold=True), Font(bold=True, size=14)
    size_name = analysis.unit.capitalize()
    rows = [*analysis.bands, analysis.total]
    total = analysis.total
    header_row = 8
    # Claim the file first: a folder that cannot be written fails before any sheet is made.
    with atomic_write(path) as tmp:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Analysis")
        for column, width in zip("ABCDE", (16, 12, 14, 14, 14), strict=True):
            sheet.column_dimensions[column].width = width
        set_print_layout(sheet, header_row=header_row)
        sheet.append([text_cell(sheet, "TM analysis", font=title)])
        for label, value in (
            ("Document", document),
            ("Database", database),
            ("Date", now_iso()),
            ("Metric", f"{METRIC}: 100 × (1 − edit distance / longer length)"),
            ("Language", f"{analysis.lang} (size in {analysis.unit})"),
        ):
            sheet.append([text_cell(sheet, label, font=bold), text_cell(sheet, value)])
        sheet.append([])
        headings = ("Band", "Segments", "% segments", size_name, f"% {analysis.unit}")
        sheet.append([text_cell(sheet, h, font=bold) for h in headings])

        def share(part: int, whole: int) -> Any:
            made = styled_cell(sheet, part / whole if whole else 0.0)
            made.number_format = "0.0%"
            return made

        for band in rows:
            font = {"font": bold} if band is total else {}
            counts = [styled_cell(sheet, n, **font) for n in (band.segments, band.size)]
            for count in counts:
                count.number_format = "#,##0"
            sheet.append(
                [
                    text_cell(sheet, band.name, **font),
                    counts[0],
                    share(band.segments, total.segments),
                    counts[1],
                    share(band.size, total.size),
                ]
            )
        last_band = header_row + len(analysis.bands)
        set_filter(sheet, columns=len(headings), last_row=last_band, header_row=header_row)
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: band names read as written
        chart.title = f"{size_name} by band"
        chart.y_axis.title = size_name
        chart.legend = None
        chart.add_data(
            Reference(sheet, min_col=4, min_row=header_row, max_row=last_band),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_band))
        chart.x_axis.scaling.orientation = "maxMin"  # 100% at the top, as in the table
        chart.width, chart.height = 16, 8
        sheet.add_chart(chart, f"G{header_row}")

        detail = book.create_sheet("Segments")
        widths = (70, 11, 11, 11)
        for column, width in zip("ABCD", widths, strict=True):
            detail.column_dimensions[column].width = width
        set_print_layout(detail)
        detail.append(
            [text_cell(detail, h, font=bold) for h in ("Segment", "Best score", "Band", size_name)]
        )
        wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
        for number, segment in enumerate(analysis.segments, start=2):
            fit_row_height(detail, number, (segment.text,), widths)
            score = styled_cell(detail, segment.score, alignment=top)
            score.number_format = "0.0"
            # Segment text is the user's document: written as text, never as a formula.
            detail.append(
                [
                    text_cell(detail, segment.text, alignment=wrap),
                    score,
                    text_cell(detail, segment.band, alignment=Alignment(vertical="top", indent=1)),
                    styled_cell(detail, segment.size, alignment=top),
                ]
            )
        set_filter(detail, columns=4, last_row=len(analysis.segments) + 1)
        book.save(tmp)
