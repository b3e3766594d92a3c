"""Word documents (.docx) as documents to translate, read as Office Open XML with lxml.

Every paragraph (``<w:p>``) of the body, its tables, headers, footers, footnotes and
endnotes is a block. A paragraph's runs become text and inline codes: the run properties
most of its text has are the paragraph's own and cost no code; a run with other properties
(bold, italic, a character style) is a pair of codes around its text, as is a hyperlink; a
line break, tab, picture, field or footnote reference is a standalone code. Merging writes
each segment's text back as runs with those properties, so styles, numbering, tables,
section settings, headers and footers, and every other part of the package stay as they
were. ``w:lang`` values in the source language are switched to the target language.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from typing import Any

from lxml import etree

from taiyaku.errors import FormatError
from taiyaku.formats.document import Code, SourceDocument, TextSkeleton, refuse_markers

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_NS_DECLARATION = re.compile(r' xmlns(?::\w+)?="[^"]*"')
_LANG_TAG = re.compile(r"<w:lang\b[^>]*>")
_CTYPES = {"b": "bold", "i": "italic", "u": "underlined"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def read_docx(name: str, data: bytes) -> SourceDocument:
    """Split a Word document into segments; everything else stays as it is.

    :raises FormatError: not a zip archive, no ``word/document.xml``, XML that does not
        parse, or no text
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        raise FormatError(
            name, f"not a Word document (not a valid .docx archive: {error})"
        ) from None
    if "word/document.xml" not in names:
        raise FormatError(name, "not a Word document (no word/document.xml in the archive)")
    parts = sorted(
        (n for n in names if _PARTS.match(n)), key=lambda n: (n != "word/document.xml", n)
    )
    lang = _document_lang(archive)
    skeleton = TextSkeleton(lang)
    reader = _Reader(skeleton)
    texts: dict[str, str] = {}
    for part in parts:
        try:
            raw = archive.read(part)
            refuse_markers(name, raw.decode("utf-8", "replace"))
            root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
        except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError) as error:
            raise FormatError(name, f"damaged Word document: {part}: {error}") from None
        for paragraph in list(root.iter(_w("p"))):
            if paragraph.getparent() is not None and _inside_run(paragraph):
                continue  # a text box inside a drawing: left as it is
            reader.paragraph(paragraph, part)
        texts[part] = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        ).decode("utf-8")
    joined = "\0".join(texts)
    skeleton.text = "\ufdd2".join(texts.values())
    document = skeleton.source_document(
        name, "docx", data, escape_text=_escape, escape_attr=_escape, emit=_emit
    )
    if not document.segments:
        raise FormatError(name, "no text to translate in the document")
    text_render = document.render

    def render(targets: dict[str, Any], target_lang: str) -> bytes:
        rendered = text_render(targets, target_lang).decode("utf-8").split("\ufdd2")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            finished = dict(zip(joined.split("\0"), rendered, strict=True))
            for info in archive.infolist():
                if info.filename in finished:
                    content = _switch_lang(finished[info.filename], lang, target_lang).encode(
                        "utf-8"
                    )
                elif info.filename == "word/styles.xml":
                    content = _switch_lang(
                        archive.read(info).decode("utf-8"), lang, target_lang
                    ).encode("utf-8")
                else:
                    content = archive.read(info)
                package.writestr(info, content)
        return out.getvalue()

    document.render = render
    return document


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inside_run(paragraph: Any) -> bool:
    parent = paragraph.getparent()
    while parent is not None:
        if parent.tag == _w("r"):
            return True
        parent = parent.getparent()
    return False


def _document_lang(archive: zipfile.ZipFile) -> str:
    from taiyaku.text.lang import detect_lang

    sample = re.sub(rb"<[^>]+>", b"", archive.read("word/document.xml")[:200_000])
    return detect_lang(sample.decode("utf-8", "replace")[:5000])


def _switch_lang(xml: str, source_lang: str, target_lang: str) -> str:
    """``w:lang`` values in the source language become the target language."""
    if not target_lang:
        return xml
    tag = "en-US" if target_lang == "en" else "ja-JP" if target_lang == "ja" else target_lang
    value = re.compile(f'(w:(?:val|eastAsia)=")({source_lang}(?:-[A-Za-z]+)?)(")')
    return _LANG_TAG.sub(
        lambda m: value.sub(lambda v: v.group(1) + tag + v.group(3), m.group(0)), xml
    )


def _xml(element: Any) -> str:
    """An element as XML text, its namespaces left to the part's root, which declares them."""
    return _NS_DECLARATION.sub("", etree.tostring(element, encoding="unicode", with_tail=False))


class _Reader:
    def __init__(self, skeleton: TextSkeleton):
        self.skeleton = skeleton
        self.pairs = 0

    def paragraph(self, paragraph: Any, part: str) -> None:
        """Replace a paragraph's runs by a marker; its pPr stays."""
        children = [c for c in paragraph if c.tag != _w("pPr")]
        if not children:
            return
        base = self._base_properties(paragraph)
        parts: list[str | Code] = []
        for child in children:
            parts.extend(self.inline(child, base))
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        note = style.get(_w("val")) if style is not None else "paragraph"
        if any(a.tag == _w("tc") for a in paragraph.iterancestors()):
            note = "table cell"
        elif not part.endswith("document.xml"):
            note = part.removeprefix("word/").removesuffix(".xml")
        mark = self.skeleton.block(parts, note, base)
        if mark is None:
            return
        for child in children:
            paragraph.remove(child)
        properties = paragraph.find(_w("pPr"))
        if properties is not None:
            properties.tail = mark
        else:
            paragraph.text = mark

    @staticmethod
    def _base_properties(paragraph: Any) -> str:
        """The paragraph's own run properties as XML: none if any text run has none, else
        those most of its text has (a paragraph whose every run says "MS Mincho")."""
        weights: Counter[str] = Counter()
        for run in paragraph.iter(_w("r")):
            properties = run.find(_w("rPr"))
            text = "".join(t.text or "" for t in run.iter(_w("t")))
            weights[_xml(properties) if properties is not None else ""] += len(text)
        if not weights or weights[""]:
            return ""  # plain runs are the paragraph's own; the others are marked up
        return weights.most_common(1)[0][0]

    def inline(self, element: Any, base: str) -> list[str | Code]:
        """A paragraph child as text and codes."""
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        self.pairs += 1
        pair = str(self.pairs)
        if element.tag == _w("r"):
            properties = element.find(_w("rPr"))
            own = _xml(properties) if properties is not None else ""
            body: list[str | Code] = []
            for child in element:
                if child.tag == _w("rPr"):
                    continue
                if child.tag == _w("t"):
                    body.append(child.text or "")
                else:
                    self.pairs += 1
                    kind = etree.QName(child).localname
                    ctype = (
                        "lb"
                        if kind in ("br", "cr")
                        else "image"
                        if kind == "drawing"
                        else f"x-{kind}"
                    )
                    run = f"<w:r>{own}{_xml(child)}</w:r>"
                    body.append(Code("ph", str(self.pairs), run, ctype, kind))
            if own == base or not any(isinstance(p, str) and p for p in body):
                return body
            ctype = next(
                (
                    v
                    for k, v in _CTYPES.items()
                    if properties is not None and properties.find(_w(k)) is not None
                ),
                "x-run",
            )
            return [
                Code("open", pair, own, ctype, "run"),
                *body,
                Code("close", pair, own, ctype, "run"),
            ]
        if element.tag == _w("hyperlink") or tag in ("smartTag", "ins", "fldSimple", "customXml"):
            start = _xml(element)
            start = start[: start.index(">") + 1] if not start.endswith("/>") else start
            if start.endswith("/>"):
                return [Code("ph", pair, start, f"x-{tag}", tag)]
            inner: list[str | Code] = []
            for child in element:
                inner.extend(self.inline(child, base))
            end = f"</{start[1:].split()[0].rstrip('>')}>"
            ctype = "link" if tag == "hyperlink" else f"x-{tag}"
            return [
                Code("open", pair, start, ctype, tag),
                *inner,
                Code("close", pair, end, ctype, tag),
            ]
        return [Code("ph", pair, _xml(element), f"x-{tag or 'other'}", tag)]


def _emit(content: Any, base: str) -> str:
    """A block's content as runs: text takes the innermost run properties open around it."""
    out: list[str] = []
    properties: list[str] = []
    for part in content:
        if isinstance(part, str):
            if part:
                own = properties[-1] if properties else base
                out.append(f'<w:r>{own}<w:t xml:space="preserve">{_escape(part)}</w:t></w:r>')
        elif part.disp == "run":
            if part.kind == "open":
                properties.append(part.data)
            else:
                properties.pop()
        else:
            out.append(part.data)
    return "".join(out)
