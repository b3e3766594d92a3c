"""``taiyaku pretranslate`` and ``merge``: a document through the translation loop."""

from __future__ import annotations

import contextlib
import sys

import click

from taiyaku.cli.options import min_score_option
from taiyaku.cli.output import echo_json, echo_table, json_option, progress_bar, warn


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The bilingual file: .xlf/.xliff (XLIFF) or .xlsx (a review sheet). Default: SOURCE.xlf.",
)
@min_score_option(75, "Offer TM matches scoring at least this.")
@click.option(
    "--xliff-version",
    type=click.Choice(["1.2", "2"]),
    default="1.2",
    show_default=True,
    help="XLIFF 1.2, or 2.1 with the Translation Candidates and Glossary modules.",
)
@click.option("--document", help="The document's name in the bilingual file and the TM.")
@click.option("--overwrite", is_flag=True, help="Replace translations an XLIFF source already has.")
@json_option
@click.pass_context
def pretranslate(
    ctx: click.Context,
    source: str,
    output: str | None,
    min_score: float,
    xliff_version: str,
    document: str | None,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Split SOURCE into segments, fill what the TM knows, write a bilingual file.

    \b
    SOURCE: plain text, HTML, Word (.docx), Markdown, or XLIFF 1.2/2.x from
    another tool. Exact matches (and context matches, 101%) are filled in,
    exact-but-for-numbers matches are filled with the numbers adapted (for
    review), fuzzy matches are offered as candidates, repetitions get the
    same translation, glossary terms are attached. Translate the file in any
    CAT tool, then run `taiyaku merge` on it.

    \b
    Examples:
      taiyaku pretranslate page.html
      taiyaku pretranslate report.docx -o report.xlsx
      taiyaku pretranslate notes.md -o notes.xlf --xliff-version 2
      curl -s URL | taiyaku pretranslate - --document page.html -o page.xlf
    """
    from taiyaku.cli import open_store
    from taiyaku.formats.sources import read_source, source_format, source_from_bytes
    from taiyaku.loop import pretranslate as run
    from taiyaku.loop import write_bilingual

    if source == "-":
        if not document or not output:
            raise click.UsageError(
                "reading standard input needs --document NAME.EXT (its format) and -o OUTPUT"
            )
        data = sys.stdin.buffer.read()
        doc = source_from_bytes(document, source_format(document), data)
    else:
        doc = read_source(source, name=document)
    output = output or f"{source}.xlf"
    # A progress bar on a terminal, never beside --json.
    bar = progress_bar(f"Pretranslating {click.format_filename(source)}", len(doc.segments))
    with contextlib.nullcontext(lambda n: None) if as_json else bar as advance:
        result = run(
            open_store(ctx).matcher, doc, min_score=min_score, overwrite=overwrite, progress=advance
        )
    write_bilingual(result, output, xliff_version=xliff_version)
    bands = [*result.bands, result.total]
    if as_json:
        echo_json(
            {
                "source": source,
                "output": output,
                "lang": doc.lang,
                "unit": result.unit,
                "segments": len(result.segments),
                "filled": result.filled,
                "kept": result.kept,
                "bands": [
                    {"band": b.name, "segments": b.segments, result.unit: b.size} for b in bands
                ],
            }
        )
        return
    echo_table(
        ("Band", "Segments", result.unit.capitalize()),
        [(b.name, f"{b.segments:,}", f"{b.size:,}") for b in bands],
        title=f"{source} ({doc.lang})",
    )
    kept = f", {result.kept:,} translations kept" if result.kept else ""
    click.echo(
        f"{output}: {len(result.segments):,} segments, {result.filled:,} filled from the TM{kept}"
    )


@click.command()
@click.argument("translated", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The finished document. Default: NAME.en.EXT beside TRANSLATED.",
)
@json_option
def merge(translated: str, output: str | None, as_json: bool) -> None:
    """Write the finished document from a translated XLIFF or review sheet.

    The document is written in its original format with its structure intact
    and lang attributes switched to the target language. Segments with no
    translation stay in the source language (a warning counts them).
    """
    from taiyaku.formats.files import atomic_write
    from taiyaku.loop.merge import default_output, read_translated
    from taiyaku.loop.merge import merge as run

    bilingual = read_translated(translated)
    result = run(bilingual)
    target = output or str(default_output(bilingual, translated))
    with atomic_write(target) as tmp:
        tmp.write_bytes(result.data)
    if result.untranslated and not as_json:
        warn(
            f"{result.untranslated:,} of {result.segments:,} segments have no translation: left in the source language"
        )
    if as_json:
        echo_json(
            {
                "translated": translated,
                "output": target,
                "segments": result.segments,
                "untranslated": result.untranslated,
            }
        )
        return
    click.echo(
        f"{target}: {result.segments - result.untranslated:,} of {result.segments:,} segments translated"
    )
