"""The bounds of the grouped search: never below the score a unit really has."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from taiyaku.match.bounds import BIGRAMS, CHARACTERS, TokenBound, token_bound, usable
from taiyaku.text.grams import (
    bigram_texts,
    char_layers,
    pack_bigram_layers,
    pack_char_layers,
    unpack_char_layers,
)

# Few letters, so that keys share many bigrams; a character beyond ASCII for hashed bigrams.
_KEYS = st.text(alphabet="abé ", min_size=1, max_size=14)


def _shared(bound: TokenBound, a: str, b: str) -> int:
    return len(set(char_layers(bound.text(a))) & set(char_layers(bound.text(b))))


def _score(a: str, b: str) -> float:
    return 100 * Levenshtein.normalized_similarity(a, b)


@settings(max_examples=400, deadline=None)
@given(_KEYS, _KEYS)
def test_a_units_bound_is_at_least_its_score(query: str, key: str) -> None:
    for bound in (CHARACTERS, BIGRAMS):
        shared = np.array([_shared(bound, query, key)])
        assert bound.score(shared, np.array([len(key)]), len(query))[0] >= _score(query, key) - 1e-9


@settings(max_examples=300, deadline=None)
@given(_KEYS, st.lists(_KEYS, min_size=1, max_size=5))
def test_a_groups_bound_is_at_least_every_members_score(query: str, members: list[str]) -> None:
    """A group shares at most the union of its members' tokens, whatever their lengths."""
    for bound in (CHARACTERS, BIGRAMS):
        tokens = set(char_layers(bound.text(query)))
        union = set().union(*(set(char_layers(bound.text(m))) for m in members))
        lengths = [len(m) for m in members]
        group = bound.group_score(
            np.array([len(tokens & union)]),
            len(query),
            np.array([min(lengths)]),
            np.array([max(lengths)]),
        )[0]
        assert group >= max(_score(query, m) for m in members) - 1e-9


def test_a_group_of_bigrams_may_score_best_one_character_longer() -> None:
    """The edits round up: a member one character longer than the query than it may lose
    no more edits and score higher, so the group's bound looks at that length too."""
    shared, size = np.array([6]), 10
    at_size = BIGRAMS.score(shared, np.array([10]), size)[0]
    longer = BIGRAMS.score(shared, np.array([11]), size)[0]
    assert longer > at_size
    assert BIGRAMS.group_score(shared, size, np.array([5]), np.array([20]))[0] == longer


def test_the_tokens_needed_make_the_bound_reach_the_threshold() -> None:
    for bound in (CHARACTERS, BIGRAMS):
        for size in (5, 20, 80):
            for needed in (0.6, 0.7, 0.85, 1.0):
                lengths = np.arange(1, 3 * size)
                need = bound.need(lengths, size, needed)
                fewer = bound.score(need - 1, lengths, size)
                assert (fewer < 100 * needed).all()  # one token fewer never reaches it


def test_english_bounds_by_bigrams_and_only_where_the_bigrams_prune() -> None:
    assert token_bound("en") is BIGRAMS and token_bound("ja") is CHARACTERS
    assert bigram_texts(["ab"]) != bigram_texts(["ba"])
    assert usable(BIGRAMS, 40, 70, 0.006)
    assert not usable(BIGRAMS, 40, 55, 0.006)  # below BIGRAMS_FROM: the trigram bound
    assert not usable(BIGRAMS, 3, 60, 0.006)  # "abc" and "axc": 67 %, no bigram shared
    assert usable(CHARACTERS, 3, 50, 0.006) and not usable(CHARACTERS, 3, 0, 0.006)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab é\u3042", max_size=12), max_size=6))
def test_the_index_packs_the_bigram_tokens_the_search_counts(keys: list[str]) -> None:
    """The writer packs bigram tokens from code points; the search cuts them from
    ``bigram_texts``: the same tokens, or a query would miss what the index holds."""
    owners, codes = pack_bigram_layers(keys)
    from_texts = pack_char_layers(bigram_texts(keys))
    assert owners.tolist() == from_texts[0].tolist()
    assert codes.tolist() == from_texts[1].tolist()
    assert sorted(unpack_char_layers(codes)) == sorted(
        token for key in keys for token in char_layers(BIGRAMS.text(key))
    )
