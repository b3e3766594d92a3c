"""The key signature: what the stored keys were computed with, and rebuilding them when it changes.

Beside every unit and term the store keeps keys (match keys, lookup and find keys,
readings) and the fuzzy index built from them. They depend on taiyaku's rules
(:data:`taiyaku.text.keys.KEYS_VERSION`), on UniDic's dictionary (readings and standard
spellings come from ``unidic-lite``), on Python's Unicode tables (NFKC, case folding) and on
the index format (:data:`INDEX_VERSION`). Upgrading any of them
would silently make stored keys disagree with the keys of a query, and lookups and matches
would miss. So the database records, in ``meta``, the signature its keys were made under
(in the manner of sacrebleu's metric signatures)::

    keys:1|unidic-lite:1.0.8|unicode:15.0.0|index:1

and :func:`taiyaku.store.db.open_db` compares it with this taiyaku's on every open. A writing
open whose signature differs recomputes every key and rebuilds the index, in one
transaction, before anything else is written; a reading open changes nothing and the
caller is told what to run (``taiyaku upgrade``).
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterator

from taiyaku.store.db import Db, transaction
from taiyaku.text.keys import KEYS_VERSION
from taiyaku.text.tagger import dictionary_version

META_KEY = "keys_signature"
INDEX_VERSION = 6
"""The format of the index tables (:mod:`taiyaku.store.index_writer`) and of the grams and
words they hold: a database whose index was written under another version must have it
rebuilt. Kept here, not beside the writer, so that checking the signature on a reading open
loads neither the writer nor numpy."""

# ``progress(description, total)`` gives a context manager yielding ``advance(n)``: the shape
# of :func:`taiyaku.cli.output.progress_bar`.
Progress = Callable[[str, int], contextlib.AbstractContextManager[Callable[[int], None]]]


def current_signature() -> str:
    """The signature of the keys this taiyaku computes."""
    return "|".join(
        (
            f"keys:{KEYS_VERSION}",
            dictionary_version(),
            f"unicode:{unicodedata.unidata_version}",
            f"index:{INDEX_VERSION}",
        )
    )


def stored_signature(db: Db) -> str | None:
    """The signature the database's keys were made under, or ``None`` if it records none."""
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchone()
    return str(row[0]) if row else None


def stale_keys_message(db: Db, name: str) -> str | None:
    """What to tell a reader whose database has keys made under another signature, or ``None``."""
    stored = stored_signature(db)
    if stored == current_signature():
        return None
    made = f"made with {stored}" if stored else "made by an older taiyaku"
    return (
        f"{name}: its stored keys were {made}; this taiyaku makes {current_signature()}: "
        f"lookups and matches may miss until you run `taiyaku --db {name} upgrade`"
    )


@contextlib.contextmanager
def no_progress(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A :data:`Progress` that shows nothing (library callers that pass none)."""
    yield lambda n: None


def bring_keys_up_to_date(
    db: Db, progress: Progress | None = None, *, always: bool = False
) -> bool:
    """Recompute every stored key and the fuzzy index if the signature differs.

    One transaction: a failure leaves the old keys and signature in place, and the next
    writing open tries again.

    :param progress: shows the work on a terminal (see :data:`Progress`)
    :param always: rebuild even under the same signature (schema steps just added key
        columns or index tables, which are filled here, never in the steps)
    :return: whether anything was rebuilt
    """
    wanted = current_signature()
    if stored_signature(db) == wanted and not always:
        return False
    from taiyaku.store.glossary import GlossaryStore
    from taiyaku.store.index_writer import rebuild_index
    from taiyaku.store.tm import TranslationMemory

    with transaction(db):
        if stored_signature(db) == wanted and not always:  # rebuilt by another process
            return False
        memory, glossary = TranslationMemory(db), GlossaryStore(db)
        total = memory.count() + glossary.count()
        with (progress or no_progress)("Rebuilding stored keys", total) as advance:
            memory.recompute_keys(advance)
            glossary.recompute_keys(advance)
            rebuild_index(db)
        db.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [META_KEY, wanted],
        )
    return True
