"""Lexical anchors: what two sentences share whatever their lengths.

A length model cannot tell a caption from a heading of the same size; anchors can. Each
sentence gets a multiset of *features*, and two sentences that share features are likely
translations of each other:

- **numbers**, read through NFKC (full-width digits), thousands separators, kanji numerals
  before a counter (三年 → 3), 万/億/兆 and million/billion, Japanese era years (令和4年 →
  2022, also kept as 4), month names (April → 4) and small number words (six → 6);
- **Latin-script tokens** written on the Japanese side (ICT, 5G, WTO, G7, SDGs), found again on
  the English side;
- **names** written in kanji on one side and in romaji on the other (雪舟 ↔ Sesshu), read
  with MeCab (:mod:`taiyaku.align.romaji`);
- **glossary pairs**: a Japanese term on one side and one of its English renderings on the
  other (国際戦略局 ↔ Global Strategy Bureau);
- **quotations**: 「」/『』 against quoted English.

Brackets are not anchors: a Japanese sentence's brackets mostly hold readings (壱越調
（いちこつちょう）) and an English one's explanations the Japanese lacks, so counting them
paired the wrong sentences (kyoto-wiki-ja-en perturbed, every 16th document: strict F1 0.9678
with them, 0.9705 without).

Features are counted per language, so the code is the same for ja→en and en→ja.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from taiyaku.align.romaji import Names
from taiyaku.text.chars import JAPANESE_CHAR
from taiyaku.text.numbers import (
    EN_SCALES,
    JA_ERAS,
    JA_SCALES,
    KANJI_NUMBER,
    MONTH_NUMBER,
    NUMBER,
    era_year,
    kanji_number,
    number_value,
)

# Weights in "matched feature" units: a shared year says more than a shared quotation.
WEIGHTS = {
    "num": 1.0,
    "small": 0.5,
    "latin": 1.0,
    "term": 1.5,
    "name": 1.0,
    "quote": 0.4,
    "lex": 0.25,
    # 0.4 rather than 0.25 since a Japanese topic repeated in two sentences counts once in
    # their 2-1 bead (kyoto-wiki perturbed strict F1, every 16th document 0.9737 → 0.9763,
    # the 16th from the 4th and from the 8th, not tuned on, 0.9665 → 0.9698 and 0.9681 →
    # 0.9705; plain unchanged at 0.9982). 0.45 and more cost the plain variant (0.9978).
    "dict": 0.4,
}

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
    if i >= 2  # "one" is mostly "one of", not a number
}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'\-]*|\d+[A-Za-z][A-Za-z0-9\-]*")


@dataclass(frozen=True)
class Features:
    """The anchor features of one sentence: feature → count, and their weighted total."""

    counts: Counter[str]
    total: float


_ERA_YEAR = re.compile(rf"({JA_ERAS})\s*(元|\d{{1,2}})\s*年")
_JA_NUMBER = re.compile(rf"({NUMBER})\s*([万億兆])?")
_EN_NUMBER = re.compile(rf"({NUMBER})(?:\s*(thousand|million|billion|trillion)\b)?", re.I)
_KANJI_NUMBER = re.compile(KANJI_NUMBER)


def _numbers_ja(text: str) -> list[str]:
    out = [_number_feature(float(kanji_number(k))) for k in _KANJI_NUMBER.findall(text)]
    for era, year in _ERA_YEAR.findall(text):
        out.append(_number_feature(float(era_year(era, year))))
    for digits, scale in _JA_NUMBER.findall(text):
        value = number_value(digits)
        if scale:
            out.append(_number_feature(value * JA_SCALES[scale]))
        out.append(_number_feature(value))
    return out


def _numbers_en(text: str) -> list[str]:
    out = []
    for digits, scale in _EN_NUMBER.findall(text):
        value = number_value(digits)
        if scale:
            out.append(_number_feature(value * EN_SCALES[scale.lower()]))
        out.append(_number_feature(value))
    for word in re.findall(r"[A-Za-z]+", text):
        lower = word.lower()
        if lower in MONTH_NUMBER and word[0].isupper():  # "may" the verb is not May
            out.append(_number_feature(float(MONTH_NUMBER[lower])))
        elif lower in _NUMBER_WORDS:
            out.append(_number_feature(float(_NUMBER_WORDS[lower])))
    return out


def _number_feature(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return f"{'small' if value < 10 else 'num'}:{text}"


def _quotes(text: str, lang: str) -> list[str]:
    if lang == "ja":
        quotes = text.count("「") + text.count("『")
    else:
        quotes = text.count('"') // 2 + text.count("“")
    return ["quote:"] * quotes


def _kind(feature: str) -> str:
    return feature.split(":", 1)[0]


def latin_vocabulary(japanese_texts: Iterable[str]) -> frozenset[str]:
    """The Latin-script tokens written in Japanese text (lower-cased, NFKC)."""
    vocabulary: set[str] = set()
    for text in japanese_texts:
        folded = unicodedata.normalize("NFKC", text)
        vocabulary.update(w.lower() for w in _WORD.findall(folded) if len(w) >= 2)
    return frozenset(vocabulary)


class FeatureExtractor:
    """Turns the sentences of one document pair into :class:`Features`.

    :param japanese: every Japanese sentence of the pair (to learn its Latin vocabulary)
    :param english: every English sentence of the pair (to keep only glossary terms present)
    :param glossary: ``(ja, en)`` term pairs to use as anchors
    :param names: match names in kanji with their romaji (:class:`~taiyaku.align.romaji.Names`)
    """

    def __init__(
        self,
        japanese: Sequence[str],
        english: Sequence[str],
        glossary: Iterable[tuple[str, str]] = (),
        *,
        names: bool = True,
    ):
        self.latin = latin_vocabulary(japanese)
        self.names = Names(japanese, english) if names else None
        ja_all = unicodedata.normalize("NFKC", "\n".join(japanese))
        en_all = unicodedata.normalize("NFKC", "\n".join(english)).casefold()
        terms: dict[str, set[str]] = {}
        for ja, en in glossary:
            ja_key = unicodedata.normalize("NFKC", ja).strip()
            for en_key in _english_variants(en):
                # Only pairs seen on both sides can anchor anything; a one-character
                # Japanese term would match everywhere.
                if len(ja_key) >= 2 and ja_key in ja_all and _english_term(en_key).search(en_all):
                    terms.setdefault(ja_key, set()).add(en_key)
        self.en_to_ja: dict[str, str] = {}
        for ja_key, ens in terms.items():
            for en_key in ens:
                self.en_to_ja.setdefault(en_key, ja_key)
        # One alternation each, longest first, so 国際戦略局 wins over 国際戦略.
        self.ja_pattern = _alternation(terms, english=False)
        self.en_pattern = _alternation(self.en_to_ja, english=True)

    def _english_key(self, found: str) -> str:
        for key in (found, found[:-1], found[:-2]):  # the term, or its plural
            if key in self.en_to_ja:
                return self.en_to_ja[key]
        return found

    def features(self, text: str, lang: str) -> Features:
        """The anchor features of one sentence written in ``lang`` (``ja`` or ``en``)."""
        folded = unicodedata.normalize("NFKC", text)
        found: list[str] = []
        if lang == "ja" and JAPANESE_CHAR.search(folded):
            found += _numbers_ja(folded)
            found += ["latin:" + w.lower() for w in _WORD.findall(folded) if len(w) >= 2]
            if self.ja_pattern is not None:
                found += ["term:" + m.group(0) for m in self.ja_pattern.finditer(folded)]
            if self.names is not None:
                found += self.names.features(text, "ja")
        else:
            # English, or a Latin-only line on the Japanese side (an English heading).
            found += _numbers_en(folded)
            found += [
                "latin:" + w.lower() for w in _WORD.findall(folded) if w.lower() in self.latin
            ]
            if self.en_pattern is not None:
                found += [
                    "term:" + self._english_key(m.group(0))
                    for m in self.en_pattern.finditer(folded.casefold())
                ]
            if self.names is not None:
                found += self.names.features(text, "en")
        found += _quotes(folded, "ja" if JAPANESE_CHAR.search(folded) else "en")
        counts = Counter(found)
        return Features(counts, sum(WEIGHTS[_kind(f)] * n for f, n in counts.items()))


def _english_variants(term: str) -> list[str]:
    """``Data Free Flow with Trust (DFFT)`` is also written without its abbreviation."""
    key = unicodedata.normalize("NFKC", term).casefold().strip()
    variants = [key]
    short = re.sub(r"\s*\([^)]*\)$", "", key)
    if short != key and len(short) >= 2:
        variants.append(short)
    return [v for v in variants if len(v) >= 2]


def _english_term(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?:s|es)?(?!\w)")


def _alternation(keys: Iterable[str], *, english: bool) -> re.Pattern[str] | None:
    ordered = sorted(keys, key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(k) for k in ordered)
    if english:  # whole words only: "MIC" is not in "economic"
        return re.compile(rf"(?<!\w)(?:{body})(?:s|es)?(?!\w)")
    return re.compile(body)


def shared_weight(a: Features, b: Features, weights: dict[str, float] | None = None) -> float:
    """The weighted number of features ``a`` and ``b`` have in common."""
    if len(a.counts) > len(b.counts):
        a, b = b, a
    total = 0.0
    for feature, count in a.counts.items():
        other = b.counts.get(feature)
        if other:
            weight = weights[feature] if weights else WEIGHTS[_kind(feature)]
            total += weight * min(count, other)
    return total


def merge(features: Iterable[Features]) -> Features:
    """The features of several sentences taken together (a block)."""
    counts: Counter[str] = Counter()
    total = 0.0
    for f in features:
        counts.update(f.counts)
        total += f.total
    return Features(counts, total)


def document_weights(*sides: Sequence[Features], common: int = 3) -> dict[str, float]:
    """Weight of each feature in one document pair: its kind's weight, less when common.

    A feature found in more than ``common`` sentences of one side (総務省 ↔ MIC on a ministry
    page, a year an article keeps repeating) says little about which sentence goes where.

    :param sides: the features of the source and of the target sentences
    :param common: how many sentences a feature may appear in at full weight
    """
    frequency: Counter[str] = Counter()
    for side in sides:
        seen: Counter[str] = Counter()
        for f in side:
            seen.update(f.counts.keys())
        for feature, n in seen.items():
            frequency[feature] = max(frequency[feature], n)
    weights = {}
    for feature, n in frequency.items():
        kind = _kind(feature)
        # Only names are discounted: quotations and numbers keep helping however common.
        discount = min(1.0, common / n) if kind in ("term", "latin", "name", "lex", "dict") else 1.0
        weights[feature] = WEIGHTS[kind] * discount
    return weights


def reweigh(features: Sequence[Features], weights: dict[str, float]) -> list[Features]:
    """``features`` with totals recomputed under per-document ``weights``."""
    return [Features(f.counts, sum(weights[k] * n for k, n in f.counts.items())) for f in features]
