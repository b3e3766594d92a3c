"""Inline codes: a segment's text with the tags of its original document.

A CAT tool exports a segment such as ``Press <b>OK</b>`` as text and codes
(``Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>``). taiyaku keeps both:
a :data:`~taiyaku.models.Markup` (text runs and :class:`~taiyaku.models.Code` objects, the
codes exactly as read) to write back, and the plain text (:func:`plain_text`) to show,
search and match. Matching compares plain texts, so a code never costs score, and the unit
found carries its markup so the caller can put the codes back.

The plain text must not glue words that a code kept apart: a code that stands for white
space (a line break, a tab, ``<br>``, TMX ``type="lb"``) becomes a space, and so does a
placeholder (``ph``, ``ut``, ``x``) standing between two letters or digits, as in Trados
``This is<ph/>a test`` — unless a neighbour is a wide (Japanese, Chinese) character: those
scripts do not put spaces between words, so ``今<ph>&lt;br/&gt;</ph>OK`` reads ``今OK``. Text inside a span (``hi``, ``g``, ``pc``,
``mrk``) is part of the plain text; native code and ``sub`` flows (the alt text of an
image, say) are not.

The stored form is JSON (:func:`to_json`): a list of strings and
``{"k": kind, "a": [[name, value], ...], "c": [content]}`` objects, so XLIFF codes fit
beside TMX ones without a schema change.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from taiyaku.errors import TaiyakuError
from taiyaku.models import Code, Markup

# Elements whose content is the segment's own text (it belongs to the plain text).
SPANS = frozenset({"hi", "g", "pc", "mrk"})
# Standalone placeholders: between two letters they stand for a word break.
_PLACEHOLDERS = frozenset({"ph", "ut", "x"})
# TMX 1.4b ph/it types and XLIFF ctypes that are breaks (line, page, column).
_BREAK_TYPES = frozenset({"lb", "pb", "cb", "x-lb", "x-br", "x-linebreak", "lf"})
_WHITESPACE_NATIVE = re.compile(
    r"\s+|(?:\s*(?:<br\b[^>]*>|<w:(?:br|cr|tab)\b[^>]*>|<text:(?:line-break|tab|s)\b[^>]*>"
    r"|\\(?:line|tab|par|n|t)\b|\\[nt]|&#(?:9|10|13|x9|xA|xD);|\{\\(?:line|tab|par)\})\s*)+",
    re.IGNORECASE,
)
# The characters XML 1.0 forbids (its Char production's complement), which taiyaku writes
# as <ph type="x-char">U+0001</ph>. Listed, not as a negated class of the allowed ones:
# that took re.compile 10 ms, at the start of every command that reads or writes TMX.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def join(parts: Iterable[str | Code]) -> Markup:
    """The canonical markup of ``parts``: adjacent text runs merged, empty ones dropped."""
    out: list[str | Code] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += part
                continue
        out.append(part)
    return tuple(out)


def has_codes(markup: Markup) -> bool:
    """Whether ``markup`` holds any code (a markup of text alone is just its text)."""
    return any(isinstance(part, Code) for part in markup)


def stands_for_space(code: Code) -> bool:
    """Whether ``code`` stands for white space: a break type, or native code that is a break."""
    if (code.attr("type") or code.attr("ctype") or "").lower() in _BREAK_TYPES:
        return True
    if code.kind in SPANS or code.kind == "sub" or not code.content:
        return False
    native = "".join(part for part in code.content if isinstance(part, str))
    return bool(native) and _WHITESPACE_NATIVE.fullmatch(native) is not None


def plain_text(markup: Markup) -> str:
    """The text of ``markup`` without its codes, words kept apart.

    >>> from taiyaku.models import Code
    >>> plain_text(("This is", Code("ph"), "a test"))
    'This is a test'
    >>> plain_text(("1.", Code("ph", content=("\\t",)), "Confirm"))
    '1. Confirm'
    >>> plain_text(("Press ", Code("hi", content=("OK",)), "."))
    'Press OK.'
    """
    pieces: list[str] = []
    _plain(markup, pieces, [])
    return "".join(pieces)


def _plain(markup: Markup, pieces: list[str], pending: list[Code]) -> None:
    # ``pending`` holds the codes met since the last text, decided when the next text comes.
    for part in markup:
        if isinstance(part, str):
            if pending and pieces and _needs_space(pending, pieces[-1][-1], part[0]):
                pieces.append(" ")
            pending.clear()
            pieces.append(part)
        elif part.kind in SPANS:
            _plain(part.content, pieces, pending)
        else:
            pending.append(part)


def _needs_space(codes: list[Code], before: str, after: str) -> bool:
    if before.isspace() or after.isspace() or _wide(before) or _wide(after):
        return False  # Japanese and Chinese do not separate words with spaces
    if any(stands_for_space(code) for code in codes):
        return True
    placeholder = any(code.kind in _PLACEHOLDERS for code in codes)
    return placeholder and before.isalnum() and after.isalnum()


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


# --- the stored form -------------------------------------------------------------------


def to_json(markup: Markup | None) -> str | None:
    """The stored form of ``markup`` (``None`` stays ``None``)."""
    if markup is None:
        return None
    return json.dumps(_to_plain_data(markup), ensure_ascii=False, separators=(",", ":"))


def _to_plain_data(markup: Markup) -> list[Any]:
    out: list[Any] = []
    for part in markup:
        if isinstance(part, str):
            out.append(part)
            continue
        item: dict[str, Any] = {"k": part.kind}
        if part.attrs:
            item["a"] = [list(pair) for pair in part.attrs]
        if part.content:
            item["c"] = _to_plain_data(part.content)
        out.append(item)
    return out


def from_json(stored: str | None) -> Markup | None:
    """The markup of a stored form written by :func:`to_json`."""
    if stored is None:
        return None
    return _from_plain_data(json.loads(stored))


def _from_plain_data(data: list[Any]) -> Markup:
    return tuple(
        item
        if isinstance(item, str)
        else Code(
            item["k"],
            tuple((name, value) for name, value in item.get("a", ())),
            _from_plain_data(item.get("c", [])),
        )
        for item in data
    )


# --- TMX 1.4b -------------------------------------------------------------------------


def from_tmx(element: Any) -> Markup:
    """The markup of a TMX ``<seg>`` (or any element holding inline content), as read.

    ``<ph type="x-char">U+0001</ph>``, taiyaku's spelling of a character XML forbids, is read
    back as that character. Comments and processing instructions are dropped.
    """
    parts: list[str | Code] = [element.text or ""]
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            if tag == "ph" and child.get("type") == "x-char" and len(child) == 0:
                parts.append(_x_char(child.text))
            else:
                attrs = tuple((str(k), str(v)) for k, v in child.attrib.items())
                parts.append(Code(tag, attrs, from_tmx(child)))
        parts.append(child.tail or "")
    return join(parts)


def _x_char(text: str | None) -> str:
    match = re.fullmatch(r"U\+([0-9A-Fa-f]{1,6})", text or "")
    if not match or int(match[1], 16) > 0x10FFFF:
        return "\ufffd"
    return chr(int(match[1], 16))


def to_tmx(markup: Markup, element: Any) -> None:
    """Write ``markup`` into the empty lxml ``element`` (a ``<seg>``), codes exactly as read.

    A character XML forbids is written as ``<ph type="x-char">U+0001</ph>`` in text that may
    hold codes; inside native code (a ``<bpt>``'s text, say), where no element may stand,
    it stops the export with :class:`~taiyaku.errors.TaiyakuError`.
    """
    from lxml import etree

    native = element.tag not in SPANS and element.tag not in ("seg", "sub")
    last: Any = None
    for part in markup:
        if isinstance(part, Code):
            last = etree.SubElement(element, part.kind, dict(part.attrs))
            to_tmx(part.content, last)
            continue
        pieces = FORBIDDEN.split(part)
        bad = FORBIDDEN.findall(part)
        if bad and native:
            raise TaiyakuError(
                f"TMX cannot hold the control character U+{ord(bad[0]):04X} inside the "
                f"inline code <{element.tag}>"
            )
        last = _append_text(element, last, pieces[0])
        for char, tail in zip(bad, pieces[1:], strict=True):
            last = etree.SubElement(element, "ph", type="x-char")
            last.text = f"U+{ord(char):04X}"
            last = _append_text(element, last, tail)


def _append_text(element: Any, last: Any, text: str) -> Any:
    if last is None:
        element.text = (element.text or "") + text
    else:
        last.tail = (last.tail or "") + text
    return last


def to_tmx_string(markup: Markup) -> str:
    """``markup`` as a TMX inline fragment (the content of a ``<seg>``), for display and JSON.

    >>> from taiyaku.models import Code
    >>> to_tmx_string(("a", Code("ph", (("x", "1"),), ("<br>",)), "b"))
    'a<ph x="1">&lt;br&gt;</ph>b'
    """
    from lxml import etree

    seg = etree.Element("seg")
    to_tmx(markup, seg)
    text = etree.tostring(seg, encoding="unicode")
    return text[len("<seg>") : -len("</seg>")] if text != "<seg/>" else ""
