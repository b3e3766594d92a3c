"""The import-layer check of ``make lint`` (scripts/check_layers.py): it passes on the code and
catches what it is meant to catch."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts" / "check_layers.py")
assert spec is not None and spec.loader is not None
check_layers = importlib.util.module_from_spec(spec)
sys.modules["check_layers"] = check_layers
spec.loader.exec_module(check_layers)


def test_the_code_keeps_its_layers():
    assert check_layers.check(ROOT / "src" / "taiyaku") == []


def test_upward_imports_and_stray_sql_are_found(tmp_path):
    package = tmp_path / "taiyaku"
    for folder in ("store", "text", "glossary", "cli"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text('__version__ = "0"\n', encoding="utf-8")
    (package / "store" / "tm.py").write_text(
        "def attach():\n    from taiyaku.glossary import find  # lazy, still upward\n",
        encoding="utf-8",
    )
    (package / "text" / "ok.py").write_text("from taiyaku import __version__\n", encoding="utf-8")
    (package / "glossary" / "find.py").write_text(
        '"""SELECT nothing FROM a docstring: not SQL."""\n'
        "from . import keys\n"
        "def rows(db):\n"
        '    return db.execute("SELECT id, ja FROM terms ORDER BY id")\n',
        encoding="utf-8",
    )
    (package / "glossary" / "keys.py").write_text("from ..cli import output\n", encoding="utf-8")
    (package / "cli" / "output.py").write_text(
        "from taiyaku.store import tm\nSQL = 'PRAGMA journal_mode'\n", encoding="utf-8"
    )
    problems = check_layers.check(package)
    assert len(problems) == 4, problems
    assert any(
        "taiyaku.store.tm (layer 4) imports taiyaku.glossary (layer 5)" in p for p in problems
    )
    assert any("taiyaku.glossary.keys (layer 5) imports taiyaku.cli" in p for p in problems)
    assert any("find.py:4: SQL outside store/" in p for p in problems)
    assert any("output.py:2: SQL outside store/" in p for p in problems)
