"""A bilingual dictionary as anchors: 温泉 in one sentence and "hot spring" in the other.

Numbers, Latin tokens and names anchor only the sentences that carry them, and the pair's own
word associations (:mod:`taiyaku.align.lexicon`) need a word to recur. A dictionary knows most
content words at once: a Japanese sentence left untranslated next to a translated one then
has words its neighbour's English lacks, and the aligner can tell which of the two the
English sentence translates, where lengths alone would merge both into a 2-1 bead.

The dictionary is EDICT (JMdict's flat file; Debian's ``edict`` package installs it, see
:data:`DEFAULT_PATH`): an optional extra, read once per process. Only headwords the aligner's
Japanese terms can meet are kept: runs of kanji or of katakana of two characters or more
(:func:`taiyaku.align.lexicon.japanese_terms`), each with the content words of its glosses.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from taiyaku.align.lexicon import Lexicon, english_words, japanese_terms
from taiyaku.errors import FormatError
from taiyaku.formats.edict import read_edict
from taiyaku.formats.files import atomic_write

# Where Debian's edict package puts the file; TAIYAKU_EDICT names another.
DEFAULT_PATH = Path("/usr/share/edict/edict")

_TERM = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]{2,}|[\u30a1-\u30faー]{2,}")
# A gloss of more words than this explains rather than translates.
MAX_GLOSS_WORDS = 3


class Dictionary:
    """Japanese term → the English content words its glosses use.

    :param table: the terms and their words
    """

    def __init__(self, table: dict[str, frozenset[str]]):
        self.table = table

    def __len__(self) -> int:
        return len(self.table)

    def lexicon(self, japanese: Iterable[str], english: Iterable[str]) -> Lexicon:
        """The ``dict:`` features of one document pair: its Japanese terms that the
        dictionary knows and whose English words the English side uses."""
        en_words: set[str] = set()
        for text in english:
            en_words |= english_words(text)
        table: dict[str, frozenset[str]] = {}
        for text in japanese:
            for term in japanese_terms(text):
                if term in table:
                    continue
                words = self.table.get(term)
                if words is not None and not words.isdisjoint(en_words):
                    table[term] = words & en_words
        return Lexicon(table, kind="dict")


def build(entries: Iterable[tuple[Sequence[str], Sequence[str]]]) -> Dictionary:
    """A :class:`Dictionary` from ``(headwords, glosses)`` pairs."""
    table: dict[str, set[str]] = {}
    for headwords, glosses in entries:
        heads = [h for h in map(_fold, headwords) if _TERM.fullmatch(h)]
        if not heads:
            continue
        words: set[str] = set()
        for gloss in glosses:
            found = english_words(gloss)
            if 0 < len(found) <= MAX_GLOSS_WORDS:
                words |= found
        if words:
            for head in heads:
                table.setdefault(head, set()).update(words)
    return Dictionary({k: frozenset(v) for k, v in table.items()})


def _fold(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def default_path() -> Path | None:
    """The EDICT file to use: ``$TAIYAKU_EDICT``, else Debian's, else ``None``."""
    named = os.environ.get("TAIYAKU_EDICT")
    if named:
        return Path(named)
    return DEFAULT_PATH if DEFAULT_PATH.exists() else None


def resolve(choice: str | os.PathLike[str] | bool) -> Dictionary | None:
    """The dictionary a caller asked for: ``True`` the default one if installed (see
    :func:`default_path`), ``False`` none, or the EDICT file at a path.

    :raises FormatError: the file cannot be read or is not EDICT
    """
    if choice is False:
        return None
    path = default_path() if choice is True else Path(choice)
    return None if path is None else load(path)


@functools.lru_cache(maxsize=4)
def load(path: str | os.PathLike[str]) -> Dictionary:
    """The dictionary of an EDICT file, read once per process.

    Reading and indexing EDICT takes seconds; the table is kept in the user's cache folder
    (``$XDG_CACHE_HOME/taiyaku``, one tab-separated line per term), keyed by the file's path,
    size and modification time, so later runs read it in a fraction of that.
    """
    source = Path(path)
    try:
        stat = source.stat()
    except OSError as error:
        raise FormatError(path, f"cannot read: {error.strerror}") from None
    key = hashlib.sha1(
        f"{source.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{CACHE_VERSION}".encode()
    ).hexdigest()[:16]
    cache = _cache_folder() / f"edict-{key}.tsv"
    try:
        with open(cache, encoding="utf-8") as file:
            table = {}
            for line in file:
                term, _, words = line.rstrip("\n").partition("\t")
                table[term] = frozenset(words.split(" "))
        return Dictionary(table)
    except (OSError, ValueError):
        pass
    dictionary = build((e.headwords, e.glosses) for e in read_edict(source))
    with contextlib.suppress(OSError, FormatError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(cache) as tmp, open(tmp, "w", encoding="utf-8") as file:
            for term, senses in dictionary.table.items():
                file.write(f"{term}\t{' '.join(sorted(senses))}\n")
    return dictionary


# Bump when build() changes what it keeps: older cached tables are then ignored.
CACHE_VERSION = 1


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "taiyaku"
