"""Transliterated names as anchors: 雪舟 ↔ Sesshu, 法蔵菩薩 ↔ Hozo bosatsu, 室町 ↔ Muromachi.

English translations of Japanese text spell Japanese names (people, places, temples, eras,
titles) in romaji. MeCab with ``unidic-lite`` (already a dependency) gives the pronunciation of
every Japanese word, so a name written in kanji can be matched with its romanised form on the
English side, whatever its length: the cognates that alignment of European languages relies
on, for Japanese–English.

Both sides are reduced to one *key*: lower-case letters, long vowels and Hepburn variants
folded (Sesshū, Sesshuu, Sesshu and セッシュウ all become ``sesshu``). Runs of up to four
adjacent kanji words are keyed as well, since English writes compounds one way or the other
(法蔵菩薩 → ``hozobosatsu`` or ``hozo`` + ``bosatsu``); a reading given in brackets
(雪舟（せっしゅう）) is keyed as written. Only keys found on both sides of the document pair
become features, and in each sentence the longest key wins over the keys inside it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from taiyaku.text.chars import KANJI_CHAR
from taiyaku.text.romaji import fold_romaji, romanise
from taiyaku.text.tagger import tag

MIN_KEY = 4  # shorter keys ("hon", "ji") match English words by chance
MAX_WORDS = 4

_READING = re.compile(r"[（(]([\u3041-\u3096\u30a1-\u30faー・]{2,})[、，,）)]")
_EN_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@functools.lru_cache(maxsize=65536)
def japanese_candidates(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every key a Japanese sentence could match, as ``(start word, end word, key)``."""
    words: list[str | None] = []  # folded pronunciation of each kanji word, None otherwise
    for word in tag(unicodedata.normalize("NFKC", text)):
        if not KANJI_CHAR.search(word.surface):
            words.append(None)
            continue
        # UniDic's tenth field is the pronunciation (ホーゾー); unknown words have fewer fields.
        fields = word.feature_raw.split(",")
        pron = fields[9] if len(fields) > 9 else ""
        words.append(romanise(pron) if pron and pron != "*" else None)
    out: list[tuple[int, int, str]] = []
    for i in range(len(words)):
        key = ""
        for j in range(i, min(i + MAX_WORDS, len(words))):
            part = words[j]
            if part is None:
                break
            key += part
            if len(key) >= MIN_KEY:
                out.append((i, j + 1, key))
    offset = len(words)
    for n, match in enumerate(_READING.finditer(text)):
        key = romanise(match.group(1))
        if len(key) >= MIN_KEY:
            out.append((offset + n, offset + n + 1, key))
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def english_candidates(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every key an English sentence could match: runs of up to four words, joined."""
    words = [fold_romaji(w) for w in _EN_WORD.findall(unicodedata.normalize("NFKC", text))]
    out = []
    for i in range(len(words)):
        key = ""
        for j in range(i, min(i + MAX_WORDS, len(words))):
            key += words[j]
            if len(key) >= MIN_KEY:
                out.append((i, j + 1, key))
    return tuple(out)


def longest(candidates: Iterable[tuple[int, int, str]], vocabulary: frozenset[str]) -> list[str]:
    """The keys in ``vocabulary``, longest first, none overlapping another already taken."""
    taken: list[str] = []
    used: set[int] = set()
    found = [c for c in candidates if c[2] in vocabulary]
    for start, end, key in sorted(found, key=lambda c: (-(c[1] - c[0]), -len(c[2]), c[0])):
        span = set(range(start, end))
        if span & used:
            continue
        used |= span
        taken.append(key)
    return taken


class Names:
    """The romaji keys shared by the Japanese and the English side of one document pair."""

    def __init__(self, japanese: Sequence[str], english: Sequence[str]):
        # Each sentence's candidates are kept: finding them (a tagger run for Japanese) is
        # most of the cost, and ``features`` asks again for the same sentences.
        self._candidates = {
            "ja": {text: japanese_candidates(text) for text in japanese},
            "en": {text: english_candidates(text) for text in english},
        }
        ja_keys = {c[2] for found in self._candidates["ja"].values() for c in found}
        en_keys = {c[2] for found in self._candidates["en"].values() for c in found}
        self.vocabulary = frozenset(ja_keys & en_keys)

    def features(self, text: str, lang: str) -> list[str]:
        """``name:`` features of one sentence written in ``lang``."""
        if not self.vocabulary:
            return []
        candidates = self._candidates[lang].get(text)
        if candidates is None:
            candidates = japanese_candidates(text) if lang == "ja" else english_candidates(text)
        return ["name:" + key for key in longest(candidates, self.vocabulary)]
