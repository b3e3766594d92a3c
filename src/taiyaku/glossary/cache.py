"""Per-version caches: an index is built once per glossary version and kept in the process.

The key is the database (its file, or the connection for an in-memory one) plus the
glossary's id and version from ``meta`` (:meth:`taiyaku.store.glossary.GlossaryStore.version`),
which a trigger bumps on every write to ``terms``. A stale index is never used: every call
reads the version first (one indexed query), and a new version means a rebuild.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from taiyaku.store.glossary import GlossaryStore

T = TypeVar("T")
_MAX_ENTRIES = 8
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_LOCK = threading.Lock()


def cached(store: GlossaryStore, name: str, build: Callable[[], T]) -> T:
    """Return the ``name`` index of the store's current glossary, building it if needed."""
    glossary_id, version = store.version()
    key = (name, store.identity(), glossary_id, version)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]  # type: ignore[no-any-return]
    value = build()
    with _LOCK:
        # Older versions of the same index are dead: drop them at once.
        for old in [k for k in _CACHE if k[:3] == key[:3]]:
            del _CACHE[old]
        _CACHE[key] = value
        while len(_CACHE) > _MAX_ENTRIES:
            _CACHE.popitem(last=False)
    return value


def clear() -> None:
    """Forget every cached index (tests, benchmarks measuring a cold start)."""
    with _LOCK:
        _CACHE.clear()
