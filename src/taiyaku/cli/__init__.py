"""The ``taiyaku`` command: a thin click layer over the library.

Commands parse their options, call one library function and print the result. Library
errors (:class:`taiyaku.errors.TaiyakuError`) become one ``Error:`` line and exit status 1;
misuse of the command line is click's exit status 2.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import sys
from typing import TYPE_CHECKING, Any

import click

from taiyaku import __version__
from taiyaku.errors import TaiyakuError
from taiyaku.store.db import default_db_path, describe_sqlite_error

if TYPE_CHECKING:
    from taiyaku.project import Project


# Each command's home, imported when the command runs (or when --help lists them all), so
# that `taiyaku match` does not load the aligner, the glossary, the spreadsheet writer ...,
# and `taiyaku --version` not even numpy.
COMMANDS = {
    "align": "taiyaku.cli.align:align_command",
    "analyze": "taiyaku.cli.match:analyze",
    "check": "taiyaku.cli.check:check",
    "concordance": "taiyaku.cli.match:concordance",
    "db": "taiyaku.cli.db:db",
    "demo": "taiyaku.cli.demo:demo",
    "match": "taiyaku.cli.match:match",
    "merge": "taiyaku.cli.loop:merge",
    "pretranslate": "taiyaku.cli.loop:pretranslate",
    "segment": "taiyaku.cli.align:segment",
    "serve": "taiyaku.cli.serve:serve",
    "term": "taiyaku.cli.term:term",
    "tm": "taiyaku.cli.tm:tm",
}


class TaiyakuGroup(click.Group):
    """A click group that turns library errors into clean one-line errors, and imports
    each command of :data:`COMMANDS` only when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        home = COMMANDS.get(cmd_name)
        if home is None:
            return super().get_command(ctx, cmd_name)
        module, _, name = home.partition(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:
            # click suggests close names from the commands the group holds: none of the lazy
            # ones until they are asked for, so from every command it lists instead.
            raise click.exceptions.NoSuchCommand(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TaiyakuError as error:
            raise click.ClickException(str(error)) from None
        except KeyboardInterrupt:
            # Ctrl-C: the open transaction has rolled back; say so and exit as shells expect.
            click.echo("Interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `taiyaku ... | head` closed the pipe: stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except OSError as error:  # a file vanished, a disk filled up, a permission was denied
            name = error.filename or ""
            raise click.ClickException(f"{name}: {error.strerror or error}") from None
        except sqlite3.Error as error:
            db = ctx.obj.get("db_path", "") if isinstance(ctx.obj, dict) else ""
            raise click.ClickException(f"{db}: {describe_sqlite_error(error)}") from None


@click.group(cls=TaiyakuGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="PATH|URL",
    help="The taiyaku database: a SQLite file, or a postgresql://user@host/dbname URL "
    "for a team's shared one. Default: $TAIYAKU_DB, then ./taiyaku.db.",
)
@click.version_option(__version__, prog_name="taiyaku")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """taiyaku (対訳): a Japanese↔English translation memory and glossary.

    One SQLite file holds the translation memory (TM) and the glossary (or, for a team, one
    PostgreSQL database: --db postgresql://...). Import TMX, TSV, CSV or Excel files, look
    terms up, and export again.

    \b
    Examples:
      taiyaku tm import memory.tmx
      taiyaku term import glossary.xlsx
      taiyaku term lookup 国際戦略
      taiyaku demo
    """
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path or default_db_path()


def open_store(ctx: click.Context, *, write: bool = False) -> Project:
    """Open the project the user chose with ``--db`` (or its defaults), once per command.

    :param write: ``True`` for a command that changes the database; a reading command
        opens it read-only and never creates or upgrades it
    """
    from taiyaku.cli.output import progress_bar, warn
    from taiyaku.project import Project

    project = Project.open(ctx.obj["db_path"], write=write, progress=progress_bar)
    # Closed when the command ends, failed or not (PostgreSQL: its connection ends then).
    ctx.call_on_close(project.close)
    for notice in project.notices:
        warn(notice)
    return project


@cli.command()
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Bring the database up to date with this taiyaku (schema and stored keys).

    Writing commands do this by themselves; run it when a reading command (lookup,
    match, stats, ...) says the database needs upgrading. It also gives back the space an
    upgrade's copied tables left free in a SQLite file (which writing commands only reuse).
    """
    from taiyaku.store.db import reclaim_free_space
    from taiyaku.store.keys import stored_signature

    project = open_store(ctx, write=True)
    reclaimed = reclaim_free_space(project.db)
    freed = f", {reclaimed / 1e6:,.1f} MB of free space given back" if reclaimed else ""
    click.echo(f"{project.name}: up to date (keys {stored_signature(project.db)}){freed}")
