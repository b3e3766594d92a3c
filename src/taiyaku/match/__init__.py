"""Fuzzy matching against the translation memory: the closest earlier translations, explained.

::

    from taiyaku import open_db
    from taiyaku.match import fuzzy_matches, concordance

    for m in fuzzy_matches(open_db("project.db"), "令和5年度の予算"):
        print(m.score, m.source, m.target, m.adapted_target)
"""

from typing import TYPE_CHECKING

from taiyaku.lazy import lazy_exports

if TYPE_CHECKING:
    from taiyaku.match.analyze import Analysis, analyze_file, analyze_text
    from taiyaku.match.concordance import Concordance, ConcordanceHit
    from taiyaku.match.diff import DiffSpan, diff_spans
    from taiyaku.match.numbers import NumberAdaptation, adapt_numbers
    from taiyaku.match.score import METRIC, similarity
    from taiyaku.match.search import Match, Matcher, fuzzy_matches
    from taiyaku.match.terms import FoundTerm, find_glossary_terms

# The function concordance is bound now: it has the name of its module, and importing the
# module (which anything may do later) would rebind the package's attribute to the module,
# hiding a lazily exported function. The rest loads when first used: `taiyaku match` loads
# the search, not the analysis or its spreadsheet.
from taiyaku.match.concordance import concordance

__getattr__ = lazy_exports(
    __name__,
    {
        **dict.fromkeys(("Analysis", "analyze_file", "analyze_text"), "taiyaku.match.analyze"),
        **dict.fromkeys(("Concordance", "ConcordanceHit"), "taiyaku.match.concordance"),
        **dict.fromkeys(("DiffSpan", "diff_spans"), "taiyaku.match.diff"),
        **dict.fromkeys(("NumberAdaptation", "adapt_numbers"), "taiyaku.match.numbers"),
        **dict.fromkeys(("METRIC", "similarity"), "taiyaku.match.score"),
        **dict.fromkeys(("Match", "Matcher", "fuzzy_matches"), "taiyaku.match.search"),
        **dict.fromkeys(("FoundTerm", "find_glossary_terms"), "taiyaku.match.terms"),
    },
)

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
