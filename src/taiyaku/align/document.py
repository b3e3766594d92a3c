"""Aligning whole documents: text or files in, an :class:`Alignment` out, and into the TM."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from taiyaku.align.core import Alignment, align
from taiyaku.align.dictionary import Dictionary
from taiyaku.align.lengths import estimate_ratio, text_length
from taiyaku.errors import TaiyakuError
from taiyaku.models import Unit
from taiyaku.store.db import Db, transaction
from taiyaku.store.glossary import GlossaryStore
from taiyaku.store.tm import AddResult, TranslationMemory
from taiyaku.text.html import read_document
from taiyaku.text.lang import detect_lang
from taiyaku.text.segment import split_sentences


def align_texts(
    source_text: str,
    target_text: str,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    glossary: Iterable[tuple[str, str]] = (),
    lexicon: bool = True,
    dictionary: Dictionary | None = None,
) -> Alignment:
    """Segment two documents and align their sentences, blocks first.

    :param source_text: the source document as plain text
    :param target_text: its translation
    :param source_lang: ``"ja"`` or ``"en"``; detected when ``None``
    :param target_lang: likewise
    :param glossary: ``(ja, en)`` term pairs used as anchors (see :func:`glossary_pairs`)
    :param lexicon: learn word associations from a first pass (see :func:`~taiyaku.align.align`)
    :param dictionary: a bilingual dictionary's word pairs as anchors too
        (:func:`taiyaku.align.dictionary.resolve` finds the installed one)
    """
    source_lang = source_lang or detect_lang(source_text)
    target_lang = target_lang or detect_lang(target_text)
    source = split_sentences(source_text, source_lang)
    target = split_sentences(target_text, target_lang)
    beads = align(
        [s.text for s in source],
        [t.text for t in target],
        source_lang=source_lang,
        target_lang=target_lang,
        glossary=glossary,
        source_blocks=[s.block for s in source],
        target_blocks=[t.block for t in target],
        source_kinds=[s.kind for s in source],
        target_kinds=[t.kind for t in target],
        lexicon=lexicon,
        dictionary=dictionary,
    )
    ratio = estimate_ratio(
        [text_length(s.text) for s in source], [text_length(t.text) for t in target]
    )
    return Alignment(beads, source_lang, target_lang, source, target, ratio)


def align_files(
    source_path: str | os.PathLike[str],
    target_path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    glossary: Iterable[tuple[str, str]] = (),
    lexicon: bool = True,
    dictionary: Dictionary | None = None,
) -> Alignment:
    """Read two documents (plain text or HTML, encoding detected) and align them.

    This is what ``taiyaku align`` and ``taiyaku demo`` call::

        alignment = align_files("page.ja.txt", "page.en.txt", glossary=glossary_pairs(db))
        save_alignment(db, alignment, document="page")

    :raises FormatError: a file is missing or cannot be decoded
    """
    return align_texts(
        read_document(source_path, encoding),
        read_document(target_path, encoding),
        source_lang=source_lang,
        target_lang=target_lang,
        glossary=glossary,
        lexicon=lexicon,
        dictionary=dictionary,
    )


def check_languages(
    alignment: Alignment, source: str, target: str, *, languages_given: bool = False
) -> None:
    """Refuse an alignment whose two sides read as the same language.

    :param source: the source file's name, for the message
    :param target: the target file's name
    :param languages_given: the caller named both languages: trust them
    :raises TaiyakuError: both sides read as one language
    """
    if alignment.source_lang == alignment.target_lang and not languages_given:
        language = {"ja": "Japanese", "en": "English"}.get(alignment.source_lang, "alike")
        raise TaiyakuError(
            f"{source} and {target} both read as {language}: a translation pair needs two "
            "languages (name them with --src-lang and --tgt-lang if detection is wrong)"
        )


def document_name(path: str | os.PathLike[str]) -> str:
    """``tm/page.ja.txt`` → ``page``: the file name without extension and language tag.

    >>> document_name("tm/page.ja.txt")
    'page'
    """
    stem = Path(path).name
    for suffix in (".txt", ".html", ".htm", ".xhtml"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    for tag in (".ja", ".en", "_ja", "_en", "-ja", "-en"):
        if stem.lower().endswith(tag):
            return stem[: -len(tag)]
    return stem


def glossary_pairs(db: Db) -> list[tuple[str, str]]:
    """The ``(ja, en)`` pairs of the database's glossary, deprecated and forbidden left out."""
    return GlossaryStore(db).usable_pairs()


def save_alignment(db: Db, alignment: Alignment, document: str) -> tuple[int, AddResult]:
    """Store the aligned pairs of a document in the TM, replacing those of an earlier run.

    Only beads with text on both sides become units (origin ``aligned``, with their bead type,
    confidence and position). Pairs a person reviewed (origin ``reviewed``) win: they stay,
    and a bead sharing a sentence with one of them is not stored beside it. Deleting the
    document's old aligned units and adding the new ones is one transaction: a failure
    leaves the previous alignment in place.

    :return: how many old units were replaced, and what adding the new ones did
    """
    with transaction(db):
        memory = TranslationMemory(db)
        units = alignment_units(alignment, document, reviewed_units(db, document))
        replaced = memory.delete_document(document, origin="aligned")
        added = memory.add_many(units)
    return replaced, added


def reviewed_units(db: Db, document: str) -> list[Unit]:
    """The units of ``document`` a person reviewed (origin ``reviewed``), in order."""
    return [
        u for u in TranslationMemory(db).iter_units(document=document) if u.origin == "reviewed"
    ]


def alignment_units(
    alignment: Alignment, document: str, reviewed: Iterable[Unit] = ()
) -> list[Unit]:
    """The units :func:`save_alignment` stores: one per bead with text on both sides, but
    none for a bead that shares a sentence with a ``reviewed`` unit (see :func:`covers`)."""
    covered = covers(reviewed, alignment.source_lang, alignment.target_lang)
    return [
        Unit(
            bead.source_text,
            bead.target_text,
            source_lang=alignment.source_lang,
            target_lang=alignment.target_lang,
            origin="aligned",
            document=document,
            position=position,
            confidence=round(bead.confidence, 4),
            bead=bead.type,
        )
        for position, bead in enumerate(alignment.beads)
        if bead.is_pair and not covered(bead.source_text, bead.target_text)
    ]


def covers(units: Iterable[Unit], source_lang: str, target_lang: str) -> Callable[[str, str], bool]:
    """A test of whether a pair shares a sentence with one of ``units``: same source sentence
    or same target sentence, after segmenting both the same way."""
    sources: set[str] = set()
    targets: set[str] = set()
    for unit in units:
        sources.update(_sentences(unit.source_text, source_lang))
        targets.update(_sentences(unit.target_text, target_lang))

    def covered(source: str, target: str) -> bool:
        if not (sources or targets):
            return False
        return not (
            sources.isdisjoint(_sentences(source, source_lang))
            and targets.isdisjoint(_sentences(target, target_lang))
        )

    return covered


def _sentences(text: str, lang: str) -> set[str]:
    return {s.text for s in split_sentences(text, lang)}
