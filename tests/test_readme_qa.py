"""README's "Building the glossary from your TM" and "Checking a translation" run as printed.

The commands run on the tour's project (seed glossary, aligned page); between the two
`term extract`/`term import` steps the test marks the candidates sheet as the text says a
reader would (x in the keep column of 国際 and 政策), and `review.tsv` is the three rows the
text describes.
"""

from __future__ import annotations

import re
import shlex
import shutil

from click.testing import CliRunner
from openpyxl import load_workbook

from taiyaku.cli import cli
from tests.conftest import ROOT

REVIEW = (
    "ja\ten\n"
    "国際戦略局の紹介\tIntroduction of the International Strategy Bureau\n"
    "令和5年7月に策定した「総務省海外展開行動計画2025」\t"
    'The "MIC Action Plan for Overseas Deployment 2025" formulated in July 2022\n'
    "総務省の政策（概要）\tPolicies of the Ministry of Home Affairs （overview)\n"
)


def section_steps() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme[
        readme.index("### Building the glossary from your TM") : readme.index("### `--json` output")
    ]
    steps = []
    for block in re.findall(r"```\n(.*?)```", part, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def mark_candidates(path):
    book = load_workbook(path)
    for row in book.active.iter_rows(min_row=2):
        if row[1].value in ("国際", "政策"):
            row[0].value = "x"
    book.save(path)


def test_readme_extract_and_check_run_as_printed(tmp_path, monkeypatch, new_db_target):
    for folder in ("tm", "glossary"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TAIYAKU_DB", str(new_db_target("project")))
    runner = CliRunner()
    for setup in (
        ["term", "import", "glossary/mic-global-strategy-bureau.tsv"],
        ["align", "tm/mic-global-strategy-bureau.ja.txt", "tm/mic-global-strategy-bureau.en.txt"],
    ):
        assert runner.invoke(cli, setup).exit_code == 0
    (tmp_path / "review.tsv").write_text(REVIEW, encoding="utf-8")
    steps = section_steps()
    assert [c.split()[1] for c, _ in steps] == [
        "term", "term", "term", "term", "check",
    ]  # fmt: skip
    for command, expected in steps:
        words = shlex.split(command)
        if words[1:3] == ["term", "import"]:
            mark_candidates(tmp_path / "candidates.xlsx")
        result = runner.invoke(cli, words[1:])
        assert result.exit_code == 0, (command, result.output)
        assert result.output == expected, command
