"""Concordance: every unit whose source or target contains a piece of text.

SQLite's FTS5 trigram tokenizer cannot find a query shorter than three characters, and many
Japanese terms (翻訳, 戦略) have two. The gram index of :mod:`taiyaku.match.index` already
holds every source bigram, so a Japanese query of two or more characters intersects the
postings of its bigrams (an English one, its trigrams) and checks the survivors with
``instr``. Queries shorter than one gram, and the targets (which are not indexed), are
checked by scanning: one-character queries read the postings of every gram that contains
the character; targets are scanned only for units whose source is in another language, or
for every unit when the query's language is nobody's source language (an English term in a
ja→en TM).

Hits are ranked by the length of the text they were found in, shortest first (a term's own
entry before the sentences that use it), then by age.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from taiyaku.errors import TaiyakuError
from taiyaku.match.diff import char_keys
from taiyaku.match.grams import key_grams
from taiyaku.match.search import Matcher
from taiyaku.models import Unit
from taiyaku.text.lang import detect_lang
from taiyaku.text.normalize import match_key

_CHECK = 1000
_CHECK_ALL = 5000


@dataclass(frozen=True)
class ConcordanceHit:
    """A unit containing the query.

    :param unit: the unit
    :param field: ``source`` or ``target``: where the query was found
    :param start: where the query starts in that text (-1 if its position cannot be shown)
    :param end: where it ends
    """

    unit: Unit
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Concordance:
    """The result of a concordance search.

    :param query: the text searched for
    :param total: how many units contain it
    :param hits: the first ``limit`` of them, ranked
    :param exact: ``False`` when ``total`` is an upper bound: very common queries of more
        than one gram have their candidates checked only until ``limit`` hits are found
    """

    query: str
    total: int
    hits: list[ConcordanceHit]
    exact: bool = True


def locate(text: str, key: str) -> tuple[int, int]:
    """Return where ``key`` (a match key) occurs in ``text`` as written, or ``(-1, -1)``."""
    keys = char_keys(text)
    joined, starts = "", []
    for i, k in enumerate(keys):
        starts.extend([i] * len(k))
        joined += k
    at = joined.find(key)
    if at < 0 or not key:
        return -1, -1
    last = starts[at + len(key) - 1]
    return starts[at], last + 1


def concordance(
    db_or_tm: Any, query: str, *, limit: int = 20, lang: str | None = None
) -> Concordance:
    """Find every unit whose source or target contains ``query`` (compared by match key).

    :param db_or_tm: a database, a TranslationMemory or a :class:`Matcher`
    :param limit: return at most this many hits (``total`` counts them all)
    :param lang: the query's language; detected when not given
    :raises TaiyakuError: an empty query
    """
    matcher = db_or_tm if isinstance(db_or_tm, Matcher) else Matcher(db_or_tm)
    key = match_key(query)
    if not key:
        raise TaiyakuError("the concordance query is empty")
    lang = lang or detect_lang(query)
    reader = matcher.reader(lang)
    conn = matcher.db.conn
    ids, checked = _source_candidates(matcher, lang, key)
    ranked = ids[np.lexsort((ids, reader.lengths[ids]))] if len(ids) else ids
    found: list[tuple[int, int, str]] = []  # (key length, id, field)
    unchecked = 0
    if checked:
        found = [(int(reader.lengths[i]), int(i), "source") for i in ranked[:limit]]
        sources = len(ranked)
    else:
        sources = 0
        for start in range(0, len(ranked), _CHECK):
            if sources >= limit and len(ranked) > _CHECK_ALL:
                unchecked = len(ranked) - start
                break
            chunk = ranked[start : start + _CHECK].tolist()
            good = {
                i
                for (i,) in conn.execute(
                    "SELECT id FROM units WHERE id IN (SELECT value FROM json_each(?)) "
                    "AND instr(source_key, ?) > 0",
                    [json.dumps(chunk), key],
                )
            }
            hits = [i for i in chunk if i in good]
            sources += len(hits)
            found.extend((int(reader.lengths[i]), i, "source") for i in hits)
    targets = 0
    others = any(
        np.count_nonzero(matcher.reader(other).lengths)
        for other in _source_langs(matcher)
        if other != lang
    )
    if others or not np.count_nonzero(reader.lengths):
        in_lang = reader.lengths
        for i, n in conn.execute(
            "SELECT id, length(target_key) FROM units WHERE instr(target_key, ?) > 0", [key]
        ):
            if i >= len(in_lang) or not in_lang[i]:
                found.append((n, i, "target"))
                targets += 1
    found.sort()
    from taiyaku.store.tm import unit_from_row

    hits = []
    for _, unit_id, field in found[:limit]:
        row = next(iter(matcher.db.query("SELECT * FROM units WHERE id = ?", [unit_id])))
        unit = unit_from_row(row)
        text = unit.source_text if field == "source" else unit.target_text
        start, end = locate(text, key)
        hits.append(ConcordanceHit(unit, field, start, end))
    return Concordance(query, sources + unchecked + targets, hits, exact=not unchecked)


def _source_langs(matcher: Matcher) -> list[str]:
    return [r[0] for r in matcher.db.conn.execute("SELECT DISTINCT lang FROM match_sizes")]


def _source_candidates(matcher: Matcher, lang: str, key: str) -> tuple[np.ndarray, bool]:
    """Ids of units whose source (in ``lang``) may contain ``key``, and whether they all do.

    A key of one gram or less is found exactly by the postings (of that gram, or of every
    gram containing it); a longer key needs its candidates checked.
    """
    reader = matcher.reader(lang)
    q = reader.q
    if len(key) >= q:
        grams = key_grams(key, q)
        frequencies = reader.frequencies(grams)
        if len(frequencies) < len(grams):
            return np.empty(0, np.int64), True
        ids: np.ndarray | None = None
        for gram in sorted(grams, key=frequencies.__getitem__):
            chunks = [a for _, a in reader.postings([gram])]
            these = np.unique(np.concatenate(chunks)).astype(np.int64)
            ids = these if ids is None else np.intersect1d(ids, these, assume_unique=True)
            if not len(ids):
                break
        assert ids is not None
        return ids, len(key) == q
    # Shorter than one gram: every gram that contains it, plus keys that are only it.
    rows = matcher.db.conn.execute(
        "SELECT ids FROM match_postings WHERE lang = ? AND instr(gram, ?) > 0", [lang, key]
    ).fetchall()
    parts = [np.frombuffer(blob, dtype="<i4").astype(np.int64) for (blob,) in rows]
    short = np.flatnonzero((reader.lengths > 0) & (reader.lengths < q))
    if len(short):  # keys shorter than a gram contain the query only by being it
        equal = matcher.db.conn.execute(
            "SELECT id FROM units WHERE id IN (SELECT value FROM json_each(?)) "
            "AND instr(source_key, ?) > 0",
            [json.dumps(short.tolist()), key],
        )
        parts.append(np.array([i for (i,) in equal], dtype=np.int64))
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, np.int64), True
