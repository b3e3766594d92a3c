"""Old kanji forms (旧字体) and their modern forms: 國 → 国, 總 → 総, 廣 → 広, 辯 → 弁.

Law texts, names and pre-war documents write the old forms; a glossary written in modern
forms must still be found in them, and the reverse. The table is the Jōyō Kanji list's
(the old forms it prints beside 359 of its characters), from the ``joyokanji`` package,
plus the three old forms that all became 弁 (辨, 瓣, 辯), which a one-to-one table leaves
out. Compatibility ideographs (U+F900–U+FAFF) are NFKC's business, not this table's.
"""

from __future__ import annotations

_MERGED_INTO_ONE = str.maketrans({"辨": "弁", "瓣": "弁", "辯": "弁"})


def modernize(text: str) -> str:
    """``text`` with every old kanji form replaced by its modern one (one for one).

    >>> modernize("總務省の國際戰略局")
    '総務省の国際戦略局'
    """
    import joyokanji

    return str(joyokanji.convert(text)).translate(_MERGED_INTO_ONE)
