"""What every command shares: the ``--json`` flag, JSON lines, tables, progress bars, and
``-`` as standard output for an export.

Commands hand library results to :func:`echo_json` (one object per line, each result by its
``to_dict()``) or :func:`echo_table` (rich on a terminal, tab-separated otherwise); nothing
else in ``cli/`` formats output for scripts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import click

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (one object per line) for scripts."
)


def to_jsonable(value: Any) -> Any:
    """Library results and containers → plain JSON values.

    A result with ``to_dict()`` (every record the library returns) gives its own shape, the
    same for every command; other dataclasses are taken field by field.
    """
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return to_jsonable(to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def echo_json(value: Any) -> None:
    """Print one JSON value on one line, Japanese left readable."""
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False))


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None
) -> None:
    """Print a table: rich's box drawing on a terminal, plain tab-separated text otherwise."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*headers, title=title)
        for row in rows:
            table.add_row(*("" if c is None else str(c) for c in row))
        Console().print(table)
        return
    if title:
        click.echo(title)
    click.echo("\t".join(headers))
    for row in rows:
        click.echo("\t".join("" if c is None else str(c) for c in row))


def warn(message: str) -> None:
    """Print a warning line on standard error."""
    click.echo(f"Warning: {message}", err=True)


@contextlib.contextmanager
def progress_bar(description: str, total: float | None = None) -> Iterator[Callable[[float], None]]:
    """Yield an ``advance(n)`` callback that drives a progress bar on a terminal, else nothing.

    The bar goes to standard error, so piped output stays clean, and a command run with
    ``--json`` shows none at all (its reader is a program).
    """
    context = click.get_current_context(silent=True)
    if not sys.stderr.isatty() or (context is not None and context.params.get("as_json")):
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


@contextlib.contextmanager
def export_path(file: str, suffix: str) -> Iterator[str]:
    """Yield the path an export writes to: ``file`` itself, or for ``-`` a temporary file
    named with ``suffix`` (which tells the writer its format), copied to standard output
    once it is complete, so a failed export prints nothing half-written.
    """
    if file != "-":
        yield file
        return
    import shutil  # here: only an export to standard output needs them
    import tempfile

    with tempfile.TemporaryDirectory(prefix="taiyaku-export-") as folder:
        path = os.path.join(folder, f"stdout{suffix}")
        yield path
        sys.stdout.flush()
        with open(path, "rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def report_export(file: str, message: str) -> None:
    """Say what an export wrote: on standard error when the export itself went to stdout."""
    click.echo(f"{'<stdout>' if file == '-' else file}: {message}", err=file == "-")


def language_pair_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--src-lang``/``--tgt-lang`` for an import: the file's languages when they are not
    Japanese and English (both or neither)."""
    command = click.option(
        "--tgt-lang", metavar="TAG", help="The file's target (or English-side) language."
    )(command)
    return click.option(
        "--src-lang",
        metavar="TAG",
        help="The file's source (or Japanese-side) language, when the file is not "
        "Japanese–English (by default such a file is refused).",
    )(command)


def language_pair(src_lang: str | None, tgt_lang: str | None) -> tuple[str, str] | None:
    """The pair ``--src-lang``/``--tgt-lang`` give, or ``None``; one without the other is a
    usage error."""
    if bool(src_lang) != bool(tgt_lang):
        raise click.UsageError("give --src-lang and --tgt-lang together")
    return (src_lang, tgt_lang) if src_lang and tgt_lang else None
