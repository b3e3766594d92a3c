"""TMX, the translation-memory exchange format: read 1.1–1.4b, write 1.4b.

**Reading** streams the file with lxml ``iterparse`` (a million units in constant memory),
with entity resolution, DTD loading and network access off. The languages of a ``<tuv>`` come
from ``xml:lang`` or, in TMX 1.1–1.3 files such as OmegaT's ``project_save.tmx``, ``lang``.
The header's ``srclang`` picks the source variant; every other variant becomes a target, so a
multilingual ``<tu>`` gives one unit per target language. A ``<tu>`` with a single language is
skipped with a warning. Inline codes (``<bpt>``, ``<ept>``, ``<it>``, ``<ph>``, ``<ut>``,
``<hi>``, ``<sub>``) are kept as the unit's markup, exactly as read, beside its plain text
(see :mod:`taiyaku.formats.inline`), and written back unchanged. ``<prop>``s and the ``tuid``/``creationid``/``changeid`` attributes go into the
unit's metadata; the ``x-origin``, ``x-document``, ``x-position``, ``x-confidence`` and
``x-bead`` props that taiyaku writes come back as the unit's own fields.

**Writing** gives valid TMX 1.4b: the header's required attributes, ``xml:lang`` on every
variant, ``creationdate``/``changedate`` in TMX's ``YYYYMMDDThhmmssZ`` form. Characters that
XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) cannot appear in an XML document at all,
not even as character references; taiyaku writes each as ``<ph type="x-char">U+0001</ph>``
and reads that back as the character, so the round trip is exact.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lxml import etree

from taiyaku import __version__
from taiyaku.errors import FormatError, TaiyakuError
from taiyaku.formats.background import read_in_child, worth_a_process
from taiyaku.formats.files import atomic_write
from taiyaku.formats.inline import FORBIDDEN, from_tmx, has_codes, plain_text, to_tmx
from taiyaku.formats.xmlsafe import iterparse_safe, release
from taiyaku.models import ORIGINS, Annotation, Markup, Unit
from taiyaku.text.lang import normalize_lang_tag, primary_lang

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_OWN_PROPS = {"x-origin", "x-document", "x-position", "x-confidence", "x-bead"}
_TU_ATTRS = ("tuid", "creationid", "changeid")
# Attributes a unit holds in its own fields, not as annotations.
_UNIT_ATTRS = frozenset({"creationdate", "changedate", "srclang"})
_TUV_ATTRS = frozenset({XML_LANG, "lang"})

Warn = Callable[[str], None]


def read_tmx(path: str | os.PathLike[str], *, warn: Warn | None = None) -> Iterator[Unit]:
    """Yield the units of a TMX file, streaming.

    :param warn: called with a message for each ``<tu>`` skipped (fewer than two languages)
    :raises FormatError: not well-formed XML, not TMX, no ``srclang``; the message names
        the line and column
    """
    for _, unit in read_tmx_lines(path, warn=warn):
        yield unit


def read_tmx_lines(
    path: str | os.PathLike[str], *, warn: Warn | None = None
) -> Iterator[tuple[int, Unit]]:
    """Like :func:`read_tmx`, each unit with the line its ``<tu>`` starts on.

    A large file is parsed in a second process (:mod:`taiyaku.formats.background`).
    """
    if worth_a_process(path):
        yield from read_in_child(functools.partial(_read_tmx_lines, path), warn)
    else:
        yield from _read_tmx_lines(path, warn)


def _read_tmx_lines(path: str | os.PathLike[str], warn: Warn | None) -> Iterator[tuple[int, Unit]]:
    srclang: str | None = None
    started = False
    events = iterparse_safe(path, ("start", "end"), tags=("tmx", "header", "body", "tu"))
    for event, element in events:
        tag = element.tag
        if not started:
            started = True
            if tag != "tmx":
                root = element.getroottree().getroot().tag
                raise FormatError(path, f"not a TMX file (root element <{root}>)", "line 1")
        if event == "start":
            if tag == "header":
                srclang = element.get("srclang")
                if not srclang:
                    raise FormatError(
                        path, "the TMX header has no srclang", f"line {element.sourceline}"
                    )
            elif tag == "body" and srclang is None:
                raise FormatError(path, "no <header> before <body>", f"line {element.sourceline}")
        elif tag == "tu":
            line = element.sourceline
            for unit in _units_of_tu(path, element, srclang or "*all*", warn):
                yield line, unit
            release(element)
    if srclang is None:
        raise FormatError(path, "not a TMX file (no <header>)")


def _units_of_tu(path: Any, tu: Any, srclang: str, warn: Warn | None) -> Iterator[Unit]:
    variants: list[tuple[str, tuple[str, Markup | None], Any]] = []
    for tuv in tu:  # a loop over the children: lxml's iterchildren(tag) and find are slower
        if tuv.tag != "tuv":
            continue
        lang = tuv.get(XML_LANG) or tuv.get("lang")
        seg = _first_child(tuv, "seg")
        if not lang or seg is None:
            raise FormatError(
                path, "a <tuv> without a language or a <seg>", f"line {tuv.sourceline}"
            )
        variants.append((normalize_lang_tag(lang), _seg_content(seg), tuv))
    source_index = _source_index([v[0] for v in variants], tu.get("srclang") or srclang)
    if source_index is None or len(variants) < 2:
        if warn:
            name = tu.get("tuid")
            label = f"<tu tuid={name!r}>" if name else "<tu>"
            langs = ", ".join(v[0] for v in variants) or "none"
            warn(
                f"{os.fspath(path)}: line {tu.sourceline}: {label} has no pair of languages "
                f"with source {tu.get('srclang') or srclang} ({langs}); skipped"
            )
        return
    source_lang, (source_text, source_markup), source_tuv = variants[source_index]
    fields = _tu_fields(tu)
    shared = fields.pop("annotations") + _annotations(source_tuv, "source")
    for index, (lang, (text, markup), tuv) in enumerate(variants):
        if index == source_index:
            continue
        # The dates are the <tu>'s; those OmegaT puts on the <tuv> stay there (annotations).
        yield Unit(
            source_text=source_text,
            target_text=text,
            source_lang=source_lang,
            target_lang=lang,
            source_markup=source_markup,
            target_markup=markup,
            annotations=shared + _annotations(tuv, "target"),
            **fields,
        )


def _source_index(langs: list[str], srclang: str) -> int | None:
    """The index of the variant in ``srclang``: exact tag first, then the same language."""
    if srclang == "*all*":
        return 0 if langs else None
    for index, lang in enumerate(langs):
        if lang.lower() == srclang.lower():
            return index
    for index, lang in enumerate(langs):
        if primary_lang(lang) == primary_lang(srclang):
            return index
    return None


def _tu_fields(tu: Any) -> dict[str, Any]:
    own: dict[str, str] = {}
    annotations = _annotations(tu, "unit", own)
    origin = own.get("x-origin", "imported")
    position = own.get("x-position")
    confidence = own.get("x-confidence")
    return {
        "origin": origin if origin in ORIGINS else "imported",
        "document": own.get("x-document") or None,
        "position": int(position) if position and position.lstrip("-").isdigit() else None,
        "confidence": float(confidence) if confidence else None,
        "bead": own.get("x-bead") or None,
        "created": _iso_date(tu.get("creationdate")),
        "changed": _iso_date(tu.get("changedate")),
        "annotations": annotations,
    }


def _annotations(
    element: Any, on: str, own: dict[str, str] | None = None
) -> tuple[Annotation, ...]:
    """The attributes, ``<note>``s and ``<prop>``s of a ``<tu>`` or ``<tuv>``, in order.

    Left out: what the unit holds in its own fields (the ``<tu>``'s dates and ``srclang``, a
    ``<tuv>``'s language, taiyaku's ``x-origin``... props).

    :param own: receives the texts of taiyaku's own props of a ``<tu>``, by type
    """
    skip = _UNIT_ATTRS if on == "unit" else _TUV_ATTRS
    if on != "unit" and len(element) == 1 and all(name in skip for name in element.keys()):
        return ()  # the usual <tuv xml:lang="..."><seg>: nothing but its language and text
    found = [
        Annotation("attr", value, name, on=on)
        for name, value in element.items()
        if name not in skip
    ]
    for child in element:
        tag = child.tag  # (each read of .tag makes a new string)
        if tag != "note" and tag != "prop":
            continue
        kind = child.get("type", "")
        if tag == "prop" and on == "unit" and kind in _OWN_PROPS:
            if own is not None:
                own[kind] = child.text or ""
            continue
        attrs = tuple((k, v) for k, v in child.items() if k != "type")
        found.append(Annotation(tag, child.text or "", kind, attrs, on))
    return tuple(found)


def _first_child(element: Any, tag: str) -> Any:
    """The first child ``<tag>`` (no namespace) of ``element``, or ``None``: at a million
    ``<tuv>``s, a few seconds less than ``element.find(tag)``."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def _seg_content(seg: Any) -> tuple[str, Markup | None]:
    """The plain text of a ``<seg>`` and its markup (``None`` when it has no codes)."""
    if not len(seg):
        return seg.text or "", None  # text alone, as most segments are
    markup = from_tmx(seg)
    if not has_codes(markup):
        return "".join(markup), None  # type: ignore[arg-type]
    return plain_text(markup), markup


def _iso_date(tmx_date: str | None) -> str | None:
    """``20231130T101500Z`` → ``2023-11-30T10:15:00Z``; other forms are kept as they are."""
    if not tmx_date:
        return None
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z", tmx_date)
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}Z" if m else tmx_date


def _tmx_date(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z", iso)
    return f"{m[1]}{m[2]}{m[3]}T{m[4]}{m[5]}{m[6]}Z" if m else iso


def write_tmx(
    path: str | os.PathLike[str], units: Iterable[Unit], *, srclang: str | None = None
) -> int:
    """Write ``units`` as TMX 1.4b, streaming; return the number written.

    :param srclang: the header's ``srclang``; by default the first unit's source language.
        A unit with another source language carries its own ``srclang`` attribute.
    """
    from taiyaku.models import now_iso

    iterator = iter(units)
    first = next(iterator, None)
    header_src = srclang or (first.source_lang if first else "*all*")
    count = 0
    with atomic_write(path) as tmp, etree.xmlfile(os.fspath(tmp), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(
                etree.Element(
                    "header",
                    {
                        "creationtool": "taiyaku",
                        "creationtoolversion": __version__,
                        "segtype": "sentence",
                        "o-tmf": "taiyaku",
                        "adminlang": "en",
                        "srclang": header_src,
                        "datatype": "plaintext",
                        "creationdate": _tmx_date(now_iso()),
                    },
                )
            )
            xf.write("\n")
            with xf.element("body"):
                xf.write("\n")
                for unit in _chain(first, iterator):
                    xf.write(_tu_element(unit, header_src))
                    xf.write("\n")
                    count += 1
            xf.write("\n")
    return count


def _chain(first: Unit | None, rest: Iterator[Unit]) -> Iterator[Unit]:
    if first is not None:
        yield first
        yield from rest


def _tu_element(unit: Unit, header_src: str) -> Any:
    attrs = {}
    if unit.created:
        attrs["creationdate"] = _tmx_date(unit.created)
    if unit.changed:
        attrs["changedate"] = _tmx_date(unit.changed)
    if unit.source_lang.lower() != header_src.lower():
        attrs["srclang"] = unit.source_lang
    sides: dict[str, list[Annotation]] = {"unit": [], "source": [], "target": []}
    for note in unit.annotations:
        sides.get(note.on, sides["unit"]).append(note)
    attrs.update(_attributes(sides["unit"]))
    metadata = dict(unit.metadata)
    for name in _TU_ATTRS:
        value = metadata.get(name)
        if isinstance(value, str) and not FORBIDDEN.search(value) and name not in attrs:
            attrs[name] = metadata.pop(name)
    tu = etree.Element("tu", attrs)
    _add_notes(tu, sides["unit"])
    props: list[tuple[str, str]] = [("x-origin", unit.origin)]
    if unit.document is not None:
        props.append(("x-document", unit.document))
    if unit.position is not None:
        props.append(("x-position", str(unit.position)))
    if unit.confidence is not None:
        props.append(("x-confidence", repr(unit.confidence)))
    if unit.bead:
        props.append(("x-bead", unit.bead))
    for key, value in metadata.items():
        for item in value if isinstance(value, list) else [value]:
            props.append((key, item if isinstance(item, str) else str(item)))
    for kind, value in props:
        prop = etree.SubElement(tu, "prop", type=_xml_safe(kind))
        prop.text = _xml_safe(value)
    for lang, text, markup, side in (
        (unit.source_lang, unit.source_text, unit.source_markup, sides["source"]),
        (unit.target_lang, unit.target_text, unit.target_markup, sides["target"]),
    ):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang, **_attributes(side)})
        _add_notes(tuv, side)
        to_tmx(markup if markup is not None else (text,), etree.SubElement(tuv, "seg"))
    return tu


def _attributes(notes: list[Annotation]) -> dict[str, str]:
    return {_xml_safe(n.type): _xml_safe(n.text) for n in notes if n.kind == "attr"}


def _add_notes(parent: Any, notes: list[Annotation]) -> None:
    """Append ``notes``' ``<note>``s and ``<prop>``s to ``parent``, in their order."""
    for note in notes:
        if note.kind not in ("note", "prop"):
            continue
        attrs = {k: _xml_safe(v) for k, v in note.attrs}
        if note.kind == "prop":
            attrs = {"type": _xml_safe(note.type), **attrs}
        etree.SubElement(parent, note.kind, attrs).text = _xml_safe(note.text)


def _xml_safe(text: str) -> str:
    """Metadata text for a prop or attribute; a character XML forbids stops the export.

    Segment text carries such characters as ``<ph type="x-char">``; a prop cannot hold
    markup, and replacing the character silently would lose it.
    """
    bad = FORBIDDEN.search(text)
    if bad:
        raise TaiyakuError(
            f"TMX cannot hold the control character U+{ord(bad.group()):04X} in the unit "
            f"metadata {text!r}; remove it or export to .tsv or .xlsx, which can"
        )
    return text
