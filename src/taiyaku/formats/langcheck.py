"""Refuse a file whose sides are not Japanese and English, unless told its languages.

taiyaku is a Japanese–English toolkit: a Korean–English glossary imported as ja/en, or a
French TMX, would fill the store with pairs no lookup or match can use, without a word. The
check looks at the language tags (TMX) and at the scripts of the first few hundred entries:
the Japanese side must be written mostly in Japanese script, the English side mostly in
Latin (a side with fewer than five entries with letters is not judged). Given languages (``--src-lang``/``--tgt-lang``) replace the expectation: the tags must
then be those, and the scripts are not checked.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator

from taiyaku.errors import FormatError
from taiyaku.models import Term, Unit
from taiyaku.text.chars import JAPANESE_CHAR
from taiyaku.text.lang import primary_lang
from taiyaku.text.script import main_script, script_of

SAMPLE = 300
# Fewer entries with letters than this on a side say nothing about its language.
MIN_EVIDENCE = 5


def checked_units(
    path: str | os.PathLike[str],
    units: Iterable[Unit],
    *,
    langs: tuple[str, str] | None = None,
) -> Iterator[Unit]:
    """``units``, refused (:class:`FormatError`) if their languages are not the expected pair.

    Expected: Japanese and English, either way round; or, when ``langs`` is given, exactly
    that source and target language. Every unit's tags are checked; the scripts of the first
    :data:`SAMPLE` units against their tags (when ``langs`` is not given).

    :raises FormatError: naming the languages found
    """
    iterator = iter(units)
    sample = list(itertools.islice(iterator, SAMPLE))
    for unit in sample:
        _check_tags(path, unit, langs)
    if langs is None and sample:
        for side in ("source", "target"):
            by_lang: dict[str, list[str]] = {}
            for unit in sample:
                lang = primary_lang(getattr(unit, f"{side}_lang"))
                by_lang.setdefault(lang, []).append(getattr(unit, f"{side}_text"))
            for lang, texts in by_lang.items():
                _check_script(path, lang, texts, f"the {lang} side")
    yield from sample
    for unit in iterator:
        _check_tags(path, unit, langs)
        yield unit


def _check_tags(path: str | os.PathLike[str], unit: Unit, langs: tuple[str, str] | None) -> None:
    pair = (primary_lang(unit.source_lang), primary_lang(unit.target_lang))
    if langs is None:
        ok = set(pair) == {"ja", "en"}
        wanted = "Japanese and English"
    else:
        ok = pair == (primary_lang(langs[0]), primary_lang(langs[1]))
        wanted = f"{langs[0]} → {langs[1]}"
    if not ok:
        raise FormatError(
            path,
            f"a unit in {unit.source_lang} → {unit.target_lang}, not {wanted}; to import "
            "another pair, say which with --src-lang and --tgt-lang",
        )


def checked_terms(
    path: str | os.PathLike[str], terms: Iterable[Term], *, langs_given: bool = False
) -> Iterator[Term]:
    """``terms``, refused if the first :data:`SAMPLE` entries' Japanese side is not mostly
    Japanese script or their English side not mostly Latin (unless ``langs_given``).

    :raises FormatError: naming the scripts found
    """
    iterator = iter(terms)
    sample = list(itertools.islice(iterator, SAMPLE))
    if not langs_given and sample:
        _check_script(path, "ja", [t.ja for t in sample], "the Japanese side")
        _check_script(path, "en", [t.en for t in sample], "the English side")
    yield from sample
    yield from iterator


def _check_script(path: str | os.PathLike[str], lang: str, texts: list[str], what: str) -> None:
    """Japanese: most texts with letters hold Japanese script (an English word inside a
    Japanese term is common); English: most are mostly Latin."""
    lettered = [t for t in texts if script_of(t)]
    if len(lettered) < MIN_EVIDENCE or lang not in ("ja", "en"):
        return
    if lang == "ja":
        others = [t for t in lettered if not JAPANESE_CHAR.search(t)]
        if len(others) * 2 <= len(lettered):
            return
        found = main_script(others)
    else:
        found = main_script(lettered)
        if found == "Latin":
            return
    expected = "Japanese" if lang == "ja" else "Latin"
    raise FormatError(
        path,
        f"{what} is written in {found} script, not {expected}: the file is not "
        "Japanese–English; to import another pair, say which with --src-lang and --tgt-lang",
    )
