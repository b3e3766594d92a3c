"""README's command-line tour runs exactly as printed: every `$ taiyaku ...` line, in order.

The tour's commands are run on a copy of the shipped data, each output compared with the
lines printed under it (dates, which change every day, compared as dates). Parts that need
something the reader brings or does by hand are left out: "Translating a new document" (a
`page.html` of theirs), the review of a candidates sheet (an `x` typed in its keep column)
and "Checking a translation" (a `review.tsv` of theirs); the tests of those commands
(test_loop.py, test_extract.py, test_qa*.py) run them on files of their own.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil

from click.testing import CliRunner

from taiyaku.cli import cli
from tests.conftest import ROOT

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def tour_steps() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme[readme.index("## A tour of the command line") : readme.index("## From Python")]
    # Leave out what needs a file the reader brings or a sheet they edit by hand.
    start = tour.index("### Translating a new document")
    tour = tour[:start] + tour[tour.index("Exchange: `taiyaku tm import`", start) :]
    start = tour.index("Put `x` in the keep column")
    tour = tour[:start] + tour[tour.index("### `--json` output", start) :]
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```\n(.*?)```", tour, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def test_the_tour_has_its_commands():
    commands = [c.split()[1] for c, _ in tour_steps() if c.startswith("taiyaku")]
    assert commands == [
        "term", "align", "term", "term", "term", "term", "match", "concordance",
        "tm", "tm", "term", "term",
    ]  # fmt: skip


def test_readme_tour_runs_as_printed(tmp_path, monkeypatch, new_db_target, backend):
    for folder in ("tm", "glossary"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TAIYAKU_DB", raising=False)
    runner = CliRunner()
    for command, expected in tour_steps():
        words = shlex.split(command)
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            if name == "TAIYAKU_DB" and backend == "postgres":
                value = str(new_db_target("project"))
            monkeypatch.setenv(name, value)
            continue
        assert words[0] == "taiyaku", command
        result = runner.invoke(cli, words[1:])
        assert result.exit_code == 0, (command, result.output)
        # On PostgreSQL messages name the database by its URL where the README says project.db.
        db = os.environ.get("TAIYAKU_DB")
        output = result.output.replace(db, "project.db") if db else result.output
        assert DATE.sub("DATE", output) == DATE.sub("DATE", expected), command
