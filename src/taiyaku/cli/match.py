"""``taiyaku match``, ``concordance`` and ``analyze``: the TM searched for new text."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from taiyaku.cli.options import input_path, min_score_option, nonempty_query, stdin_path
from taiyaku.cli.output import echo_json, echo_table, json_option, progress_bar
from taiyaku.match.score import METRIC

workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to match with. Default: $TAIYAKU_WORKERS, else one per core.",
)


@click.command()
@click.argument("texts", nargs=-1, callback=nonempty_query)
@click.option(
    "--file",
    "file",
    type=stdin_path,
    help="Match every sentence of this text file instead (- reads standard input).",
)
@click.option(
    "--limit", default=5, show_default=True, type=click.IntRange(min=1), help="Matches per query."
)
@min_score_option(70.0, "Leave out matches scoring below this.")
@workers_option
@json_option
@click.pass_context
def match(
    ctx: click.Context,
    texts: tuple[str, ...],
    file: str | None,
    limit: int,
    min_score: float,
    workers: int | None,
    as_json: bool,
) -> None:
    """Find the TM units closest to each TEXT (or each sentence of --file).

    \b
    The score is 100 × (1 − Levenshtein distance / length of the longer text),
    computed over match keys (NFKC, case-folded, white space collapsed): full-width
    and half-width digits cost nothing, 100 means identical. (rapidfuzz
    Levenshtein.normalized_similarity; named "levenshtein-normalized-similarity"
    in --json.) Japanese queries match Japanese sources, English queries English.

    \b
    Each match shows the differences from the TM source (coloured on a terminal),
    the glossary terms in the query, and an adapted target when only numbers
    differ (令和4年 → 令和5年, 1,000 → 2,000).

    \b
    Examples:
      taiyaku match 国際戦略局の組織
      taiyaku match --file new.txt --json
    """
    from taiyaku.cli import open_store

    if bool(texts) == bool(file):
        raise click.UsageError("give either TEXT arguments or --file, not both or neither")
    if file:
        from taiyaku.match.analyze import sentences_of
        from taiyaku.text.html import read_document
        from taiyaku.text.lang import detect_lang

        with input_path(file) as readable:
            document = read_document(readable)
        queries = sentences_of(document, detect_lang(document))
    else:
        queries = list(texts)
    project = open_store(ctx)
    colour = sys.stdout.isatty()
    answers = project.match_many(queries, min_score=min_score, limit=limit, workers=workers)
    with progress_bar("Matching", total=len(queries)) as advance:
        for query, found in zip(queries, answers, strict=True):
            if as_json:
                echo_json({"query": query, "metric": METRIC, "matches": found})
            else:
                _show(query, found, colour)
            advance(1)


def _show(query: str, found: list[Any], colour: bool) -> None:
    click.echo(click.style(query, bold=True) if colour else query)
    if not found:
        click.echo("  (no match)")
    for m in found:
        click.echo(f"  {m.score:6.2f}  {_diff_text(m.diff, colour)}")
        click.echo(f"          → {m.target}")
        if m.numbers_only:
            adapted = m.adapted_target or "(numbers differ; not found in the target)"
            click.echo(f"          numbers → {adapted}")
        where = ", ".join(
            p for p in (m.unit.origin, m.unit.document, (m.unit.changed or "")[:10]) if p
        )
        click.echo(f"          [{where}]")
    if found and found[0].terms:
        terms = "; ".join(
            f"{t.text} = {t.translation}" + ("" if t.status == "preferred" else f" [{t.status}]")
            for t in found[0].terms
        )
        click.echo(f"  terms: {terms}")


def _diff_text(spans: Any, colour: bool) -> str:
    """The TM source with the query's changes: coloured on a terminal, else [-old-]{+new+}."""
    out = []
    for span in spans:
        if span.op == "equal":
            out.append(span.source)
        elif colour:
            if span.source:
                out.append(click.style(span.source, fg="red", strikethrough=True))
            if span.query:
                out.append(click.style(span.query, fg="green", underline=True))
        else:
            out.append(
                (f"[-{span.source}-]" if span.source else "")
                + (f"{{+{span.query}+}}" if span.query else "")
            )
    return "".join(out)


@click.command()
@click.argument("query", callback=nonempty_query)
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Hits to show."
)
@json_option
@click.pass_context
def concordance(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Show the units whose source or target contains QUERY, shortest first.

    One- and two-character Japanese queries work: sources are looked up in
    taiyaku's q-gram index and targets in its word index, not in SQLite's
    trigram full-text search, which cannot match under three characters.
    Width, case and spacing are ignored.
    """
    from taiyaku.cli import open_store

    result = open_store(ctx).concordance(query, limit=limit)
    if as_json:
        echo_json(result)
        return
    colour = sys.stdout.isatty()
    about = "" if result.exact else "at most "
    click.echo(f"{about}{result.total:,} units contain {query!r}")
    for hit in result.hits:
        text = hit.unit.source_text if hit.field == "source" else hit.unit.target_text
        other = hit.unit.target_text if hit.field == "source" else hit.unit.source_text
        if hit.start >= 0:
            found = text[hit.start : hit.end]
            shown = click.style(found, fg="yellow", bold=True) if colour else f"[{found}]"
            text = text[: hit.start] + shown + text[hit.end :]
        click.echo(f"  {text}\n      → {other}")


@click.command()
@click.argument("file", type=stdin_path)
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(dir_okay=False),
    help="Also write the report to this .xlsx file.",
)
@workers_option
@json_option
@click.pass_context
def analyze(
    ctx: click.Context, file: str, xlsx: str | None, workers: int | None, as_json: bool
) -> None:
    """Count FILE's sentences and size by TM match band, as CAT tools quote.

    FILE - reads standard input. Bands: 100%, 95-99%, 85-94%, 75-84%, 50-74%, no match,
    and repetitions
    (a sentence already seen earlier in FILE). Size is characters for Japanese,
    words for English.
    """
    from taiyaku.cli import open_store
    from taiyaku.match.analyze import write_analysis_xlsx
    from taiyaku.store.db import shown_name

    project = open_store(ctx)
    with input_path(file) as readable, progress_bar("Analysing") as advance:
        analysis = project.analyze(readable, progress=advance, workers=workers)
    if xlsx:
        database = shown_name(ctx.obj["db_path"])
        write_analysis_xlsx(analysis, xlsx, document=os.path.basename(file), database=database)
    if as_json:
        echo_json({"file": file, **analysis.to_dict()})
        return
    rows = [(b.name, f"{b.segments:,}", f"{b.size:,}") for b in [*analysis.bands, analysis.total]]
    echo_table(
        ("Band", "Segments", analysis.unit.capitalize()), rows, title=f"{file} ({analysis.lang})"
    )
    if xlsx:
        click.echo(f"{xlsx}: written")
