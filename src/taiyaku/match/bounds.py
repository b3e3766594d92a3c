"""How many layered tokens a unit shares with a query bounds its score from above.

The grouped search (:meth:`taiyaku.match.search.Matcher._char_bounds`) counts the layered
characters (:func:`~taiyaku.text.grams.char_layers`) a query's *token text* shares with every
group's, and bounds each unit's Levenshtein distance to the query from that count ``x``, its
key length ``m`` and the query's ``n``:

- **Characters** (Japanese, Chinese, Korean: the token text is the key). An edit changes at
  most one character of either key, so ``d >= max(n, m) - x``.
- **Bigrams** (other scripts: the token text is :func:`~taiyaku.text.grams.bigram_texts`,
  one character per bigram). An edit changes at most two of a key's ``n - 1`` bigrams, so
  ``d >= (max(n, m) - 1 - x) / 2``, and always ``d >= |n - m|``. English has too few
  letters for the character bound to prune, and a trigram bound loses three trigrams an
  edit; on a million English units at ``--min 70`` the bigram counts leave 4 to 27 times
  fewer units than the trigram counts did. At ``--min 50`` and below, a unit sharing no
  bigram may still reach the threshold (:meth:`TokenBound.at_least` is 0), and below
  :data:`BIGRAMS_FROM` the trigram bound costs less: the search uses it there.

The score is ``100 * (1 - d / max(n, m))`` (:mod:`taiyaku.match.score`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taiyaku.text.grams import bigram_texts, by_bigrams


@dataclass(frozen=True)
class TokenBound:
    """The bound of one kind of token: ``width`` characters a token (1 or 2)."""

    width: int

    def text(self, key: str) -> str:
        """The token text of ``key``: the key itself, or its bigrams one character each."""
        return key if self.width == 1 else bigram_texts([key])[0]

    def at_least(self, size: int, needed: float) -> int:
        """The fewest tokens a unit of any length must share with a key of ``size``
        characters to reach the share ``needed`` (0–1) of a perfect score; 0 or less when a
        unit sharing none may reach it."""
        return int(self.need(np.array([size]), size, needed)[0])

    def need(self, lengths: np.ndarray, size: int, needed: float) -> np.ndarray:
        """The fewest tokens units of ``lengths`` must share with a key of ``size``
        characters to reach ``needed`` (for a group, at the length of its best member: the
        least over its lengths, see :meth:`best_length`)."""
        longer = np.maximum(lengths, size)
        if self.width == 1:
            need: np.ndarray = np.ceil(needed * longer - 1e-9)
            return need
        # d <= (1 - needed) * longer edits, and d >= (longer - 1 - x) / 2
        need = np.ceil((2 * needed - 1) * longer - 1 - 1e-9)
        return need

    def most(self, lengths: np.ndarray) -> np.ndarray:
        """How many tokens keys of ``lengths`` have."""
        most: np.ndarray = np.maximum(lengths - (self.width - 1), 0)
        return most

    def best_length(self, size: int, shortest: np.ndarray, longest: np.ndarray) -> np.ndarray:
        """The length between ``shortest`` and ``longest`` that needs the fewest tokens:
        the query's own, clipped."""
        best: np.ndarray = np.clip(size, shortest, longest)
        return best

    def score(self, shared: np.ndarray, lengths: np.ndarray, size: int) -> np.ndarray:
        """The best score of units of ``lengths`` sharing ``shared`` tokens with a key of
        ``size`` characters (0 for a length 0: no live unit)."""
        longer = np.maximum(lengths, size)
        if self.width == 1:
            bound: np.ndarray = 100 * np.minimum(shared, lengths) / longer
            return bound
        x = np.minimum(np.minimum(shared, self.most(lengths)), max(size - 1, 0))
        edits = np.maximum(np.abs(lengths - size), -((x - (longer - 1)) // 2))
        scored: np.ndarray = 100 * (1 - edits / longer)
        return scored

    def group_score(
        self, shared: np.ndarray, size: int, shortest: np.ndarray, longest: np.ndarray
    ) -> np.ndarray:
        """The best :meth:`score` of units sharing at most ``shared`` tokens with a key of
        ``size`` characters, of any length from ``shortest`` to ``longest``.

        For characters that is the score at the query's length, clipped. For bigrams the
        edits ``(m - 1 - x) / 2`` round up, so a length one longer may score better (the
        rounding leaves the edits the same over a longer key), and no longer one does: the
        score is the better of those two lengths.
        """
        best = self.best_length(size, shortest, longest)
        scored = self.score(shared, best, size)
        if self.width == 1:
            return scored
        longer: np.ndarray = np.maximum(
            scored, self.score(shared, np.minimum(best + 1, longest), size)
        )
        return longer


CHARACTERS = TokenBound(1)
BIGRAMS = TokenBound(2)


def token_bound(lang: str) -> TokenBound:
    """The bound the search uses for sources in ``lang``."""
    return BIGRAMS if by_bigrams(lang) else CHARACTERS


BIGRAMS_FROM = 58
"""The lowest threshold at which the search bounds by bigrams: below it, few of a query's
bigrams are needed (a tenth at 55) and the trigram bound costs less. On 1M English units
(``benchmarks/english_bench.py``, 400 queries, keys held), mean / p99 ms, bigrams against
trigrams: at 55 122.2 / 536 against 101.9 / 400; at 58 93.2 / 469 against 107.4 / 380; at
60 64.3 / 410 against 103.2 / 350."""


def usable(bound: TokenBound, size: int, min_score: float, rounding: float) -> bool:
    """True when the grouped search is to be used: every unit reaching ``min_score`` (less
    ``rounding``) shares a token with a key of ``size`` characters, so it finds them all,
    and for bigrams the threshold is at least :data:`BIGRAMS_FROM`."""
    if min_score <= 0 or size <= 0 or (bound is BIGRAMS and min_score < BIGRAMS_FROM):
        return False
    return bound.at_least(size, (min_score - rounding) / 100) >= 1
