"""Japanese term candidates: compound nouns, katakana and Latin sequences, by MeCab's words.

A term in Japanese is nearly always a noun or a run of nouns written without spaces
(国際戦略局 = 国際 + 戦略 + 局, 京都市東山区 = 京都 + 市 + 東山 + 区). MeCab with UniDic
(already a dependency, through :mod:`taiyaku.text.readings`) splits a sentence into words
and tags them; a *noun run* is a maximal sequence of nouns, with a prefix (第, 旧) allowed at
its start and noun-like suffixes (財, 的, 性) after its first word. Every contiguous piece of a
run, up to :data:`MAX_WORDS` words, is a candidate: which of them is a term is decided later
from how often each occurs on its own and inside longer ones (C-value, :mod:`.pairs`).

Words written only in hiragana (こと, もの, ため), numerals and adverbial nouns (今, 後) break a
run: they are grammar, not terminology. Latin sequences (``Beyond 5G``, ``ICT``) are taken
from the text as written, since MeCab splits them at digits.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from taiyaku.text.chars import HIRAGANA

MAX_WORDS = 6

_TERM_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヶ\u30a1-\u30fa\u30fcA-Za-zＡ-Ｚａ-ｚ]")
_HIRAGANA_ONLY = re.compile(f"^[{HIRAGANA}ー]+$")
_LATIN = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９&+./\\-"
_LATIN_RUN = re.compile(
    rf"[A-Za-zＡ-Ｚａ-ｚ][{_LATIN}]*(?: [A-Za-z0-9Ａ-Ｚａ-ｚ０-９][{_LATIN}]*)*"
)


@dataclass(frozen=True)
class Word:
    """A word of a Japanese sentence as MeCab gives it.

    :param surface: the word as written
    :param start: its offset in the sentence
    :param pron: its pronunciation in katakana (UniDic), empty when unknown
    :param kind: ``noun``, ``prefix``, ``suffix`` or ``other`` (breaks a run)
    """

    surface: str
    start: int
    pron: str
    kind: str


@dataclass(frozen=True)
class Candidate:
    """One candidate occurrence: ``text[start:end]``, made of ``words`` words.

    :param text: the candidate as written
    :param start: its offset in the sentence
    :param end: the offset just past it
    :param words: how many MeCab words it spans (1 for a Latin sequence)
    :param pron: its pronunciation in katakana, empty when some word has none
    """

    text: str
    start: int
    end: int
    words: int
    pron: str


def _kind(surface: str, pos1: str, pos2: str, pos3: str) -> str:
    if not _TERM_CHAR.search(surface) or _HIRAGANA_ONLY.match(surface):
        return "other"
    if pos1 == "名詞":
        if pos2 == "数詞" or pos3 == "副詞可能" or pos2 == "助動詞語幹":
            return "other"
        return "noun"
    if pos1 == "接頭辞":
        return "prefix"
    if pos1 == "接尾辞" and pos2 == "名詞的":
        return "suffix"
    return "other"


@functools.lru_cache(maxsize=100_000)
def words(text: str) -> tuple[Word, ...]:
    """MeCab's words of ``text`` with their offsets, pronunciations and run kinds."""
    from taiyaku.text.tagger import tag

    tokens = [(t.surface, t.feature, t.white_space) for t in tag(text, named=True)]
    out = []
    offset = 0
    for surface, feature, space in tokens:
        offset += len(space)
        found = text.find(surface, offset)
        start = found if found >= 0 else offset
        pron = getattr(feature, "pron", None) or ""
        kind = _kind(surface, feature.pos1, feature.pos2 or "", feature.pos3 or "")
        out.append(Word(surface, start, "" if pron == "*" else pron, kind))
        offset = start + len(surface)
    return tuple(out)


def _runs(sentence: tuple[Word, ...]) -> list[list[Word]]:
    runs: list[list[Word]] = []
    current: list[Word] = []
    for word in sentence:
        adjacent = not current or current[-1].start + len(current[-1].surface) == word.start
        if word.kind == "other" or not adjacent or (word.kind == "prefix" and current):
            if current:
                runs.append(current)
            current = [word] if word.kind == "prefix" else []
            continue
        if word.kind == "suffix" and not current:
            continue
        current.append(word)
    if current:
        runs.append(current)
    return runs


def candidates(text: str) -> list[Candidate]:
    """Every term candidate of a Japanese sentence: the pieces of its noun runs, Latin runs.

    >>> sorted({c.text for c in candidates("国際戦略局の紹介")})
    ['国際', '国際戦略', '国際戦略局', '戦略', '戦略局', '紹介']
    """
    found: dict[tuple[int, int], Candidate] = {}
    for run in _runs(words(text)):
        for i in range(len(run)):
            if run[i].kind == "suffix":
                continue
            for j in range(i + 1, min(i + MAX_WORDS, len(run)) + 1):
                piece = run[i:j]
                if piece[-1].kind == "prefix":
                    continue
                start, end = piece[0].start, piece[-1].start + len(piece[-1].surface)
                surface = text[start:end]
                if len(surface) < 2:  # one kanji (寺, 宮) is too ambiguous to be a term
                    continue
                pron = "" if any(not w.pron for w in piece) else "".join(w.pron for w in piece)
                found[(start, end)] = Candidate(surface, start, end, len(piece), pron)
    for match in _LATIN_RUN.finditer(text):
        start, end = match.span()
        if end - start >= 2 and (start, end) not in found:
            found[(start, end)] = Candidate(text[start:end], start, end, 1, "")
    return sorted(found.values(), key=lambda c: (c.start, c.end))
