"""Bilingual term extraction: Japanese term candidates paired with their English in the TM.

Three steps over the aligned units of a TM (Japanese on either side):

1. **Termhood.** Every noun-run piece of the Japanese (:mod:`.japanese`) is counted by units.
   C-value (Frantzi, Ananiadou and Mima 2000) rewards a candidate that is frequent and long
   and discounts the occurrences it owes to longer candidates containing it: 戦略局 inside
   国際戦略局 every time is not a term of its own. Single words get ``log2(1 + 1) = 1`` so
   they are not ruled out (``雪舟``, ``ユネスコ``).
2. **Pairing.** For the best candidates, the English n-grams (:mod:`.english`) of the units
   they occur in are scored by the Dice coefficient of the two unit sets,
   ``2·|both| / (|ja| + |en|)``: an n-gram that appears wherever the term does, and rarely
   elsewhere, is its translation. Transliteration counts too: a candidate's UniDic
   pronunciation in romaji (:mod:`taiyaku.text.romaji`) close to the n-gram's letters
   (雪舟 ↔ Sesshu, 東山 ↔ Higashiyama) adds to the score. Known pairs are fixed anchors: in a
   unit where a glossary term and its English both occur, the words of that English are
   not offered to other candidates; n-grams with digits only go to candidates with digits.
3. **Ranking.** ``score = association × log2(1 + units with both) × independence``, where
   independence is ``1 − f(longest-lived container) / f(candidate)``, the share of its
   occurrences not owed to the one longer candidate it most often sits in: a pair seen
   often and consistently first, and 総務 (nearly always inside 総務省) last. (C-value's
   average over all containers forgives a piece that sits in one frequent term and a
   few rare ones.)

The frequency-only baseline (``method="frequency"``) ranks candidates by how many units they
occur in and pairs each with the n-gram it co-occurs with most: what the benchmark compares to.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from taiyaku.extract.english import Gram, grams
from taiyaku.extract.japanese import candidates
from taiyaku.models import Term, Unit
from taiyaku.text.lang import primary_lang

METHODS = ("combined", "frequency")
# Units looked at per candidate when pairing: enough for a stable Dice, bounded time for 京都.
_SAMPLE = 400
_TRANSLIT_MIN = 0.8
_TRANSLIT_WEIGHT = 0.3
_EXTEND_SHARE = 0.7
_EXTEND_MIN = 3


@dataclass(frozen=True)
class Example:
    """A unit a candidate pair occurs in: its id (if stored), document and texts."""

    unit_id: int | None
    document: str | None
    ja: str
    en: str


@dataclass(frozen=True)
class TermCandidate:
    """A Japanese term candidate with its most likely English rendering.

    :param ja: the Japanese term as written
    :param en: its English rendering (the most frequent spelling of the best n-gram);
        empty when no n-gram co-occurs often enough
    :param score: the ranking score (higher first)
    :param count: units the Japanese occurs in
    :param together: units where both the Japanese and the English occur
    :param termhood: the C-value of the Japanese
    :param association: Dice of the pair, plus the transliteration bonus
    :param transliterated: the English spells the Japanese reading (雪舟 ↔ Sesshu)
    :param documents: the documents the pair occurs in, most frequent first
    :param examples: up to two units with both
    :param glossary: ``new`` (no entry for the Japanese), ``same`` (an entry with this
        English) or ``different`` (entries with other English)
    :param glossary_en: the English of the existing entries for the Japanese
    :param alternatives: the next best renderings
    """

    ja: str
    en: str
    score: float
    count: int
    together: int
    termhood: float
    association: float
    transliterated: bool
    documents: tuple[str, ...]
    examples: tuple[Example, ...]
    glossary: str
    glossary_en: tuple[str, ...]
    alternatives: tuple[str, ...]


@dataclass
class _Corpus:
    """What the first pass keeps: the unit texts and where each candidate occurs."""

    ja: list[str]
    en: list[str]
    ids: list[int | None]
    documents: list[str | None]
    occurrences: dict[str, list[int]]
    nested: dict[str, set[str]]
    words: dict[str, int]
    prons: dict[str, str]
    gram_units: Counter[str]


def _read(units: Iterable[Unit], progress: Callable[[int], None] | None) -> _Corpus:
    corpus = _Corpus([], [], [], [], defaultdict(list), {}, {}, {}, Counter())
    for unit in units:
        if primary_lang(unit.source_lang) == "ja" and primary_lang(unit.target_lang) == "en":
            ja, en = unit.source_text, unit.target_text
        elif primary_lang(unit.source_lang) == "en" and primary_lang(unit.target_lang) == "ja":
            ja, en = unit.target_text, unit.source_text
        else:
            continue
        index = len(corpus.ja)
        corpus.ja.append(ja)
        corpus.en.append(en)
        corpus.ids.append(unit.id)
        corpus.documents.append(unit.document)
        found = candidates(ja)
        seen: set[str] = set()
        for c in found:
            if c.text not in seen:
                seen.add(c.text)
                corpus.occurrences[c.text].append(index)
            if c.text not in corpus.nested:
                corpus.words[c.text] = c.words
                corpus.prons[c.text] = c.pron
                corpus.nested[c.text] = {
                    d.text
                    for d in found
                    if c.start <= d.start
                    and d.end <= c.end
                    and (d.start, d.end) != (c.start, c.end)
                }
        corpus.gram_units.update({g.key for g in grams(en)})
        if progress:
            progress(1)
    return corpus


def c_values(corpus: _Corpus) -> dict[str, float]:
    """C-value of every candidate (see the module docstring)."""
    frequency = {text: len(units) for text, units in corpus.occurrences.items()}
    containers: dict[str, list[int]] = defaultdict(list)
    for longer, inside in corpus.nested.items():
        for shorter in inside:
            containers[shorter].append(frequency[longer])
    values = {}
    for text, f in frequency.items():
        weight = math.log2(1 + corpus.words[text])
        outer = containers.get(text)
        values[text] = weight * (f - sum(outer) / len(outer) if outer else f)
    return values


def extract_terms(
    units: Iterable[Unit],
    *,
    glossary_terms: Iterable[Term] = (),
    min_count: int = 2,
    limit: int | None = 200,
    method: str = "combined",
    progress: Callable[[int], None] | None = None,
) -> list[TermCandidate]:
    """Extract bilingual term candidates from aligned units, best first.

    :param units: aligned Japanese↔English units (either direction); others are skipped
    :param glossary_terms: the existing glossary: anchors, and each candidate's status
    :param min_count: a candidate must occur in at least this many units
    :param limit: at most this many candidates (``None``: all)
    :param method: ``combined`` (C-value, Dice, transliteration) or ``frequency`` (the
        baseline: most frequent Japanese, most frequent co-occurring English)
    :param progress: called with 1 after each unit read
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    from taiyaku.text.keys import en_lookup_key, ja_find_key

    terms = [t for t in glossary_terms]
    by_ja: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        by_ja[ja_find_key(term.ja)].append(term)
    corpus = _read(units, progress)
    anchors = _Anchors(terms)
    frequency = {text: len(found) for text, found in corpus.occurrences.items()}
    eligible = [t for t, f in frequency.items() if f >= min_count]
    if method == "frequency":
        termhood = {t: float(frequency[t]) for t in eligible}
    else:
        values = c_values(corpus)
        termhood = {t: values[t] for t in eligible if values[t] > 0}
    # Pair the most termlike candidates only: several times what is asked for.
    ranked = sorted(termhood, key=lambda t: (-termhood[t], t))
    biggest_container: dict[str, int] = {}
    for longer, inside in corpus.nested.items():
        for shorter in inside:
            biggest_container[shorter] = max(biggest_container.get(shorter, 0), frequency[longer])
    if limit is not None:
        ranked = ranked[: max(limit * 5, 500)]
    results = []
    for ja in ranked:
        paired = _pair(corpus, ja, method, anchors)
        if paired is None:
            continue
        en, association, together, translit, alternatives, with_both = paired
        if method == "frequency":
            score = float(frequency[ja])
        else:
            # The share of the occurrences that are the term's own, not a longer term's.
            independence = 1 - biggest_container.get(ja, 0) / frequency[ja]
            score = association * math.log2(1 + together) * independence
        entries = by_ja.get(ja_find_key(ja), [])
        usable = [t for t in entries if t.status in ("preferred", "admitted")]
        if not entries:
            status = "new"
        elif any(en_lookup_key(t.en) == en_lookup_key(en) for t in usable):
            status = "same"
        else:
            status = "different"
        documents = Counter(d for i in with_both if (d := corpus.documents[i]))
        results.append(
            TermCandidate(
                ja=ja,
                en=en,
                score=round(score, 4),
                count=frequency[ja],
                together=together,
                termhood=round(termhood[ja], 3),
                association=round(association, 4),
                transliterated=translit,
                documents=tuple(d for d, _ in documents.most_common()),
                examples=tuple(
                    Example(corpus.ids[i], corpus.documents[i], corpus.ja[i], corpus.en[i])
                    for i in with_both[:2]
                ),
                glossary=status,
                glossary_en=tuple(dict.fromkeys(t.en for t in entries)),
                alternatives=alternatives,
            )
        )
    results.sort(key=lambda c: (-c.score, -c.count, c.ja))
    return results[:limit] if limit is not None else results


class _Anchors:
    """Glossary pairs as fixed links: the English of a known term is not another's."""

    def __init__(self, terms: list[Term]):
        from taiyaku.text.keys import en_find_key, ja_find_key

        self.pairs: dict[str, set[str]] = defaultdict(set)
        for term in terms:
            if term.status in ("preferred", "admitted"):
                key = en_find_key(term.en)
                if key:
                    self.pairs[ja_find_key(term.ja)].add(key)

    def blocked(self, ja: str, en: str, candidate: str) -> list[tuple[int, int]]:
        """Spans of ``en`` that translate a glossary term of ``ja`` other than ``candidate``."""
        if not self.pairs:
            return []
        from taiyaku.text.keys import en_words, fold_ja_with_offsets, ja_find_key

        folded = fold_ja_with_offsets(ja)[0]
        mine = ja_find_key(candidate)
        words = en_words(en)
        spans = []
        for ja_key, en_keys in self.pairs.items():
            if ja_key == mine or ja_key not in folded or ja_key in mine or mine in ja_key:
                continue
            for en_key in en_keys:
                size = en_key.count(" ") + 1
                for i in range(len(words) - size + 1):
                    if " ".join(w for w, _, _ in words[i : i + size]) == en_key:
                        spans.append((words[i][1], words[i + size - 1][2]))
        return spans


def _pair(
    corpus: _Corpus, ja: str, method: str, anchors: _Anchors
) -> tuple[str, float, int, bool, tuple[str, ...], list[int]] | None:
    """The best English n-gram for ``ja``: (text, association, units with both,
    transliterated, alternatives, the units with both)."""
    from taiyaku.text.romaji import fold_romaji as fold
    from taiyaku.text.romaji import romanise

    occurrences = corpus.occurrences[ja]
    sample = (
        occurrences
        if len(occurrences) <= _SAMPLE
        else occurrences[:: len(occurrences) // _SAMPLE + 1]
    )
    scale = len(occurrences) / len(sample)
    has_digit = any(c.isdigit() for c in ja)
    together: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[str, list[int]] = defaultdict(list)
    for index in sample:
        en = corpus.en[index]
        blocked = anchors.blocked(corpus.ja[index], en, ja)
        seen: set[str] = set()
        for gram in grams(en):
            if not gram.key or (not has_digit and any(c.isdigit() for c in gram.text)):
                continue
            if any(gram.start < e and s < gram.end for s, e in blocked):
                continue
            spelling[gram.key][gram.text] += 1
            if gram.key not in seen:
                seen.add(gram.key)
                together[gram.key] += 1
                where[gram.key].append(index)
    if not together:
        return None
    count = len(occurrences)
    reading = romanise(corpus.prons[ja]) if corpus.prons.get(ja) else ""
    scored: list[tuple[float, int, str, bool]] = []
    for key, both in together.items():
        both_all = both * scale
        if method == "frequency":
            scored.append((both_all, _words(spelling[key]), key, False))
            continue
        if both < 2 and count >= 2:
            continue
        dice = 2 * both_all / (count + corpus.gram_units[key])
        translit = False
        if reading and len(reading) >= 4:
            from rapidfuzz.fuzz import ratio

            letters = fold(key)
            if ratio(reading, letters) / 100 >= _TRANSLIT_MIN:
                translit = True
                dice += _TRANSLIT_WEIGHT
        scored.append((dice, _words(spelling[key]), key, translit))
    if not scored:
        return None
    # Equal scores (every n-gram around a rare term seen as often): the longest.
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    best, _, key, translit = scored[0]
    if method != "frequency":
        key = _extended(key, together, spelling)
    text = spelling[key].most_common(1)[0][0]
    alternatives = tuple(spelling[k].most_common(1)[0][0] for _, _, k, _ in scored[1:4])
    both_total = round(together[key] * scale)
    return text, best, both_total, translit, alternatives, where[key]


def _extended(key: str, together: Counter[str], spelling: dict[str, Counter[str]]) -> str:
    """The best n-gram grown by the words that nearly always come with it.

    Dice prefers the shortest form (``Enryaku-ji`` occurs wherever ``Enryaku-ji Temple``
    does); a word that follows or precedes it in most of those units belongs to the
    rendering: ``Enryaku-ji Temple``, ``Tendai sect``, ``Meiji period``.
    """
    while True:
        text = spelling[key].most_common(1)[0][0]
        longer = [
            (together[k], k)
            for k in together
            if k != key
            and together[k] >= max(_EXTEND_SHARE * together[key], _EXTEND_MIN)
            and _grows(spelling[k].most_common(1)[0][0], text)
        ]
        if not longer:
            return key
        key = max(longer)[1]


def _grows(longer: str, shorter: str) -> bool:
    """True when ``longer`` is ``shorter`` with one more word before or after it."""
    if longer.startswith(shorter + " "):
        return " " not in longer[len(shorter) + 1 :]
    if longer.endswith(" " + shorter):
        return " " not in longer[: -len(shorter) - 1]
    return False


def _words(spellings: Counter[str]) -> int:
    return spellings.most_common(1)[0][0].count(" ") + 1


__all__ = ["METHODS", "Example", "Gram", "TermCandidate", "c_values", "extract_terms"]
