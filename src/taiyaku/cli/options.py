"""Options and rules the commands share: empty queries, ``--excel``, progress over a stream.

**Standard input.** A file argument of ``-`` reads standard input (:func:`input_path`), so
``pdftotext doc.pdf - | taiyaku analyze -`` works as shell users expect.

**Queries.** ``match ""`` used to print "(no match)" while ``concordance ""`` failed. Every search
command now refuses a query with nothing to search for (exit status 2, as click's other
usage errors), and answers a search that finds nothing with a message and exit status 0:
finding nothing is an answer, not a failure.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import click

from taiyaku.errors import TaiyakuError

T = TypeVar("T")

excel_option = click.option(
    "--excel",
    is_flag=True,
    help="For .csv: a UTF-8 BOM and CR LF line ends, so that Excel (Japanese Windows too) "
    "opens it without mojibake.",
)


def min_score_option(default: float, help: str) -> Callable[[Callable[..., Any]], Any]:
    """``--min-score`` (alias ``--min``), 0–100: one name for the lowest score in every command.

    :param default: the command's own default
    :param help: what the score bounds in this command
    """
    return click.option(
        "--min-score",
        "--min",
        "min_score",
        default=default,
        show_default=True,
        type=click.FloatRange(0, 100),
        help=help,
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


@contextlib.contextmanager
def input_path(path: str, *, suffix: str | Callable[[bytes], str] = ".txt") -> Iterator[str]:
    """Yield a readable path for ``path``; for ``-``, standard input saved to a temporary file.

    The library reads files by name (the extension tells the format, the bytes the
    encoding), so standard input becomes a file named ``stdin`` + ``suffix`` for the
    command's duration; errors about it say ``<stdin>``.

    :param suffix: the extension standard input is read as (``".tsv"``, ...), or a function
        choosing it from the bytes (:func:`tm_suffix`)
    """
    if path != "-":
        yield path
        return
    import tempfile  # here: only a command reading standard input needs it

    with click.open_file("-", "rb") as stdin:
        data = stdin.read()
    with tempfile.TemporaryDirectory(prefix="taiyaku-stdin-") as folder:
        file = os.path.join(folder, "stdin" + (suffix(data) if callable(suffix) else suffix))
        with open(file, "wb") as out:
            out.write(data)
        try:
            yield file
        except TaiyakuError as error:
            raise TaiyakuError(str(error).replace(file, "<stdin>")) from None


def tm_suffix(data: bytes) -> str:
    """How ``tm import -`` reads standard input: TMX when it is XML, else TSV."""
    return ".tmx" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else ".tsv"


stdin_path = click.Path(exists=True, dir_okay=False, allow_dash=True)
