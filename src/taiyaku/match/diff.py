"""What differs between a TM source and the query: character spans a translator can read.

The diff is computed over the texts as written, but characters are compared by their match
key, so ``７`` and ``7`` or ``Ａ`` and ``a`` count as equal, exactly as the score sees them.
The spans rebuild both texts: joining the ``source`` sides gives the TM source, joining the
``query`` sides gives the query.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal, cast

from rapidfuzz.distance import Levenshtein

DiffOp = Literal["equal", "insert", "delete", "replace"]


@dataclass(frozen=True)
class DiffSpan:
    """One stretch of the edit from the TM source to the query.

    :param op: ``equal``; ``insert`` (text the query has and the source lacks); ``delete``
        (text the source has and the query lacks); ``replace`` (source text the query has
        changed)
    :param source: the TM source's text of this stretch ("" for ``insert``)
    :param query: the query's text of this stretch ("" for ``delete``)
    """

    op: DiffOp
    source: str
    query: str


def char_keys(text: str) -> list[str]:
    """Return each character's own match key (NFKC, case-folded; white space as one space)."""
    keys = []
    for char in text:
        if char.isspace():
            keys.append(" ")
        else:
            keys.append(unicodedata.normalize("NFKC", char).casefold())
    return keys


def diff_spans(source: str, query: str) -> list[DiffSpan]:
    """Return the spans that turn ``source`` into ``query``, characters compared by key.

    >>> [(s.op, s.source, s.query) for s in diff_spans("令和４年の予算", "令和5年の決算")]
    [('equal', '令和', '令和'), ('replace', '４', '5'), ('equal', '年の', '年の'), ('replace', '予', '決'), ('equal', '算', '算')]
    """
    ops = Levenshtein.opcodes(char_keys(source), char_keys(query))
    spans: list[DiffSpan] = []
    for op in ops:
        tag = cast(DiffOp, op.tag)  # rapidfuzz's opcodes are these four
        if tag == "equal" and op.src_end - op.src_start != op.dest_end - op.dest_start:
            tag = "replace"
        spans.append(
            DiffSpan(tag, source[op.src_start : op.src_end], query[op.dest_start : op.dest_end])
        )
    return spans
