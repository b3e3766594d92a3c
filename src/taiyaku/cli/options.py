"""Options and rules the commands share: empty queries, ``--excel``, progress over a stream.

**Queries.** ``match ""`` used to print "(no match)" while ``concordance ""`` failed. Every search
command now refuses a query with nothing to search for (exit status 2, as click's other
usage errors), and answers a search that finds nothing with a message and exit status 0:
finding nothing is an answer, not a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import click

T = TypeVar("T")

excel_option = click.option(
    "--excel",
    is_flag=True,
    help="For .csv: a UTF-8 BOM and CR LF line ends, so that Excel (Japanese Windows too) "
    "opens it without mojibake.",
)


def advancing(items: Iterable[T], advance: Callable[[int], None], every: int = 1000) -> Iterator[T]:
    """Yield ``items``, calling ``advance`` every ``every`` items (drives a progress bar)."""
    count = 0
    for item in items:
        yield item
        count += 1
        if count == every:
            advance(count)
            count = 0
    if count:
        advance(count)


def nonempty_query(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A click callback: refuse a query (or any of several) that is empty or only spaces."""
    values = value if isinstance(value, tuple) else (value,)
    if any(v is not None and not v.strip() for v in values):
        raise click.BadParameter("the query is empty: give some text to search for")
    return value
