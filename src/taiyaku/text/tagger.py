"""One MeCab tagger for the whole process, safe to share between threads.

Readings for glossary keys (:mod:`taiyaku.text.readings`) and name anchors for alignment
(:mod:`taiyaku.align.romaji`) both need UniDic's analysis of Japanese text. fugashi's
tagger is not thread-safe, and the nodes it returns are only valid until its next call, so
:func:`tag` copies what callers need while holding a lock. The dictionary is
``unidic-lite``, shipped inside the package: nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from dataclasses import dataclass
from typing import Any

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Word:
    """One word of MeCab's analysis.

    :param surface: the word as written
    :param feature: UniDic's named fields (``kana``, ``lemma``, ``kanaBase``, ...), or
        ``None`` unless asked for (building them costs more than the analysis)
    :param feature_raw: the same fields as one comma-separated string
    :param white_space: the white space written before the word
    """

    surface: str
    feature: Any
    feature_raw: str
    white_space: str


@functools.cache
def _tagger() -> Any:
    import fugashi
    import unidic_lite

    return fugashi.Tagger(f"-d {unidic_lite.DICDIR}")


def tag(text: str, *, named: bool = False) -> list[Word]:
    """The words of ``text`` as UniDic splits them, in order.

    >>> [w.surface for w in tag("国際戦略局")]
    ['国際', '戦略', '局']

    :param named: also give each word's named fields (:attr:`Word.feature`)
    """
    with _LOCK:
        return [
            Word(w.surface, w.feature if named else None, w.feature_raw, w.white_space)
            for w in _tagger()(text)
        ]


@functools.cache
def dictionary_version() -> str:
    """The dictionary's name and version (``unidic-lite:1.0.8``): what readings depend on.

    Every open compares it with the database's key signature, so it is read from the
    ``unidic_lite-1.0.8.dist-info`` folder beside the package when there is one: importing
    :mod:`importlib.metadata` cost 20-30 ms of a command's start-up, and 80 ms alone.
    """
    import unidic_lite

    site = os.path.dirname(os.path.dirname(os.path.abspath(unidic_lite.__file__)))
    with contextlib.suppress(OSError):
        found = [
            name[len("unidic_lite-") : -len(".dist-info")]
            for name in os.listdir(site)
            if name.startswith("unidic_lite-") and name.endswith(".dist-info")
        ]
        if len(found) == 1:
            return f"unidic-lite:{found[0]}"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"unidic-lite:{version('unidic-lite')}"
    except PackageNotFoundError:  # pragma: no cover - metadata missing in an odd install
        return "unidic-lite:unknown"
