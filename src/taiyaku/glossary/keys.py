"""Glossary keys: how a term is folded so that lookup forgives and recognition finds it.

Stored terms stay verbatim; beside each the store keeps the keys computed here (columns of
``terms`` added by migration ``m005``). They are a contract like
:func:`taiyaku.text.normalize.match_key`: changing a function here needs a migration that
recomputes the stored keys (:data:`KEYS_VERSION` names the current rules).

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
  okurigana variants: 國際 → 国際, 取扱い → 取り扱い; see :mod:`taiyaku.glossary.readings`),
  then okurigana kana between two kanji dropped (取り扱い → 取扱い, 申し込み → 申込み).
- English: the find key without spaces, so ``e-mail``, ``e mail`` and ``email`` meet.

**Reading keys** (``ja_reading``) are the hiragana reading with long vowels folded
(``とうきょう``, ``ときょ`` and ``tōkyō`` meet), for queries typed in kana or romaji.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from taiyaku.text.oldforms import modernize

KEYS_VERSION = "taiyaku-glossary-keys-2"

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6  # ァ .. ヶ
_VOICED = {chr(c): chr(c + 1) for c in range(0x304B, 0x3062, 2)}  # か→が .. ち→ぢ
_VOICED.update({"つ": "づ", "て": "で", "と": "ど"})
_VOICED.update({k: chr(ord(k) + 1) for k in "はひふへほ"})
_LONG_VOWEL = "ー"
_WHITESPACE = re.compile(r"\s+")
# Okurigana that sit between the kanji of a compound (取り扱い, 申し込み, 引き続き,
# 払い戻し, 受け付け, 打ち合わせ). Particles (の, が, を, に, と, は, で, へ, も, や) are left
# alone: they separate words, they do not spell one.
_OKURIGANA = frozenset("りしきみちいけえれせつぎじびめべかわ")


def is_kanji(char: str) -> bool:
    """True for a CJK ideograph (and 々, 〆, ヶ used as kanji)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
        or char in "々〆ヶ"
    )


def is_kana(char: str) -> bool:
    """True for hiragana, katakana and the long-vowel mark."""
    return "\u3041" <= char <= "\u30ff"


@functools.lru_cache(maxsize=32768)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    folded = modernize(unicodedata.normalize("NFKC", char).casefold())
    # NFKC may give several characters (the square ㌀ is アパート): fold each of them.
    return "".join(_fold_kana(c) for c in folded)


def _fold_kana(char: str) -> str:
    if _KATAKANA_START <= ord(char) <= _KATAKANA_END:
        if char in "ヵヶ":
            return char  # counters (一ヶ月), not syllables
        return chr(ord(char) - 0x60)
    if char == "ヽ":
        return "ゝ"
    if char == "ヾ":
        return "ゞ"
    return char


def fold_ja_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Fold ``text`` for recognition, keeping where each folded character came from.

    :return: the folded text and, per folded character, the start and end offsets of the
        original characters it stands for
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
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
        (:func:`taiyaku.glossary.readings.analyse`); computed here when ``None``
    """
    if standard is None:
        from taiyaku.glossary.readings import analyse

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


# Long vowels written out or left out: the reading key keeps one vowel.
_READING_FOLDS = (
    ("ー", ""),
    ("ぢ", "じ"),
    ("づ", "ず"),
    ("を", "お"),
    ("おう", "お"),
    ("おお", "お"),
    ("うう", "う"),
    ("えい", "え"),
    ("ええ", "え"),
    ("いい", "い"),
    ("ああ", "あ"),
)
_SMALL_AFTER_VOWEL = re.compile(r"(?<=[あ-ゖ])[ぁぃぅぇぉ]")


def reading_key(kana: str) -> str:
    """Fold a kana reading: hiragana, long vowels kept once (とうきょう → ときょ)."""
    text = "".join(_fold_char(c) for c in kana).replace(" ", "")
    # Vowel lengthening after a consonant row: こう, そう, ... fold their う/お.
    folded = _lengthen(text)
    for old, new in _READING_FOLDS:
        folded = folded.replace(old, new)
    return folded


_O_ROW = "おこごそぞとどのほぼぽもよょろ"
_E_ROW = "えけげせぜてでねへべぺめれ"
_U_ROW = "うくぐすずつづぬふぶぷむゆゅる"
_I_ROW = "いきぎしじちぢにひびぴみり"
_A_ROW = "あかがさざただなはばぱまやゃらわ"


def _lengthen(text: str) -> str:
    out: list[str] = []
    for c in text:
        prev = out[-1] if out else ""
        if (
            (c in "うお" and prev in _O_ROW)
            or (c in "いえ" and prev in _E_ROW)
            or (c == "う" and prev in _U_ROW)
            or (c == "い" and prev in _I_ROW)
            or (c == "あ" and prev in _A_ROW)
        ) and prev:
            continue
        out.append(c)
    return "".join(out)


_MACRONS = str.maketrans(
    {"ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou", "â": "aa", "î": "ii", "û": "uu"}
    | {"ê": "ee", "ô": "ou"}
)
_ROMAJI = re.compile(r"[a-zāīūēōâîûêô' \-]+")


def romaji_to_reading(query: str) -> str | None:
    """The reading key of a romaji query (``kokusai senryaku``), or None if it is not romaji."""
    text = unicodedata.normalize("NFKC", query).casefold().strip()
    if not text or not _ROMAJI.fullmatch(text):
        return None
    text = text.translate(_MACRONS)
    text = re.sub(r"m(?=[bpm])", "n", text)  # shimbun = shinbun
    import jaconv

    kana = jaconv.alphabet2kana(re.sub(r"[ \-]", "", text)).replace("'", "")
    if re.search(r"[a-z]", kana):
        return None
    return reading_key(kana)


def kana_to_reading(query: str) -> str | None:
    """The reading key of a query written only in kana (``こくさいせんりゃく``), else None."""
    text = unicodedata.normalize("NFKC", query).replace(" ", "").replace("\u3000", "")
    if not text or not all(is_kana(c) for c in text):
        return None
    return reading_key(text)


def term_keys(ja: str, en: str) -> tuple[str, str, str, str, str]:
    """All stored keys of a term: (ja_fold, en_fold, ja_find, en_find, ja_reading)."""
    from taiyaku.glossary.readings import analyse

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
