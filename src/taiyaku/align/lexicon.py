"""Word associations a document pair teaches about itself, as hunalign's second pass does.

Numbers, Latin tokens and names anchor only the sentences that carry them; most sentences
carry none, and a sentence left untranslated then looks, by length, like half of a 2-1 bead.
The pair itself knows more: the 1-1 beads of a first pass that lengths and anchors agree on
are mostly right, and across them a Japanese word keeps meeting the same English word
(寺 with "temple", 天皇 with "emperor"). Those associations become anchors for a second pass.

Japanese is not segmented into words here: its *terms* are the runs of kanji and of
katakana, and the kanji pairs inside longer runs (国際機関 → 国際, 際機, 機関), which needs no
dictionary and no tagger. English words are lower-cased, stop words left out and a plural
``s`` removed. A (term, word) association is kept when it is seen in at least
``MIN_PAIRS`` beads and its Dice coefficient is at least ``MIN_DICE``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

MIN_PAIRS = 2
MIN_DICE = 0.5

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]{1,}|[\u30a1-\u30faー]{2,}")
_EN_WORD = re.compile(r"[a-z][a-z'\-]{2,}")
_STOP = frozenset(
    "the and for was were are with that this from which also has have had been its his her "
    "their they them there these those into than then when where who whom what while such "
    "not but can could would should may might will shall about after before during over "
    "under between other some many most more one two three all any each both only very "
    "called known said".split()
)


def japanese_terms(text: str) -> set[str]:
    """Kanji and katakana runs of a Japanese sentence, and the kanji pairs inside them."""
    terms = set()
    for run in _RUN.findall(unicodedata.normalize("NFKC", text)):
        if len(run) >= 2:
            terms.add(run)
        if len(run) > 2 and not ("\u30a1" <= run[0] <= "\u30fa" or run[0] == "ー"):
            terms.update(run[k : k + 2] for k in range(len(run) - 1))
    return terms


def english_words(text: str) -> set[str]:
    """Content words of an English sentence, lower-cased, a plural ``s`` removed."""
    words = set()
    for word in _EN_WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        if word in _STOP:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words


def associations(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Japanese term → the English words it goes with, learnt from ``(ja, en)`` pairs."""
    sides = [(japanese_terms(ja), english_words(en)) for ja, en in pairs]
    term_count: Counter[str] = Counter()
    word_count: Counter[str] = Counter()
    for terms, words in sides:
        term_count.update(terms)
        word_count.update(words)
    # Only a term and a word each seen MIN_PAIRS times can meet that often: counting the
    # other pairs would cost most of the time and memory for nothing.
    both: Counter[tuple[str, str]] = Counter()
    for terms, words in sides:
        frequent_words = [w for w in words if word_count[w] >= MIN_PAIRS]
        both.update((t, w) for t in terms if term_count[t] >= MIN_PAIRS for w in frequent_words)
    out: dict[str, set[str]] = {}
    for (term, word), n in both.items():
        if n >= MIN_PAIRS and 2 * n / (term_count[term] + word_count[word]) >= MIN_DICE:
            out.setdefault(term, set()).add(word)
    return out


class Lexicon:
    """``lex:`` features of sentences, from a document pair's own associations.

    :param table: Japanese term → the English words it goes with
    :param kind: the features' kind (``lex``; ``dict`` for a bilingual dictionary's pairs)
    """

    def __init__(self, table: dict[str, set[str]] | dict[str, frozenset[str]], kind: str = "lex"):
        self.table = table
        self.kind = kind
        self.by_word: dict[str, list[str]] = {}
        for term, words in table.items():
            for word in words:
                self.by_word.setdefault(word, []).append(term)

    def __bool__(self) -> bool:
        return bool(self.table)

    def features(self, text: str, lang: str) -> list[str]:
        """One ``lex:term`` feature per associated term (Japanese) or per term a word
        goes with (English), so that a pair shares a feature for each association."""
        prefix = self.kind + ":"
        # Sorted: the terms come from sets, and in hash order the anchor weights summed from
        # them differed in their last bit from one run to the next (so did confidence).
        if lang == "ja":
            return [prefix + t for t in sorted(japanese_terms(text)) if t in self.table]
        found: set[str] = set()
        for word in english_words(text):
            found.update(self.by_word.get(word, ()))
        return [prefix + t for t in sorted(found)]


def learn(
    source: Sequence[str],
    target: Sequence[str],
    beads: Iterable[tuple[tuple[int, ...], tuple[int, ...]]],
    source_lang: str,
) -> Lexicon:
    """The lexicon of a document pair from the 1-1 beads of a first pass."""
    pairs = []
    for src, tgt in beads:
        if len(src) == 1 and len(tgt) == 1:
            s, t = source[src[0]], target[tgt[0]]
            pairs.append((s, t) if source_lang == "ja" else (t, s))
    return Lexicon(associations(pairs))
