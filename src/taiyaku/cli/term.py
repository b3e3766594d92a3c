"""``taiyaku term``: add, import, export, look up and find glossary entries."""

from __future__ import annotations

import contextlib
from typing import Any, cast

import click

from taiyaku.cli.options import (
    advancing,
    excel_option,
    input_path,
    min_score_option,
    nonempty_query,
    stdin_path,
)
from taiyaku.cli.output import (
    echo_json,
    export_path,
    json_option,
    language_pair,
    language_pair_options,
    progress_bar,
    report_export,
    warn,
)
from taiyaku.formats import TERM_FORMAT_NAMES, TERM_FORMATS, TERM_WRITE_FORMATS
from taiyaku.models import STATUSES, Side, Status

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(TERM_FORMAT_NAMES),
    help="The file's format, when its extension does not say.",
)
write_format_option = click.option(
    "--format",
    "fmt",
    # The legal-terms dictionary and term candidates are read, never written by an export.
    type=click.Choice(TERM_WRITE_FORMATS),
    help="The file's format, when its extension does not say.",
)


@click.group()
def term() -> None:
    """The glossary: add, import, export, look up and find terms."""


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
    """Add the entry JA → EN, or change the fields given of an existing one.

    Options not given leave a stored entry's fields as they are; `--note ""` clears its note.
    """
    from taiyaku.cli import open_store
    from taiyaku.models import Term
    from taiyaku.store.glossary import OPTIONAL_FIELDS

    given = [
        f
        for f in OPTIONAL_FIELDS
        if ctx.get_parameter_source(f) is not click.core.ParameterSource.DEFAULT
    ]
    chosen = cast(Status, status)  # click.Choice(STATUSES) allows nothing else
    glossary = open_store(ctx, write=True).glossary
    term_id = glossary.add(
        Term(ja=ja, en=en, note=note, domain=domain, pos=pos, status=chosen, source=source),
        fields=given,
    )
    stored = glossary.get(term_id)
    click.echo(f"term {term_id}: {ja} → {en} ({stored.status if stored else status})")


@term.command()
@click.argument("ja")
@click.argument("en")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
@click.pass_context
def remove(ctx: click.Context, ja: str, en: str, dry_run: bool) -> None:
    """Remove the entry JA → EN (exactly as stored: see `term lookup`)."""
    from taiyaku.cli import open_store

    count = open_store(ctx, write=not dry_run).glossary.remove(ja, en, dry_run=dry_run)
    if not count:
        raise click.ClickException(f"no glossary entry {ja} → {en}")
    click.echo(f"{'would remove' if dry_run else 'removed'}: {ja} → {en}")


@term.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@format_option
@click.option("--encoding", help="Encoding of a TSV/CSV/OmegaT file (default: detected).")
@click.option("--sheet", help="Worksheet of an .xlsx file (default: the first).")
@click.option(
    "--split",
    metavar="CHARS",
    help="Cells may hold several renderings separated by any of CHARS "
    "(e.g. ';'; '\\n' for line breaks): each becomes an entry.",
)
@click.option(
    "--skip-incomplete",
    is_flag=True,
    help="Skip (with a warning) rows that lack a Japanese or English term instead of failing.",
)
@click.option(
    "--update",
    is_flag=True,
    help="Treat FILE as the whole edited glossary: show what would be added, changed and removed.",
)
@click.option("--yes", is_flag=True, help="With --update: apply the changes (one transaction).")
@click.option(
    "--clear-empty",
    is_flag=True,
    help="An empty cell clears the stored note, domain, ... of an entry "
    "(by default it leaves it as it is).",
)
@click.option(
    "--columns",
    metavar="FIELD=HEADING,...",
    help="Which column holds each field, for a table laid out otherwise: "
    "'ja=見出し語,en=訳語,note=備考' (fields: ja, en, note, domain, pos, status, source, "
    "reading, created, changed); columns not named are not read.",
)
@language_pair_options
@click.option("--source", "source", help="The source of every entry the file gives none for.")
@click.option("--domain", "domain", help="The domain of every entry the file gives none for.")
@json_option
@click.pass_context
def import_(
    ctx: click.Context,
    file: str,
    fmt: str | None,
    encoding: str | None,
    sheet: str | None,
    split: str | None,
    skip_incomplete: bool,
    update: bool,
    yes: bool,
    clear_empty: bool,
    columns: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    source: str | None,
    domain: str | None,
    as_json: bool,
) -> None:
    """Import glossary entries from FILE: TSV, CSV, XLSX, TBX, OmegaT or the JLT dictionary.

    \b
    Table columns: ja, en (required), note, domain, pos, status, source, created,
    changed; Japanese headings (日本語, 英語, 備考, 分野, 品詞) are understood, and in a
    workbook a title above the header row is skipped. An unknown column is an error,
    so nothing in the file is silently dropped. TBX v2 (martif) and v3 (DCA, DCT),
    OmegaT glossaries (.txt/.utf8/.tab) and the legal-terms dictionary (.xml) are read
    by their own rules (docs/formats.md).
    \b
    A stored entry (the same ja/en pair) is updated only in the fields the file
    has columns for, and an empty cell leaves the stored value unless
    --clear-empty: importing a ja,en list never wipes notes.
    \b
    With --update, FILE is taken as the whole glossary edited (an export changed
    in Excel): the differences are listed, and applied only with --yes. A
    candidates sheet (`taiyaku term extract -o`) is read by its keep column: the
    kept pairs the glossary lacks are added, nothing is changed or removed.
    """
    from dataclasses import replace

    from taiyaku.cli import open_store
    from taiyaku.formats import detect_term_format, read_terms, refuse_nul, term_fields
    from taiyaku.formats.langcheck import checked_terms
    from taiyaku.formats.tabular import parse_columns
    from taiyaku.store.pg import NUL_ON_POSTGRES, is_postgres

    if yes and not update:
        raise click.UsageError("--yes only goes with --update")
    if split is not None:
        split = split.replace("\\n", "\n")
    mapping = parse_columns(columns) if columns else None
    langs = language_pair(src_lang, tgt_lang)
    glossary = open_store(ctx, write=True).glossary
    table = detect_term_format(file, fmt) in ("tsv", "csv", "xlsx")
    read = _counting(
        read_terms(
            file,
            encoding=encoding,
            sheet=sheet,
            fmt=fmt,
            split=split,
            # A table's incomplete row is an error unless --skip-incomplete; a TBX concept
            # without both sides is skipped with a count, and OmegaT skips a bad line of a
            # glossary, and so does taiyaku, saying so.
            warn=warn if skip_incomplete or not table else None,
            columns=mapping,
            langs=langs,
        )
    )
    # A Korean or French file is refused unless --src-lang/--tgt-lang say what it is.
    terms: Any = checked_terms(file, read, langs_given=langs is not None)
    if is_postgres(glossary.db):
        terms = refuse_nul(file, terms, NUL_ON_POSTGRES)
    fields = set(term_fields(file, encoding=encoding, sheet=sheet, fmt=fmt, columns=mapping))
    defaults: dict[str, Any] = {k: v for k, v in (("source", source), ("domain", domain)) if v}
    if defaults:
        fields |= set(defaults)
        terms = (
            replace(t, **{k: v for k, v in defaults.items() if not getattr(t, k)}) for t in terms
        )
    with progress_bar(f"Reading {click.format_filename(file)}") as advance:
        terms = advancing(terms, advance)
        if update:
            from taiyaku.formats import detect_term_format

            # A candidates sheet brings in the rows kept, it is not the whole glossary.
            candidates = detect_term_format(file, fmt) == "candidates"
            _update(
                glossary,
                file,
                terms,
                yes,
                as_json,
                fields=fields,
                clear_empty=clear_empty,
                additions_only=candidates,
            )
            return
        result = glossary.add_many(terms, fields=fields, clear_empty=clear_empty)
    if not read.count:
        # Nothing read from a file that is not empty: say so, do not report "0 added".
        raise click.ClickException(
            f"{file}: no entry with both a Japanese and an English term was found"
        )
    if as_json:
        echo_json({"file": file, **result.__dict__})
    else:
        click.echo(
            f"{file}: {result.added:,} terms added, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged"
        )


class _counting:
    """An iterator that counts what passed through it."""

    def __init__(self, items: Any):
        self.items = iter(items)
        self.count = 0

    def __iter__(self) -> Any:
        return self

    def __next__(self) -> Any:
        item = next(self.items)
        self.count += 1
        return item


def _update(glossary: Any, file: str, terms: Any, yes: bool, as_json: bool, **merge: Any) -> None:
    from taiyaku.glossary.changes import apply_changes, plan_changes

    counted = _counting(terms)
    changes = plan_changes(glossary, counted, **merge)
    if not counted.count:
        # A file with no entries would "remove" the whole glossary: refuse it.
        raise click.ClickException(
            f"{file}: no entry with both a Japanese and an English term was found; "
            "nothing to compare the glossary with"
        )
    if yes and changes:
        apply_changes(glossary, changes)
    if as_json:
        echo_json(
            {
                "file": file,
                "applied": bool(yes and changes),
                "added": changes.added,
                "changed": [{"old": old, "new": new} for old, new in changes.changed],
                "removed": changes.removed,
                "unchanged": changes.unchanged,
            }
        )
        return
    for t in changes.added:
        click.echo(f"+ {t.ja} → {t.en} ({t.status})")
    for old, new in changes.changed:
        fields = [
            f"{f}: {getattr(old, f)!r} → {getattr(new, f)!r}"
            for f in ("note", "domain", "pos", "status", "source")
            if getattr(old, f) != getattr(new, f)
        ]
        click.echo(f"~ {new.ja} → {new.en}: " + "; ".join(fields))
    for t in changes.removed:
        click.echo(f"- {t.ja} → {t.en}")
    counts = (len(changes.added), len(changes.changed), len(changes.removed))
    if not changes:
        click.echo(f"{file}: the glossary already matches ({changes.unchanged:,} entries)")
    elif yes:
        click.echo(
            f"{file}: applied: {counts[0]:,} added, {counts[1]:,} changed, "
            f"{counts[2]:,} removed, {changes.unchanged:,} unchanged"
        )
    else:
        click.echo(
            f"{file}: {counts[0]:,} to add, {counts[1]:,} to change, {counts[2]:,} to remove, "
            f"{changes.unchanged:,} unchanged. Nothing written: run again with --yes to apply."
        )


@term.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@write_format_option
@excel_option
@click.option(
    "--tbx-version",
    type=click.Choice(["2", "3"]),
    default="3",
    show_default=True,
    help="TBX-Basic v3 (ISO 30042:2019) or v2 (<martif>: OmegaT, Translate Toolkit).",
)
@click.option(
    "--source-lang",
    type=click.Choice(["ja", "en"]),
    help="OmegaT glossary: the project's source language, written in the first column "
    "[default: the source language of most TM units, else ja].",
)
@click.pass_context
def export(
    ctx: click.Context,
    file: str,
    fmt: str | None,
    excel: bool,
    tbx_version: str,
    source_lang: str | None,
) -> None:
    """Export the glossary to FILE: .xlsx, .tsv, .csv, .tbx (TBX-Basic v3) or OmegaT .utf8.

    FILE `-` writes to standard output, as TSV unless --format says otherwise. The export
    names the database by its file name only, never its full path.
    """
    from taiyaku.cli import open_store
    from taiyaku.formats import write_terms

    project = open_store(ctx)
    about = project.glossary_about(
        "taiyaku glossary export: one row per Japanese/English term pair"
    )
    glossary = project.glossary
    # The first extension that names the format tells the writer what `-` gets.
    suffix = next(ext for ext, name in TERM_FORMATS.items() if name == (fmt or "tsv"))
    with (
        progress_bar(f"Exporting {click.format_filename(file)}", glossary.count()) as advance,
        export_path(file, suffix) as path,
        # A write that fails ends the read too (PostgreSQL: a cursor on its own connection).
        contextlib.closing(glossary.iter_terms()) as stored,
    ):
        count = write_terms(
            path,
            advancing(stored, advance),
            about=about,
            fmt=fmt,
            excel=excel,
            tbx_version=int(tbx_version),
            warn=warn,
            source_lang=source_lang or _tm_source_lang(project),
        )
    report_export(file, f"{count:,} terms exported")


def _tm_source_lang(project: Any) -> str:
    """The TM's dominant source language if it is ja or en, else ja."""
    lang = project.tm.dominant_source_lang()
    return lang if lang in ("ja", "en") else "ja"


@term.command()
@click.argument("query", callback=nonempty_query)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="At most this many results.",
)
@min_score_option(70.0, "Lowest fuzzy score shown (0-100).")
@json_option
@click.pass_context
def lookup(ctx: click.Context, query: str, limit: int, min_score: float, as_json: bool) -> None:
    """Look QUERY up in the glossary: Japanese, English, kana or romaji.

    \b
    Ranked exact → prefix → substring → reading → fuzzy. Spelling variants are
    forgiven: width, kana script, long vowels (サーバー/サーバ), okurigana (取扱い/
    取り扱い), old kanji (國/国), English case, plurals, hyphens; typos by fuzzy
    score. `kokusai senryaku` or `こくさいせんりゃく` finds 国際戦略局 by reading.
    Exit status 1 when nothing matches.
    """
    from taiyaku.cli import open_store

    hits = open_store(ctx).lookup(query, limit=limit, min_score=min_score)
    if as_json:
        echo_json({"query": query, "results": hits})
        return
    if not hits:
        click.echo(f"no glossary entry matches {query!r}")
        return
    for hit in hits:
        t = hit.term
        flag = f" [{t.status.upper()}]" if t.status in ("deprecated", "forbidden") else ""
        flag = flag or (f" [{t.status}]" if t.status != "preferred" else "")
        details = ", ".join(x for x in (t.domain, t.pos) if x)
        click.echo(
            f"{t.ja} → {t.en}{flag}  ({hit.kind} {hit.score:g}"
            + (f"; {details}" if details else "")
            + ")"
        )
        for preferred in hit.preferred:
            click.echo(f"    use instead: {preferred.ja} → {preferred.en}")
        if t.note:
            click.echo("    " + t.note.replace("\n", "\n    "))


@term.command()
@click.argument("text", required=False, callback=nonempty_query)
@click.option(
    "--file",
    "file",
    type=stdin_path,
    help="Read the text from FILE (one sentence or paragraph a line; - for standard input).",
)
@click.option(
    "--side",
    type=click.Choice(["ja", "en", "both"]),
    default="both",
    show_default=True,
    help="Look for the Japanese terms, the English terms, or both.",
)
@json_option
@click.pass_context
def find(ctx: click.Context, text: str | None, file: str | None, side: str, as_json: bool) -> None:
    """Find every glossary term occurring in TEXT (or in each line of --file).

    Longest match first, overlaps resolved; Japanese terms are found anywhere
    (two-character terms too), English terms on word boundaries, ignoring case and
    plurals. Positions are character offsets in the line.
    """
    from taiyaku.cli import open_store
    from taiyaku.text.decode import read_text

    if (text is None) == (file is None):
        raise click.UsageError("give TEXT or --file, not both and not neither")
    if file is not None:
        with input_path(file) as readable:
            lines = read_text(readable).splitlines()
    else:
        lines = [text or ""]
    sides: tuple[Side, ...] = ("ja", "en") if side == "both" else (cast(Side, side),)
    project = open_store(ctx)
    any_found = False
    for number, line in enumerate(lines, start=1):
        found = project.find_terms(line, sides=sides)
        any_found = any_found or bool(found)
        if as_json:
            echo_json({"line": number, "text": line, "terms": found})
            continue
        if file is not None:
            if not found:
                continue
            click.echo(f"{number}: {line}")
        for o in found:
            flag = f" [{o.term.status}]" if o.term.status != "preferred" else ""
            click.echo(f"  {o.start}-{o.end}  {o.text}  →  {o.term.ja} / {o.term.en}{flag}")
    if not any_found and not as_json:
        click.echo("no glossary term found")


from taiyaku.cli.extract import extract  # noqa: E402 (after the group it joins)

term.add_command(extract)
