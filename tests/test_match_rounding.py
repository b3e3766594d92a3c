"""A threshold is compared with the score as shown, rounded to 2 decimals.

``abc`` and ``abd`` are one substitution apart in three characters: 66.666…, shown as
66.67. ``--min 66.67`` must keep that unit (the user sees 66.67 ≥ 66.67), and ``--min
66.68`` must not, on the indexed search (both bounds: Japanese characters, Latin q-grams)
and on the exhaustive one alike.
"""

from __future__ import annotations

import pytest

from taiyaku import TranslationMemory, Unit
from taiyaku.match.search import Matcher


@pytest.mark.parametrize(
    ("stored", "query", "lang"),
    [("国際戦", "国際略", "ja"), ("abc", "abd", "en")],
    ids=["characters", "grams"],
)
@pytest.mark.parametrize("exhaustive", [False, True], ids=["indexed", "exhaustive"])
def test_a_score_shown_as_the_threshold_is_kept(db, stored, query, lang, exhaustive):
    tm = TranslationMemory(db)
    target_lang = "en" if lang == "ja" else "ja"
    tm.add_many([Unit(stored, "x", source_lang=lang, target_lang=target_lang)])
    matcher = Matcher(tm)
    found = matcher.scores(query, min_score=66.67, lang=lang, exhaustive=exhaustive)
    assert [score for score, _ in found] == [66.67]
    assert matcher.scores(query, min_score=66.68, lang=lang, exhaustive=exhaustive) == []
