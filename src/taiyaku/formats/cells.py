"""Cell text in spreadsheets and CSV: formula-injection guard and Excel's control-character escapes.

**Formula guard** (OWASP's CSV-injection advice): a cell whose text starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return could be run as a formula by Excel or LibreOffice.
In CSV such text gets one leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets
show as text; on import one apostrophe is removed again. TSV, meant for other tools, is
never guarded (:mod:`taiyaku.formats.delimited`). Text that already starts with
apostrophes before such a character gets one more, so the round trip is exact for every
string. XLSX needs no apostrophe: its cells are typed as text and carry Excel's quote-prefix
style (:mod:`taiyaku.formats.xlsx`).
"""

from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula (see module docstring)."""
    return text.startswith(_TRIGGERS)


def guard_cell(text: str) -> str:
    """Return ``text`` made safe to put in a spreadsheet cell (see module docstring)."""
    return "'" + text if text.lstrip("'").startswith(_TRIGGERS) else text


def unguard_cell(text: str) -> str:
    """Undo :func:`guard_cell`: ``unguard_cell(guard_cell(s)) == s`` for every string."""
    if text.startswith("'") and text.lstrip("'").startswith(_TRIGGERS):
        return text[1:]
    return text


# XML 1.0 cannot carry these; OOXML writes them as _xHHHH_ (and a literal "_xHHHH_" as
# "_x005F_xHHHH_"). CR is escaped too, since XML parsers turn it into LF.
_XLSX_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_xlsx(text: str) -> str:
    """Escape characters an XLSX file cannot hold, the way Excel does."""
    return _XLSX_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def unescape_xlsx(text: str) -> str:
    """Undo :func:`escape_xlsx` (and Excel's own escapes)."""
    if "_x" not in text:
        return text
    return _XLSX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
