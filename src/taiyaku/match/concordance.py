"""Concordance: every unit whose source or target contains a piece of text.

SQLite's FTS5 trigram tokenizer cannot find a query shorter than three characters, and many
Japanese terms (翻訳, 戦略) have two. The indexes of :mod:`taiyaku.store.index_writer` answer instead:

- **Sources**, from the q-gram postings of the query's language: a query of one gram or more
  intersects the postings of its grams (a query of exactly one gram needs no checking,
  longer ones have the survivors checked with ``instr``); a shorter query (one Japanese
  character) takes the union of the postings of the grams that start with it (a range of
  the gram index) and that end with it (the ``substr(gram, 2)`` index of migration
  ``m006``), which is exactly the set of units holding it.
- **Targets**, whatever their language, from the target words (``match_words``): the
  vocabulary names the words that contain the query's words; a one-word query's units are
  exactly the union of their postings, a longer query's candidates (units with a word
  containing each of its words) are checked with ``instr``. A query with no word
  characters at all (``"?!"``) scans the targets.

The candidate sets are numpy masks over unit ids, so the total is counted exactly even for a
character in 300,000 units, and only the first ``limit`` hits are read from ``units``.
Candidates that need checking are checked in rank order; when there are very many, checking
stops once ``limit`` hits are found and the total becomes an upper bound (``exact=False``).

Hits are ranked by the length of the text they were found in, shortest first (a term's own
entry before the sentences that use it), then by age. A unit whose source and target both
contain the query is counted once, as a source hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from taiyaku.errors import TaiyakuError
from taiyaku.match.diff import char_keys
from taiyaku.match.search import Matcher
from taiyaku.models import Unit
from taiyaku.store.index_reader import IndexReader
from taiyaku.store.index_writer import TARGETS, targets_indexed
from taiyaku.store.postings import distinct
from taiyaku.store.tm import TranslationMemory
from taiyaku.text.grams import is_one_word, key_grams, key_words
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

    def to_dict(self) -> dict[str, Any]:
        """The hit as ``--json`` prints it."""
        return {
            "field": self.field,
            "source": self.unit.source_text,
            "target": self.unit.target_text,
            "start": self.start,
            "end": self.end,
            "unit_id": self.unit.id,
            "document": self.unit.document,
        }


@dataclass(frozen=True)
class Concordance:
    """The result of a concordance search.

    :param query: the text searched for
    :param total: how many units contain it
    :param hits: the first ``limit`` of them, ranked
    :param exact: ``False`` when ``total`` is an upper bound: when a query's candidates
        (a source query longer than one gram, a target query of several words) are very
        many, they are checked only until ``limit`` hits are found
    """

    query: str
    total: int
    hits: list[ConcordanceHit]
    exact: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The result as ``--json`` prints it: the query, the count and the hits."""
        return {
            "query": self.query,
            "total": self.total,
            "exact": self.exact,
            "hits": [hit.to_dict() for hit in self.hits],
        }


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
    :param lang: the query's language (the language of the sources searched); detected
        when not given
    :raises TaiyakuError: an empty query
    """
    matcher = db_or_tm if isinstance(db_or_tm, Matcher) else Matcher(db_or_tm)
    key = match_key(query)
    if not key:
        raise TaiyakuError("the concordance query is empty")
    lang = lang or detect_lang(query)
    tm = matcher.tm
    source = matcher.reader(lang)
    target = matcher.reader(TARGETS) if targets_indexed(matcher.db) else None
    size = max(len(source.lengths), len(target.lengths) if target is not None else 0)
    scanned: list[tuple[int, int]] | None = None
    if target is None or not key_words(key):
        scanned = tm.target_key_lengths_containing(key)
        size = max([size, *(i + 1 for i, _ in scanned)])

    in_source, source_exact = _source_candidates(tm, source, key, size)
    source_lengths = _fit(source.lengths, size)
    unchecked = 0
    if not source_exact:
        in_source, unchecked = _check(tm, "source", in_source, source_lengths, key, limit)
    if scanned is not None:
        in_target = np.zeros(size, dtype=bool)
        target_lengths = np.zeros(size, dtype=np.int64)
        if scanned:
            ids, lengths = np.array(scanned, dtype=np.int64).T
            in_target[ids], target_lengths[ids] = True, lengths
    else:
        assert target is not None
        target_lengths = _fit(target.lengths, size)
        in_target, target_exact = _target_candidates(target, key, size)
        if not target_exact:
            in_target, more = _check(tm, "target", in_target, target_lengths, key, limit)
            unchecked += more
    in_target &= ~in_source
    total = int(np.count_nonzero(in_source)) + int(np.count_nonzero(in_target)) + unchecked
    found = sorted(
        [(n, i, "source") for n, i in _first(in_source, source_lengths, limit)]
        + [(n, i, "target") for n, i in _first(in_target, target_lengths, limit)]
    )
    units = tm.units_by_ids(unit_id for _, unit_id, _ in found[:limit])
    hits = []
    for _, unit_id, field in found[:limit]:
        unit = units[unit_id]
        text = unit.source_text if field == "source" else unit.target_text
        start, end = locate(text, key)
        hits.append(ConcordanceHit(unit, field, start, end))
    return Concordance(query, total, hits, exact=not unchecked)


def _fit(lengths: np.ndarray, size: int) -> np.ndarray:
    """``lengths`` cut or padded with zeros to ``size``."""
    if len(lengths) == size:
        return lengths
    out = np.zeros(size, dtype=lengths.dtype)
    n = min(size, len(lengths))
    out[:n] = lengths[:n]
    return out


def _first(mask: np.ndarray, lengths: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """The first ``limit`` units of ``mask`` by (key length, id), as ``(length, id)``."""
    ids = np.flatnonzero(mask)
    keys = lengths[ids]
    if len(ids) > limit:
        keep = keys <= np.partition(keys, limit - 1)[limit - 1]
        ids, keys = ids[keep], keys[keep]
    order = np.lexsort((ids, keys))[:limit]
    return [(int(keys[i]), int(ids[i])) for i in order]


def _check(
    tm: TranslationMemory, side: str, mask: np.ndarray, lengths: np.ndarray, key: str, limit: int
) -> tuple[np.ndarray, int]:
    """Keep the candidates whose ``side`` key really contains ``key``, checked in rank order.

    :return: the mask of the hits, and how many candidates were left unchecked (after
        ``limit`` hits, when there are more than ``_CHECK_ALL`` candidates)
    """
    ids = np.flatnonzero(mask)
    ranked = ids[np.lexsort((ids, lengths[ids]))]
    good = np.zeros(len(mask), dtype=bool)
    found = 0
    for start in range(0, len(ranked), _CHECK):
        if found >= limit and len(ranked) > _CHECK_ALL:
            return good, len(ranked) - start
        chunk = ranked[start : start + _CHECK].tolist()
        hits = tm.ids_containing(chunk, key, side=side)
        good[hits] = True
        found += len(hits)
    return good, 0


def _source_candidates(
    tm: TranslationMemory, reader: IndexReader, key: str, size: int
) -> tuple[np.ndarray, bool]:
    """Mask of the units whose source (in the reader's language) may contain ``key``, and
    whether they all do.

    A key of one gram or less is found exactly by the postings (of that gram, or of every
    gram containing it); a longer key needs its candidates checked.
    """
    mask = np.zeros(size, dtype=bool)
    q = reader.q
    if not len(reader.lengths):
        return mask, True
    if len(key) >= q:
        grams = key_grams(key, q)
        frequencies = reader.frequencies(grams)
        if len(frequencies) < len(grams):
            return mask, True
        ids: np.ndarray | None = None
        for gram in sorted(grams, key=frequencies.__getitem__):
            chunks = [a for _, a in reader.postings([gram])]
            these = distinct(np.concatenate(chunks)).astype(np.int64)
            ids = these if ids is None else np.intersect1d(ids, these, assume_unique=True)
            if not len(ids):
                break
        assert ids is not None
        mask[ids] = True
        return mask, len(key) == q
    # Shorter than one gram: every gram that contains it, plus keys that are only it.
    mask |= reader.containing(key, size)
    short = np.flatnonzero((reader.lengths > 0) & (reader.lengths < q))
    if len(short):  # keys shorter than a gram contain the query only by being it
        mask[tm.ids_containing(short.tolist(), key, side="source")] = True
    return mask, True


def _target_candidates(reader: IndexReader, key: str, size: int) -> tuple[np.ndarray, bool]:
    """Mask of the units whose target may contain ``key``, and whether they all do.

    Every word of ``key`` lies inside a word of a target that contains ``key``, so the units
    with a word containing each of its words are candidates; if ``key`` is one word they are
    all hits.
    """
    if is_one_word(key):
        return reader.union(reader.vocabulary(key), size), True
    mask: np.ndarray | None = None
    for word in sorted(key_words(key), key=len, reverse=True):
        these = reader.union(reader.vocabulary(word), size)
        mask = these if mask is None else mask & these
        if not mask.any():
            break
    assert mask is not None
    return mask, False
