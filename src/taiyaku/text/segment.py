"""Sentence segmentation for Japanese and English documents: ``split_sentences(text, lang)``.

A translation memory stores sentences, but documents arrive as web extracts: paragraphs,
headings, list items and photo captions separated by blank lines, sentences soft-wrapped over
several lines, and now and then a sentence cut in two by a caption. This module turns such
text into :class:`Segment` objects that keep their text verbatim and their character offsets.

The work is done in three layers:

1. **Blocks.** Blank lines separate blocks (paragraphs, headings, captions, lists). Every
   segment records the block it came from; the aligner aligns blocks before sentences.
2. **Units.** Inside a block, a list item starts a new unit and a line without final
   punctuation (a heading, a caption) is a unit of its own, unless the next line continues it
   (a soft wrap: the line ends with a comma, the next begins with a particle or a lowercase
   word, or the line is as long as the block's longest). A sentence interrupted by a caption
   block (``…NICT`` / caption / ``に新たに…``) is rejoined and placed before the caption.
3. **Sentences.** Japanese units are split by hand-written rules: after 。！？．and their
   half-width forms, never inside a matched 「」『』（）() or quotes, Latin text left alone.
   English units are split by pysbd (abbreviations, initials, decimals, ellipses), wrapped
   with one fix it lacks (a sentence ending in ``.)``); pysbd is slow on very long strings,
   so it is only ever given one unit.

Nothing is lost: concatenating every segment's ``marker`` and ``text`` in the order of its
``spans`` gives back the input apart from white space (a property test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from taiyaku.text.chars import CJK_TEXT_CHAR
from taiyaku.text.lang import detect_lang

KINDS = ("sentence", "line", "item")

_JA_TERMINALS = "。！？．｡"
_ASCII_TERMINALS = "!?"
_EN_TERMINALS = ".!?…:;"
_OPENERS = "「『（(【〔［[｛{〈《“‘"
_CLOSERS = "」』）)】〕］]｝}〉》”’"
_PAIRS = dict(zip(_OPENERS, _CLOSERS, strict=True))
_QUOTE_SPAN_LIMIT = 600  # a "pair" wider than this is a stray bracket, not a quotation
_BLANK = re.compile(r"^[\s\u3000\u00a0]*$")
# List markers: "1. " and "1.Confirm" (not "2.1" or "3.5 million"), "1．確認", "(1)", "・".
_MARKER = re.compile(
    r"^(?:[-*+•‣◦▪]\s+|[・●○◆◇■□※]\s*|\d{1,3}(?:[.)]\s+|[.)．](?=[^\W\d_])|．\s*)"
    r"|[（(]\d{1,3}[)）]\s*|[①-⑳]\s*)"
)
# A Japanese line that begins with a case particle continues the line before it.
_JA_CONTINUATION = re.compile(
    r"^(?:[にをはがでとへのもや][^\u3041-\u309f]|では|には|とは|から|まで|より|など|への|との|"
    r"での|によ|につ|にお|として|[、，。）」』])"
)
_EN_CONTINUATION = re.compile(r"^(?:[a-z]|[,;)\]])")
_WRAP_END = "、，,（(「『-–—/・"
_EN_FRAGMENT_END = re.compile(
    r"\b(?:the|a|an|of|in|at|on|to|for|with|by|from|and|or|that|which|as)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Segment:
    """One sentence, heading, caption or list item of a document.

    :param text: the segment as written; lines of a soft-wrapped sentence are joined (with no
        space in Japanese, one space in English), nothing else is changed
    :param start: offset of its first character in the input
    :param end: offset just past its last character in the input
    :param kind: ``sentence`` (ends in final punctuation), ``line`` (a heading, caption or
        label without it) or ``item`` (a list item)
    :param block: index of the block (blank-line separated paragraph) it belongs to
    :param spans: the pieces of the input it was built from, as ``(start, end)`` offsets;
        more than one when it was rejoined across a line break or an interrupting caption
    :param marker: the list marker (``- ``, ``・``, ``1. ``) that came before an item's text
    """

    text: str
    start: int
    end: int
    kind: str
    block: int
    spans: tuple[tuple[int, int], ...]
    marker: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The segment as ``segment --json`` prints it: text, kind, block and offsets."""
        return {
            "text": self.text,
            "kind": self.kind,
            "block": self.block,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class _Line:
    text: str  # stripped, marker removed
    start: int  # offset of text in the input
    marker: str
    marker_start: int
    block: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Unit:
    lines: list[_Line]
    block: int
    item: bool


def split_sentences(text: str, lang: str | None = None) -> list[Segment]:
    """Split a document into sentences, headings, captions and list items.

    >>> [s.text for s in split_sentences("「行こう。」と言った。次の文。", "ja")]
    ['「行こう。」と言った。', '次の文。']

    :param text: plain text (use :func:`taiyaku.text.html.html_to_text` for HTML first)
    :param lang: ``"ja"`` or ``"en"``; detected from the text when ``None``. A paragraph in
        the other language (an English heading in a Japanese page) is split by its own rules.
    :return: segments in reading order (a rejoined sentence sits where it began)
    """
    if lang is None:
        lang = detect_lang(text)
    lang = "ja" if lang.lower().startswith("ja") else "en"
    blocks = list(_blocks(text))
    units: list[list[_Unit]] = [_units(lines, index, lang) for index, lines in enumerate(blocks)]
    _rejoin_interrupted(units, lang)
    segments: list[Segment] = []
    for block_units in units:
        for unit in block_units:
            segments.extend(_split_unit(unit, lang))
    # The sentences after a rejoined one stay in their own block, after the caption.
    segments.sort(key=lambda s: s.block)
    return segments


def _blocks(text: str) -> Iterator[list[_Line]]:
    """Yield the blocks of ``text``: runs of non-blank lines, each line stripped."""
    block: list[_Line] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if _BLANK.match(line):
            if block:
                yield block
                block = []
        else:
            lead = len(line) - len(line.lstrip())
            body = line.strip()
            marker_match = _MARKER.match(body)
            marker = marker_match.group(0) if marker_match else ""
            if marker and len(marker) == len(body):  # a line that is only "-" or "1."
                marker = ""
            block.append(
                _Line(body[len(marker) :], offset + lead + len(marker), marker, offset + lead)
            )
        offset += len(raw)
    if block:
        yield block


def _ends_sentence(text: str, lang: str) -> bool:
    stripped = text.rstrip(_CLOSERS + "\"' ")
    if not stripped:
        return False
    last = stripped[-1]
    if last in _JA_TERMINALS:
        return True
    if lang == "en" or not CJK_TEXT_CHAR.search(text):
        return last in _EN_TERMINALS
    return last in _ASCII_TERMINALS


def _continues(line: _Line, following: _Line, longest: int, lang: str) -> bool:
    """Is ``following`` the rest of a sentence that ``line`` began (a soft wrap)?"""
    if following.marker or _ends_sentence(line.text, lang):
        return False
    if line.text[-1] in _WRAP_END:
        return True
    pattern = _JA_CONTINUATION if lang == "ja" else _EN_CONTINUATION
    if pattern.match(following.text):
        return True
    minimum = 16 if CJK_TEXT_CHAR.search(line.text) else 40
    return len(line.text) >= minimum and len(line.text) >= 0.75 * longest


def _units(lines: list[_Line], block: int, lang: str) -> list[_Unit]:
    longest = max(len(line.text) for line in lines)
    units: list[_Unit] = []
    for position, line in enumerate(lines):
        line.block = block
        if position and _continues(lines[position - 1], line, longest, lang):
            units[-1].lines.append(line)
        else:
            units.append(_Unit([line], block, bool(line.marker)))
    return units


def _rejoin_interrupted(blocks: list[list[_Unit]], lang: str) -> None:
    """Rejoin a sentence that a caption block (or two) cut in two, in place.

    The tail's first unit moves into the head's block, so the rejoined sentence comes before
    the caption, as a reader would read it.
    """
    pattern = _JA_CONTINUATION if lang == "ja" else _EN_CONTINUATION
    for index, block in enumerate(blocks):
        if not block:
            continue
        head = block[-1]
        last = head.lines[-1].text
        if (
            head.item
            or _ends_sentence(last, lang)
            or not _text_looks_cut("".join(line.text for line in head.lines))
        ):
            continue
        for gap in (1, 2):
            tail_index = index + 1 + gap
            if tail_index >= len(blocks) or not blocks[tail_index]:
                break
            between = blocks[index + 1 : tail_index]
            if not all(_is_caption(b, lang) for b in between):
                break
            tail = blocks[tail_index][0]
            if not tail.item and pattern.match(tail.lines[0].text):
                head.lines.extend(tail.lines)
                del blocks[tail_index][0]
                break


def cut_sentence(text: str, following: str, lang: str) -> bool:
    """Is ``text`` a sentence cut before its end, which ``following`` finishes?

    For sentences that arrive already split (another tool's segments, a PDF's lines): ``text``
    has no final punctuation, and either ends as a cut sentence does (a comma, or long with a
    comma inside) or ``following`` begins as only the rest of a sentence does.

    >>> cut_sentence("予算は国の一般会計から、段階的に配分され、各部署の", "支出となる。", "ja")
    True
    >>> cut_sentence("沿革", "1950年に設立された。", "ja")
    False

    :param text: a segment
    :param following: the segment after it
    :param lang: ``"ja"`` or ``"en"``
    """
    if not text or not following or _ends_sentence(text, lang):
        return False
    if text[-1] in _WRAP_END:
        return True
    pattern = _JA_CONTINUATION if CJK_TEXT_CHAR.search(following) else _EN_CONTINUATION
    return bool(pattern.match(following)) or _text_looks_cut(text)


def _text_looks_cut(text: str) -> bool:
    if CJK_TEXT_CHAR.search(text):
        return len(text) >= 20 and ("、" in text or "，" in text)
    return len(text) >= 40 and (text.endswith(",") or bool(_EN_FRAGMENT_END.search(text)))


def _is_caption(block: list[_Unit], lang: str) -> bool:
    if len(block) != 1 or len(block[0].lines) != 1:
        return False
    text = block[0].lines[0].text
    limit = 100 if CJK_TEXT_CHAR.search(text) else 240
    return len(text) <= limit and not _ends_sentence(text, lang)


def _split_unit(unit: _Unit, lang: str) -> list[Segment]:
    # Join the unit's lines; `pieces` maps offsets in the joined string back to the input.
    joined = ""
    pieces: list[tuple[int, int, int]] = []  # (joined start, input start, length)
    for line in unit.lines:
        if joined:
            glue = (
                ""
                if (CJK_TEXT_CHAR.match(joined[-1]) or CJK_TEXT_CHAR.match(line.text[0]))
                else " "
            )
            joined += glue
        pieces.append((len(joined), line.start, len(line.text)))
        joined += line.text
    unit_lang = lang
    if len(joined) >= 8:
        unit_lang = detect_lang(joined, default=lang)
    bounds = _split_ja(joined) if unit_lang == "ja" else _split_en(joined)
    segments = []
    for number, (a, b) in enumerate(bounds):
        while a < b and joined[a].isspace():
            a += 1
        while b > a and joined[b - 1].isspace():
            b -= 1
        if a == b:
            continue
        spans = tuple(
            (start + max(a, j) - j, start + min(b, j + n) - j)
            for j, start, n in pieces
            if max(a, j) < min(b, j + n)
        )
        piece_text = joined[a:b]
        if unit.item:
            kind = "item"
        elif _ends_sentence(piece_text, unit_lang):
            kind = "sentence"
        else:
            kind = "line"
        marker = unit.lines[0].marker if number == 0 else ""
        block = next(unit.lines[k].block for k, (j, _, n) in enumerate(pieces) if a < j + n)
        segments.append(Segment(piece_text, spans[0][0], spans[-1][1], kind, block, spans, marker))
    return segments


def _matched_brackets(text: str) -> list[int]:
    """For each character, how many matched bracket or quote pairs enclose it."""
    depth = [0] * (len(text) + 1)
    stack: list[tuple[str, int]] = []
    quote_open: int | None = None
    for i, ch in enumerate(text):
        if ch == '"':
            if quote_open is None:
                quote_open = i
            else:
                if i - quote_open <= _QUOTE_SPAN_LIMIT:
                    depth[quote_open + 1] += 1
                    depth[i] -= 1
                quote_open = None
        elif ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            # Close the nearest matching opener; unmatched closers are left alone.
            for k in range(len(stack) - 1, -1, -1):
                if _PAIRS[stack[k][0]] == ch:
                    start = stack[k][1]
                    del stack[k:]
                    if i - start <= _QUOTE_SPAN_LIMIT:
                        depth[start + 1] += 1
                        depth[i] -= 1
                    break
    running = 0
    for i in range(len(text)):
        running += depth[i]
        depth[i] = running
    return depth[: len(text)]


def _split_ja(text: str) -> list[tuple[int, int]]:
    """Sentence bounds of Japanese text: after 。！？ outside brackets and quotes."""
    inside = _matched_brackets(text)
    bounds = []
    start = i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        terminal = ch in _JA_TERMINALS or (
            ch in _ASCII_TERMINALS
            and (i + 1 == n or text[i + 1].isspace() or CJK_TEXT_CHAR.match(text[i + 1]))
        )
        if terminal and not inside[i]:
            j = i + 1
            while j < n and (
                text[j] in _JA_TERMINALS
                or text[j] in _ASCII_TERMINALS
                or (text[j] in _CLOSERS and not inside[j])
            ):
                j += 1
            bounds.append((start, j))
            start = i = j
            continue
        i += 1
    if start < n:
        bounds.append((start, n))
    return bounds


@lru_cache(maxsize=1)
def _pysbd() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


# pysbd keeps "(really big.) The end." together: a sentence ending inside brackets.
_EN_BRACKET_END = re.compile(r"[.!?][)\]\"”’]+\s+(?=[A-Z])")


_WORDY = re.compile(r"[^\W_]")
# "Chapter I." / "Article 12." / "Part IV." alone: the label of what follows, not a sentence.
_EN_LABEL = re.compile(
    r"^(?:Chapter|Section|Article|Part|Title|Book|Division|Subsection|Appendix|Annex|"
    r"Schedule|Paragraph|Item|Rule|Clause|Step|Lesson|Unit|Figure|Fig|Table)\s+"
    r"(?:\d{1,4}(?:-\d{1,4})?|[IVXLC]{1,7}|[A-Z])\.$",
    re.IGNORECASE,
)
_EN_NUMBERED = re.compile(r"\b(?:Vol|Vols|No|Nos|pp?|Art|Ch|Fig|Sec|Ex|Op)\.\s*$")


def _split_en(text: str) -> list[tuple[int, int]]:
    """Sentence bounds of English text: pysbd, placed back on the text by search."""
    bounds: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _pysbd().segment(text):
        piece = sentence.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:  # pysbd changed the text after all: keep what is left as one piece
            break
        if found > cursor and bounds:
            bounds[-1] = (bounds[-1][0], found)
        bounds.append((found if bounds else 0, found + len(piece)))
        cursor = found + len(piece)
    if not bounds:
        return [(0, len(text))] if text else []
    bounds[-1] = (bounds[-1][0], len(text))
    out: list[tuple[int, int]] = []
    for a, b in bounds:
        last = a
        for match in _EN_BRACKET_END.finditer(text, a, b):
            out.append((last, match.end()))
            last = match.end()
        out.append((last, b))
    # pysbd cuts "… 'Koin.'" before its closing quote and "Vol. 33" after the abbreviation:
    # a piece with no letter or digit, or a number after "Vol."/"No.", continues the sentence.
    # "Chapter I." and "Article 3." label the piece after them: "Chapter I. General
    # Provisions" is one heading, "Article 1. This Act aims …" one provision.
    merged: list[tuple[int, int]] = []
    for a, b in out:
        piece = text[a:b].strip()
        if merged and (
            _EN_LABEL.match(text[merged[-1][0] : merged[-1][1]].strip())
            or not _WORDY.search(piece)
            or (
                piece[:1].isdigit()
                and _EN_NUMBERED.search(text, max(0, merged[-1][1] - 16), merged[-1][1])
            )
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged
