"""``taiyaku tm``: import, export and count translation units."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from typing import Any, cast

import click

from taiyaku.cli.options import advancing, excel_option, input_path, stdin_path, tm_suffix
from taiyaku.cli.output import (
    echo_json,
    echo_table,
    export_path,
    json_option,
    language_pair,
    language_pair_options,
    progress_bar,
    report_export,
    warn,
)
from taiyaku.models import ORIGINS, Origin, Unit


@click.group()
def tm() -> None:
    """The translation memory: import, export, statistics."""


@tm.command(name="import")
@click.argument("files", nargs=-1, required=True, type=stdin_path)
@click.option("--encoding", help="Encoding of TSV/CSV/text files (default: detected).")
@click.option("--sheet", help="Worksheet of an .xlsx file (default: the first).")
@click.option("--document", help="The document of every unit the file does not place in one.")
@click.option("--origin", type=click.Choice(ORIGINS), help="The origin of every unit.")
@language_pair_options
@json_option
@click.pass_context
def import_(
    ctx: click.Context,
    files: tuple[str, ...],
    encoding: str | None,
    sheet: str | None,
    document: str | None,
    origin: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    as_json: bool,
) -> None:
    """Import translation units from TMX, TSV, CSV or XLSX files, or a line-aligned pair.

    \b
    TMX 1.1–1.4b (xml:lang or the older lang attribute, as in OmegaT's
    project_save.tmx); TSV/CSV/XLSX with a header row naming source and
    target columns, or two language columns such as ja and en; a TSV with
    no header (Tatoeba's jpn.txt: source, target, optional attribution).
    Two files named by language, such as train.ja train.en, are one
    line-aligned corpus: line N of each is a unit.

    \b
    --src-lang ja --tgt-lang en turns units that go the other way round
    (by their language tags, or by their text when untagged): an
    English-first file becomes ja→en.

    An XLIFF file or review sheet that `taiyaku pretranslate` wrote, once
    translated, adds its confirmed segments (translated, reviewed or final;
    in a sheet, every filled target) as units of origin `translated`, with
    their inline codes; importing it again updates them.

    FILE - reads standard input (TMX if it is XML, else TSV).
    Each file is imported in one transaction: a broken file adds nothing.
    A unit already in the TM (same languages and texts) is not added again.
    A TMX whose units are not Japanese–English (by language tag, and by the
    script of each side) is refused, naming what it found, unless --src-lang
    and --tgt-lang say which pair to take.
    """
    from taiyaku.cli import open_store
    from taiyaku.formats import estimate_units, read_units, refuse_nul, with_provenance
    from taiyaku.formats.background import worth_a_process
    from taiyaku.formats.langcheck import checked_units
    from taiyaku.formats.parallel import is_line_pair, read_line_pair
    from taiyaku.store.pg import NUL_ON_POSTGRES, is_postgres

    langs = language_pair(src_lang, tgt_lang)
    memory = open_store(ctx, write=True).tm
    postgres = is_postgres(memory.db)  # whose text cannot hold U+0000
    pair = len(files) == 2 and is_line_pair(*files)
    for path in [" + ".join(files)] if pair else files:
        if not pair and path != "-" and _is_translated_file(path):
            _import_translated(memory, path, as_json)
            continue
        warnings: list[str] = []
        note = _warning_collector(warnings)
        name = "<stdin>" if path == "-" else path
        with contextlib.ExitStack() as stack:
            readable = None if pair else stack.enter_context(input_path(path, suffix=tm_suffix))

            def read(
                warn: Callable[[str], None], readable: str | None = readable, name: str = name
            ) -> Iterable[Unit]:
                """The file's units, as the user asked for them (called in a second process
                for a large file)."""
                if readable is None:
                    units = read_line_pair(*files, encoding=encoding, warn=warn)
                else:
                    units = read_units(readable, encoding=encoding, sheet=sheet, warn=warn)
                units = with_provenance(
                    units,
                    document=document,
                    origin=cast(Origin | None, origin),  # click.Choice(ORIGINS) allows no other
                    src_lang=src_lang,
                    tgt_lang=tgt_lang,
                )
                if readable is not None and str(readable).lower().endswith(".tmx"):
                    # A table's languages are its column names; a TMX says them per variant.
                    units = checked_units(name, units, langs=langs)
                if postgres:
                    units = refuse_nul(name, units, NUL_ON_POSTGRES)
                return units

            tty = sys.stderr.isatty()
            total = estimate_units(readable) if readable is not None and tty else None
            with progress_bar(f"Importing {click.format_filename(name)}", total) as advance:
                result = memory.import_units(
                    read,
                    note,
                    # A large file is parsed and keyed in a second process.
                    background=readable is not None and worth_a_process(readable),
                    progress=advance,
                )
        if as_json:
            echo_json(
                {
                    "file": name,
                    "added": result.added,
                    "already_present": result.skipped,
                    "skipped_with_warning": len(warnings),
                }
            )
        else:
            click.echo(
                f"{name}: {result.added:,} units added, {result.skipped:,} already "
                f"present" + (f", {len(warnings):,} skipped" if warnings else "")
            )


@tm.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--document", help="Export only the units of this document.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tmx", "tsv", "csv", "xlsx"]),
    help="What FILE `-` (standard output) gets [default: tsv]; a file's extension says "
    "its own format.",
)
@excel_option
@click.pass_context
def export(
    ctx: click.Context, file: str, document: str | None, fmt: str | None, excel: bool
) -> None:
    """Export the TM to FILE: .tmx (TMX 1.4b), .tsv, .csv or .xlsx, by extension.

    FILE `-` writes to standard output (TSV, or --format). TSV is written verbatim for
    other tools (tab, line break and backslash inside a field as \\t, \\n, \\\\); CSV and
    XLSX guard cells that a spreadsheet would run as formulas.
    """
    from taiyaku.cli import open_store
    from taiyaku.formats import write_units

    if fmt is not None and file != "-":
        raise click.UsageError("--format is for FILE `-`: a file's extension says its format")
    memory = open_store(ctx).tm
    total = memory.count() if sys.stderr.isatty() else None
    with (
        progress_bar(f"Exporting {click.format_filename(file)}", total) as advance,
        export_path(file, f".{fmt or 'tsv'}") as path,
        # A write that fails ends the read too (PostgreSQL: a cursor on its own connection).
        contextlib.closing(memory.iter_units(document=document)) as stored,
    ):
        count = write_units(path, advancing(stored, advance), excel=excel)
    report_export(file, f"{count:,} units exported")


@tm.command()
@click.option("--document", help="Delete the units of this document.")
@click.option("--origin", type=click.Choice(ORIGINS), help="Delete the units of this origin.")
@click.option("--id", "ids", type=int, multiple=True, help="Delete this unit (repeatable).")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
@click.pass_context
def delete(
    ctx: click.Context,
    document: str | None,
    origin: str | None,
    ids: tuple[int, ...],
    dry_run: bool,
) -> None:
    """Delete units: those matching every option given, in one transaction.

    \b
      taiyaku tm delete --document report-2023 --dry-run
      taiyaku tm delete --origin aligned --document report-2023
      taiyaku tm delete --id 12 --id 13
    """
    from taiyaku.cli import open_store

    if document is None and origin is None and not ids:
        raise click.UsageError("say which units: --document, --origin and/or --id")
    count = open_store(ctx, write=not dry_run).tm.delete(
        document=document, origin=origin, ids=ids or None, dry_run=dry_run
    )
    if dry_run:
        click.echo(f"{count:,} units would be deleted (nothing changed: --dry-run)")
    elif count:
        click.echo(f"{count:,} unit{'' if count == 1 else 's'} deleted")
    else:
        click.echo("no unit matches: nothing deleted")


TOP = 10


@tm.command()
@click.option("--all", "show_all", is_flag=True, help=f"List every document, not the top {TOP}.")
@json_option
@click.pass_context
def stats(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Count units by language pair, origin and document (the largest documents first).

    --json always lists every document.
    """
    from taiyaku.cli import open_store

    figures = open_store(ctx).tm.stats()
    if as_json:
        echo_json(figures)
        return
    documents = figures["documents"]
    click.echo(
        f"{figures['units']:,} units, {len(documents):,} document(s) in "
        f"{click.format_filename(ctx.obj['db_path'])}"
    )
    for key, title in (
        ("language_pairs", "Language pair"),
        ("origins", "Origin"),
        ("documents", "Document"),
    ):
        shown = figures[key] if show_all or key != "documents" else documents[:TOP]
        rows = [(r["name"] or "(none)", f"{r['units']:,}") for r in shown]
        if rows:
            echo_table((title, "Units"), rows)
    hidden = len(documents) - TOP
    if hidden > 0 and not show_all:
        rest = sum(r["units"] for r in documents[TOP:])
        click.echo(f"... and {hidden:,} more documents ({rest:,} units): --all lists them")


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
