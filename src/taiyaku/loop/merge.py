"""Merging: the finished document written from a translated bilingual file; its units for the TM.

The bilingual file carries the original document; merging reads it again (same segments,
same skeleton), checks that every segment of the file is the document's segment with the
same id and source text, and writes the document with each translation in place of its
source. A segment with no translation keeps its source text, and is counted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from taiyaku.errors import FormatError
from taiyaku.formats.bilingual import CONFIRMED, Translated
from taiyaku.formats.document import (
    Content,
    SourceDocument,
    codes_of,
    plain_text,
    resolve_target,
    to_markup,
)
from taiyaku.models import Unit
from taiyaku.text.normalize import match_key


@dataclass
class Merged:
    """A finished document.

    :param data: its bytes, in the original document's format
    :param name: the original document's name
    :param format: its format
    :param segments: the number of segments
    :param untranslated: segments left in the source language (no translation)
    """

    data: bytes
    name: str
    format: str
    segments: int
    untranslated: int


def read_translated(path: str | os.PathLike[str]) -> Translated:
    """Read a translated bilingual file: XLIFF (``.xlf``/``.xliff``) or the sheet (``.xlsx``).

    :raises FormatError: another extension, or a file pretranslate did not write
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".xlf", ".xliff"):
        from taiyaku.formats.xliff import read_translated_xliff

        return read_translated_xliff(path)
    if suffix == ".xlsx":
        from taiyaku.formats.review_sheet import read_review_sheet

        return read_review_sheet(path)
    raise FormatError(path, "a translated file is .xlf, .xliff or .xlsx")


def _document(translated: Translated) -> tuple[SourceDocument, dict[str, Content]]:
    """The original document and each translated segment's content, checked against it."""
    from taiyaku.formats.document import fingerprint
    from taiyaku.formats.sources import source_from_bytes

    path = translated.path
    if fingerprint(translated.data) != translated.fingerprint:
        raise FormatError(path, "the embedded original document does not match its fingerprint")
    document = source_from_bytes(translated.name, translated.format, translated.data)
    by_id = {segment.id: segment for segment in document.segments}
    targets: dict[str, Content] = {}
    for item in translated.segments:
        source = by_id.get(item.id)
        if source is None or match_key(source.text) != match_key(item.source):
            raise FormatError(
                path,
                f"does not belong to {translated.name}: its segment {item.id} is not the "
                "document's (skeleton and segments do not match)",
                item.where,
            )
        if item.target is not None:
            targets[item.id] = resolve_target(path, item.where, source.content, item.target)
    return document, targets


def merge(translated: Translated) -> Merged:
    """Write the target document from a translated bilingual file.

    :raises FormatError: the file's segments are not its document's, its embedded document
        does not match the fingerprint, or a translation's tags do not fit its source's codes
    """
    document, targets = _document(translated)
    data = document.render(targets, translated.target_lang or "en")
    untranslated = sum(1 for segment in document.segments if segment.id not in targets)
    return Merged(data, document.name, document.format, len(document.segments), untranslated)


def default_output(translated: Translated, path: str | os.PathLike[str]) -> Path:
    """Where ``merge`` writes by default: beside the translated file, ``NAME.<lang>.EXT``."""
    original = Path(translated.name)
    lang = translated.target_lang or "en"
    return Path(path).parent / f"{original.stem}.{lang}{original.suffix}"


def translated_units(translated: Translated, *, document: str | None = None) -> list[Unit]:
    """The confirmed translations of a bilingual file as TM units of origin ``translated``.

    Only segments in a translated, reviewed or final state count (in the sheet: a non-empty
    target). Each unit records the document and the segment's position (its id less one), so
    importing the file again after further edits replaces the earlier translations.

    :param document: the TM document name (default: the original document's name)
    """
    source_document, targets = _document(translated)
    by_id = {segment.id: segment for segment in source_document.segments}
    units = []
    for item in translated.segments:
        content = targets.get(item.id)
        if content is None or item.state not in CONFIRMED:
            continue
        source = by_id[item.id]
        coded = bool(codes_of(source.content) or codes_of(content))
        units.append(
            Unit(
                plain_text(source.content),
                plain_text(content),
                source_lang=translated.source_lang or source_document.lang,
                target_lang=translated.target_lang or "en",
                origin="translated",
                document=document or translated.name,
                position=int(item.id) - 1 if item.id.isdigit() else None,
                metadata={"segment": item.id},
                source_markup=to_markup(source.content) if coded else None,
                target_markup=to_markup(content) if coded else None,
            )
        )
    return units
