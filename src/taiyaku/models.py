"""The records taiyaku passes around: translation units and glossary terms."""

from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Origin = Literal["aligned", "imported", "added", "translated", "reviewed"]
Status = Literal["preferred", "admitted", "deprecated", "forbidden"]
BeadType = Literal["1-1", "1-2", "2-1", "2-2", "1-3", "3-1", "1-0", "0-1"]
Side = Literal["ja", "en"]
ORIGINS: tuple[Origin, ...] = get_args(Origin)
STATUSES: tuple[Status, ...] = get_args(Status)
BEAD_TYPES: tuple[BeadType, ...] = get_args(BeadType)


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with a ``Z``, to the second."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Code:
    """One inline code of a segment: a tag of the original document, kept to be put back.

    A segment with codes is a :data:`Markup`, a sequence of text runs (``str``) and codes.
    The codes are the exchange format's own elements, kept as read so an export writes them
    back unchanged: TMX 1.4b ``bpt``/``ept`` (a paired code, matched by ``i``), ``it`` (an
    isolated half, ``pos`` begin/end), ``ph`` (a placeholder), ``ut`` (an unknown code),
    ``hi`` (highlighted text) and ``sub`` (a sub-flow inside a code); XLIFF's ``g``, ``x``,
    ``bx``, ``ex``, ``ph``, ``pc``, ``sc``, ``ec`` and ``mrk`` fit the same shape.

    :param kind: the element name, e.g. ``ph``
    :param attrs: its attributes in document order (``i``, ``x``, ``type``, ``pos``, ...);
        a namespaced name is in ``{uri}name`` form
    :param content: what the element holds, text runs and codes: for a code element (``bpt``,
        ``ept``, ``it``, ``ph``, ``ut``, ``x``, ...) the native code of the original format,
        with any ``sub`` inside it; for a span (``hi``, ``g``, ``pc``, ``mrk``, ``sub``)
        the text it marks, which may hold codes itself
    """

    kind: str
    attrs: tuple[tuple[str, str], ...] = ()
    content: tuple[str | Code, ...] = ()

    def attr(self, name: str) -> str | None:
        """The value of attribute ``name``, or ``None``."""
        for key, value in self.attrs:
            if key == name:
                return value
        return None

    @property
    def pair(self) -> str | None:
        """The id that pairs an opening and a closing code (TMX ``i``, XLIFF ``rid``/``id``)."""
        return self.attr("i") or self.attr("rid") or self.attr("id")


# A segment's text with its inline codes: text runs and codes, in order, no two runs adjacent.
Markup = tuple[str | Code, ...]

SIDES = ("unit", "source", "target")


@dataclass(frozen=True)
class Annotation:
    """A note, property or attribute a file gave a unit or one side of it, kept to write back.

    TMX puts ``<note>``s and ``<prop>``s on the ``<tu>`` and on each ``<tuv>`` (memoQ's
    ``x-context-pre``/``x-context-post`` props drive its context matches), and attributes such
    as ``tuid``, ``usagecount``, ``lastusagedate``, ``creationid`` or a tool's own on both.
    A unit keeps them in document order as annotations, and TMX export writes them back where
    they were.

    :param kind: ``note``, ``prop`` or ``attr`` (an XML attribute)
    :param text: the note's or prop's text, or the attribute's value
    :param type: a prop's ``type``, or the attribute's name; empty for a note
    :param attrs: the note's or prop's own attributes in order (``xml:lang``, ``o-encoding``)
    :param on: ``unit`` (the ``<tu>``), ``source`` or ``target`` (that side's ``<tuv>``)
    """

    kind: str
    text: str
    type: str = ""
    attrs: tuple[tuple[str, str], ...] = ()
    on: str = "unit"


def annotations_to_json(annotations: tuple[Annotation, ...]) -> str | None:
    """The stored (and tabular) form of a unit's annotations; ``None`` when it has none."""
    if not annotations:
        return None
    return json.dumps(
        [[a.kind, a.text, a.type, [list(p) for p in a.attrs], a.on] for a in annotations],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def annotations_from_json(stored: str | None) -> tuple[Annotation, ...]:
    """The annotations of a form written by :func:`annotations_to_json`.

    :raises ValueError: ``stored`` is not that form
    """
    if not stored:
        return ()
    try:
        return tuple(
            Annotation(str(kind), str(text), str(type_), tuple((k, v) for k, v in attrs), on)
            for kind, text, type_, attrs, on in json.loads(stored)
        )
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a list of taiyaku annotations ({error})") from None


@dataclass(frozen=True)
class Unit:
    """One translation unit: a source segment and its translation.

    Text is kept verbatim; the store adds the match keys.

    :param source_text: the source segment as written; when it has inline codes, its plain
        text (:func:`taiyaku.formats.inline.plain_text` of ``source_markup``)
    :param target_text: its translation as written (the plain text, likewise)
    :param source_lang: BCP-47 tag of the source, e.g. ``ja``
    :param target_lang: BCP-47 tag of the target, e.g. ``en``
    :param origin: how the unit came in: ``aligned``, ``imported``, ``added``,
        ``translated`` (a segment translated through ``pretranslate`` and imported back) or
        ``reviewed`` (an aligned pair a person checked: ``taiyaku align --apply``)
    :param document: the document it came from, if known
    :param position: its position in that document (0-based bead index), if known
    :param confidence: alignment confidence in [0, 1], for aligned units
    :param bead: alignment bead type (``1-1``, ``1-2``, ``2-1``, ``2-2``; :data:`BeadType`
        for taiyaku's aligner, any notation for units other tools aligned), for aligned units
    :param created: ISO 8601 UTC timestamp; ``None`` when the source gave none (the store
        dates a unit taiyaku made itself, ``added`` or ``aligned``, and no other)
    :param changed: ISO 8601 UTC timestamp, likewise
    :param metadata: free key/value data (a table's ``metadata`` column), written to TMX as
        ``<prop>``s
    :param annotations: the notes, props and attributes a TMX file gave the unit and its sides,
        in order
    :param source_markup: the source with its inline codes, ``None`` when it has none
    :param target_markup: the target with its inline codes, ``None`` when it has none
    :param id: the store's id, once stored
    """

    source_text: str
    target_text: str
    source_lang: str = "ja"
    target_lang: str = "en"
    origin: Origin = "imported"
    document: str | None = None
    position: int | None = None
    confidence: float | None = None
    bead: str | None = None
    created: str | None = None
    changed: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    annotations: tuple[Annotation, ...] = ()
    source_markup: Markup | None = None
    target_markup: Markup | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The unit as plain JSON values, field by field."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Term:
    """One glossary entry: a Japanese term and one English rendering of it.

    A Japanese term with several English renderings is several entries (and the reverse).

    :param ja: the Japanese term
    :param en: the English term
    :param note: a usage note for translators
    :param domain: subject field, e.g. ``organisation``
    :param pos: part of speech, e.g. ``noun``
    :param status: ``preferred``, ``admitted``, ``deprecated`` or ``forbidden``; empty in a
        term read from a file whose status cell was blank (an import keeps the stored status,
        a new entry is ``preferred``)
    :param source: where the entry comes from (a file, a dictionary, a person)
    :param reading: the Japanese term's reading in kana as the source gives it (the JLT
        dictionary's 読み); empty when the file has none (readings are then computed)
    :param created: ISO 8601 UTC timestamp; the store fills it in when missing
    :param changed: ISO 8601 UTC timestamp; the store fills it in when missing
    :param id: the store's id, once stored
    """

    ja: str
    en: str
    note: str = ""
    domain: str = ""
    pos: str = ""
    status: Status | Literal[""] = "preferred"
    source: str = ""
    reading: str = ""
    created: str | None = None
    changed: str | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as plain JSON values, field by field."""
        return dataclasses.asdict(self)
