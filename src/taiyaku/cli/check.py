"""``taiyaku check``: QA of translations in bilingual files or in the TM."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import click

from taiyaku.cli.output import echo_json, json_option, progress_bar
from taiyaku.qa.findings import CHECKS, SEVERITIES, Finding


def _skip_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One ``--no-NAME`` switch per check."""
    for name in reversed(CHECKS):
        command = click.option(
            f"--no-{name}", f"skip_{name}", is_flag=True, help=f"Skip the {name} check."
        )(command)
    return command


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--tm", "use_tm", is_flag=True, help="Check the units stored in the TM.")
@click.option("--document", metavar="NAME", help="With --tm: only this document's units.")
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write the findings to this workbook (one row per finding, spans marked).",
)
@_skip_options
@json_option
@click.pass_context
def check(
    ctx: click.Context,
    /,
    files: tuple[str, ...],
    use_tm: bool,
    document: str | None,
    xlsx_path: str | None,
    as_json: bool,
    **skips: bool,
) -> None:
    """Check translations: FILE… (TMX, TSV, CSV, XLSX) or the TM (--tm).

    \b
    Checks (each can be turned off with --no-NAME):
      terminology   glossary terms (from the database) whose preferred or admitted
                    English is missing; deprecated or forbidden renderings used
      numbers       numbers, era years (令和5年 = 2023), months, 万/億, %, yen
      consistency   one source translated two ways; one target for two sources
      completeness  empty, untranslated, wrong language, far too short or long
      form          brackets, quotes, placeholders, spaces, full-width characters
                    and Japanese left in English
    The report is grouped by check, counts first; --json prints one finding a line.
    Consistency compares the units of all FILEs (or of the TM/document) together.
    Exit status 0 whatever is found; 1 on an unreadable file.
    """
    from taiyaku.errors import TaiyakuError
    from taiyaku.qa import check_units, located_file_units, located_tm_units
    from taiyaku.store.db import database_exists

    if use_tm == bool(files):
        raise click.UsageError("give FILE… or --tm, not both and not neither")
    if document and not use_tm:
        raise click.UsageError("--document goes with --tm")
    skip = [name for name in CHECKS if skips.get(f"skip_{name}")]
    db_path = ctx.obj["db_path"]
    project = None
    if use_tm or database_exists(db_path):
        from taiyaku.cli import open_store

        project = open_store(ctx)
    glossary = None
    if project is not None and "terminology" not in skip and project.glossary.count():
        glossary = project.glossary
    if glossary is None and "terminology" not in skip and not as_json:
        click.echo(f"Note: no glossary in {db_path}: terminology not checked", err=True)
    if project is not None and use_tm:
        items = list(located_tm_units(project.db, document=document))
        if not items:
            where = f"document {document!r}" if document else "the TM"
            raise TaiyakuError(f"{db_path}: no units in {where}")
    else:
        items = [item for path in files for item in located_file_units(path)]
    with progress_bar("Checking", total=len(items)) as advance:
        findings = check_units(items, glossary=glossary, skip=skip, progress=advance)
    if xlsx_path:
        count = write_report(xlsx_path, findings, checked=len(items), what=files or (db_path,))
        if not as_json:
            click.echo(f"{xlsx_path}: {count:,} findings written", err=True)
    if as_json:
        for f in findings:
            echo_json(f)
        return
    _print_report(findings, len(items))


def _summary(findings: Sequence[Finding], units: int) -> str:
    by_check = Counter(f.check for f in findings)
    by_severity = Counter(f.severity for f in findings)
    places = len({f.where for f in findings})
    if not findings:
        return f"no findings in {units:,} units"
    checks = ", ".join(f"{name} {by_check[name]:,}" for name in CHECKS if by_check[name])
    severities = ", ".join(f"{by_severity[s]:,} {s}" for s in SEVERITIES if by_severity[s])
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings):,} {noun} in {places:,} of {units:,} units: {checks} ({severities})"


def _mark(text: str, spans: Sequence[tuple[int, int]], color: bool) -> str:
    out, last = [], 0
    for start, end in sorted(set(spans)):
        if start < last:
            continue
        piece = text[start:end]
        out.append(text[last:start])
        out.append(
            click.style(piece, fg="red", bold=True, underline=True) if color else f"[[{piece}]]"
        )
        last = end
    out.append(text[last:])
    return "".join(out)


def _print_report(findings: Sequence[Finding], units: int) -> None:
    click.echo(_summary(findings, units))
    color = sys.stdout.isatty()
    for name in CHECKS:
        group = [f for f in findings if f.check == name]
        if not group:
            continue
        rules = Counter(f.rule for f in group)
        click.echo(
            f"\n{name}: {len(group):,} ("
            + ", ".join(f"{r} {n:,}" for r, n in rules.most_common())
            + ")"
        )
        for f in group:
            click.echo(f"  {f.where}  {f.severity}  {f.message}")
            click.echo(f"    source: {_mark(f.source, f.source_spans, color)}")
            click.echo(f"    target: {_mark(f.target, f.target_spans, color)}")


def write_report(
    path: str, findings: Sequence[Finding], *, checked: int, what: Sequence[str]
) -> int:
    """Write the findings to an .xlsx report; return how many rows."""
    from taiyaku import __version__
    from taiyaku.formats.marked import Cell, write_marked_sheet
    from taiyaku.models import now_iso

    def row(f: Finding) -> list[Cell]:
        return [f.where, f.check, f.rule, f.severity, f.message,
                (f.source, f.source_spans), (f.target, f.target_spans)]  # fmt: skip

    return write_marked_sheet(
        path,
        ("Where", "Check", "Rule", "Severity", "Message", "Source", "Target"),
        (row(f) for f in findings),
        widths=(12, 12, 16, 8, 32, 48, 48),
        title="Findings",
        severity_column=3,
        about=[
            ("What", "taiyaku check: one row per finding; the words concerned in red"),
            ("Checked", ", ".join(what)),
            ("Units", str(checked)),
            ("Summary", _summary(findings, checked)),
            ("Written", now_iso()),
            ("taiyaku version", __version__),
        ],
    )
