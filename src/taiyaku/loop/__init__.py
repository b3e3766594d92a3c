"""The translation loop: a new document pretranslated from the TM, merged back, and the TM grown.

:func:`pretranslate` fills a document's segments from the TM and glossary,
:func:`merge` writes the finished document from a translated bilingual file, and
:func:`translated_units` turns that file into TM units. What the three commands do::

    from taiyaku import TranslationMemory, open_db
    from taiyaku.formats.sources import read_source
    from taiyaku.loop import merge, pretranslate, read_translated, translated_units
    from taiyaku.loop import write_bilingual

    db = open_db("project.db")
    write_bilingual(pretranslate(db, read_source("page.html")), "page.xlf")
    # ... page.xlf is translated in a CAT tool ...
    translated = read_translated("page.xlf")
    open("page.en.html", "wb").write(merge(translated).data)
    TranslationMemory(db).replace_positions(translated_units(translated))
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
