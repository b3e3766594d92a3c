"""What every near-duplicate group must hold for the fuzzy search to stay exact."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from taiyaku.store import postings
from taiyaku.store.groups import UNKNOWN, read_leaders
from taiyaku.text.grams import char_layers


def group_postings(database, lang: str = "ja") -> dict[str, set[int]]:
    """The group postings of ``lang``: token → the leaders whose union holds it."""
    found: dict[str, set[int]] = {}
    rows = database.execute("SELECT gram, ids FROM match_postings WHERE lang = ?", [lang + "/g"])
    for gram, blob in rows:
        found.setdefault(gram, set()).update(postings.decode(blob).tolist())
    return found


def assert_groups_cover_their_members(database, lang: str = "ja") -> int:
    """Every live unit's layered characters are in its leader's postings, and its stored
    distance to a live leader is the true one. Return how many units are led by another."""
    keys = dict(
        database.execute("SELECT id, coalesce(source_key, source_text) FROM units").fetchall()
    )
    leaders, distances = read_leaders(database, lang, max(keys) + 1)
    found = group_postings(database, lang)
    led = 0
    for unit_id, key in keys.items():
        leader = int(leaders[unit_id])
        for token in char_layers(key):
            assert leader in found.get(token, ()), (unit_id, key, leader, token)
        if leader != unit_id:
            led += 1
            assert leader < unit_id
            if leader in keys and distances[unit_id] != UNKNOWN:
                assert distances[unit_id] == Levenshtein.distance(key, keys[leader])
    return led
