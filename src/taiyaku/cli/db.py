"""``taiyaku db``: whole databases: copying a project between SQLite and PostgreSQL."""

from __future__ import annotations

import click

from taiyaku.cli.output import echo_json, json_option, progress_bar


@click.group()
def db() -> None:
    """Whole databases: copy a project between a SQLite file and a PostgreSQL server."""


@db.command(name="copy")
@click.argument("source")
@click.argument("dest")
@click.option(
    "--force",
    is_flag=True,
    help="Replace what DEST holds (its units and terms) instead of refusing.",
)
@json_option
def copy(source: str, dest: str, force: bool, as_json: bool) -> None:
    """Copy every unit and term of SOURCE into DEST, SQLite file or postgresql:// URL.

    Units and terms keep their ids and every field; DEST computes its keys and its
    fuzzy index. SOURCE is only read. The copy is one transaction: if it fails, DEST
    is as it was. A DEST that already holds units or terms is refused unless --force,
    which replaces them (to merge TMs instead, export one and `tm import` it).

    \b
    Examples:
      taiyaku db copy project.db postgresql://translator@tm.example.org/team
      taiyaku db copy postgresql://translator@tm.example.org/team offline.db
    """
    from taiyaku.store.copy import copy_database
    from taiyaku.store.pg import safe_url

    copied = copy_database(source, dest, force=force, progress=progress_bar)
    if as_json:
        echo_json(
            {
                "source": safe_url(source),
                "dest": safe_url(dest),
                "units": copied.units,
                "terms": copied.terms,
                "replaced_units": copied.replaced_units,
                "replaced_terms": copied.replaced_terms,
            }
        )
        return
    replaced = (
        f" (replacing {copied.replaced_units:,} units, {copied.replaced_terms:,} terms)"
        if copied.replaced_units or copied.replaced_terms
        else ""
    )
    click.echo(
        f"{safe_url(dest)}: {copied.units:,} units and {copied.terms:,} terms copied "
        f"from {safe_url(source)}{replaced}"
    )
