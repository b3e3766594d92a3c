"""What every near-duplicate group must hold for the fuzzy search to stay exact."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from taiyaku.store import postings
from taiyaku.store.groups import KNOWN, UNKNOWN, read_changes, read_leaders
from taiyaku.text.grams import char_layers, unpack_char_layers


def group_postings(database, lang: str = "ja") -> dict[str, set[int]]:
    """The group postings of ``lang``: token → the leaders whose union holds it."""
    found: dict[str, set[int]] = {}
    rows = database.execute("SELECT gram, ids FROM match_postings WHERE lang = ?", [lang + "/g"])
    for gram, blob in rows:
        found.setdefault(gram, set()).update(postings.decode(blob).tolist())
    return found


def assert_groups_cover_their_members(database, lang: str = "ja") -> int:
    """Every live unit's layered characters are in its leader's postings, its stored
    distance to a live leader is the true one, and its stored changes (all known) turn the
    leader's characters into its own. Return how many units are led by another."""
    keys = dict(
        database.execute("SELECT id, coalesce(source_key, source_text) FROM units").fetchall()
    )
    leaders, distances = read_leaders(database, lang, max(keys) + 1)
    counts, starts, codes = read_changes(database, lang, max(keys) + 1)
    found = group_postings(database, lang)
    led = 0
    for unit_id, key in keys.items():
        leader = int(leaders[unit_id])
        for token in char_layers(key):
            assert leader in found.get(token, ()), (unit_id, key, leader, token)
        assert counts[unit_id] & KNOWN, (unit_id, key)
        raw = codes[starts[unit_id] : starts[unit_id + 1]]
        changed = unpack_char_layers(raw & 0x7FFFFFFF)
        added = int(counts[unit_id] >> 4) & 7
        # the top bit marks the removed tokens, which follow the added ones
        assert [int(code) >> 31 for code in raw] == [int(i >= added) for i in range(len(raw))]
        if leader == unit_id:
            assert changed == []
            continue
        led += 1
        assert leader < unit_id
        if leader in keys:
            theirs = set(char_layers(keys[leader]))
            assert not theirs & set(changed[:added]) and set(changed[added:]) <= theirs
            assert (theirs - set(changed[added:])) | set(changed[:added]) == set(char_layers(key))
            if distances[unit_id] != UNKNOWN:
                assert distances[unit_id] == Levenshtein.distance(key, keys[leader])
    return led
