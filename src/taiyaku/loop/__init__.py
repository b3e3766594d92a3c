"""The translation loop: a new document pretranslated from the TM, merged back, and the TM grown.

:func:`pretranslate` fills a document's segments from the TM and glossary,
:func:`merge` writes the finished document from a translated bilingual file, and
:func:`translated_units` turns that file into TM units.
"""

from taiyaku.loop.merge import merge, read_translated, translated_units
from taiyaku.loop.pretranslate import Pretranslation, pretranslate, write_bilingual

__all__ = [
    "Pretranslation",
    "merge",
    "pretranslate",
    "read_translated",
    "translated_units",
    "write_bilingual",
]
