"""XLIFF files from other tools (Okapi, Trados, Translate Toolkit, OmegaT) as documents to translate.

The file is its own skeleton: each ``<trans-unit>`` (1.2) or ``<segment>`` (2.x) is one
segment, kept as the other tool segmented it; units marked ``translate="no"`` are left
out. Inline elements become codes whose data is the element itself (``<g>``/``<pc>``/
``<mrk>`` a pair around their text; ``<x/>``, ``<ph>``, ``<bpt>``, ``<sc/>``… standalone), so
merging writes them back exactly. A unit that already has a translation keeps it; merging
writes ``<target>`` only for the segments it has a translation for, with the state
``translated``, and leaves every other element and attribute as the tool wrote it.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from taiyaku.errors import FormatError
from taiyaku.formats.document import (
    Code,
    CodeRef,
    Content,
    DocSegment,
    SourceDocument,
    codes_of,
    numbered,
    refuse_markers,
    resolve_target,
)
from taiyaku.text.lang import detect_lang

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
# XLIFF 1.1 (Translate Toolkit's default) and 1.2 share their structure.
XLIFF1_NAMESPACES = (
    "urn:oasis:names:tc:xliff:document:1.2",
    "urn:oasis:names:tc:xliff:document:1.1",
)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PAIRS = {"g", "pc", "mrk"}


def _parse(name: str, data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise FormatError(name, f"not well-formed XML: {error}") from None
    if etree.QName(root).localname != "xliff" or _namespace(root) not in (
        *XLIFF1_NAMESPACES,
        XLIFF2,
    ):
        raise FormatError(name, "not an XLIFF 1.1, 1.2 or 2.x file")
    return root


def _namespace(root: Any) -> str:
    return etree.QName(root).namespace or ""


def _segments_of(root: Any) -> list[tuple[Any, Any]]:
    """(the element holding source and target, its source) for every translatable segment."""
    ns = _namespace(root)
    if ns != XLIFF2:
        units = root.iter(f"{{{ns}}}trans-unit")
        return [(u, u.find(f"{{{ns}}}source")) for u in units if u.get("translate") != "no"]
    found = []
    for unit in root.iter(f"{{{XLIFF2}}}unit"):
        if unit.get("translate") == "no":
            continue
        for segment in unit.iter(f"{{{XLIFF2}}}segment"):
            found.append((segment, segment.find(f"{{{XLIFF2}}}source")))
    return found


def _serialized(element: Any) -> str:
    return str(etree.tostring(element, encoding="unicode", with_tail=False))


def _content(element: Any, counter: list[int]) -> list[str | Code]:
    """An XLIFF source or target as text and codes (ids as the file gives them)."""
    parts: list[str | Code] = [element.text or ""]
    for child in element:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        counter[0] += 1
        code_id = child.get("id") or f"c{counter[0]}"
        if tag in _PAIRS:
            start = etree.tostring(_shallow(child), encoding="unicode")
            start = start[:-2] + ">" if start.endswith("/>") else start[: start.index(">") + 1]
            end = f"</{start[1:].split()[0].rstrip('>')}>"
            ctype = child.get("ctype") or child.get("type") or f"x-{tag}"
            parts.append(Code("open", code_id, start, ctype, tag))
            parts.extend(_content(child, counter))
            parts.append(Code("close", code_id, end, ctype, tag))
        elif tag:
            parts.append(
                Code("ph", code_id, _serialized(child), child.get("ctype") or f"x-{tag}", tag)
            )
        parts.append(child.tail or "")
    return [p for p in parts if p != ""]


def _shallow(element: Any) -> Any:
    return etree.Element(element.tag, attrib=dict(element.attrib), nsmap=element.nsmap)


def read_xliff_source(name: str, data: bytes) -> SourceDocument:
    """Read an XLIFF 1.2 or 2.x file from another tool as a document to translate.

    :raises FormatError: not XLIFF, or no segment to translate
    """
    root = _parse(name, data)
    refuse_markers(name, data.decode("utf-8", "replace"))
    ns = _namespace(root)
    version1 = ns != XLIFF2
    file = root.find(f"{{{ns}}}file") if version1 else root
    declared = (file.get("source-language") if version1 else root.get("srcLang")) or ""
    segments: list[DocSegment] = []
    for holder, source in _segments_of(root):
        if source is None:
            continue
        counter = [0]
        content = _content(source, counter)
        if not "".join(p for p in content if isinstance(p, str)).strip():
            continue
        number = str(len(segments) + 1)
        renumbered = numbered(tuple(content))  # ids 1, 2, … as taiyaku's bilingual files use
        existing = None
        state = "translated"
        target = holder.find(f"{{{ns}}}target")
        if target is not None and "".join(target.itertext()).strip():
            try:
                existing = resolve_target(
                    name,
                    f"unit {number}",
                    renumbered,
                    _mapped(_content(target, [0]), content, renumbered),
                )
            except FormatError:
                existing = None  # tags the source does not have: offered for translation again
            raw_state = target.get("state") if version1 else holder.get("state")
            state = {"final": "final", "signed-off": "reviewed", "reviewed": "reviewed"}.get(
                raw_state or "", "translated"
            )
        note = (holder.getparent().get("id") if not version1 else holder.get("id")) or ""
        segments.append(DocSegment(number, renumbered, f"unit {note}", existing, state))
    if not segments:
        raise FormatError(name, "no segment to translate in the XLIFF file")
    lang = declared.split("-")[0].lower() or detect_lang(" ".join(s.text for s in segments))
    lang = "ja" if lang == "ja" else "en"

    def render(targets: dict[str, Content], target_lang: str) -> bytes:
        tree = _parse(name, data)
        number = 0
        for holder, source in _segments_of(tree):
            if source is None or not "".join(source.itertext()).strip():
                continue
            number += 1
            content = targets.get(str(number))
            if content is None:
                continue
            markup = "".join(_escape(p) if isinstance(p, str) else p.data for p in content)
            fresh = etree.fromstring(f'<target xmlns="{ns}">{markup}</target>')
            old = holder.find(f"{{{ns}}}target")
            if old is not None:
                fresh.attrib.update({k: v for k, v in old.attrib.items() if k != "state"})
                old.getparent().replace(old, fresh)
            else:
                source.addnext(fresh)
                fresh.tail = source.tail
            if version1:
                fresh.set("state", "translated")
                if target_lang:
                    fresh.set(XML_LANG, target_lang)
            else:
                holder.set("state", "translated")
        if target_lang:
            if version1:
                for file_element in tree.iter(f"{{{ns}}}file"):
                    file_element.set("target-language", target_lang)
            elif not tree.get("trgLang"):
                tree.set("trgLang", target_lang)
        return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))

    return SourceDocument(name, "xliff", lang, data, segments, render)


def _mapped(
    target: list[str | Code], original: list[str | Code], renumbered: Content
) -> tuple[str | CodeRef, ...]:
    """A target's codes named by the renumbered ids of the source codes they match."""
    mapping = {}
    for old, new in zip(codes_of(original), codes_of(renumbered), strict=True):
        mapping[(old.kind, old.id)] = new.id
    return tuple(
        p if isinstance(p, str) else CodeRef(p.kind, mapping.get((p.kind, p.id), f"?{p.id}"))
        for p in target
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
