"""TBX, the termbase exchange format: read TBX v2 and v3 (DCA and DCT), write TBX-Basic v3 DCA.

**Reading** streams the file (:func:`taiyaku.formats.xmlsafe.iterparse_safe`: no entities,
no DTD, no network) and understands both generations:

- TBX v2 / MARTIF (``<martif>``, ``<termEntry>``, ``<langSet>``, ``<tig>`` or ``<ntig>``), as
  written by Translate Toolkit, Weblate, memoQ and MultiTerm;
- TBX v3 / ISO 30042:2019 (``<tbx>``, ``<conceptEntry>``, ``<langSec>``, ``<termSec>``) in
  both styles: DCA (``<termNote type="partOfSpeech">``) and DCT (``<min:partOfSpeech>``).

Each concept gives one entry per Japanese term × English term. Fields: ``domain`` from the
concept's ``subjectField``; ``pos``, ``status`` (``administrativeStatus`` or
``normativeAuthorization``) and ``source`` from the English term, else the Japanese one;
``note`` joins the notes, definitions and untyped ``descrip``s of the concept, the languages
and the two terms (in that order, one per line); ``created``/``changed`` come from
``transacGrp`` origination/modification dates (the English term's, else the concept's).
A concept without both a Japanese and an English term gives nothing. Text is
whitespace-normalised (the pretty-printing of a definition is not content) unless
``xml:space="preserve"`` is in force. Dropped: cross-references, graphics, contexts,
responsibility, customer/project subsets.

**Writing** gives TBX-Basic v3, DCA style: one ``<conceptEntry>`` per Japanese term and
domain, the Japanese ``<termSec>`` and one English ``<termSec>`` per rendering, each
carrying that pair's note, part of speech, status, source and dates. Statuses map to
TBX-Basic's four administrative statuses: preferred ↔ ``preferredTerm-admn-sts``, admitted ↔
``admittedTerm-admn-sts``, deprecated (outdated) ↔ ``supersededTerm-admn-sts``, forbidden (do
not use) ↔ ``deprecatedTerm-admn-sts``. Text with white space that normalisation would change
is written with ``xml:space="preserve"``, so a round trip is exact; a character XML 1.0
cannot hold (most C0 controls) stops the export with an error naming it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from taiyaku import __version__
from taiyaku.errors import FormatError, TaiyakuError
from taiyaku.formats.files import atomic_write
from taiyaku.formats.xmlsafe import iterparse_safe, release
from taiyaku.models import Status, Term
from taiyaku.text.lang import primary_lang

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ENTRY_TAGS = {"termEntry", "conceptEntry"}
_LANG_TAGS = {"langSet", "langSec"}
_TERM_TAGS = {"tig", "ntig", "termSec"}
_FORBIDDEN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

STATUS_TO_TBX = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "supersededTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
_STATUS_FROM_TBX: dict[str, Status] = {
    "preferredterm": "preferred",
    "admittedterm": "admitted",
    "supersededterm": "deprecated",
    "obsoleteterm": "deprecated",
    "notrecommendedterm": "deprecated",
    "deprecatedterm": "forbidden",
    "forbiddenterm": "forbidden",
    "legalterm": "preferred",
    "regulatedterm": "preferred",
    "standardizedterm": "preferred",
}


def _local(element: Any) -> str:
    """The element's name without namespace: ``{urn:…}term`` and ``min:term`` are ``term``.

    An undeclared prefix (``<min:subjectField>`` with no ``xmlns:min``) is only a namespace
    warning to libxml2, which keeps the prefix in the tag; lxml's QName would reject it.
    """
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _text(element: Any) -> str:
    """The element's text (inline markup flattened), whitespace-normalised unless preserved."""
    text = "".join(element.itertext())
    node = element
    while node is not None:
        space = node.get(XML_SPACE)
        if space == "preserve":
            return text
        if space == "default":
            break
        node = node.getparent()
    return " ".join(text.split())


@dataclass
class _Info:
    """Data categories found at one level (concept, language or term)."""

    notes: list[str] = field(default_factory=list)
    pos: str = ""
    status: Status | Literal[""] = ""
    source: str = ""
    domain: str = ""
    created: str = ""
    changed: str = ""


def _category(element: Any) -> tuple[str, str]:
    """(data category, value) of a DCA element (``type=`` attribute) or a DCT element."""
    name = _local(element)
    kind = element.get("type")
    if name in ("termNote", "descrip", "admin", "transac") and kind:
        return kind, _text(element)
    return name, _text(element)


def _collect(path: Any, container: Any, info: _Info, skip: set[str]) -> None:
    """Fill ``info`` from the children of ``container`` (not descending into ``skip`` tags)."""
    for child in container.iterchildren():
        name = _local(child)
        if not name or name in skip:
            continue
        if name == "transacGrp":
            kind = date = ""
            for part in child.iterchildren():
                category, value = _category(part)
                if category in ("transactionType",):
                    kind = value
                elif category == "date":
                    date = value
            if date and kind == "origination" and not info.created:
                info.created = date
            elif date and kind == "modification":
                info.changed = date
            continue
        if name == "descripGrp":
            # A definition with its own source: the source is the definition's, not the term's.
            for part in child.iterchildren():
                category, value = _category(part)
                if value and category in ("definition", "descrip", "explanation"):
                    info.notes.append(value)
            continue
        if name in ("termGrp", "adminGrp", "termNoteGrp"):
            _collect(path, child, info, skip)
            continue
        category, value = _category(child)
        if not value:
            continue
        if category == "partOfSpeech":
            info.pos = value
        elif category in ("administrativeStatus", "normativeAuthorization"):
            status = _STATUS_FROM_TBX.get(value.split("-")[0].lower())
            if status is None:
                raise FormatError(path, f"unknown {category} {value!r}", f"line {child.sourceline}")
            info.status = status
        elif category == "source":
            info.source = value
        elif category == "subjectField":
            info.domain = value
        elif name == "note" or category in ("definition", "descrip", "explanation", "comment"):
            info.notes.append(value)


def _terms_of(path: Any, element: Any) -> Iterator[tuple[str, _Info]]:
    for term_group in element.iterchildren():
        if _local(term_group) not in _TERM_TAGS:
            continue
        term = next((t for t in term_group.iter() if _local(t) == "term"), None)
        if term is None:
            continue
        info = _Info()
        _collect(path, term_group, info, {"term"})
        yield _text(term), info


def root_name(path: str | os.PathLike[str]) -> str:
    """The local name of an XML file's root element (read safely, stopping there)."""
    events = iterparse_safe(path, ("start",))
    try:
        for _, element in events:
            return _local(element)
    finally:
        events.close()  # type: ignore[attr-defined]
    return ""


def read_tbx(
    path: str | os.PathLike[str], *, langs: tuple[str, str] = ("ja", "en")
) -> Iterator[Term]:
    """Yield the Japanese–English entries of a TBX v2 or v3 file, streaming.

    :param langs: the languages read as the ``ja`` and ``en`` sides (another pair, e.g.
        ``("es", "en")``, reads a termbase without Japanese, such as the TBX-Basic samples)
    :raises FormatError: not well-formed XML, not TBX, an unknown status (with line, column)
    """
    root_checked = False
    for event, element in iterparse_safe(path):
        name = _local(element)
        if event == "start":
            if not root_checked:
                root_checked = True
                if name not in ("martif", "tbx"):
                    raise FormatError(path, f"not a TBX file (root element <{name}>)", "line 1")
            continue
        if name in _ENTRY_TAGS:
            yield from _entry_terms(path, element, langs)
            release(element)


def _entry_terms(path: Any, entry: Any, langs: tuple[str, str]) -> Iterator[Term]:
    concept = _Info()
    _collect(path, entry, concept, _LANG_TAGS)
    sides: dict[str, list[tuple[str, _Info, _Info]]] = {langs[0]: [], langs[1]: []}
    for lang_set in entry.iterchildren():
        if _local(lang_set) not in _LANG_TAGS:
            continue
        lang = primary_lang(lang_set.get(XML_LANG) or lang_set.get("lang") or "")
        if lang not in sides:
            continue
        language = _Info()
        _collect(path, lang_set, language, _TERM_TAGS)
        for text, info in _terms_of(path, lang_set):
            sides[lang].append((text, language, info))
    for ja, ja_lang, ja_info in sides[langs[0]]:
        for en, en_lang, en_info in sides[langs[1]]:
            if not ja or not en:
                continue
            notes = [*concept.notes, *ja_lang.notes, *en_lang.notes]
            notes += [*ja_info.notes, *en_info.notes]
            yield Term(
                ja=ja,
                en=en,
                note="\n".join(dict.fromkeys(notes)),
                domain=concept.domain or ja_lang.domain or en_lang.domain,
                pos=en_info.pos or ja_info.pos,
                status=en_info.status or ja_info.status or "preferred",
                source=en_info.source or ja_info.source or concept.source,
                created=en_info.created or concept.created or None,
                changed=en_info.changed or concept.changed or None,
            )


def _xml_text(value: str) -> str:
    """``value`` for an XML text node; a character XML 1.0 cannot hold stops the export.

    Replacing it silently would lose text in a file meant to round-trip; the error names the
    character and the text, so the user can fix the entry or export to XLSX or TSV instead.
    """
    bad = _FORBIDDEN_XML.search(value)
    if bad:
        raise TaiyakuError(
            f"TBX (XML 1.0) cannot hold the control character U+{ord(bad.group()):04X} in "
            f"{value!r}; edit that entry or export to .xlsx or .tsv, which can"
        )
    return value


def _leaf(tag: str, value: str, **attrs: str) -> Any:
    element = etree.Element(tag, attrs)
    value = _xml_text(value)
    element.text = value
    if value != " ".join(value.split()):
        element.set(XML_SPACE, "preserve")
    return element


def _term_sec(term: str, entry: Term | None) -> Any:
    sec = etree.Element("termSec")
    sec.append(_leaf("term", term))
    if entry is None:
        return sec
    if entry.pos:
        sec.append(_leaf("termNote", entry.pos, type="partOfSpeech"))
    sec.append(_leaf("termNote", STATUS_TO_TBX[entry.status], type="administrativeStatus"))
    if entry.source:
        sec.append(_leaf("admin", entry.source, type="source"))
    for kind, date in (("origination", entry.created), ("modification", entry.changed)):
        if date:
            group = etree.SubElement(sec, "transacGrp")
            group.append(_leaf("transac", kind, type="transactionType"))
            group.append(_leaf("date", date))
    if entry.note:
        sec.append(_leaf("note", entry.note))
    return sec


def write_tbx(path: str | os.PathLike[str], terms: Iterable[Term], *, description: str = "") -> int:
    """Write ``terms`` as TBX-Basic v3 (DCA), streaming; return how many entries were written.

    Entries sharing a Japanese term and domain become one concept, so write them
    consecutively (``Glossary.iter_terms`` orders by Japanese term) for the tidiest file.
    """
    count = 0
    header = etree.Element("tbxHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = _xml_text(
        description or f"taiyaku {__version__} glossary export"
    )
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        # Written as text around serialised concepts: lxml's incremental writer would give
        # xml:lang on the root a spurious prefix.
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<tbx xmlns="{TBX_NS}" type="TBX-Basic" style="dca" xml:lang="ja">\n')
        out.write(etree.tostring(header, encoding="unicode") + "\n<text>\n<body>\n")
        for number, group in enumerate(_concepts(terms), start=1):
            out.write(etree.tostring(_concept(group, number), encoding="unicode") + "\n")
            count += len(group)
        out.write("</body>\n</text>\n</tbx>\n")
    return count


def _concepts(terms: Iterable[Term]) -> Iterator[list[Term]]:
    """Group consecutive entries by (Japanese term, domain)."""
    group: list[Term] = []
    for term in terms:
        if group and (group[0].ja, group[0].domain) != (term.ja, term.domain):
            yield group
            group = []
        group.append(term)
    if group:
        yield group


def _concept(group: list[Term], number: int) -> Any:
    concept = etree.Element("conceptEntry", id=f"c{number}")
    if group[0].domain:
        concept.append(_leaf("descrip", group[0].domain, type="subjectField"))
    ja = etree.SubElement(concept, "langSec", {XML_LANG: "ja"})
    ja.append(_term_sec(group[0].ja, None))
    en = etree.SubElement(concept, "langSec", {XML_LANG: "en"})
    for entry in group:
        en.append(_term_sec(entry.en, entry))
    return concept
