"""``taiyaku term``: add, import, export and look up glossary entries."""

from __future__ import annotations

import os

import click

from taiyaku.cli.output import echo_json, json_option
from taiyaku.models import STATUSES


@click.group()
def term() -> None:
    """The glossary: add, import, export and look up terms."""


@term.command()
@click.argument("ja")
@click.argument("en")
@click.option("--note", default="", help="A usage note for translators.")
@click.option("--domain", default="", help="Subject field, e.g. organisation.")
@click.option("--pos", default="", help="Part of speech, e.g. noun.")
@click.option("--status", type=click.Choice(STATUSES), default="preferred", show_default=True)
@click.option("--source", default="", help="Where the entry comes from.")
@click.pass_context
def add(
    ctx: click.Context, ja: str, en: str, note: str, domain: str, pos: str, status: str, source: str
) -> None:
    """Add the entry JA → EN (or update its note, status, ... if it exists)."""
    from taiyaku.cli import open_store
    from taiyaku.models import Term
    from taiyaku.store.glossary import Glossary

    term_id = Glossary(open_store(ctx)).add(
        Term(ja=ja, en=en, note=note, domain=domain, pos=pos, status=status, source=source)
    )
    click.echo(f"term {term_id}: {ja} → {en} ({status})")


@term.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", help="Encoding of a TSV/CSV file (default: detected).")
@click.option("--sheet", help="Worksheet of an .xlsx file (default: the first).")
@json_option
@click.pass_context
def import_(
    ctx: click.Context, file: str, encoding: str | None, sheet: str | None, as_json: bool
) -> None:
    """Import glossary entries from a TSV, CSV or XLSX file with a header row.

    \b
    Columns: ja, en (required), note, domain, pos, status, source, created,
    changed; Japanese headings (日本語, 英語, 備考, 分野, 品詞) are understood.
    An unknown column is an error, so nothing in the file is silently dropped.
    """
    from taiyaku.cli import open_store
    from taiyaku.formats import read_terms
    from taiyaku.store.glossary import Glossary

    result = Glossary(open_store(ctx)).add_many(read_terms(file, encoding=encoding, sheet=sheet))
    if as_json:
        echo_json({"file": file, **result.__dict__})
    else:
        click.echo(
            f"{file}: {result.added:,} terms added, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged"
        )


@term.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.pass_context
def export(ctx: click.Context, file: str) -> None:
    """Export the glossary to FILE: .xlsx, .tsv or .csv, by extension."""
    from taiyaku import __version__
    from taiyaku.cli import open_store
    from taiyaku.formats import write_terms
    from taiyaku.store.db import now_iso
    from taiyaku.store.glossary import Glossary

    glossary = Glossary(open_store(ctx))
    about = [
        ("What", "taiyaku glossary export: one row per Japanese/English term pair"),
        ("Database", os.path.abspath(ctx.obj["db_path"])),
        ("Exported", now_iso()),
        ("Terms", str(glossary.count())),
        ("taiyaku version", __version__),
    ]
    count = write_terms(file, glossary.iter_terms(), about=about)
    click.echo(f"{file}: {count:,} terms exported")


@term.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="At most this many results.")
@json_option
@click.pass_context
def lookup(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Look QUERY up in the glossary, Japanese or English.

    Exact matches first, then entries starting with QUERY, then entries
    containing it; width, case and spacing are ignored.
    """
    from taiyaku.cli import open_store
    from taiyaku.store.glossary import Glossary

    hits = Glossary(open_store(ctx)).lookup(query, limit=limit)
    if as_json:
        echo_json({"query": query, "results": hits})
        return
    if not hits:
        click.echo(f"no glossary entry matches {query!r}")
        ctx.exit(1)
    for hit in hits:
        t = hit.term
        flag = f" [{t.status}]" if t.status != "preferred" else ""
        click.echo(f"{t.ja} → {t.en}{flag}  ({hit.kind}, {hit.score:g})")
        if t.note:
            click.echo(f"    {t.note}")
