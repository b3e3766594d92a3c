"""The README's Python example runs as written, against the shipped data."""

import re
import shutil

from tests.conftest import ROOT, table_names


def test_readme_python_example_runs(new_db_target, tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## From Python.*?```python\n(.*?)```", readme, re.S).group(1)
    for folder in ("tm", "glossary"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    target = str(new_db_target("project"))  # on SQLite the example's own ./project.db
    assert code.count('"project.db"') == 2
    exec(compile(code.replace('"project.db"', repr(target)), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "国際戦略局 → Global Strategy Bureau" in out
    assert "('国際戦略局', 'Global Strategy Bureau')" in out
    assert "units" in table_names(new_db_target("project"))
