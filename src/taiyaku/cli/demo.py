"""``taiyaku demo``: the main job on the shipped seed data, with a short tour."""

from __future__ import annotations

from collections import Counter

import click

from taiyaku.cli.output import echo_table

# A sentence of the seed page, and the same sentence a year later: only numbers differ.
SEED_SENTENCE = (
    "国際戦略局では、グローバルな視点から、ICT分野における戦略的な研究開発や標準化活動、"
    "海外展開活動などに一体的に取り組んでいます。"
)
NEW_SENTENCE = (
    "2024年5月29日及び30日にデジタル庁及び経済産業省と共同で、群馬県高崎市において"
    "「G7群馬高崎デジタル・技術大臣会合」を開催しました。"
)


def _heading(number: int, title: str) -> None:
    click.secho(f"\n{number}. {title}", bold=True)


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
    """Run taiyaku on the shipped seed: the MIC Global Strategy Bureau page.

    Loads glossary/ into DB, aligns tm/'s Japanese page with its English version into the
    translation memory, then tours lookup, recognition, fuzzy matching and export.
    """
    from pathlib import Path

    from taiyaku.demo import SEED, find_data_dir, run_demo
    from taiyaku.project import Project

    folder = Path(data_dir) if data_dir else find_data_dir()
    result = run_demo(db_path, folder, xlsx)
    project = Project.open(db_path)
    glossary, memory = project.glossary, project.tm

    _heading(1, f"Glossary: glossary/{SEED}.tsv")
    click.echo(f"   {glossary.count()} terms in {db_path} ({result.terms.added} new)")

    _heading(2, "Term lookup: taiyaku term lookup 国際戦略")
    for hit in glossary.lookup("国際戦略", limit=3):
        click.echo(f"   {hit.term.ja} → {hit.term.en}  ({hit.kind} {hit.score:g})")
    for query, what in (
        ("Global Strateggy Bureau", "a typo"),
        ("kokusai senryaku kyoku", "its reading"),
    ):
        hit = glossary.lookup(query, limit=1)[0]
        click.echo(
            f"   {query!r} ({what}): {hit.term.ja} → {hit.term.en}  ({hit.kind} {hit.score:g})"
        )

    _heading(3, "Terms recognised in a sentence of the page: taiyaku term find")
    click.echo(f"   {SEED_SENTENCE}")
    seen = set()
    for found in project.find_terms(SEED_SENTENCE):
        if found.term.status == "preferred" and (found.start, found.end) not in seen:
            seen.add((found.start, found.end))
            click.echo(f"   {found.start:>3}-{found.end:<3} {found.text} → {found.term.en}")

    alignment = result.alignment
    counts = Counter(b.type for b in alignment.beads)
    _heading(4, f"Alignment: tm/{SEED}.ja.txt ↔ tm/{SEED}.en.txt")
    click.echo(
        f"   {len(alignment.source_segments)} Japanese and {len(alignment.target_segments)} "
        f"English segments → {len(alignment.beads)} beads ("
        + ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
        + ")"
    )
    click.echo(
        f"   {result.units.added} pairs stored in the TM"
        + (f", replacing {result.replaced}" if result.replaced else "")
    )
    interesting = [b for b in alignment.beads if b.type != "1-1"]
    rows = [
        (b.type, f"{b.confidence:.2f}", _clip(b.source_text, 30), _clip(b.target_text, 45))
        for b in interesting
    ]
    echo_table(("bead", "conf.", "ja", "en"), rows)

    _heading(5, "Fuzzy match of a new sentence: taiyaku match")
    click.echo(f"   {NEW_SENTENCE}")
    for match in project.match(NEW_SENTENCE, limit=1):
        click.echo(f"   {match.score:.1f}% ({match.metric}) ← {_clip(match.source, 60)}")
        click.echo(f"   TM target:      {_clip(match.target, 90)}")
        if match.adapted_target:
            click.echo(f"   adapted target: {_clip(match.adapted_target, 90)}")

    _heading(6, "Glossary exported")
    click.echo(
        f"   {result.glossary_xlsx}  (TM: {memory.count()} units; "
        "try taiyaku --db demo.db tm export demo.tmx)"
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
