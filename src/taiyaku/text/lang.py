"""Telling Japanese from English text without a model: by the script of the sentence frame.

A count of Japanese characters is not enough: an English paragraph about Kyoto quotes a dozen
kanji (``Lake Biwa (琵琶湖), Enryaku-ji (比叡山延暦寺)``) and is still English, while a
Japanese sentence may carry several English words (``Microsoft Wordの新機能``). So the
decision is made on the *frame*: the text outside brackets and Western quotes (and web
addresses), where the sentence's own grammar is. There Japanese characters are weighed against Latin *words* (a Japanese word
averages about two characters), so proportions, not counts, decide.
"""

from __future__ import annotations

import functools
import re

from taiyaku.text.chars import JAPANESE_CHAR

_LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")
_LATIN_WORD = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]+")
# An innermost span in brackets or Western quotes: what the frame leaves out. Japanese
# quotes (「」『』: titles, quotations) are part of a Japanese frame; a web address is not
# English.
_ASIDE = re.compile(
    r"\([^()]*\)|（[^（）]*）|\[[^\[\]]*\]|“[^“”]*”|\"[^\"]*\"|‘[^‘’]*’|https?:?//\S+"
)


def _frame(text: str) -> str:
    """``text`` without its bracketed and quoted asides (nested ones too)."""
    for _ in range(4):
        stripped = _ASIDE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    return text


def detect_lang(text: str, default: str = "en") -> str:
    """Return ``"ja"`` or ``"en"`` for ``text``.

    Decided on the sentence frame (the text outside brackets and Western quotes; the whole text when
    the frame has no letters): Japanese when its Japanese characters are at least twice its
    Latin words. ``ICT(情報通信技術:…)は我が国の源です`` is Japanese; ``Lake Biwa (琵琶湖)
    lies east of Kyoto`` and ``The term 政府 means government`` are English.

    :param text: the text to classify
    :param default: returned when the text has no letters at all (digits, punctuation)
    """
    for part in (_frame(text), text):
        japanese = len(JAPANESE_CHAR.findall(part))
        if japanese == 0 and not _LATIN.search(part):
            continue
        return "ja" if japanese >= 2 * len(_LATIN_WORD.findall(part)) else "en"
    return default


@functools.lru_cache(maxsize=1024)  # a million units carry a handful of distinct tags
def primary_lang(tag: str) -> str:
    """Return the primary language subtag of a BCP-47 tag, lower-cased: ``en-US`` → ``en``."""
    return tag.replace("_", "-").split("-", 1)[0].lower()


@functools.lru_cache(maxsize=1024)
def normalize_lang_tag(tag: str) -> str:
    """Return a BCP-47 tag in its usual case: ``EN_us`` → ``en-US``, ``ja`` → ``ja``.

    :param tag: a language tag as found in a file (TMX ``xml:lang``, a column header)
    """
    parts = tag.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2:
            out.append(part.upper())
        elif len(part) == 4:
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


# ISO 639-1 codes (and the 639-2 codes of our two languages): what a column header must start
# with to be read as a language, so that a header such as "foo" is not taken for one.
LANGUAGE_CODES = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la
    lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj
    om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv
    sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    jpn eng""".split()
)


def is_language_tag(text: str) -> bool:
    """True for a BCP-47-looking tag whose language is a known ISO 639 code (``ja``, ``en-US``)."""
    parts = text.strip().replace("_", "-").split("-")
    return parts[0].lower() in LANGUAGE_CODES and all(p.isalnum() and len(p) <= 8 for p in parts)
