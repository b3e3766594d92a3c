"""Documents to translate: translatable segments with inline codes, and the skeleton around them.

A document reader (HTML, Word, Markdown, plain text, XLIFF from another tool) turns a source
file into a :class:`SourceDocument`: the segments a translator sees, and a way to write the
document again with each segment replaced by its translation. The skeleton is never stored
apart from the source: merging re-reads the original bytes (which the bilingual file carries)
and gets the same segments and the same skeleton back, so it only has to check a fingerprint.

Formatting inside a sentence (bold, a link, a Word run's properties, a line break) is an
inline :class:`Code`, not text: the translator sees a tag, the TM is matched on the plain
text, and merging writes the code's original markup where the translation puts the tag.
A paired code (``<b>``…``</b>``) never crosses a segment: where a sentence boundary falls
inside one, the sentences stay one segment.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from taiyaku.errors import FormatError
from taiyaku.models import Code as MarkupCode
from taiyaku.models import Markup
from taiyaku.text.chars import CJK_TEXT_CHAR

KINDS = ("open", "close", "ph")
# Markers the readers put into a skeleton where a block's or an attribute's text goes. They are
# Unicode noncharacters, which no real document holds (a reader refuses one that does).
MARK_START, MARK_END = "\ufdd0", "\ufdd1"
MARKER = re.compile(f"{MARK_START}(\\d+){MARK_END}")
_WRAP = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000]*")


@dataclass(frozen=True)
class Code:
    """An inline code: formatting inside a segment, shown to translators as a tag.

    :param kind: ``open`` and ``close`` (a pair around text) or ``ph`` (standalone)
    :param id: pairs share their id; unique within a segment
    :param data: the original markup, written back as it is when merging
    :param ctype: what it is, in XLIFF 1.2 terms: ``bold``, ``italic``, ``underlined``,
        ``link``, ``lb``, ``image`` or an ``x-`` name
    :param disp: a short label for translators (``b``, ``a``, ``br``)
    """

    kind: str
    id: str
    data: str = ""
    ctype: str = "x-other"
    disp: str = ""

    @property
    def xliff2_type(self) -> str:
        """The XLIFF 2 ``type`` of the code: ``fmt``, ``link``, ``image`` or ``other``."""
        if self.ctype in ("link", "image"):
            return self.ctype
        if self.ctype in ("bold", "italic", "underlined", "lb") or self.ctype.startswith("x-f"):
            return "fmt"
        return "other"


Content = tuple["str | Code", ...]


def plain_text(content: Sequence[str | Code]) -> str:
    """The text of a segment without its codes: what is matched against the TM."""
    return "".join(part for part in content if isinstance(part, str))


def codes_of(content: Sequence[str | Code]) -> list[Code]:
    """The codes of a segment, in order."""
    return [part for part in content if isinstance(part, Code)]


@dataclass(frozen=True)
class DocSegment:
    """One translatable segment of a document.

    :param id: its id in the bilingual file (``1``, ``2``, … in document order)
    :param content: text and inline codes
    :param note: where it is, for translators (``h1``, ``alt``, ``table cell``)
    :param existing: a translation the document already has (XLIFF from another tool)
    :param existing_state: that translation's state (see ``formats.bilingual.STATES``)
    """

    id: str
    content: Content
    note: str = ""
    existing: Content | None = None
    existing_state: str = "translated"

    @property
    def text(self) -> str:
        """The segment's plain text."""
        return plain_text(self.content)


@dataclass
class SourceDocument:
    """A document split into segments, able to write itself with translations.

    :param name: the file name it was read from (no folder)
    :param format: ``html``, ``docx``, ``markdown``, ``text`` or ``xliff``
    :param lang: the source language (``ja`` or ``en``)
    :param data: the original bytes
    :param segments: the segments, in document order
    :param render: writes the document again from ``{segment id: content}``; a segment
        missing from the mapping keeps its source content
    """

    name: str
    format: str
    lang: str
    data: bytes
    segments: list[DocSegment]
    render: Callable[[dict[str, Content], str], bytes]

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the original bytes: what a bilingual file must carry to merge back."""
        return fingerprint(self.data)


def fingerprint(data: bytes) -> str:
    """The fingerprint of a document's bytes (hex SHA-256)."""
    return hashlib.sha256(data).hexdigest()


def refuse_markers(path: str, text: str) -> None:
    """Raise if ``text`` holds the skeleton's marker characters (no real document does)."""
    if MARK_START in text or MARK_END in text:
        raise FormatError(path, "holds the Unicode noncharacters U+FDD0/U+FDD1; cannot read it")


def marker(number: int) -> str:
    """The skeleton marker of block or attribute ``number``."""
    return f"{MARK_START}{number}{MARK_END}"


# --- splitting a block of text and codes into segments ------------------------------------


@dataclass(frozen=True)
class Piece:
    """A stretch of a block: a segment's content, or skeleton between segments.

    :param content: text and codes
    :param segment: True for a segment, False for what stays around it
    """

    content: Content
    segment: bool


def split_block(parts: Sequence[str | Code], lang: str) -> list[Piece]:
    """Split one block (a paragraph, a heading, a cell) into segments and what lies between.

    Sentences come from :func:`taiyaku.text.segment.split_sentences`. A segment never cuts a
    paired code: it starts and ends where no pair is open, and two sentences inside one pair
    stay one segment. White space and standalone codes between sentences stay outside.
    Codes are numbered per segment (``1``, ``2``, …), a pair's close taking its open's id.

    :param parts: the block's text and codes; a pair's ``open`` and ``close`` share an id
    :param lang: the block's language, ``ja`` or ``en``
    """
    from taiyaku.text.segment import split_sentences

    items: list[str | Code] = []
    for part in parts:
        items.extend(part if isinstance(part, str) else [part])
    plain_at = [i for i, item in enumerate(items) if isinstance(item, str)]
    plain = "".join(items[i] for i in plain_at)  # type: ignore[misc]
    if not plain.strip():
        return [Piece(_grouped(items), False)] if items else []
    depth = [0] * (len(items) + 1)
    for i, item in enumerate(items):
        step = 0
        if isinstance(item, Code):
            step = 1 if item.kind == "open" else -1 if item.kind == "close" else 0
        depth[i + 1] = depth[i] + step
    ranges: list[list[int]] = []
    for sentence in split_sentences(plain, lang):
        if not sentence.text.strip():
            continue
        start, end = plain_at[sentence.start], plain_at[sentence.end - 1] + 1
        if ranges and start < ranges[-1][1]:  # a rejoined sentence: keep it whole
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    ranges.sort()
    # Widen each range to where no pair is open; join ranges that cannot be parted.
    spans: list[list[int]] = []
    for start, end in ranges:
        low = start
        while depth[low] != 0:
            low -= 1
        high = end
        while depth[high] != 0:
            high += 1
        if spans and low < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], high)
        else:
            spans.append([low, high])
    pieces: list[Piece] = []
    previous = 0
    for low, high in spans:
        while low < high and isinstance(items[low], str) and items[low].isspace():  # type: ignore[union-attr]
            low += 1
        while high > low and isinstance(items[high - 1], str) and items[high - 1].isspace():  # type: ignore[union-attr]
            high -= 1
        if previous < low:
            pieces.append(Piece(_grouped(items[previous:low]), False))
        pieces.append(Piece(numbered(_grouped(items[low:high], unwrap=True)), True))
        previous = high
    if previous < len(items):
        pieces.append(Piece(_grouped(items[previous:]), False))
    return pieces


def _grouped(items: Sequence[str | Code], *, unwrap: bool = False) -> Content:
    """Join runs of characters into strings; inside a segment, undo soft line wraps."""
    out: list[str | Code] = []
    text: list[str] = []
    for item in items:
        if isinstance(item, str):
            text.append(item)
            continue
        if text:
            out.append("".join(text))
            text = []
        out.append(item)
    if text:
        out.append("".join(text))
    if unwrap:
        out = [_unwrap(p) if isinstance(p, str) else p for p in out]
    return tuple(out)


def _unwrap(text: str) -> str:
    """A line break inside a sentence: nothing between Japanese characters, else a space."""

    def glue(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return "" if CJK_TEXT_CHAR.match(before) or CJK_TEXT_CHAR.match(after) else " "

    return _WRAP.sub(glue, text)


def numbered(content: Content) -> Content:
    """Renumber a segment's codes 1, 2, … in order, each close taking its open's id."""
    out: list[str | Code] = []
    opened: dict[str, list[str]] = {}
    number = 0
    for part in content:
        if isinstance(part, str):
            out.append(part)
        elif part.kind == "close" and opened.get(part.id):
            out.append(replace(part, id=opened[part.id].pop()))
        else:
            number += 1
            if part.kind == "open":
                opened.setdefault(part.id, []).append(str(number))
            out.append(replace(part, id=str(number)))
    return tuple(out)


# --- translations coming back ----------------------------------------------------------------


@dataclass(frozen=True)
class CodeRef:
    """A tag in a translation, naming a code of the source segment by kind and id."""

    kind: str
    id: str


def resolve_target(
    path: str, where: str, source: Content, target: Sequence[str | CodeRef | Code]
) -> Content:
    """Turn a translation's tags into the source segment's codes, checking they fit.

    Codes the translation left out are appended at its end (a pair as an empty pair), so the
    document keeps its structure.

    :param path: the bilingual file, for error messages
    :param where: the place in it (``unit 3``, ``row 5``), for error messages
    :raises FormatError: a tag the source segment does not have, a close before its open,
        an open never closed, or a code used twice
    """
    by_key = {(code.kind, code.id): code for code in codes_of(source)}
    out: list[str | Code] = []
    used: set[tuple[str, str]] = set()
    stack: list[str] = []
    for part in target:
        if isinstance(part, str):
            out.append(part)
            continue
        key = (part.kind, part.id)
        code = by_key.get(key)
        if code is None:
            raise FormatError(
                path, f"the translation has a tag the source has not ({_tag(key)})", where
            )
        if key in used:
            raise FormatError(path, f"the translation uses the tag {_tag(key)} twice", where)
        if part.kind == "open":
            stack.append(part.id)
        elif part.kind == "close":
            if not stack or stack[-1] != part.id:
                raise FormatError(
                    path, f"unbalanced inline codes: {_tag(key)} closes nothing open", where
                )
            stack.pop()
        used.add(key)
        out.append(code)
    if stack:
        raise FormatError(
            path, f"unbalanced inline codes: {_tag(('open', stack[-1]))} is never closed", where
        )
    for code in codes_of(source):
        if (code.kind, code.id) not in used:
            out.append(code)
    return tuple(out)


def _tag(key: tuple[str, str]) -> str:
    kind, code_id = key
    return {"open": f"<{code_id}>", "close": f"</{code_id}>"}.get(kind, f"<{code_id}/>")


def _peel(source: Content) -> tuple[list[Code], list[str | Code], list[Code]]:
    """Split off the pairs that wrap the whole segment: (opens, what is inside, closes)."""
    lead: list[Code] = []
    trail: list[Code] = []
    body = list(source)
    while len(body) >= 2 and isinstance(body[0], Code) and isinstance(body[-1], Code):
        first, last = body[0], body[-1]
        if not (first.kind == "open" and last.kind == "close" and first.id == last.id):
            break
        lead.append(first)
        trail.insert(0, last)
        body = body[1:-1]
    return lead, body, trail


def with_source_codes(source: Content, text: str) -> Content:
    """A TM translation (plain text) dressed in the source segment's codes.

    Codes that wrap the whole source segment wrap the translation; the others follow it, for
    the translator to move (see :func:`wraps_only`).
    """
    lead, body, trail = _peel(source)
    return (*lead, *([text] if text else []), *codes_of(body), *trail)


def wraps_only(source: Content) -> bool:
    """True when no code of ``source`` sits inside its text (all wrap the whole segment)."""
    return not codes_of(_peel(source)[1])


# --- skeletons made of text ------------------------------------------------------------------


@dataclass
class _Slot:
    kind: str  # "block", "attr" or "lang"
    pieces: list[Piece]
    note: str
    value: str = ""  # the original attribute value of a "lang" slot; a block's context


class TextSkeleton:
    """A document as text with markers where translatable text goes.

    Readers of text-based formats (HTML, Markdown, plain text) add slots and put each slot's
    :func:`marker` into the document; :meth:`source_document` then numbers the segments and
    provides the renderer that writes the translations in.

    :param lang: the source language, used to split blocks into sentences
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.text = ""
        self._slots: list[_Slot] = []

    def block(self, parts: Sequence[str | Code], note: str, context: str = "") -> str | None:
        """Add a block of text and codes; return its marker, or None if it has no text.

        :param context: handed to the renderer's ``emit`` with the block's content (Word
            gives the paragraph's run properties)
        """
        if not plain_text(parts).strip():
            return None
        self._slots.append(_Slot("block", split_block(parts, self.lang), note, context))
        return marker(len(self._slots) - 1)

    def attribute(self, value: str, note: str) -> str | None:
        """Add a translatable attribute value (``alt``, ``title``); None if it has no text."""
        if not value.strip():
            return None
        lead = value[: len(value) - len(value.lstrip())]
        trail = value[len(value.rstrip()) :]
        pieces = [Piece((lead,), False)] if lead else []
        pieces.append(Piece((value.strip(),), True))
        if trail:
            pieces.append(Piece((trail,), False))
        self._slots.append(_Slot("attr", pieces, note))
        return marker(len(self._slots) - 1)

    def lang_attribute(self, value: str) -> str:
        """Add a language attribute's value, switched to the target language when merging."""
        self._slots.append(_Slot("lang", [], "", value))
        return marker(len(self._slots) - 1)

    def source_document(
        self,
        name: str,
        fmt: str,
        data: bytes,
        *,
        escape_text: Callable[[str], str],
        escape_attr: Callable[[str], str],
        encode: Callable[[str], bytes] = lambda text: text.encode("utf-8"),
        emit: Callable[[Content, str], str] | None = None,
    ) -> SourceDocument:
        """The segments, numbered in slot order, and a renderer for the finished document.

        :param escape_text: makes text safe in the format's running text
        :param escape_attr: makes text safe in an attribute value
        :param encode: turns the rendered text into the file's bytes
        :param emit: writes a block's content given its context (default: text escaped,
            each code's data as it is)
        """
        segments: list[DocSegment] = []
        ids: list[list[str]] = []
        for slot in self._slots:
            slot_ids = []
            for piece in slot.pieces:
                if piece.segment:
                    segment_id = str(len(segments) + 1)
                    segments.append(DocSegment(segment_id, piece.content, slot.note))
                    slot_ids.append(segment_id)
            ids.append(slot_ids)
        skeleton, slots = self.text, self._slots

        def plain_emit(content: Content, escape: Callable[[str], str]) -> str:
            return "".join(escape(p) if isinstance(p, str) else p.data for p in content)

        def render(targets: dict[str, Content], target_lang: str) -> bytes:
            def fill(found: re.Match[str]) -> str:
                slot = slots[int(found.group(1))]
                if slot.kind == "lang":
                    return target_lang if target_lang else slot.value
                escape = escape_attr if slot.kind == "attr" else escape_text
                numbers = iter(ids[int(found.group(1))])
                out = []
                # Whether the piece just before was a segment, and whether it was translated.
                previous: bool | None = None
                for piece in slot.pieces:
                    content = piece.content
                    if piece.segment:
                        number = next(numbers)
                        translated = number in targets
                        content = targets.get(number, content)
                        # Japanese puts no space between sentences; their translations need one.
                        if (
                            previous is not None
                            and target_lang != "ja"
                            and (previous or translated)
                        ):
                            content = (" ", *content)
                        previous = translated
                    else:
                        previous = None
                    if slot.kind == "attr":  # an attribute holds no codes
                        content = (plain_text(content),)
                    if emit is not None and slot.kind == "block":
                        out.append(emit(content, slot.value))
                    else:
                        out.append(plain_emit(content, escape))
                return "".join(out)

            text = skeleton
            while MARKER.search(text):  # a block's codes may hold attribute markers
                text = MARKER.sub(fill, text)
            return encode(text)

        return SourceDocument(name, fmt, self.lang, data, segments, render)


# --- the TM's inline-code model (taiyaku.models.Code) ------------------------------------------


# XLIFF 1.2 ctypes that TMX 1.4b spells otherwise (TMX ``type`` values), and the TMX types kept.
_TMX_TYPES = {"underlined": "ulined"}
_TMX_PAIR_TYPES = frozenset({"bold", "italic", "ulined", "link", "font", "color", "struct"})
_TMX_PH_TYPES = frozenset({"image", "lb", "pb", "cb", "fnote", "enote", "index", "date", "time"})


def to_markup(content: Sequence[str | Code]) -> Markup:
    """A segment's content in the TM's model, as TMX 1.4b writes it.

    A pair becomes ``<bpt i>``/``<ept i>`` and a standalone code ``<ph x>``, each holding the
    original markup as native code, as Trados and Okapi export them; the ids are the
    segment's, so a translation found in the TM again can put its tags back on a segment
    with the same codes (:func:`refs_from_markup`).
    """
    out: list[str | MarkupCode] = []
    for part in content:
        if isinstance(part, str):
            out.append(part)
            continue
        native = (MARKER.sub("", part.data),) if part.data else ()
        kind = _TMX_TYPES.get(part.ctype, part.ctype)
        if part.kind == "open":
            tmx_type = kind if kind in _TMX_PAIR_TYPES or kind.startswith("x-") else f"x-{kind}"
            out.append(MarkupCode("bpt", (("i", part.id), ("type", tmx_type)), native))
        elif part.kind == "close":
            out.append(MarkupCode("ept", (("i", part.id),), native))
        else:
            tmx_type = kind if kind in _TMX_PH_TYPES or kind.startswith("x-") else f"x-{kind}"
            out.append(MarkupCode("ph", (("x", part.id), ("type", tmx_type)), native))
    return tuple(out)


def refs_from_markup(markup: Sequence[str | MarkupCode]) -> tuple[str | CodeRef, ...] | None:
    """A TM markup's codes as tags naming a segment's codes by id; None for codes it cannot name.

    Reads what :func:`to_markup` writes (``bpt``/``ept`` by ``i``, ``ph`` by ``x``) and XLIFF's
    ``<g id>``/``<x id/>``.
    """
    out: list[str | CodeRef] = []
    for part in markup:
        if isinstance(part, str):
            out.append(part)
        elif part.kind == "bpt" and part.attr("i"):
            out.append(CodeRef("open", part.attr("i") or ""))
        elif part.kind == "ept" and part.attr("i"):
            out.append(CodeRef("close", part.attr("i") or ""))
        elif part.kind in ("ph", "x") and (part.attr("x") or part.attr("id")):
            out.append(CodeRef("ph", part.attr("x") or part.attr("id") or ""))
        elif part.kind == "g" and part.attr("id"):
            inner = refs_from_markup(part.content)
            if inner is None:
                return None
            code_id = part.attr("id") or ""
            out.extend((CodeRef("open", code_id), *inner, CodeRef("close", code_id)))
        else:
            return None
    return tuple(out)
