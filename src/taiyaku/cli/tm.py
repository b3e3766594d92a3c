"""``taiyaku tm``: import, export and count translation units."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from taiyaku.cli.output import echo_json, echo_table, json_option, progress_bar, warn


@click.group()
def tm() -> None:
    """The translation memory: import, export, statistics."""


@tm.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", help="Encoding of TSV/CSV files (default: detected).")
@click.option("--sheet", help="Worksheet of an .xlsx file (default: the first).")
@json_option
@click.pass_context
def import_(
    ctx: click.Context,
    files: tuple[str, ...],
    encoding: str | None,
    sheet: str | None,
    as_json: bool,
) -> None:
    """Import translation units from TMX, TSV, CSV or XLSX files.

    \b
    TMX 1.1–1.4b (xml:lang or the older lang attribute, as in OmegaT's
    project_save.tmx); TSV/CSV/XLSX with a header row naming source and
    target columns, or two language columns such as ja and en.

    An XLIFF file or review sheet that `taiyaku pretranslate` wrote, once
    translated, adds its confirmed segments (translated, reviewed or final;
    in a sheet, every filled target) as units of origin `translated`, with
    their inline codes; importing it again updates them.

    Each file is imported in one transaction: a broken file adds nothing.
    A unit already in the TM (same languages and texts) is not added again.
    """
    from taiyaku.cli import open_store
    from taiyaku.formats import estimate_units, read_units

    memory = open_store(ctx, write=True).tm
    for path in files:
        if _is_translated_file(path):
            _import_translated(memory, path, as_json)
            continue
        warnings: list[str] = []
        note = _warning_collector(warnings)
        total = estimate_units(path) if sys.stderr.isatty() else None
        with progress_bar(f"Importing {click.format_filename(path)}", total) as advance:
            result = memory.add_many(
                read_units(path, encoding=encoding, sheet=sheet, warn=note), progress=advance
            )
        if as_json:
            echo_json(
                {
                    "file": path,
                    "added": result.added,
                    "already_present": result.skipped,
                    "skipped_with_warning": len(warnings),
                }
            )
        else:
            click.echo(
                f"{path}: {result.added:,} units added, {result.skipped:,} already "
                f"present" + (f", {len(warnings):,} skipped" if warnings else "")
            )


@tm.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--document", help="Export only the units of this document.")
@click.pass_context
def export(ctx: click.Context, file: str, document: str | None) -> None:
    """Export the TM to FILE: .tmx (TMX 1.4b), .tsv, .csv or .xlsx, by extension."""
    from taiyaku.cli import open_store
    from taiyaku.formats import write_units

    count = write_units(file, open_store(ctx).tm.iter_units(document=document))
    click.echo(f"{file}: {count:,} units exported")


@tm.command()
@json_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count units by language pair, origin and document."""
    from taiyaku.cli import open_store

    figures = open_store(ctx).tm.stats()
    if as_json:
        echo_json(figures)
        return
    click.echo(f"{figures['units']:,} units in {ctx.obj['db_path']}")
    for key, title in (
        ("language_pairs", "Language pair"),
        ("origins", "Origin"),
        ("documents", "Document"),
    ):
        rows = [(r["name"] or "(none)", f"{r['units']:,}") for r in figures[key]]
        if rows:
            echo_table((title, "Units"), rows)


def _is_translated_file(path: str) -> bool:
    """True for XLIFF, and for a review sheet that pretranslate wrote."""
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    if suffix in (".xlf", ".xliff"):
        return True
    if suffix == ".xlsx":
        from taiyaku.formats.review_sheet import is_review_sheet

        return is_review_sheet(path)
    return False


def _import_translated(memory: Any, path: str, as_json: bool) -> None:
    from taiyaku.loop import read_translated, translated_units

    result = memory.replace_positions(translated_units(read_translated(path)))
    if as_json:
        echo_json({"file": path, "added": result.added, "already_present": result.skipped})
    else:
        click.echo(
            f"{path}: {result.added:,} translated segments added or updated, "
            f"{result.skipped:,} already present"
        )


def _warning_collector(warnings: list[str]) -> Callable[[str], None]:
    """A callback that prints each warning and keeps it in ``warnings``."""

    def note(message: str) -> None:
        warnings.append(message)
        warn(message)

    return note
