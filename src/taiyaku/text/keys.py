"""Glossary keys: how a term is folded so that lookup forgives and recognition finds it.

Stored terms stay verbatim; beside each the store keeps the keys computed here (columns of
``terms`` added by migration ``m005``). They are a contract like
:func:`taiyaku.text.normalize.match_key`: changing what a function here returns means raising
:data:`KEYS_VERSION`, which is part of every database's key signature, so that the next
writing command recomputes the stored keys (:mod:`taiyaku.store.keys`).

**Find keys** (``ja_find``, ``en_find``) are what the recognizer's automaton holds. They fold
only character by character, so a sentence folded the same way keeps a map back to its
original positions (:func:`fold_ja_with_offsets`, :func:`en_words`):

- Japanese: NFKC (full/half width, half-width katakana with their voiced marks), old kanji
  forms made modern (總 → 総, 國 → 国, 辯 → 弁: :mod:`taiyaku.text.oldforms`), case
  folding, katakana → hiragana, iteration marks spelled out (人々 → 人人, いすゞ → いすず), a
  long-vowel mark ending a kana run dropped (コンピューター = コンピュータ), white space collapsed.
- English: words of Latin letters and digits, case-folded and made singular
  (``Policies`` → ``policy``), joined by one space; hyphens and punctuation separate words.

**Lookup keys** (``ja_fold``, ``en_fold``) forgive more, because they compare a query with a
whole term rather than scan running text:

- Japanese: the find key of UniDic's standard spelling of each word (old kanji forms and
  okurigana variants: 國際 → 国際, 取扱い → 取り扱い; see :mod:`taiyaku.text.readings`),
  then okurigana kana between two kanji dropped (取り扱い → 取扱い, 申し込み → 申込み).
- English: the find key without spaces, so ``e-mail``, ``e mail`` and ``email`` meet.

**Reading keys** (``ja_reading``) are the hiragana reading with long vowels folded
(``とうきょう``, ``ときょ`` and ``tōkyō`` meet), for queries typed in kana or romaji.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from taiyaku.text.chars import fold_char, is_kana, is_kanji
from taiyaku.text.romaji import reading_key

KEYS_VERSION = 2
"""The version of the rules of this module and of :func:`~taiyaku.text.normalize.match_key`:
raise it when a key changes (2: old kanji forms fold to the new, :mod:`taiyaku.text.oldforms`)."""

_VOICED = {chr(c): chr(c + 1) for c in range(0x304B, 0x3062, 2)}  # か→が .. ち→ぢ
_VOICED.update({"つ": "づ", "て": "で", "と": "ど"})
_VOICED.update({k: chr(ord(k) + 1) for k in "はひふへほ"})
_LONG_VOWEL = "ー"
_WHITESPACE = re.compile(r"\s+")
# Okurigana that sit between the kanji of a compound (取り扱い, 申し込み, 引き続き,
# 払い戻し, 受け付け, 打ち合わせ). Particles (の, が, を, に, と, は, で, へ, も, や) are left
# alone: they separate words, they do not spell one.
_OKURIGANA = frozenset("りしきみちいけえれせつぎじびめべかわ")


def fold_ja_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Fold ``text`` for recognition, keeping where each folded character came from.

    :return: the folded text and, per folded character, the start and end offsets of the
        original characters it stands for
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        if not folded:
            continue
        if folded.isspace():
            if not out or out[-1] == " ":
                continue
            folded = " "
        elif folded in "\u3099\u309a" and out:
            # A half-width voiced mark (ｶﾞ) becomes a combining one: join it to its kana.
            composed = unicodedata.normalize("NFC", out[-1] + folded)
            if len(composed) == 1:
                out[-1] = composed
                ends[-1] = index + 1
                continue
        elif folded == "々" and out and is_kanji(out[-1]):
            folded = out[-1]
        elif folded == "ゝ" and out and is_kana(out[-1]):
            folded = out[-1]
        elif folded == "ゞ" and out and is_kana(out[-1]):
            folded = _VOICED.get(out[-1], out[-1])
        for piece in folded:
            # NFKC can itself produce white space (¯ is a space and a combining macron).
            if piece.isspace():
                if not out or out[-1] == " ":
                    continue
                piece = " "
            out.append(piece)
            starts.append(index)
            ends.append(index + 1)
    # A long-vowel mark that ends a kana run is a spelling choice (サーバー / サーバ).
    keep = [
        not (
            c == _LONG_VOWEL
            and i > 0
            and is_kana(out[i - 1])
            and (i + 1 == len(out) or not is_kana(out[i + 1]))
        )
        for i, c in enumerate(out)
    ]
    if out and out[-1] == " ":
        keep[-1] = False
    if not all(keep):
        out = [c for c, k in zip(out, keep, strict=True) if k]
        starts = [s for s, k in zip(starts, keep, strict=True) if k]
        ends = [e for e, k in zip(ends, keep, strict=True) if k]
    return "".join(out), starts, ends


def ja_find_key(text: str) -> str:
    """The recognizer's key of a Japanese term (see module docstring)."""
    return fold_ja_with_offsets(text)[0].strip()


def drop_okurigana(key: str) -> str:
    """Drop single okurigana kana between two kanji: 取り扱い → 取扱い."""
    if len(key) < 3:
        return key
    chars = [
        c
        for i, c in enumerate(key)
        if not (
            c in _OKURIGANA
            and 0 < i < len(key) - 1
            and is_kanji(key[i - 1])
            and is_kanji(key[i + 1])
        )
    ]
    return "".join(chars)


def ja_lookup_key(text: str, standard: str | None = None) -> str:
    """The lookup key of a Japanese term or query.

    :param standard: the UniDic standard spelling of ``text`` if already computed
        (:func:`taiyaku.text.readings.analyse`); computed here when ``None``
    """
    if standard is None:
        from taiyaku.text.readings import analyse

        standard = analyse(text).standard
    return drop_okurigana(ja_find_key(standard)).replace(" ", "")


_LATIN_WORD = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"
    r"(?:['’][A-Za-z\uff21-\uff3a\uff41-\uff5a]+)*"
)
_NOT_PLURAL = ("ss", "us", "is", "ics", "ous", "as")
_INVARIANT = frozenset({"series", "species", "news", "means", "headquarters", "whereas"})


def singular(word: str) -> str:
    """A rough English singular, the same for both sides of a comparison: ``policies`` → ``policy``."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word.endswith("eaus"):  # bureaus, plateaus
        return word[:-1]
    if len(word) <= 3 or word in _INVARIANT or word.endswith(_NOT_PLURAL):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold().replace("’", "'")
    return singular(word)


def en_words(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` for recognition: (folded word, start, end) in original offsets."""
    return [(_fold_word(m.group()), m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]


def en_find_key(text: str) -> str:
    """The recognizer's key of an English term: folded singular words joined by spaces."""
    return " ".join(word for word, _, _ in en_words(text))


def en_lookup_key(text: str) -> str:
    """The lookup key of an English term or query: its find key without spaces."""
    key = en_find_key(text).replace(" ", "")
    # A term with no Latin words at all (a symbol, a kanji) is looked up as written.
    return key or _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def term_keys(ja: str, en: str) -> tuple[str, str, str, str, str]:
    """All stored keys of a term: (ja_fold, en_fold, ja_find, en_find, ja_reading)."""
    from taiyaku.text.readings import analyse

    analysis = analyse(ja)
    ja_find = ja_find_key(ja)
    standard = ja_find if analysis.standard == ja else ja_find_key(analysis.standard)
    en_find = en_find_key(en)
    en_fold = en_find.replace(" ", "") or en_lookup_key(en)
    return (
        drop_okurigana(standard).replace(" ", ""),
        en_fold,
        ja_find,
        en_find,
        reading_key(analysis.reading),
    )
