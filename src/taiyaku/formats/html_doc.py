"""HTML pages as documents to translate.

Every block element (heading, paragraph, list item, table cell, caption, ``<title>``) with
text is a block of segments; inline elements inside it (``b``, ``i``, ``a``, ``span``,
``ruby``, ``br``, ``img``…) become inline codes. Scripts, styles, ``pre`` and ``code``, form
controls, comments and every attribute except ``alt`` and ``title`` stay in the skeleton
untouched; ``lang`` attributes in the source language are switched to the target language
when merging. White space inside a block is collapsed as a browser would show it. The
finished page is written in UTF-8 (a ``<meta charset>`` says so).
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree

from taiyaku.errors import FormatError
from taiyaku.formats.document import Code, SourceDocument, TextSkeleton, refuse_markers
from taiyaku.text.chars import CJK_TEXT
from taiyaku.text.decode import decode_bytes
from taiyaku.text.lang import detect_lang

INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite data del dfn em font i ins kbd label mark q ruby s samp small "
    "span strike strong sub sup time tt u var".split()
)
VOID_TAGS = frozenset("br img wbr input embed source area".split())
# Elements kept whole as one standalone code inside a sentence, their content untranslated.
OPAQUE_TAGS = frozenset(
    "code script style rt rp svg math textarea select button noscript template object "
    "iframe audio video canvas".split()
)
# Elements left entirely in the skeleton where they stand between blocks.
SKELETON_TAGS = frozenset(
    "script style pre code noscript template svg math textarea select object iframe audio "
    "video canvas".split()
)
TRANSLATABLE_ATTRIBUTES = ("alt", "title")
_CTYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underlined"}
_SPACE = re.compile(r"[ \t\r\n\f]+")
_CJK_GAP = re.compile(f"(?<=[{CJK_TEXT}]) (?=[{CJK_TEXT}])")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_html(name: str, data: bytes) -> SourceDocument:
    """Split an HTML page into segments and a skeleton.

    :param name: the file's name, for messages and the bilingual file
    :param data: the page's bytes (encoding detected)
    :raises FormatError: the page does not decode or parse, or has no text
    """
    import lxml.html

    text = decode_bytes(data, name)
    refuse_markers(name, text)
    # lxml refuses a str that declares its encoding (XHTML's <?xml … encoding=…?>): the text is
    # decoded already, and the page is written back as HTML in UTF-8.
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise FormatError(name, f"cannot read as HTML ({error})") from None
    lang = _page_lang(root)
    reader = _Reader(TextSkeleton(lang))
    reader.element(root)
    tree = root.getroottree()
    reader.skeleton.text = etree.tostring(tree, method="html", encoding="unicode")
    document = reader.skeleton.source_document(
        name,
        "html",
        data,
        escape_text=lambda s: html.escape(s, quote=False),
        escape_attr=lambda s: html.escape(s, quote=True),
    )
    if not document.segments:
        raise FormatError(name, "no text to translate in the page")
    return document


def _page_lang(root: Any) -> str:
    declared = root.get("lang") or root.get(_XML_LANG) or ""
    if declared:
        return "ja" if declared.lower().startswith("ja") else "en"
    return detect_lang(root.text_content()[:5000])


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


class _Reader:
    """One walk over the tree: blocks replaced by markers, codes numbered page-wide."""

    def __init__(self, skeleton: TextSkeleton):
        self.skeleton = skeleton
        self.pairs = 0

    def element(self, element: Any) -> None:
        """Walk a container: its runs of inline content become blocks, its blocks recurse."""
        tag = _tag(element)
        self.attributes(element)
        if tag == "meta":
            self._utf8(element)
        if tag in SKELETON_TAGS:
            return
        parts: list[str | Code] = [self._text(element.text)]
        anchor: Any = None  # None: the run starts in element.text, else in anchor.tail
        taken: list[Any] = []
        for child in list(element):
            child_tag = _tag(child)
            if child_tag and self._is_block(child):
                self._close_run(element, anchor, parts, taken, tag)
                self.element(child)
                anchor, parts, taken = child, [self._text(child.tail)], []
            else:
                parts.extend(self.inline(child))
                taken.append(child)
        self._close_run(element, anchor, parts, taken, tag)

    def _is_block(self, element: Any) -> bool:
        tag = _tag(element)
        if tag in INLINE_TAGS:
            return any(
                _tag(d) not in INLINE_TAGS | VOID_TAGS | OPAQUE_TAGS
                for d in element.iter()
                if d is not element and _tag(d)
            )
        return tag not in VOID_TAGS and tag not in OPAQUE_TAGS

    def _close_run(
        self, element: Any, anchor: Any, parts: list[str | Code], taken: list[Any], note: str
    ) -> None:
        mark = self.skeleton.block(parts, note)
        if mark is None:
            return
        for child in taken:
            element.remove(child)
        if anchor is None:
            element.text = mark
        else:
            anchor.tail = mark

    def inline(self, element: Any) -> list[str | Code]:
        """An inline element (and its tail) as codes and text."""
        tag = _tag(element)
        tail = [self._text(element.tail)]
        self.pairs += 1
        pair = str(self.pairs)
        if not tag:  # a comment or processing instruction
            data = etree.tostring(element, encoding="unicode", with_tail=False)
            return [Code("ph", pair, data, "x-comment", "comment"), *tail]
        self.attributes(element)
        if tag in OPAQUE_TAGS:
            data = etree.tostring(element, method="html", encoding="unicode", with_tail=False)
            return [Code("ph", pair, data, f"x-{tag}", tag), *tail]
        if tag in VOID_TAGS:
            ctype = {"br": "lb", "img": "image"}.get(tag, f"x-{tag}")
            return [Code("ph", pair, _start_tag(element), ctype, tag), *tail]
        ctype = "link" if tag == "a" else _CTYPES.get(tag, f"x-{tag}")
        parts: list[str | Code] = [Code("open", pair, _start_tag(element), ctype, tag)]
        parts.append(self._text(element.text))
        for child in element:
            parts.extend(self.inline(child))
        parts.append(Code("close", pair, f"</{element.tag}>", ctype, tag))
        return [*parts, *tail]

    def attributes(self, element: Any) -> None:
        """Put markers in translatable attributes and in language attributes."""
        tag = _tag(element)
        for name in TRANSLATABLE_ATTRIBUTES:
            value = element.get(name)
            if value:
                mark = self.skeleton.attribute(value, f"{tag} {name}")
                if mark:
                    element.set(name, mark)
        for name in ("lang", _XML_LANG):
            value = element.get(name)
            if value and value.lower().startswith(self.skeleton.lang):
                element.set(name, self.skeleton.lang_attribute(value))

    @staticmethod
    def _utf8(element: Any) -> None:
        if element.get("charset"):
            element.set("charset", "utf-8")
        elif (element.get("http-equiv") or "").lower() == "content-type":
            element.set("content", "text/html; charset=utf-8")

    @staticmethod
    def _text(text: str | None) -> str:
        return _CJK_GAP.sub("", _SPACE.sub(" ", text)) if text else ""


def _start_tag(element: Any) -> str:
    attributes = "".join(
        f' {name}="{html.escape(value, quote=True)}"' for name, value in element.attrib.items()
    )
    return f"<{element.tag}{attributes}>"
