"""Readings and standard spellings of Japanese terms, from UniDic through MeCab.

A term's reading (国際戦略局 → コクサイセンリャクキョク) lets a translator find it by typing
``kokusai senryaku`` or ``こくさいせんりゃく``; its standard spelling folds the variants a
maintained dictionary knows (old kanji forms: 國際 → 国際, 戰 → 戦; okurigana: 取扱い →
取り扱い). Both come from one MeCab pass with ``unidic-lite`` (NINJAL's UniDic, shipped
inside the package: nothing is downloaded at run time), about 12 µs a term, which keeps a
52,000-term import within its time budget (pykakasi takes about 100 µs).

UniDic's lemma (語彙素) is used as the standard spelling of a word only when it still has
kanji and the word is not inflected: proper nouns have katakana lemmas (廣島 → ヒロシマ) and
verbs their dictionary form (取り扱う), neither of which is a spelling of the term.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from taiyaku.text.chars import is_kana, is_kanji
from taiyaku.text.tagger import tag


@dataclass(frozen=True)
class Analysis:
    """A term's reading (katakana, as UniDic gives it) and its standard spelling."""

    reading: str
    standard: str


@functools.lru_cache(maxsize=65536)
def analyse(text: str) -> Analysis:
    """Return the reading and standard spelling of a Japanese term or query.

    Text MeCab gives no reading for (digits, Latin letters, symbols) is kept as written.
    """
    if not any(is_kanji(c) or is_kana(c) for c in text):
        return Analysis(text, text)
    reading: list[str] = []
    standard: list[str] = []
    words = [(w.surface, w.feature, w.white_space) for w in tag(text, named=True)]
    for surface, feature, space in words:
        kana = getattr(feature, "kana", None) or ""
        lemma = getattr(feature, "lemma", None) or ""
        base = getattr(feature, "kanaBase", None) or ""
        reading.append(space + (kana or surface))
        uninflected = kana == base
        use_lemma = (
            lemma
            and uninflected
            and any(is_kanji(c) for c in lemma)
            and "-" not in lemma  # UniDic marks some lemmas with a gloss: "ノート-note"
        )
        standard.append(space + (lemma if use_lemma else surface))
    return Analysis("".join(reading), "".join(standard))
