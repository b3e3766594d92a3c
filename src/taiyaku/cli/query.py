"""The one rule for search queries: an empty query is a usage error, nothing found is not.

``match ""`` used to print "(no match)" while ``concordance ""`` failed. Every search
command now refuses a query with nothing to search for (exit status 2, as click's other
usage errors), and answers a search that finds nothing with a message and exit status 0:
finding nothing is an answer, not a failure.
"""

from __future__ import annotations

from typing import Any

import click


def nonempty_query(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A click callback: refuse a query (or any of several) that is empty or only spaces."""
    values = value if isinstance(value, tuple) else (value,)
    if any(v is not None and not v.strip() for v in values):
        raise click.BadParameter("the query is empty: give some text to search for")
    return value
