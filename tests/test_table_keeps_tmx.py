"""A unit read from TMX travels through a TSV, CSV or XLSX export whole.

Notes, props and attributes (``annotations``) and each side's inline codes (``*_markup``)
have their own columns, so tm export x.tsv → tm import x.tsv gives back the same units as
the TMX did, and a TMX written afterwards carries the same codes and notes.
"""

from __future__ import annotations

import dataclasses

import pytest

from taiyaku import Project
from taiyaku.cli import cli
from taiyaku.errors import FormatError
from taiyaku.formats import read_units, write_units
from tests.conftest import FIXTURES

FILES = ("trados-codes.tmx", "okapi-codes.tmx", "memoq-context.tmx")


def stored(path):
    with Project.open(path) as project:
        return sorted(
            (
                u.source_text,
                u.target_text,
                u.annotations,
                u.source_markup,
                u.target_markup,
                u.created,
                u.changed,
            )
            for u in project.tm.iter_units()
        )


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".xlsx"])
def test_codes_and_notes_survive_a_table(new_db_target, runner, tmp_path, suffix):
    first, second = new_db_target("a"), new_db_target("b")
    for name in FILES:
        result = runner.invoke(cli, ["--db", str(first), "tm", "import", str(FIXTURES / name)])
        assert result.exit_code == 0, result.output
    units = stored(first)
    assert any(u[3] is not None for u in units)  # inline codes on some source
    assert any(u[2] for u in units)  # notes, props or attributes on some unit
    table = tmp_path / f"tm{suffix}"
    assert runner.invoke(cli, ["--db", str(first), "tm", "export", str(table)]).exit_code == 0
    result = runner.invoke(cli, ["--db", str(second), "tm", "import", str(table)])
    assert result.exit_code == 0, result.output
    assert stored(second) == units


def test_codes_that_no_longer_spell_the_text_are_refused(new_db_target, runner, tmp_path):
    first = new_db_target("a")
    runner.invoke(cli, ["--db", str(first), "tm", "import", str(FIXTURES / "trados-codes.tmx")])
    with Project.open(first) as project:
        units = list(project.tm.iter_units())
    table = tmp_path / "tm.tsv"
    coded = next(u for u in units if u.source_markup is not None)
    edited = [dataclasses.replace(coded, source_text="edited by hand")]
    write_units(table, edited)
    with pytest.raises(FormatError, match=r"tm\.tsv: line 2: source_markup does not spell"):
        list(read_units(table))
