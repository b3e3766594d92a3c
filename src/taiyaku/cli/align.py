"""``taiyaku segment`` and ``taiyaku align``: a page and its translation become a TM."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from taiyaku.cli.options import input_path, stdin_path
from taiyaku.cli.output import echo_json, json_option, progress_bar

LANGS = click.Choice(["ja", "en"], case_sensitive=False)


@click.command()
@click.argument("file", type=stdin_path)
@click.option("--lang", type=LANGS, help="Language of the text (default: detected).")
@click.option("--encoding", help="Encoding of the file (default: detected).")
@json_option
def segment(file: str, lang: str | None, encoding: str | None, as_json: bool) -> None:
    """Split FILE (plain text or HTML; - for standard input) into sentences, one per line.

    \b
    Blocks (paragraphs, headings, list items, captions) are boundaries; a
    sentence soft-wrapped over several lines is rejoined. With --json, one
    object per segment: text, kind (sentence, line, item), block and the
    start/end character offsets (in the extracted text, for HTML).
    """
    from taiyaku.text.html import read_document
    from taiyaku.text.segment import split_sentences

    with input_path(file) as readable:
        text = read_document(readable, encoding)
    for seg in split_sentences(text, lang):
        if as_json:
            echo_json(seg)
        else:
            click.echo(seg.text)


@click.command(name="align")
@click.argument("source", type=click.Path(exists=True, dir_okay=False), required=False)
@click.argument("target", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option(
    "--document",
    "--doc",
    "document",
    help="Document name in the TM (default: SOURCE's name).",
)
@click.option("--src-lang", type=LANGS, help="Language of SOURCE (default: detected).")
@click.option("--tgt-lang", type=LANGS, help="Language of TARGET (default: detected).")
@click.option("--encoding", help="Encoding of both files (default: detected).")
@click.option(
    "--review",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write a side-by-side .xlsx sheet, low-confidence rows highlighted.",
)
@click.option(
    "--apply",
    "apply_sheet",
    type=click.Path(exists=True, dir_okay=False),
    help="Store the corrections of a review sheet (instead of SOURCE and TARGET).",
)
@click.option(
    "--dictionary",
    type=click.Path(exists=True, dir_okay=False),
    help="An EDICT Japanese-English dictionary file whose word pairs anchor the alignment "
    "(default: $TAIYAKU_EDICT, else /usr/share/edict/edict when Debian's edict is installed).",
)
@click.option("--no-dictionary", is_flag=True, help="Use no dictionary even if one is installed.")
@click.option("--dry-run", is_flag=True, help="Align and print, but store nothing.")
@json_option
@click.pass_context
def align_command(
    ctx: click.Context,
    source: str | None,
    target: str | None,
    apply_sheet: str | None,
    document: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    encoding: str | None,
    review: str | None,
    dictionary: str | None,
    no_dictionary: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Align SOURCE with its translation TARGET and store the pairs in the TM.

    \b
    Plain text or HTML, Japanese→English or English→Japanese. Sentences
    are aligned (beads 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-0, 0-1) by lengths and anchors
    (numbers, Latin words, names, glossary terms, quotes); paragraphs help
    when both sides break them alike, and are not needed when they do not.
    Pairs with text on both sides go into the TM; aligning the same
    document again replaces its pairs, except those a person reviewed:
    they stay, and no new pair is stored beside one of their sentences. With --json, one object per bead:
    source, target, bead, confidence.

    \b
    The review sheet highlights the rows likely wrong. Mark its OK? column
    (ok, wrong, merge with the row above, split lines), edit texts, and
    store the corrections with --apply: they replace the document's pairs,
    as origin "reviewed", in one transaction. A sheet written for another
    document or an older alignment is refused.

    \b
    Example:
      taiyaku align tm/page.ja.txt tm/page.en.txt --review check.xlsx
      taiyaku align --apply check.xlsx
    """
    from taiyaku.align.document import check_languages, document_name
    from taiyaku.cli import open_store

    if review and Path(review).suffix.lower() != ".xlsx":
        raise click.BadParameter("must end in .xlsx", param_hint="--review")
    if dictionary and no_dictionary:
        raise click.UsageError("--dictionary and --no-dictionary exclude each other")
    if apply_sheet:
        if source or target or review or dry_run:
            raise click.UsageError("--apply takes a sheet alone: no SOURCE, TARGET, --review")
        _apply(ctx, apply_sheet, as_json)
        return
    if not (source and target):
        raise click.UsageError("give SOURCE and TARGET (or --apply SHEET)")
    project = open_store(ctx, write=not dry_run)
    with progress_bar("Aligning") as advance:
        alignment = project.align(
            source,
            target,
            encoding=encoding,
            source_lang=src_lang,
            target_lang=tgt_lang,
            dictionary=dictionary or not no_dictionary,
        )
        advance(1)
    check_languages(alignment, source, target, languages_given=bool(src_lang and tgt_lang))
    name = document or document_name(source)
    flagged = None
    if review:  # before storing: a review sheet that cannot be written stops the run unchanged
        from taiyaku.align.review import write_review

        stored = None if dry_run else name
        units = [] if dry_run else project.alignment_units(alignment, name)
        flagged = write_review(review, alignment, document=stored, units=units)
    replaced = added = 0
    if not dry_run:
        replaced, result = project.save_alignment(alignment, name)
        added = result.added
    if as_json:
        for bead in alignment.beads:
            echo_json(bead)
        return
    kinds = Counter(b.type for b in alignment.beads)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda x: -x[1]))
    click.echo(
        f"{source} ({alignment.source_lang}) ↔ {target} ({alignment.target_lang}): "
        f"{len(alignment.beads)} beads ({summary})"
    )
    if dry_run:
        click.echo(f"{len(alignment.pairs())} pairs (not stored: --dry-run)")
    else:
        click.echo(
            f"{added} pairs stored as document {name!r} in {ctx.obj['db_path']}"
            + (f" (replacing {replaced})" if replaced else "")
        )
    if review:
        noun = "row" if flagged == 1 else "rows"
        click.echo(f"{review}: review sheet written, {flagged} {noun} highlighted")


def _apply(ctx: click.Context, sheet: str, as_json: bool) -> None:
    from taiyaku.align.review import apply_review
    from taiyaku.cli import open_store

    applied = apply_review(open_store(ctx, write=True).db, sheet)
    if as_json:
        echo_json(
            {
                "document": applied.document,
                "stored": applied.stored,
                "reviewed": applied.reviewed,
                "replaced": applied.replaced,
            }
        )
        return
    click.echo(
        f"{sheet}: {applied.stored} pairs stored for document {applied.document!r} "
        f"({applied.reviewed} reviewed), replacing {applied.replaced}"
    )
