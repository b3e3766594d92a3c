"""Term recognition: every glossary term occurring in a sentence, with its position.

Two Aho–Corasick automata (pyahocorasick) hold the find keys of the glossary
(:mod:`taiyaku.text.keys`): one of the Japanese terms, matched anywhere (Japanese has no
word boundaries, so a two-character term such as 政府 is found inside 日本政府は), and one of
the English terms, matched on whole words of the folded text (case and plural variants
meet: ``Governments`` finds ``government``; ``govern`` is not found inside ``government``). The text is folded character by character with a map back to its
original offsets, so occurrences report positions in the text as given.

Overlapping occurrences are resolved longest first: of 国際戦略局 and 国際 at the same place,
国際戦略局 wins; a shorter term is kept only where it overlaps no longer one. Every entry
with the winning key is reported (a Japanese term with three English renderings gives three
occurrences at the same span), ordered by status, preferred first.

The automata are built once per glossary version (about 0.4 s for 52,000 terms) and cached
in the process (:mod:`taiyaku.glossary.cache`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from taiyaku.glossary.cache import cached
from taiyaku.models import STATUSES, Side, Term
from taiyaku.store.db import Db
from taiyaku.store.glossary import GlossaryStore
from taiyaku.text.keys import en_words, fold_ja_with_offsets

SIDES: tuple[Side, ...] = ("ja", "en")


@dataclass(frozen=True)
class TermOccurrence:
    """A glossary term found in a text.

    :param start: offset of its first character in the text (Python string index)
    :param end: offset just past its last character (``text[start:end]`` is ``text``)
    :param text: the text as it occurs, which may differ from the term by width, case, ...
    :param term: the glossary entry
    :param side: which side of the entry occurred: ``ja`` or ``en``
    """

    start: int
    end: int
    text: str
    term: Term
    side: Side

    def to_dict(self) -> dict[str, Any]:
        """The occurrence as plain JSON values (``term`` as a term dict)."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "term": self.term.to_dict(),
            "side": self.side,
        }


@dataclass
class TermAutomata:
    """The automata of one glossary version: key → (key length, term ids)."""

    ja: Any
    en: Any
    terms: int

    @classmethod
    def build(cls, store: GlossaryStore) -> TermAutomata:
        import ahocorasick

        by_key: dict[str, dict[str, list[int]]] = {"ja": defaultdict(list), "en": defaultdict(list)}
        count = 0
        for term_id, ja_key, en_key in store.find_keys():
            count += 1
            if ja_key:
                by_key["ja"][ja_key].append(term_id)
            if en_key:
                by_key["en"][en_key].append(term_id)
        automata = []
        for side in SIDES:
            automaton = ahocorasick.Automaton()
            for key, ids in by_key[side].items():
                automaton.add_word(key, (len(key), tuple(ids)))
            if len(automaton):
                automaton.make_automaton()
            automata.append(automaton)
        return cls(automata[0], automata[1], count)


def term_automata(store: GlossaryStore) -> TermAutomata:
    """The automata of the store's current glossary (built once per version, then cached)."""
    return cached(store, "automata", lambda: TermAutomata.build(store))


def find_terms(
    glossary: GlossaryStore | Db, text: str, *, sides: tuple[Side, ...] = SIDES
) -> list[TermOccurrence]:
    """Return every glossary term occurring in ``text``, in text order.

    :param glossary: a glossary (:class:`GlossaryStore`) or its database
    :param text: a sentence or a paragraph, Japanese or English (or both)
    :param sides: which sides of the entries to look for: ``("ja",)`` for a Japanese
        source, ``("en",)`` for an English one; both by default
    """
    if not isinstance(glossary, GlossaryStore):
        glossary = GlossaryStore(glossary)
    automata = term_automata(glossary)
    spans: list[tuple[int, int, Side, tuple[int, ...]]] = []
    if "ja" in sides and len(automata.ja):
        spans += _find_ja(automata.ja, text)
    if "en" in sides and len(automata.en):
        spans += _find_en(automata.en, text)
    chosen = _longest_first(spans)
    terms = glossary.get_many(i for *_, ids in chosen for i in ids)
    rank: dict[str, int] = {status: i for i, status in enumerate(STATUSES)}
    found = []
    for start, end, side, ids in chosen:
        entries = sorted(
            (terms[i] for i in ids if i in terms), key=lambda t: (rank[t.status], t.id or 0)
        )
        found += [TermOccurrence(start, end, text[start:end], t, side) for t in entries]
    return found


def _find_ja(automaton: Any, text: str) -> list[tuple[int, int, Side, tuple[int, ...]]]:
    folded, starts, ends = fold_ja_with_offsets(text)
    spans: list[tuple[int, int, Side, tuple[int, ...]]] = []
    for last, (length, ids) in automaton.iter(folded):
        first = last - length + 1
        spans.append((starts[first], ends[last], "ja", ids))
    return spans


def _find_en(automaton: Any, text: str) -> list[tuple[int, int, Side, tuple[int, ...]]]:
    words = en_words(text)
    if not words:
        return []
    # The folded words joined by one space, and which folded offsets begin and end a word.
    word_at_start: dict[int, int] = {}
    word_at_end: dict[int, int] = {}
    offset = 0
    for number, (word, _, _) in enumerate(words):
        word_at_start[offset] = number
        word_at_end[offset + len(word) - 1] = number
        offset += len(word) + 1
    folded = " ".join(word for word, _, _ in words)
    spans: list[tuple[int, int, Side, tuple[int, ...]]] = []
    for last, (length, ids) in automaton.iter(folded):
        first = last - length + 1
        if first in word_at_start and last in word_at_end:
            start = words[word_at_start[first]][1]
            end = words[word_at_end[last]][2]
            spans.append((start, end, "en", ids))
    return spans


def _longest_first(
    spans: list[tuple[int, int, Side, tuple[int, ...]]],
) -> list[tuple[int, int, Side, tuple[int, ...]]]:
    """Keep the longest spans; a shorter one only where it overlaps no kept span."""
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0], SIDES.index(s[2])))
    taken: list[tuple[int, int]] = []
    kept = []
    for span in spans:
        start, end = span[0], span[1]
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        kept.append(span)
    kept.sort(key=lambda s: (s[0], s[1], s[2]))
    return kept
