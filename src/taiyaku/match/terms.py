"""Glossary terms found in a query, shown beside its fuzzy matches.

A plain substring search over the ``terms`` table's match keys, kept behind one function,
:func:`find_glossary_terms`, so that the glossary's own recognizer (Aho–Corasick over all
terms) can replace it without touching the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from taiyaku.text.normalize import match_key


@dataclass(frozen=True)
class FoundTerm:
    """A glossary entry whose term occurs in a query.

    :param text: the term, in the query's language, as the glossary writes it
    :param translation: the glossary's rendering in the other language
    :param status: ``preferred``, ``admitted``, ``deprecated`` or ``forbidden``
    :param start: where the term starts in the query's match key
    :param term_id: the glossary entry's id
    """

    text: str
    translation: str
    status: str
    start: int
    term_id: int


def find_glossary_terms(db: Database, text: str, lang: str) -> list[FoundTerm]:
    """Return the glossary terms that occur in ``text``, in order of position, longest first.

    Japanese terms may occur anywhere; English terms only as whole words.

    :param lang: the language of ``text``: ``ja`` looks up the Japanese side, anything
        else the English side
    """
    key = match_key(text)
    if not key:
        return []
    side, other = ("ja", "en") if lang == "ja" else ("en", "ja")
    rows = db.conn.execute(
        f"SELECT id, {side}, {other}, status, {side}_key FROM terms "
        f"WHERE {side}_key != '' AND instr(?, {side}_key) > 0",
        [key],
    ).fetchall()
    found = []
    for term_id, term, translation, status, term_key in rows:
        start = _find(key, term_key, whole_words=side == "en")
        if start >= 0:
            found.append(FoundTerm(term, translation, status, start, term_id))
    found.sort(key=lambda t: (t.start, -len(t.text), t.term_id))
    return found


def _find(key: str, term_key: str, *, whole_words: bool) -> int:
    start = key.find(term_key)
    while start >= 0 and whole_words:
        end = start + len(term_key)
        before = key[start - 1] if start else " "
        after = key[end] if end < len(key) else " "
        if not before.isalnum() and not after.isalnum():
            break
        start = key.find(term_key, start + 1)
    return start
