"""XLIFF 1.2 and 2.1 bilingual files: written by ``pretranslate``, read by ``merge`` and ``tm import``.

**XLIFF 1.2** (what Trados, memoQ, OmegaT's Okapi filter and Translate Toolkit read most
widely), valid against the OASIS strict schema: one ``<trans-unit>`` per segment, inline
codes as ``<g>`` (pairs) and ``<x/>`` (standalone), the translation in ``<target state=…>``,
TM matches as ``<alt-trans match-quality=…>``, glossary terms as ``<note>``\\ s.

**XLIFF 2.1**, valid against the core schema and the modules it uses: one ``<unit>`` with
one ``<segment state=…>`` per segment, codes as ``<pc>``/``<ph/>``, TM matches in the
Translation Candidates module (``<mtc:match matchQuality=…>``), terms in the Glossary module
(``<gls:glossEntry>``).

A character XML cannot hold (a C0 control such as U+0001 in a text file) is written in 2.1
as the core's ``<cp hex=…/>`` and read back as the character; XLIFF 1.2 has no way to carry
it, so writing 1.2 refuses such a document, naming the segment (2.1 too, for the rare
glossary entry holding one: the Glossary module has no ``<cp>``).

Both carry the original document (base64) and its SHA-256 in the skeleton (1.2
``<skl><internal-file crc=…>``, 2.1 ``<skeleton><tk:document>``), so merging needs nothing
but the translated file. Codes carry no original markup: merging takes it from the
original document, matching tags by id.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Sequence
from typing import Any

from lxml import etree

from taiyaku import __version__
from taiyaku.errors import FormatError
from taiyaku.formats.bilingual import (
    XLIFF1_STATES,
    XLIFF2_STATES,
    BilingualSegment,
    Translated,
    TranslatedSegment,
)
from taiyaku.formats.document import Code, CodeRef, SourceDocument, fingerprint
from taiyaku.formats.files import atomic_write, check_readable

XLIFF1 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
TK = "urn:taiyaku:skeleton"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# XLIFF 1.2 datatype of each document format, and back.
DATATYPES = {
    "html": "html",
    "text": "plaintext",
    "markdown": "x-markdown",
    "docx": "x-docx",
    "xliff": "xml",
}
FORMATS = {value: key for key, value in DATATYPES.items()}


def write_xliff(
    path: str | os.PathLike[str],
    document: SourceDocument,
    segments: Sequence[BilingualSegment],
    *,
    target_lang: str,
    version: str = "1.2",
) -> None:
    """Write the segments of ``document`` as an XLIFF file (through a temporary file).

    :param version: ``1.2`` or ``2.1`` (``2`` and ``2.0`` write 2.1 too)
    """
    root = (
        _xliff1(document, segments, target_lang)
        if version.startswith("1")
        else _xliff2(document, segments, target_lang)
    )
    _indent(root)
    with atomic_write(path) as tmp:
        etree.ElementTree(root).write(os.fspath(tmp), xml_declaration=True, encoding="UTF-8")


# Elements holding text: never indented inside, or the indentation would become text.
_TEXT_ELEMENTS = frozenset(
    "source target note internal-file document term translation definition".split()
)


def _indent(element: Any, level: int = 0) -> None:
    """Indent the structure for people reading the file, never the text of a segment."""
    if etree.QName(element).localname in _TEXT_ELEMENTS or not len(element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        _indent(child, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * level


def _q1(tag: str) -> str:
    return f"{{{XLIFF1}}}{tag}"


def _q2(tag: str, namespace: str = XLIFF2) -> str:
    return f"{{{namespace}}}{tag}"


# One character XML 1.0 cannot hold (outside Char: #x9 | #xA | #xD | [#x20-#xD7FF] | …).
_NOT_XML = re.compile("([\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff])")


def _refuse_unwritable(
    document: SourceDocument, segments: Sequence[BilingualSegment], version: int
) -> None:
    """A character XML cannot hold where the format has no ``<cp>`` for it (anywhere in 1.2;
    in 2.1 the glossary entries and the element name) is one clear error, not a traceback
    or a file with the character lost."""
    if version == 1:
        carry = "XLIFF 1.2 cannot carry"
        advice = "write XLIFF 2 (--xliff-version 2, which has <cp>) or an .xlsx sheet"
    else:
        carry, advice = "XLIFF 2.1 cannot carry there", "write an .xlsx sheet"
    for item in segments:
        texts: list[tuple[str, Sequence[str | Code]]] = []
        if version == 1:
            texts += [("", item.segment.content), ("a translation of ", item.target or ())]
            texts += [("a TM match for ", c.target) for c in item.candidates]
            texts += [("a TM match for ", (c.source,)) for c in item.candidates]
        texts += [("a glossary term of ", (t.source, t.target)) for t in item.terms]
        texts.append(("the element name of ", (item.segment.note,)))
        for what, content in texts:
            for part in content:
                found = _NOT_XML.search(part) if isinstance(part, str) else None
                if found:
                    raise FormatError(
                        document.name,
                        f"{what}segment {item.segment.id} holds U+{ord(found.group()):04X}, "
                        f"a character {carry}: {advice}",
                    )


def _fill(
    element: Any, content: Sequence[str | Code], pair: str, standalone: str, version: int
) -> None:
    """Write text and codes into ``element``: pairs nest as elements, standalones are empty."""
    stack = [element]
    last: Any = None  # the element whose tail receives the next text

    def add_text(text: str) -> None:
        if last is None:
            stack[-1].text = (stack[-1].text or "") + text
        else:
            last.tail = (last.tail or "") + text

    for part in content:
        if isinstance(part, str):
            for piece in _NOT_XML.split(part):
                if _NOT_XML.fullmatch(piece):  # XLIFF 2's <cp/>; 1.2 was refused before
                    last = etree.SubElement(stack[-1], _q2("cp"))
                    last.set("hex", f"{ord(piece):04X}")
                elif piece:
                    add_text(piece)
            continue
        if part.kind == "close":
            last = stack.pop()
            continue
        child = etree.SubElement(stack[-1], pair if part.kind == "open" else standalone)
        child.set("id", part.id)
        if version == 1:
            child.set("ctype", _ctype1(part))
        else:
            child.set("type", part.xliff2_type)
            if part.disp:
                child.set("dispStart" if part.kind == "open" else "disp", part.disp)
        if part.kind == "open":
            stack.append(child)
            last = None
        else:
            last = child


# The ctype values XLIFF 1.2 defines for pairs and for placeholders; any other is "x-" prefixed.
_PAIR_CTYPES = frozenset({"bold", "italic", "underlined", "link"})
_PLACEHOLDER_CTYPES = frozenset({"image", "pb", "lb"})


def _ctype1(code: Code) -> str:
    """The code's ``ctype`` as XLIFF 1.2's strict schema allows it on ``<g>`` or ``<x/>``."""
    allowed = _PLACEHOLDER_CTYPES if code.kind == "ph" else _PAIR_CTYPES
    if code.ctype in allowed or code.ctype.startswith("x-"):
        return code.ctype
    return f"x-{code.ctype}"


def _embedded(document: SourceDocument) -> str:
    return base64.b64encode(document.data).decode("ascii")


def _xliff1(
    document: SourceDocument, segments: Sequence[BilingualSegment], target_lang: str
) -> Any:
    _refuse_unwritable(document, segments, 1)
    root = etree.Element(_q1("xliff"), nsmap={None: XLIFF1})
    root.set("version", "1.2")
    file = etree.SubElement(root, _q1("file"))
    file.set("original", document.name)
    file.set("source-language", document.lang)
    file.set("target-language", target_lang)
    file.set("datatype", DATATYPES[document.format])
    file.set("tool-id", "taiyaku")
    header = etree.SubElement(file, _q1("header"))
    skeleton = etree.SubElement(etree.SubElement(header, _q1("skl")), _q1("internal-file"))
    skeleton.set("form", "base64")
    skeleton.set("crc", document.fingerprint)
    skeleton.text = _embedded(document)
    tool = etree.SubElement(header, _q1("tool"))
    tool.set("tool-id", "taiyaku")
    tool.set("tool-name", "taiyaku")
    tool.set("tool-version", __version__)
    body = etree.SubElement(file, _q1("body"))
    for item in segments:
        unit = etree.SubElement(body, _q1("trans-unit"))
        unit.set("id", item.segment.id)
        unit.set(XML_SPACE, "preserve")
        source = etree.SubElement(unit, _q1("source"))
        source.set(XML_LANG, document.lang)
        _fill(source, item.segment.content, _q1("g"), _q1("x"), 1)
        if item.target is not None:
            target = etree.SubElement(unit, _q1("target"))
            target.set(XML_LANG, target_lang)
            target.set("state", XLIFF1_STATES[item.state])
            qualifier = {
                "exact": "exact-match",
                "context": "exact-match",
                "numbers": "fuzzy-match",
                "repetition": "leveraged-inherited",
            }.get(item.match)
            if qualifier:
                target.set("state-qualifier", qualifier)
            _fill(target, item.target, _q1("g"), _q1("x"), 1)
        if item.segment.note:
            note = etree.SubElement(unit, _q1("note"))
            note.set("from", "taiyaku")
            note.set("annotates", "general")
            note.text = f"Element: {item.segment.note}"
        for term in item.terms:
            note = etree.SubElement(unit, _q1("note"))
            note.set("from", "taiyaku glossary")
            note.set("annotates", "source")
            note.text = f"Term: {term.source} → {term.target} ({term.status})"
        for candidate in item.candidates:
            alt = etree.SubElement(unit, _q1("alt-trans"))
            alt.set("match-quality", f"{candidate.score:g}")
            alt.set("origin", candidate.origin)
            alt_source = etree.SubElement(alt, _q1("source"))
            alt_source.set(XML_LANG, document.lang)
            alt_source.text = candidate.source
            alt_target = etree.SubElement(alt, _q1("target"))
            alt_target.set(XML_LANG, target_lang)
            _fill(alt_target, candidate.target, _q1("g"), _q1("x"), 1)
    return root


def _xliff2(
    document: SourceDocument, segments: Sequence[BilingualSegment], target_lang: str
) -> Any:
    _refuse_unwritable(document, segments, 2)
    uses_matches = any(item.candidates for item in segments)
    uses_glossary = any(item.terms for item in segments)
    nsmap: dict[str | None, str] = {None: XLIFF2}
    if uses_matches:
        nsmap["mtc"] = MTC
    if uses_glossary:
        nsmap["gls"] = GLS
    root = etree.Element(_q2("xliff"), nsmap=nsmap)
    root.set("version", "2.1")
    root.set("srcLang", document.lang)
    root.set("trgLang", target_lang)
    file = etree.SubElement(root, _q2("file"))
    file.set("id", "f1")
    file.set("original", document.name)
    skeleton = etree.SubElement(file, _q2("skeleton"))
    embedded = etree.SubElement(skeleton, _q2("document", TK), nsmap={"tk": TK})
    embedded.set("format", document.format)
    embedded.set("fingerprint", document.fingerprint)
    embedded.text = _embedded(document)
    for item in segments:
        unit = etree.SubElement(file, _q2("unit"))
        unit.set("id", f"u{item.segment.id}")
        if item.segment.note:
            unit.set("name", item.segment.note)
        segment_id = f"s{item.segment.id}"
        if item.candidates:
            matches = etree.SubElement(unit, _q2("matches", MTC))
            for number, candidate in enumerate(item.candidates, 1):
                match = etree.SubElement(matches, _q2("match", MTC))
                match.set("id", f"m{item.segment.id}-{number}")
                match.set("ref", f"#{segment_id}")
                match.set("matchQuality", f"{min(candidate.score, 100):g}")
                match.set("similarity", f"{min(candidate.score, 100):g}")
                match.set("type", "tm")
                match.set("origin", candidate.origin)
                if candidate.score > 100:
                    match.set("subType", "tk:context")
                match_source = etree.SubElement(match, _q2("source"))
                _fill(match_source, (candidate.source,), _q2("pc"), _q2("ph"), 2)
                _fill(
                    etree.SubElement(match, _q2("target")),
                    candidate.target,
                    _q2("pc"),
                    _q2("ph"),
                    2,
                )
        if item.terms:
            glossary = etree.SubElement(unit, _q2("glossary", GLS))
            for term in item.terms:
                entry = etree.SubElement(glossary, _q2("glossEntry", GLS))
                entry.set("ref", f"#{segment_id}")
                term_element = etree.SubElement(entry, _q2("term", GLS))
                term_element.set("source", "taiyaku glossary")
                term_element.text = term.source
                translation = etree.SubElement(entry, _q2("translation", GLS))
                translation.text = term.target
                etree.SubElement(entry, _q2("definition", GLS)).text = f"status: {term.status}"
        segment = etree.SubElement(unit, _q2("segment"))
        segment.set("id", segment_id)
        segment.set("state", XLIFF2_STATES[item.state])
        if item.state == "needs-review":
            segment.set("subState", "tk:needs-review")
        source = etree.SubElement(segment, _q2("source"))
        source.set(XML_SPACE, "preserve")
        _fill(source, item.segment.content, _q2("pc"), _q2("ph"), 2)
        if item.target is not None:
            target = etree.SubElement(segment, _q2("target"))
            target.set(XML_SPACE, "preserve")
            _fill(target, item.target, _q2("pc"), _q2("ph"), 2)
    return root


# --- reading back ------------------------------------------------------------------------------


def parse_xml(path: str | os.PathLike[str]) -> Any:
    """Parse a whole XML file safely (no entities, no DTD, no network)."""
    from taiyaku.formats.xmlsafe import syntax_error

    check_readable(path)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.parse(os.fspath(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise syntax_error(path, error) from None


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def read_translated_xliff(path: str | os.PathLike[str]) -> Translated:
    """Read an XLIFF file that ``pretranslate`` wrote, after translation.

    :raises FormatError: not XLIFF, no embedded document (not written by taiyaku), or a
        translation whose tags do not fit (named by unit)
    """
    root = parse_xml(path)
    name = os.fspath(path)
    if _local(root) != "xliff":
        raise FormatError(name, f"not an XLIFF file (root element <{_local(root)}>)")
    if root.nsmap.get(None) == XLIFF1 or root.tag == _q1("xliff"):
        return _read1(name, root)
    if root.tag == _q2("xliff"):
        return _read2(name, root)
    raise FormatError(name, f"unknown XLIFF namespace {etree.QName(root).namespace!r}")


def _decode_embedded(path: str, text: str | None) -> bytes:
    try:
        return base64.b64decode((text or "").encode("ascii"), validate=False)
    except (ValueError, UnicodeEncodeError):
        raise FormatError(path, "the embedded original document is damaged") from None


def _no_skeleton(path: str) -> FormatError:
    return FormatError(
        path,
        "has no taiyaku skeleton (it was not written by taiyaku pretranslate); "
        "pretranslate it to get a file that merges",
    )


def _read1(path: str, root: Any) -> Translated:
    file = root.find(_q1("file"))
    internal = (
        None if file is None else file.find(f"{_q1('header')}/{_q1('skl')}/{_q1('internal-file')}")
    )
    if internal is None or internal.get("form") != "base64":
        raise _no_skeleton(path)
    states = {value: key for key, value in XLIFF1_STATES.items()}
    segments = []
    for unit in file.iter(_q1("trans-unit")):
        unit_id = unit.get("id", "")
        where = f"trans-unit {unit_id}"
        source = unit.find(_q1("source"))
        target = unit.find(_q1("target"))
        content = None
        state = "new"
        if target is not None:
            content = _read_content(path, where, target, 1)
            state = states.get(target.get("state", "translated"), "translated")
            if not _has_text(content):
                content = None
        segments.append(
            TranslatedSegment(unit_id, _plain(source, path, where), content, state, where)
        )
    return Translated(
        path,
        file.get("original", ""),
        FORMATS.get(file.get("datatype", ""), ""),
        _decode_embedded(path, internal.text),
        internal.get("crc", ""),
        file.get("source-language", ""),
        file.get("target-language", ""),
        segments,
    )


def _read2(path: str, root: Any) -> Translated:
    file = root.find(_q2("file"))
    embedded = None if file is None else file.find(f"{_q2('skeleton')}/{_q2('document', TK)}")
    if embedded is None:
        raise _no_skeleton(path)
    states = {
        "initial": "new",
        "translated": "translated",
        "reviewed": "reviewed",
        "final": "final",
    }
    segments = []
    for unit in file.iter(_q2("unit")):
        for segment in unit.iter(_q2("segment")):
            segment_id = (segment.get("id") or "").removeprefix("s")
            where = f"unit {unit.get('id', '')}"
            target = segment.find(_q2("target"))
            content = None
            if target is not None:
                content = _read_content(path, where, target, 2)
                if not _has_text(content):
                    content = None
            state = states.get(segment.get("state", "initial"), "new")
            if segment.get("subState") == "tk:needs-review":
                state = "needs-review"
            segments.append(
                TranslatedSegment(
                    segment_id,
                    _plain(segment.find(_q2("source")), path, where),
                    content,
                    state,
                    where,
                )
            )
    return Translated(
        path,
        file.get("original", ""),
        embedded.get("format", ""),
        _decode_embedded(path, embedded.text),
        embedded.get("fingerprint", ""),
        root.get("srcLang", ""),
        root.get("trgLang", ""),
        segments,
    )


def _has_text(content: Sequence[Any]) -> bool:
    return any(isinstance(p, str) and p.strip() for p in content)


def _plain(element: Any, path: str, where: str) -> str:
    """The text of a source element, codes left out (text inside pairs kept)."""
    if element is None:
        return ""
    out = [element.text or ""]
    for child in element:
        if _local(child) in ("g", "pc", "mrk"):
            out.append(_plain(child, path, where))
        elif _local(child) == "cp":
            out.append(_code_point(child, path, where))
        out.append(child.tail or "")
    return "".join(out)


def _code_point(element: Any, path: str, where: str) -> str:
    """The character an XLIFF 2 ``<cp hex=…/>`` stands for."""
    try:
        return chr(int(element.get("hex", ""), 16))
    except (ValueError, OverflowError):
        raise FormatError(path, f"<cp hex={element.get('hex')!r}> is no character", where) from None


def _read_content(path: str, where: str, element: Any, version: int) -> tuple[str | CodeRef, ...]:
    """A target's text and tags; ``<sc>``/``<ec>`` and ``<bx>``/``<ex>`` become open/close."""
    out: list[str | CodeRef] = []

    def walk(node: Any) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            tag = _local(child)
            code_id = child.get("id") or child.get("rid") or child.get("startRef") or ""
            if tag in ("g", "pc"):
                out.append(CodeRef("open", code_id))
                walk(child)
                out.append(CodeRef("close", code_id))
            elif tag in ("x", "ph"):
                out.append(CodeRef("ph", code_id))
            elif tag in ("sc", "bx", "bpt"):
                out.append(CodeRef("open", code_id))
            elif tag in ("ec", "ex", "ept"):
                out.append(CodeRef("close", code_id))
            elif tag == "mrk":
                walk(child)
            elif tag == "cp" and version == 2:
                out.append(_code_point(child, path, where))
            elif tag:
                raise FormatError(path, f"unexpected <{tag}> in a translation", where)
            if child.tail:
                out.append(child.tail)

    walk(element)
    return tuple(out)


def embedded_fingerprint_ok(translated: Translated) -> bool:
    """True when the embedded document's bytes match the fingerprint the file gives."""
    return fingerprint(translated.data) == translated.fingerprint
