"""English renderings a Japanese term could have: the word n-grams of its translations.

An English term is a run of words inside one phrase (punctuation and brackets end a phrase)
that neither starts nor ends with a function word (``of``, ``the``, ``and``): "Global Strategy
Bureau", "Kiyomizu-dera Temple", "Ministry of Internal Affairs and Communications". Each
n-gram is keyed by the glossary's English lookup key (:func:`taiyaku.text.keys.en_lookup_key`:
case, plurals and hyphens folded), so "Temples" and "temple" count as one rendering; the
spelling shown is the one seen most often.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MAX_WORDS = 7

_PHRASE_BREAK = re.compile(r"[,.;:!?()\[\]{}\"“”‘’—–/]|\s-\s|'(?=\s)|(?<=\s)'")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f'\-]*")
FUNCTION_WORDS = frozenset(
    """a an the of in on at to for from by with and or but as is was are were be been being
    it its this that these those which who whom whose he she they his her their there also
    not no into onto than then so such when where while after before during about over under
    between through up down out one two three has have had do does did can could may might
    will would should shall must very more most some any all each other both either neither
    we our you your i me my him them us what how why if because though although until since""".split()
)


@dataclass(frozen=True)
class Gram:
    """An English n-gram of a sentence.

    :param text: as written
    :param key: its lookup key (what counts as the same rendering)
    :param words: how many words
    :param start: offset in the sentence
    :param end: offset just past it
    """

    text: str
    key: str
    words: int
    start: int
    end: int


@functools.lru_cache(maxsize=100_000)
def grams(text: str) -> tuple[Gram, ...]:
    """The n-grams of an English sentence that could be a term's rendering.

    >>> [g.text for g in grams("the Global Strategy Bureau")]
    ['Global', 'Global Strategy', 'Global Strategy Bureau', 'Strategy', 'Strategy Bureau', 'Bureau']
    """
    from taiyaku.text.keys import en_lookup_key

    out: list[Gram] = []
    start = 0
    for cut in [*(m.start() for m in _PHRASE_BREAK.finditer(text)), len(text)]:
        phrase = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:cut])]
        start = cut + 1
        for i in range(len(phrase)):
            if _function(text, phrase[i]):
                continue
            for j in range(i, min(i + MAX_WORDS, len(phrase))):
                if _function(text, phrase[j]):
                    continue
                first, last = phrase[i][0], phrase[j][1]
                surface = text[first:last]
                out.append(Gram(surface, en_lookup_key(surface), j - i + 1, first, last))
    return tuple(out)


def _function(text: str, span: tuple[int, int]) -> bool:
    word = text[span[0] : span[1]]
    return word.casefold() in FUNCTION_WORDS or word.isdigit()
