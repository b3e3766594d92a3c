"""Per-unit values stored as packed arrays, one row per language and block of unit ids.

The index keeps a few numbers for every unit (``match_sizes``: key length and gram count;
``match_groups``: leader offset and distance, see :mod:`taiyaku.store.groups`) as little-endian
arrays of :data:`BLOCK` values in a row ``(lang, block, column…)``: a search reads a whole
language's values in a few rows, and a write rewrites only the blocks its units fall in.
(``match_changes`` holds a variable number of values a unit: it reads and stores its rows
through :func:`read_block` and :func:`store_block`.)
"""

from __future__ import annotations

import numpy as np

from taiyaku.store.db import Db, read_blobs
from taiyaku.store.postings import distinct

BLOCK_BITS = 16
BLOCK = 1 << BLOCK_BITS


def write_blocks(
    db: Db, table: str, lang: str, unit_ids: np.ndarray, columns: dict[str, tuple[np.ndarray, str]]
) -> None:
    """Set the values of ``unit_ids`` in the blocks of ``table``, creating the blocks missing.

    :param columns: ``{column: (values, dtype)}``, the values in the order of ``unit_ids``
        and the column's packed dtype (``"<u2"``…); values a block had for other units stay
    """
    if not len(unit_ids):
        return
    names = list(columns)
    blocks = unit_ids >> BLOCK_BITS
    for block in distinct(blocks).tolist():
        here = blocks == block
        row = read_block(db, table, lang, block, names)
        at = unit_ids[here] & (BLOCK - 1)
        packed = {}
        for i, (name, (values, dtype)) in enumerate(columns.items()):
            stored = (
                np.zeros(BLOCK, dtype=dtype)
                if row is None
                else np.frombuffer(row[i], dtype=dtype).copy()
            )
            stored[at] = values[here]
            packed[name] = stored.tobytes()
        store_block(db, table, lang, block, packed)


def read_block(
    db: Db, table: str, lang: str, block: int, names: list[str]
) -> tuple[bytes, ...] | None:
    """The packed ``names`` columns of one block of ``table`` (``None``: not stored yet)."""
    row = db.conn.execute(
        f"SELECT {', '.join(names)} FROM {table} WHERE lang = ? AND block = ?", [lang, block]
    ).fetchone()
    return None if row is None else tuple(row)


def store_block(db: Db, table: str, lang: str, block: int, columns: dict[str, bytes]) -> None:
    """Write one block's packed ``columns`` to ``table``, in place of what it held."""
    names = list(columns)
    db.conn.execute(
        f"INSERT INTO {table} (lang, block, {', '.join(names)}) "
        f"VALUES (?, ?{', ?' * len(names)}) ON CONFLICT (lang, block) DO UPDATE "
        f"SET {', '.join(f'{n} = excluded.{n}' for n in names)}",
        [lang, block, *columns.values()],
    )


def read_blocks(
    db: Db,
    table: str,
    lang: str,
    columns: dict[str, str],
    size: int | None = None,
    *,
    into: type | dict[str, type] = np.int64,
) -> list[np.ndarray]:
    """Every unit's values of ``columns`` (``{column: packed dtype}``), by unit id, as arrays
    of ``size`` values of type ``into`` (or ``into[column]``; ``size=None``: up to the last
    stored block); 0 where nothing is stored."""
    rows = read_blobs(
        db,
        f"SELECT block, {', '.join(columns)} FROM {table} WHERE lang = ? ORDER BY block",
        [lang],
    )
    if size is None:
        size = (rows[-1][0] + 1) * BLOCK if rows else 0
    arrays = [
        np.zeros(size, dtype=into[column] if isinstance(into, dict) else into) for column in columns
    ]
    for block, *blobs in rows:
        start = block * BLOCK
        end = min(start + BLOCK, size)
        if end <= start:
            continue
        for array, blob, dtype in zip(arrays, blobs, columns.values(), strict=True):
            array[start:end] = np.frombuffer(blob, dtype)[: end - start]
    return arrays


def read_lengths(db: Db, lang: str, size: int | None = None) -> np.ndarray:
    """Every unit's source key length in ``lang`` (``match_sizes``; 0: no unit, or another
    language), by unit id, for ids below ``size`` (``None``: up to the last stored block)."""
    return read_blocks(db, "match_sizes", lang, {"lengths": "<u2"}, size)[0]
