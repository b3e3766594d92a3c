"""Fuzzy matching against the translation memory: the closest earlier translations, explained.

::

    from taiyaku import open_db
    from taiyaku.match import fuzzy_matches, concordance

    for m in fuzzy_matches(open_db("project.db"), "令和5年度の予算"):
        print(m.score, m.source, m.target, m.adapted_target)
"""

from taiyaku.match.analyze import Analysis, analyze_file, analyze_text
from taiyaku.match.concordance import Concordance, ConcordanceHit, concordance
from taiyaku.match.diff import DiffSpan, diff_spans
from taiyaku.match.numbers import NumberAdaptation, adapt_numbers
from taiyaku.match.score import METRIC, similarity
from taiyaku.match.search import Match, Matcher, fuzzy_matches
from taiyaku.match.terms import FoundTerm, find_glossary_terms

__all__ = [
    "METRIC",
    "Analysis",
    "Concordance",
    "ConcordanceHit",
    "DiffSpan",
    "FoundTerm",
    "Match",
    "Matcher",
    "NumberAdaptation",
    "adapt_numbers",
    "analyze_file",
    "analyze_text",
    "concordance",
    "diff_spans",
    "find_glossary_terms",
    "fuzzy_matches",
    "similarity",
]
