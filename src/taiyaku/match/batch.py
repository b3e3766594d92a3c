"""Many queries at once, spread over the machine's cores, answered in input order.

A query's search is Python and numpy work that holds the GIL most of the time, so threads
would not help: batches go to worker processes (forked, so they start in milliseconds and
share the parent's loaded modules), each with its own connection to the database file and its
own :class:`~taiyaku.match.search.Matcher`. Small batches, in-memory databases and
one-core machines are answered in this process. ``$TAIYAKU_WORKERS`` caps the processes (a
machine shared with other work; ``1`` answers everything in this process).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from taiyaku.errors import TaiyakuError
from taiyaku.match.search import Match, Matcher
from taiyaku.store.db import database_file, open_db

_CHUNK = 8  # queries per task: small enough to balance, large enough to amortise the pipe
_PARALLEL_FROM = 48  # fewer queries than this are not worth starting workers for

_worker: Matcher | None = None


def default_workers() -> int:
    """Return ``$TAIYAKU_WORKERS`` if set, else the number of cores this process may run on.

    :raises TaiyakuError: ``$TAIYAKU_WORKERS`` is not a whole number of at least 1
    """
    chosen = os.environ.get("TAIYAKU_WORKERS", "").strip()
    if chosen:
        if not chosen.isdigit() or int(chosen) < 1:
            raise TaiyakuError(
                f"TAIYAKU_WORKERS must be a whole number of at least 1, not {chosen!r}"
            )
        return int(chosen)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(path: str, searches: int) -> None:
    global _worker

    _worker = Matcher(open_db(path, write=False))  # workers only read
    _worker.expect(searches)


def _run(task: tuple[str, list[str], dict[str, Any]]) -> list[Any]:
    method, queries, options = task
    assert _worker is not None
    run = getattr(_worker, method)
    return [run(query, **options) for query in queries]


def _answers(
    db_or_tm: Any, method: str, queries: Sequence[str], options: dict[str, Any], workers: int | None
) -> Iterator[Any]:
    """The answers of ``method`` for every query, in order; the workers (if any) are started
    now, not when the first answer is wanted (so never beside a progress bar's thread)."""
    matcher = db_or_tm if isinstance(db_or_tm, Matcher) else Matcher(db_or_tm)
    workers = default_workers() if workers is None else workers
    path = database_file(matcher.db)
    if workers <= 1 or len(queries) < _PARALLEL_FROM or path is None:
        matcher.expect(len(queries))
        run = getattr(matcher, method)
        return (run(query, **options) for query in queries)
    tasks = [
        (method, list(queries[start : start + _CHUNK]), options)
        for start in range(0, len(queries), _CHUNK)
    ]
    import multiprocessing  # here: one query from the command line starts no process

    context = multiprocessing.get_context("fork")
    processes = min(workers, len(tasks))
    pool = context.Pool(processes, _start_worker, (path, -(-len(queries) // processes)))
    return _collect(pool, tasks)


def _collect(pool: Any, tasks: list[tuple[str, list[str], dict[str, Any]]]) -> Iterator[Any]:
    with pool:
        for answers in pool.imap(_run, tasks):
            yield from answers


def search_many(
    db_or_tm: Any,
    queries: Sequence[str],
    *,
    min_score: float = 70,
    limit: int = 5,
    workers: int | None = None,
) -> Iterator[list[Match]]:
    """Yield the matches of every query (as :meth:`Matcher.search`), in the order given.

    :param db_or_tm: a database, a TranslationMemory or a :class:`Matcher`
    :param workers: processes to use; default: :func:`default_workers`
    """
    options = {"min_score": min_score, "limit": limit}
    return _answers(db_or_tm, "search", queries, options, workers)


def scores_many(
    db_or_tm: Any,
    queries: Sequence[str],
    *,
    min_score: float = 70,
    limit: int = 5,
    lang: str | None = None,
    workers: int | None = None,
) -> Iterator[list[tuple[float, int]]]:
    """Yield ``(score, unit id)`` pairs for every query (as :meth:`Matcher.scores`), in order.

    :param workers: processes to use; default: :func:`default_workers`
    """
    options = {"min_score": min_score, "limit": limit, "lang": lang}
    return _answers(db_or_tm, "scores", queries, options, workers)
