"""``taiyaku demo``: the main job on the shipped seed data, with a short tour."""

from __future__ import annotations

import click

from taiyaku.cli.output import echo_table


@click.command()
@click.option(
    "--db",
    "db_path",
    default="demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Database to build.",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder holding glossary/ and tm/ (default: found from here).",
)
@click.option(
    "--xlsx",
    default="demo-glossary.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to export the glossary.",
)
def demo(db_path: str, data_dir: str | None, xlsx: str) -> None:
    """Run taiyaku on the shipped seed: the MIC Global Strategy Bureau page."""
    from pathlib import Path

    from taiyaku.demo import find_data_dir, run_demo
    from taiyaku.store.db import open_db
    from taiyaku.store.glossary import Glossary
    from taiyaku.store.tm import TranslationMemory

    folder = Path(data_dir) if data_dir else find_data_dir()
    result = run_demo(db_path, folder, xlsx)
    db = open_db(db_path)
    glossary, memory = Glossary(db), TranslationMemory(db)
    click.secho("1. Glossary", bold=True)
    click.echo(f"   {glossary.count()} terms in {db_path} ({result.terms_added} new)")
    click.secho("\n2. Term lookup: taiyaku term lookup 国際戦略", bold=True)
    for hit in glossary.lookup("国際戦略", limit=5):
        click.echo(f"   {hit.term.ja} → {hit.term.en}  ({hit.kind})")
    click.secho("\n3. Translation memory", bold=True)
    click.echo(f"   {memory.count()} units ({result.units.added} new)")
    rows = [
        (u.position, u.bead or "", u.source_text[:40], u.target_text[:50])
        for u in list(memory.iter_units(document="mic-global-strategy-bureau"))[:8]
    ]
    echo_table(("#", "bead", "ja", "en"), rows)
    click.secho("\n4. Glossary exported", bold=True)
    click.echo(f"   {result.glossary_xlsx}")
