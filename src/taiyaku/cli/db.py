"""``taiyaku db``: whole databases: copying a project between SQLite and PostgreSQL, and
rebuilding its keys and fuzzy index."""

from __future__ import annotations

import time

import click

from taiyaku.cli.output import echo_json, json_option, progress_bar


@click.group()
def db() -> None:
    """Whole databases: copy a project between a SQLite file and a PostgreSQL server,
    rebuild its keys and fuzzy index."""


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


@db.command(name="reindex")
@json_option
@click.pass_context
def reindex(ctx: click.Context, as_json: bool) -> None:
    """Rebuild the stored keys and the fuzzy index, regrouping near duplicates.

    The fuzzy index groups near-duplicate Japanese sources as they are written, and a write
    of fewer than 1,000 units (a server's additions, a small import) starts groups of its
    own. Matches are exact either way; after many small writes, a rebuild makes searches as
    fast as after one big import. One transaction: if it fails, the database is as it was.

    \b
    Example:
      taiyaku --db project.db db reindex
    """
    from taiyaku.cli import open_store
    from taiyaku.store.groups import group_counts
    from taiyaku.store.keys import bring_keys_up_to_date

    project = open_store(ctx, write=True)
    started = time.perf_counter()
    bring_keys_up_to_date(project.db, progress_bar, always=True)
    seconds = time.perf_counter() - started
    counts = group_counts(project.db)
    if as_json:
        echo_json(
            {
                "database": project.name,
                "seconds": round(seconds, 3),
                "groups": {lang: {"units": u, "groups": g} for lang, (u, g) in counts.items()},
            }
        )
        return
    grouped = "".join(f"; {lang}: {u:,} units in {g:,} groups" for lang, (u, g) in counts.items())
    click.echo(f"{project.name}: keys and fuzzy index rebuilt in {seconds:.1f} s{grouped}")
