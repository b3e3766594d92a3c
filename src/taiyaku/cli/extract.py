"""``taiyaku term extract``: glossary candidates from the aligned units of the TM."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from taiyaku.cli.output import echo_json, json_option, progress_bar

if TYPE_CHECKING:
    from taiyaku.extract import TermCandidate

_MORE_DOCUMENTS = 5


@click.command()
@click.option("--document", metavar="NAME", help="Only the units of this document.")
@click.option(
    "--min-count",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="A Japanese term must occur in at least this many units.",
)
@click.option(
    "--limit", default=200, show_default=True, type=click.IntRange(min=1), help="At most this many."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write a review sheet: .xlsx, .tsv or .csv (mark rows in its keep column, then "
    "`taiyaku term import --update FILE`).",
)
@click.option(
    "--method",
    type=click.Choice(["combined", "frequency"]),
    default="combined",
    show_default=True,
    help="Ranking: C-value termhood with Dice and transliteration, or the frequency-only baseline.",
)
@json_option
@click.pass_context
def extract(
    ctx: click.Context,
    document: str | None,
    min_count: int,
    limit: int,
    output: str | None,
    method: str,
    as_json: bool,
) -> None:
    """Extract glossary candidates from the TM: Japanese terms with their English.

    \b
    Japanese candidates are compound nouns, katakana and Latin sequences (MeCab
    words, C-value termhood); each is paired with the English n-gram that occurs
    in the same units most consistently (Dice), helped by transliteration
    (雪舟 ↔ Sesshu), with the glossary's own pairs held fixed. Each candidate
    says whether the glossary already has it: new, same, or different (another
    English). Review the -o sheet: mark rows to keep in its keep column, edit
    the English, then `taiyaku term import --update FILE` (add --yes to apply).
    """
    from taiyaku.cli import open_store
    from taiyaku.errors import TaiyakuError
    from taiyaku.extract import extract_terms
    from taiyaku.store.db import shown_name

    project = open_store(ctx)
    units = list(project.tm.iter_units(document=document))
    seen = len(units)
    if not seen:
        where = f"document {document!r}" if document else "the TM"
        raise TaiyakuError(f"{ctx.obj['db_path']}: no units in {where}")
    with progress_bar("Reading units", total=seen) as advance:
        found = extract_terms(
            units,
            glossary_terms=project.glossary.iter_terms(),
            min_count=min_count,
            limit=limit,
            method=method,
            progress=advance,
        )
    if output:
        from taiyaku import __version__
        from taiyaku.formats.candidates import write_candidates
        from taiyaku.models import now_iso

        count = write_candidates(
            output,
            (_row(c) for c in found),
            about=[
                ("What", "taiyaku term extract: glossary candidates from the TM"),
                ("How to review", "put x in the keep column of the rows to keep; edit en, "
                 "status, note or source if needed; then run "
                 f"taiyaku term import --update {os.path.basename(output)} (and --yes)"),
                ("Database", shown_name(ctx.obj["db_path"], full=True)),
                ("Document", document or "(all)"),
                ("Units read", str(seen)),
                ("Method", method),
                ("Extracted", now_iso()),
                ("taiyaku version", __version__),
            ],
        )  # fmt: skip
        if not as_json:
            click.echo(f"{output}: {count:,} candidates from {seen:,} units")
    if as_json:
        for candidate in found:
            echo_json(candidate)
        return
    if output:
        return
    if not found:
        click.echo(f"no candidates in {seen:,} units (try a lower --min-count)")
        return
    for c in found:
        flag = {"new": "new", "same": "in glossary", "different": "glossary differs"}[c.glossary]
        click.echo(f"{c.score:7.2f} {c.together:5}/{c.count:<5} {c.ja} → {c.en or '?'}  [{flag}]")
        if c.glossary == "different":
            click.echo(f"{'':20}glossary: {' / '.join(c.glossary_en)}")


def _row(c: TermCandidate) -> list[str | int | float]:
    """The sheet row of a candidate."""
    documents = ", ".join(c.documents[:_MORE_DOCUMENTS])
    if len(c.documents) > _MORE_DOCUMENTS:
        documents += f" and {len(c.documents) - _MORE_DOCUMENTS} more"
    example = c.examples[0] if c.examples else None
    return [
        "",
        c.ja,
        c.en,
        "preferred",
        "",
        documents,
        c.glossary,
        " / ".join(c.glossary_en),
        c.score,
        c.count,
        c.together,
        " / ".join(c.alternatives),
        example.ja if example else "",
        example.en if example else "",
    ]
