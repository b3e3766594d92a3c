"""TBX, the termbase exchange format: read TBX v2 and v3 (DCA and DCT), write TBX-Basic v3 or v2.

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

**Writing** gives TBX-Basic v3, DCA style (valid against TBXcoreStructV03.rng and the
TBX-Basic DCA Schematron), or with ``version=2`` TBX-Basic v2 (``<martif>``, ``<termEntry>``,
``<langSet>``, ``<tig>``), which OmegaT and Translate Toolkit read. One concept per Japanese
term and domain, the Japanese term and one English term per rendering, each carrying that
pair's part of speech, status, source, dates and note. Statuses map to TBX-Basic's four
administrative statuses: preferred ↔ ``preferredTerm-admn-sts``, admitted ↔
``admittedTerm-admn-sts``, deprecated (outdated) ↔ ``supersededTerm-admn-sts``, forbidden (do
not use) ↔ ``deprecatedTerm-admn-sts``. A part of speech is mapped to TBX-Basic's picklist
(noun, verb, adjective, adverb, other; ``名詞`` → ``noun``) or, when it maps to none, written
as a ``partOfSpeech: …`` note line that taiyaku reads back as the part of speech. Dates are
written as the ``xs:date`` the schema requires (the time of day is dropped); one that is
not a date is left out with a warning. TBX has no ``xml:space`` on ``<note>``: a note is
written one ``<note>`` per line, and read back joined by line breaks (blank lines and runs
of spaces do not survive). A character XML 1.0 cannot hold (most C0 controls) stops the
export with an error naming it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from taiyaku import __version__
from taiyaku.errors import FormatError, TaiyakuError
from taiyaku.formats.files import atomic_write
from taiyaku.formats.inline import FORBIDDEN
from taiyaku.formats.xmlsafe import iterparse_safe, release
from taiyaku.models import Status, Term
from taiyaku.text.lang import primary_lang

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ENTRY_TAGS = {"termEntry", "conceptEntry"}
_LANG_TAGS = {"langSet", "langSec"}
_TERM_TAGS = {"tig", "ntig", "termSec"}

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
                info.created = _iso_date(date)
            elif date and kind == "modification":
                info.changed = _iso_date(date)
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
        elif name == "note" and value.startswith(POS_NOTE) and not info.pos:
            info.pos = value[len(POS_NOTE) :]
        elif name == "note" or category in ("definition", "descrip", "explanation", "comment"):
            info.notes.append(value)


def _iso_date(date: str) -> str:
    """TMX-style ``20010430T112118Z`` (and SDLX's ``20010430T11:21:18Z``) in ISO 8601 form.

    Other values are kept as they are: an import keeps what the file says.
    """
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T(\d\d):?(\d\d):?(\d\d)(Z?)", date.strip())
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}{m[7]}" if m else date


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
    path: str | os.PathLike[str],
    *,
    langs: tuple[str, str] = ("ja", "en"),
    warn: Callable[[str], None] | None = None,
) -> Iterator[Term]:
    """Yield the Japanese–English entries of a TBX v2 or v3 file, streaming.

    :param langs: the languages read as the ``ja`` and ``en`` sides (another pair, e.g.
        ``("es", "en")``, reads a termbase without Japanese, such as the TBX-Basic samples)
    :param warn: told, at the end, how many concepts were skipped for lacking a term on
        one side
    :raises FormatError: not well-formed XML, not TBX, an unknown status (with line, column);
        a termbase with terms but none in ``langs`` (naming the languages it has)
    """
    root_checked = False
    seen: set[str] = set()
    found = skipped = 0
    for event, element in iterparse_safe(path):
        name = _local(element)
        if event == "start":
            if not root_checked:
                root_checked = True
                if name not in ("martif", "tbx"):
                    raise FormatError(path, f"not a TBX file (root element <{name}>)", "line 1")
            continue
        if name in _LANG_TAGS:
            seen.add(primary_lang(element.get(XML_LANG) or element.get("lang") or ""))
        elif name in _ENTRY_TAGS:
            produced = False
            for term in _entry_terms(path, element, langs):
                produced = True
                found += 1
                yield term
            skipped += not produced
            release(element)
    if not found and seen and not {langs[0], langs[1]} <= seen:
        raise FormatError(
            path,
            f"no {langs[0]}–{langs[1]} entries: the termbase's languages are "
            f"{', '.join(sorted(seen))}; to import another pair, say which with --src-lang "
            "and --tgt-lang",
        )
    if skipped and warn is not None:
        warn(
            f"{os.fspath(path)}: {skipped:,} concept(s) without both a {langs[0]} and a "
            f"{langs[1]} term skipped"
        )


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
    bad = FORBIDDEN.search(value)
    if bad:
        raise TaiyakuError(
            f"TBX (XML 1.0) cannot hold the control character U+{ord(bad.group()):04X} in "
            f"{value!r}; edit that entry or export to .xlsx or .tsv, which can"
        )
    return value


def _leaf(tag: str, value: str, **attrs: str) -> Any:
    element = etree.Element(tag, attrs)
    element.text = _xml_text(value)
    return element


# TBX-Basic's partOfSpeech picklist, and the spellings taken for each value.
_POS_PICKLIST = {
    "noun": {"noun", "n", "n.", "nn", "名詞", "普通名詞", "サ変名詞", "名"},
    "verb": {"verb", "v", "v.", "vb", "動詞", "動"},
    "adjective": {"adjective", "adj", "adj.", "a", "形容詞", "形容動詞", "形"},
    "adverb": {"adverb", "adv", "adv.", "副詞", "副"},
    "other": {"other"},
}
_POS_OF = {spelling: value for value, spellings in _POS_PICKLIST.items() for spelling in spellings}
# A part of speech outside the picklist travels as a note line with this prefix.
POS_NOTE = "partOfSpeech: "


def picklist_pos(pos: str) -> str | None:
    """TBX-Basic's picklist value for ``pos`` (``名詞`` → ``noun``), or ``None``."""
    return _POS_OF.get(" ".join(pos.split()).lower())


def tbx_date(value: str) -> str | None:
    """``value`` as the ``xs:date`` TBX requires (``2024-01-02``), or ``None`` if unreadable.

    Takes ISO 8601 dates and date-times, TMX's ``20240102T030405Z`` and the malformed
    ``20010430T11:21:18Z`` some SDLX exports carry.

    >>> tbx_date("20010430T11:21:18Z"), tbx_date("2024-01-02T03:04:05Z"), tbx_date("soon")
    ('2001-04-30', '2024-01-02', None)
    """
    import datetime

    match = re.match(r"\s*(\d{4})-?(\d\d)-?(\d\d)(?:$|[T\s])", value)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _term_sec(term: str, entry: Term | None, tag: str, warn: Warn | None) -> Any:
    sec = etree.Element(tag)
    sec.append(_leaf("term", term))
    if entry is None:
        return sec
    pos = picklist_pos(entry.pos) if entry.pos else None
    if pos:
        sec.append(_leaf("termNote", pos, type="partOfSpeech"))
    sec.append(_leaf("termNote", STATUS_TO_TBX[entry.status], type="administrativeStatus"))
    if entry.source:
        sec.append(_leaf("admin", entry.source, type="source"))
    for kind, date in (("origination", entry.created), ("modification", entry.changed)):
        if not date:
            continue
        day = tbx_date(date)
        if day is None:
            if warn:
                warn(f"{entry.ja} → {entry.en}: the {kind} date {date!r} is not a date; left out")
            continue
        group = etree.SubElement(sec, "transacGrp")
        group.append(_leaf("transac", kind, type="transactionType"))
        group.append(_leaf("date", day))
    lines = entry.note.split("\n") if entry.note else []
    if entry.pos and not pos:
        lines.append(POS_NOTE + entry.pos)
    # TBX has no xml:space on <note>: each line of a note is a <note> of its own.
    for line in lines:
        if line.strip():
            sec.append(_leaf("note", line))
    return sec


Warn = Callable[[str], None]


def write_tbx(
    path: str | os.PathLike[str],
    terms: Iterable[Term],
    *,
    description: str = "",
    version: int = 3,
    warn: Warn | None = None,
) -> int:
    """Write ``terms`` as TBX-Basic, streaming; return how many entries were written.

    Entries sharing a Japanese term and domain become one concept, so write them
    consecutively (``Glossary.iter_terms`` orders by Japanese term) for the tidiest file.

    :param version: 3 (ISO 30042:2019, ``<tbx>``, DCA style) or 2 (``<martif>``, the TBX-Basic
        of 2008 that OmegaT and Translate Toolkit read)
    :param warn: called with a message for each date left out because it is not a date
    """
    if version not in (2, 3):
        raise TaiyakuError(f"TBX version must be 2 or 3, not {version}")
    names = _V3 if version == 3 else _V2
    count = 0
    header = etree.Element(names["header"])
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = _xml_text(
        description or f"taiyaku {__version__} glossary export"
    )
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        # Written as text around serialised concepts: lxml's incremental writer would give
        # xml:lang on the root a spurious prefix.
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(names["root"] + "\n")
        out.write(etree.tostring(header, encoding="unicode") + "\n<text>\n<body>\n")
        for number, group in enumerate(_concepts(terms), start=1):
            concept = _concept(group, number, names, warn)
            out.write(etree.tostring(concept, encoding="unicode") + "\n")
            count += len(group)
        out.write(f"</body>\n</text>\n</{names['end']}>\n")
    return count


_V3 = {
    "root": f'<tbx xmlns="{TBX_NS}" type="TBX-Basic" style="dca" xml:lang="ja">',
    "end": "tbx",
    "header": "tbxHeader",
    "concept": "conceptEntry",
    "lang": "langSec",
    "term": "termSec",
}
_V2 = {
    "root": '<martif type="TBX-Basic" xml:lang="ja">',
    "end": "martif",
    "header": "martifHeader",
    "concept": "termEntry",
    "lang": "langSet",
    "term": "tig",
}


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


def _concept(group: list[Term], number: int, names: dict[str, str], warn: Warn | None) -> Any:
    concept = etree.Element(names["concept"], id=f"c{number}")
    if group[0].domain:
        concept.append(_leaf("descrip", group[0].domain, type="subjectField"))
    ja = etree.SubElement(concept, names["lang"], {XML_LANG: "ja"})
    ja.append(_term_sec(group[0].ja, None, names["term"], warn))
    en = etree.SubElement(concept, names["lang"], {XML_LANG: "en"})
    for entry in group:
        en.append(_term_sec(entry.en, entry, names["term"], warn))
    return concept
