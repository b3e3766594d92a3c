"""``taiyaku term``: lookup, find, import --update, export formats (CliRunner, real files)."""

import json

import pytest

from taiyaku.cli import cli
from tests.conftest import FIXTURES, ROOT, table_digest

SEED = ROOT / "glossary" / "mic-global-strategy-bureau.tsv"


@pytest.fixture
def seeded(runner, db_target):
    result = runner.invoke(cli, ["--db", str(db_target), "term", "import", str(SEED)])
    assert result.exit_code == 0, result.output
    return db_target


def run(runner, db_target, *args):
    return runner.invoke(cli, ["--db", str(db_target), "term", *args])


def test_lookup_by_reading_and_typo(runner, seeded):
    result = run(runner, seeded, "lookup", "kokusai senryaku kyoku")
    assert result.exit_code == 0
    assert result.output.startswith("国際戦略局 → Global Strategy Bureau  (reading 100")
    result = run(runner, seeded, "lookup", "Global Strateggy Bureau", "--json")
    hit = json.loads(result.output)["results"][0]
    assert (hit["kind"], hit["term"]["ja"], hit["side"]) == ("fuzzy", "国際戦略局", "en")


def test_lookup_nothing_is_a_message_and_exit_0(runner, seeded):
    result = run(runner, seeded, "lookup", "zzzqqqxx")
    assert result.exit_code == 0 and "no glossary entry" in result.output


def test_lookup_shows_forbidden_with_preferred(runner, seeded):
    run(runner, seeded, "add", "政府", "the Government", "--status", "forbidden")
    result = run(runner, seeded, "lookup", "the Government")
    assert "政府 → the Government [FORBIDDEN]" in result.output
    assert "use instead: 政府 → government" in result.output


def test_find_text_and_file(runner, seeded, tmp_path):
    result = run(runner, seeded, "find", "国際戦略局では、ICT分野における政府の取組")
    assert result.exit_code == 0
    assert "0-5  国際戦略局  →  国際戦略局 / Global Strategy Bureau" in result.output
    assert "政府  →  政府 / government" in result.output
    text = tmp_path / "s.txt"
    text.write_text("総務省の国際戦略局\n何もない行\n", encoding="utf-8")
    result = run(runner, seeded, "find", "--file", str(text), "--json")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [len(line["terms"]) > 0 for line in lines] == [True, False]
    assert lines[0]["terms"][-1]["start"] == 4


def test_find_needs_text_or_file(runner, seeded):
    result = run(runner, seeded, "find")
    assert result.exit_code == 2 and "Error:" in result.stderr


@pytest.mark.parametrize("suffix", [".xlsx", ".tbx", ".csv"])
def test_export_import_update(new_db_target, runner, seeded, tmp_path, suffix):
    export = tmp_path / f"g{suffix}"
    assert run(runner, seeded, "export", str(export)).exit_code == 0
    fresh = new_db_target("fresh")
    result = run(runner, fresh, "import", str(export))
    assert "119 terms added" in result.output
    again = run(runner, fresh, "import", str(export), "--update")
    assert "already matches" in again.output


def test_update_shows_then_applies_with_yes(runner, seeded, tmp_path):
    export = tmp_path / "g.tsv"
    run(runner, seeded, "export", str(export))
    lines = export.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    kept = [r for r in rows if not r.startswith("国際協力課\t")]
    kept = [r.replace("\tbureau of MIC\t", "\tthe bureau of MIC\t") for r in kept]
    kept.append("内閣府\tCabinet Office\t\t\t\tpreferred\t\t\t")
    export.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    before = table_digest(seeded)
    shown = run(runner, seeded, "import", str(export), "--update")
    assert shown.exit_code == 0, shown.output
    assert "+ 内閣府 → Cabinet Office" in shown.output
    assert (
        "~ 国際戦略局 → Global Strategy Bureau: note: 'bureau of MIC' → 'the bureau of MIC'"
        in shown.output
    )
    assert "- 国際協力課 → International Cooperation Division" in shown.output
    assert "1 to add, 1 to change, 1 to remove" in shown.output
    assert "run again with --yes" in shown.output
    assert table_digest(seeded) == before
    applied = run(runner, seeded, "import", str(export), "--update", "--yes")
    assert "applied: 1 added, 1 changed, 1 removed" in applied.output
    assert table_digest(seeded) != before
    applied = run(runner, seeded, "import", str(export), "--update", "--yes", "--json")
    report = json.loads(applied.output)
    assert not report["applied"] and not report["added"] and not report["removed"]
    assert run(runner, seeded, "import", str(export), "--update").output.endswith("entries)\n")


def test_yes_without_update_is_a_usage_error(runner, seeded):
    result = run(runner, seeded, "import", str(SEED), "--yes")
    assert result.exit_code == 2


def test_import_tbx_omegat_jlt(runner, db_target):
    for name, added in [
        ("tbx-v2-martif.tbx", 3),
        ("tbx-v3-dca.tbx", 2),
        ("glossary-omegat.utf8", 0),  # the same three pairs as the TBX v2 fixture, no notes
        ("jlt-legal-terms-slice.xml", 4),
    ]:
        result = run(runner, db_target, "import", str(FIXTURES / name), "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["added"] == added, name


def test_export_omegat(runner, seeded, tmp_path):
    path = tmp_path / "glossary.utf8"
    assert run(runner, seeded, "export", str(path)).exit_code == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert (
        lines[0].startswith("# ") and "国際戦略局\tGlobal Strategy Bureau\tbureau of MIC" in lines
    )


def test_bad_tbx_is_one_line_exit_1(runner, db_target, tmp_path):
    path = tmp_path / "bad.tbx"
    path.write_text("<tbx><text>", encoding="utf-8")
    result = run(runner, db_target, "import", str(path))
    assert result.exit_code == 1 and "bad.tbx: line" in result.stderr
