"""The match key: the one normalisation every comparison in taiyaku goes through.

Stored text is always kept verbatim; beside it the store keeps ``match_key(text)``, and
lookups, deduplication and fuzzy scores compare keys, never raw text. The key is a
contract: changing this function changes every stored key, so a change here needs a
migration that recomputes them.

The key is, in order:

1. Unicode NFKC: full-width Latin letters and digits become ASCII (``ＩＣＴ２０２３`` →
   ``ICT2023``), half-width katakana become full-width (``ｺｸｻｲ`` → ``コクサイ``), compatibility
   forms are unfolded (``①`` → ``1``, ``㈱`` → ``(株)``).
2. Case folding, so Latin compares without case (``ICT`` = ``ict``).
3. Whitespace: every run of white space (including the ideographic space U+3000, which NFKC
   turns into U+0020) becomes one space, and leading and trailing space is dropped.
"""

from __future__ import annotations

import unicodedata


def match_key(text: str) -> str:
    """Return the normalised key of ``text`` used for matching and deduplication.

    >>> match_key("  ＩＣＴ　分野  ")
    'ict 分野'

    :param text: any text, stored verbatim elsewhere
    :return: NFKC-normalised, case-folded text with white space collapsed
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    # str.split() splits on exactly the characters regex ``\s`` matches (str.isspace) and
    # drops the ends: the same key as ``re.sub(r"\s+", " ", folded).strip()``, 4x faster
    # on English (a tenth of an import's time went to the regex).
    return " ".join(folded.split())
