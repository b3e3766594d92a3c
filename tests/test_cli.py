"""Every foundation command through click's CliRunner: exit codes, output, unchanged DB on error."""

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import cast

import click
import pytest
from openpyxl import load_workbook

from taiyaku import Glossary, TranslationMemory, Unit, open_db
from taiyaku.cli import cli
from tests.conftest import FIXTURES, ROOT, table_digest

GLOSSARY_TSV = (
    "ja\ten\tnote\tstatus\n国際戦略局\tGlobal Strategy Bureau\tbureau of MIC\tpreferred\n"
    "総務省\tMinistry of Internal Affairs and Communications\t\tpreferred\n"
)


def run(runner, *args, ok=True):
    result = runner.invoke(cli, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output + str(result.exception)
    return result


def test_help_lists_commands(runner):
    result = run(runner, "--help")
    for command in ("tm", "term", "demo"):
        assert command in result.output
    assert "TAIYAKU_DB" in result.output


def test_every_command_is_found_under_its_name():
    """The group imports a command's module only when the command is asked for: each name it
    lists must resolve to the command of that name (a wrong entry in COMMANDS fails here)."""
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"align", "match", "tm", "term", "upgrade"} <= set(names)
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
    assert "extract" in cast(click.Group, cli.get_command(ctx, "term")).commands


def test_a_mistyped_command_gets_the_close_names(runner):
    """click suggests only the commands a group holds; the lazy ones are suggested too."""
    result = run(runner, "matc", ok=False)
    assert result.exit_code == 2
    assert "No such command 'matc'. Did you mean 'match'?" in result.output
    result = run(runner, "xyzzy", ok=False)
    assert result.exit_code == 2 and "Did you mean" not in result.output


_IMPORTED = """
import sys
from taiyaku.cli import cli
try:
    cli({args!r}, standalone_mode=False)
except SystemExit:
    pass
heavy = ("numpy", "sqlite_utils", "openpyxl", "lxml", "fugashi", "importlib.metadata")
print(sorted(m for m in sys.modules if m.startswith("taiyaku.") or m in heavy))
"""


def _imported(*args):
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED.format(args=[str(a) for a in args])],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    *output, modules = done.stdout.splitlines()
    return output, set(ast.literal_eval(modules))


@pytest.mark.sqlite_only("what a command imports does not depend on the engine")
def test_a_command_imports_what_it_runs_and_no_more(tmp_path):
    """Each command pays at start-up for its own modules only (`taiyaku match` at a million
    units: 0.66 s → 0.58 on the slow machine, `--version` 0.46 → 0.13)."""
    path = tmp_path / "tm.db"
    with open_db(path) as db:
        TranslationMemory(db).add_many(
            [Unit("国際戦略局の組織です。", "The Bureau's organisation.")]
        )
    _, modules = _imported("--version")
    assert not modules & {"numpy", "taiyaku.match.search", "taiyaku.project", "taiyaku.cli.tm"}
    output, modules = _imported("--db", path, "match", "--json", "--", "国際戦略局の組織")
    assert json.loads(output[0])["matches"][0]["target"] == "The Bureau's organisation."
    assert {"numpy", "taiyaku.match.search"} <= modules
    unused = {
        "taiyaku.align.core",
        "taiyaku.cli.term",
        "taiyaku.glossary.facade",
        "taiyaku.match.analyze",
        "taiyaku.qa.findings",
        "taiyaku.text.html",
        "sqlite_utils",
        "openpyxl",
        "lxml",
        "fugashi",
        "importlib.metadata",
    }
    assert modules & unused == set()


_EXPORTS = """
import importlib, inspect, pkgutil
for name in ("taiyaku", "taiyaku.align", "taiyaku.glossary", "taiyaku.match", "taiyaku.qa",
             "taiyaku.store"):
    package = importlib.import_module(name)
    exported = [getattr(package, export) for export in package.__all__]
    for sub in pkgutil.iter_modules(package.__path__):
        if sub.name.startswith("_"):
            continue  # __main__ would run the command
        importlib.import_module(f"{name}.{sub.name}")
    for export in package.__all__:
        value = getattr(package, export)
        if inspect.ismodule(value) or value is not exported[package.__all__.index(export)]:
            print(f"{name}.{export}")
"""


def test_exported_names_are_not_hidden_by_their_modules():
    """A package exports its names lazily; importing a submodule binds the package attribute
    of the same name to the module. An export named like its module (match.concordance) must
    stay the function whichever is imported first, and every export the same object."""
    done = subprocess.run([sys.executable, "-c", _EXPORTS], capture_output=True, text=True)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")


def test_tm_import_stats_export(new_db_target, runner, tmp_path):
    db = new_db_target("t")
    result = run(runner, "--db", db, "tm", "import", FIXTURES / "omegat-shape.tmx")
    assert "3 units added, 0 already present" in result.output
    again = run(runner, "--db", db, "tm", "import", FIXTURES / "omegat-shape.tmx", "--json")
    assert json.loads(again.output)["already_present"] == 3
    stats = json.loads(run(runner, "--db", db, "tm", "stats", "--json").output)
    assert stats["units"] == 3 and stats["language_pairs"][0]["name"] == "en-US→ja"
    plain = run(runner, "--db", db, "tm", "stats").output
    assert "3 units" in plain and "en-US→ja" in plain
    for suffix in ("tmx", "tsv", "csv", "xlsx"):
        out = tmp_path / f"out.{suffix}"
        result = run(runner, "--db", db, "tm", "export", out)
        assert f"{out}: 3 units exported" in result.output
        fresh = new_db_target(f"fresh-{suffix}")
        run(runner, "--db", fresh, "tm", "import", out)
        texts = sorted(u.target_text for u in TranslationMemory(open_db(fresh)).iter_units())
        assert texts == sorted(u.target_text for u in TranslationMemory(open_db(db)).iter_units())


@pytest.mark.sqlite_only("the default database is the file ./taiyaku.db")
def test_db_falls_back_to_environment_then_cwd(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("TAIYAKU_DB")
    run(runner, "term", "add", "政府", "government")
    assert (tmp_path / "taiyaku.db").exists()
    monkeypatch.setenv("TAIYAKU_DB", str(tmp_path / "env.db"))
    run(runner, "term", "add", "政府", "government")
    assert Glossary(open_db(tmp_path / "env.db")).count() == 1


def test_term_add_import_lookup_export(new_db_target, runner, tmp_path):
    db = new_db_target("g")
    added = run(
        runner,
        "--db",
        db,
        "term",
        "add",
        "参事官",
        "Counsellor",
        "--note",
        "a post",
        "--status",
        "admitted",
    )
    assert "参事官 → Counsellor (admitted)" in added.output
    source = tmp_path / "g.tsv"
    source.write_text(GLOSSARY_TSV, encoding="utf-8")
    imported = run(runner, "--db", db, "term", "import", source)
    assert "2 terms added, 0 updated, 0 unchanged" in imported.output
    lookup = run(runner, "--db", db, "term", "lookup", "国際戦略")
    assert "国際戦略局 → Global Strategy Bureau" in lookup.output and "prefix" in lookup.output
    as_json = json.loads(run(runner, "--db", db, "term", "lookup", "bureau", "--json").output)
    assert as_json["results"][0]["term"]["ja"] == "国際戦略局"
    missing = run(runner, "--db", db, "term", "lookup", "存在しない")
    assert missing.exit_code == 0 and "no glossary entry" in missing.output
    out = tmp_path / "g.xlsx"
    assert "3 terms exported" in run(runner, "--db", db, "term", "export", out).output
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert [c.value for c in sheet[1]][:2] == ["ja", "en"]
    assert book.sheetnames[1] == "About"
    assert "3" in [c.value for c in book["About"]["B"]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.tmx", "", "empty file"),
        (
            "cut.tmx",
            '<tmx version="1.4"><header srclang="ja"/><body><tu><tuv xml:lang="ja">',
            "line 1, column",
        ),
        ("cols.tsv", "source\tcolour\nx\ty\n", "unknown or repeated column(s) 'colour'"),
        ("nocols.csv", "foo,bar\n1,2\n", "unknown or repeated column(s)"),
    ],
)
def test_bad_tm_file_is_one_error_line_and_changes_nothing(
    new_db_target, runner, tmp_path, name, content, message
):
    db = new_db_target("t")
    run(runner, "--db", db, "tm", "import", FIXTURES / "omegat-shape.tmx")
    before = table_digest(db)
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    result = run(runner, "--db", db, "tm", "import", bad, ok=False)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {bad}") and message in lines[0]
    assert "Traceback" not in result.output
    assert table_digest(db) == before


def test_truncated_tmx_after_good_units_adds_nothing(new_db_target, runner, tmp_path):
    db = new_db_target("t")
    good = (FIXTURES / "omegat-shape.tmx").read_text(encoding="utf-8")
    bad = tmp_path / "half.tmx"
    bad.write_text(good[: good.index("<!-- Alternative")], encoding="utf-8")
    open_db(db).close()
    before = table_digest(db)
    result = run(runner, "--db", db, "tm", "import", bad, ok=False)
    assert result.exit_code == 1 and "invalid XML" in result.output
    assert table_digest(db) == before


def test_bad_glossary_changes_nothing(new_db_target, runner, tmp_path):
    db = new_db_target("g")
    run(runner, "--db", db, "term", "add", "政府", "government")
    before = table_digest(db)
    bad = tmp_path / "bad.tsv"
    bad.write_text("ja\ten\n国\tcountry\n県\t\n", encoding="utf-8")
    result = run(runner, "--db", db, "term", "import", bad, ok=False)
    assert result.exit_code == 1 and f"{bad}: line 3:" in result.output
    assert table_digest(db) == before


def test_missing_file_is_usage_error(new_db_target, runner, tmp_path):
    result = run(
        runner, "--db", new_db_target("t"), "tm", "import", tmp_path / "nope.tmx", ok=False
    )
    assert result.exit_code == 2 and "does not exist" in result.output


def test_demo_aligns_the_shipped_pages_and_tours_the_result(new_db_target, runner, tmp_path):
    args = ["demo", "--data", ROOT, "--db", new_db_target("demo"), "--xlsx", tmp_path / "demo.xlsx"]
    result = run(runner, *args)
    out = result.output
    assert "国際戦略局 → Global Strategy Bureau  (prefix" in out
    assert "(fuzzy" in out and "(reading" in out
    assert "研究開発 → research and development" in out
    assert "beads (1-1 34, 1-2 2, 2-1 1)" in out
    assert "adapted target: On May 29 and 30, 2024" in out
    assert Path(tmp_path / "demo.xlsx").exists()
    db = open_db(new_db_target("demo"))
    assert Glossary(db).count() >= 60
    units = list(TranslationMemory(db).iter_units(document="mic-global-strategy-bureau"))
    assert len(units) >= 30 and {u.origin for u in units} == {"aligned"}
    assert {u.bead for u in units} == {"1-1", "1-2", "2-1"}
    # Running it again replaces the page's pairs instead of adding them twice.
    again = run(runner, *args)
    assert "0 new" in again.output and f"replacing {len(units)}" in again.output
    assert TranslationMemory(open_db(new_db_target("demo"))).count() == len(units)
