"""Reading a web page as text: block elements become paragraphs, chrome is dropped.

Headings, paragraphs, list items, table cells and captions each become one block (separated
by a blank line, which :func:`taiyaku.text.segment.split_sentences` treats as a boundary);
``<br>`` becomes a line break inside its block. Scripts, styles, navigation, headers, footers
and forms are dropped. White space is collapsed as a browser would, except that the line
breaks of the HTML source between two Japanese characters are removed, not made spaces.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from taiyaku.errors import FormatError
from taiyaku.text.chars import CJK_TEXT
from taiyaku.text.decode import read_text

BLOCK_TAGS = frozenset(
    "address article aside blockquote caption dd div dl dt figcaption figure footer form h1 h2 "
    "h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead title tr "
    "ul body html".split()
)
DROPPED_TAGS = frozenset(
    "script style noscript template nav header footer aside form button select iframe svg "
    "canvas head".split()
)
DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu"})
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")
_CJK_GAP = re.compile(f"(?<=[{CJK_TEXT}]) (?=[{CJK_TEXT}])")
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)", re.I | re.S
)


def looks_like_html(path: str | os.PathLike[str], text: str) -> bool:
    """True for an ``.html``/``.htm``/``.xhtml`` file or text that begins like HTML."""
    if Path(path).suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    return bool(_HTML_START.match(text[:4096].lstrip("\ufeff")))


def html_to_text(markup: str) -> str:
    """The text of an HTML page, one block per paragraph, blocks separated by blank lines."""
    import lxml.html

    if not markup.strip():
        return ""
    root = lxml.html.document_fromstring(markup)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "".join(current)
        current.clear()
        lines = [_CJK_GAP.sub("", _SPACE.sub(" ", line)).strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append("\n".join(lines))

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in DROPPED_TAGS or (element.get("role") or "").lower() in DROPPED_ROLES:
            if element.tail:
                current.append(_SPACE.sub(" ", element.tail))
            return
        if not tag:  # a comment or processing instruction: keep only its tail
            if element.tail:
                current.append(_SPACE.sub(" ", element.tail))
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if tag == "br":
            current.append("\n")
        if element.text:
            current.append(_SPACE.sub(" ", element.text))
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(_SPACE.sub(" ", element.tail))

    walk(root)
    flush()
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def read_document(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Read a plain-text or HTML document as text (encoding detected, see ``read_text``).

    :raises FormatError: the file is missing or empty, its bytes do not decode, or it holds
        no text
    """
    text = read_text(path, encoding)
    if looks_like_html(path, text):
        try:
            text = html_to_text(text)
        except ValueError as error:  # lxml refuses some inputs (e.g. encoding declarations)
            raise FormatError(path, f"cannot read as HTML ({error})") from None
    if not text.strip():
        raise FormatError(path, "no text in the file (only white space or markup)")
    return text
