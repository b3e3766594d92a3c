"""Everyday conventions: --excel CSV, no absolute paths in exports, -h, Ctrl-C, stats, errors."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from taiyaku.cli import cli
from taiyaku.store.tm import TranslationMemory
from tests.conftest import table_digest


def run(db, *args, status=0, **kwargs):
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], **kwargs)
    assert result.exit_code == status, result.output
    return result.output


@pytest.fixture
def seeded(new_db_target, tmp_path):
    db = new_db_target("project")
    run(db, "term", "add", "国際戦略局", "Global Strategy Bureau", "--note", "=部局")
    source = tmp_path / "u.tsv"
    rows = "".join(f"文{i}です。\tSentence {i}.\tdoc{i % 12:02d}\n" for i in range(30))
    source.write_text("ja\ten\tdocument\n" + rows, encoding="utf-8")
    run(db, "tm", "import", source)
    return db


def test_excel_csv_has_bom_and_crlf(new_db_target, seeded, tmp_path):
    run(seeded, "term", "export", tmp_path / "g.csv", "--excel")
    data = (tmp_path / "g.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfja,en,") and data.count(b"\r\n") == 2
    assert b"'=\xe9\x83\xa8\xe5\xb1\x80" in data  # the formula guard: '=部局
    run(seeded, "tm", "export", tmp_path / "u.csv", "--excel")
    assert (tmp_path / "u.csv").read_bytes().startswith(b"\xef\xbb\xbfsource,target,")
    # And it reads back as it was.
    assert "1 terms added" in run(new_db_target("back"), "term", "import", tmp_path / "g.csv")


def test_plain_csv_and_tsv_have_no_bom(seeded, tmp_path):
    run(seeded, "term", "export", tmp_path / "g.csv")
    run(seeded, "term", "export", tmp_path / "g.tsv")
    assert (tmp_path / "g.csv").read_bytes().startswith(b"ja,en,")
    assert "\t=部局\t" in (tmp_path / "g.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["g.xlsx", "g.tbx", "g.utf8"])
def test_exports_name_the_database_by_file_name_only(seeded, tmp_path, name, backend):
    run(seeded, "term", "export", tmp_path / name)
    path = tmp_path / name
    if name.endswith(".xlsx"):
        text = "".join(
            zipfile.ZipFile(path).read(n).decode("utf-8")
            for n in zipfile.ZipFile(path).namelist()
            if n.endswith(".xml")
        )
    else:
        text = path.read_text(encoding="utf-8")
    if backend == "sqlite":
        assert "project.db" in text and str(seeded.parent) not in text
    else:  # PostgreSQL: the URL, which the test server's has no password in
        assert seeded in text


def test_short_help_everywhere(new_db_target, tmp_path):
    for command in (["-h"], ["tm", "-h"], ["tm", "import", "-h"], ["term", "lookup", "-h"]):
        assert "Usage:" in run(new_db_target("g"), *command)


def test_ctrl_c_exits_130_and_changes_nothing(seeded, tmp_path, monkeypatch):
    before = table_digest(seeded)
    source = tmp_path / "more.tsv"
    source.write_text("ja\ten\n新しい文。\tA new sentence.\n", encoding="utf-8")

    def interrupted(self, rows):
        raise KeyboardInterrupt

    monkeypatch.setattr(TranslationMemory, "_insert", interrupted)
    result = CliRunner().invoke(cli, ["--db", str(seeded), "tm", "import", str(source)])
    assert result.exit_code == 130 and "Interrupted" in result.output
    assert table_digest(seeded) == before


def test_stats_summarises_the_largest_documents(seeded):
    out = run(seeded, "tm", "stats")
    assert out.splitlines()[0] == f"30 units, 12 document(s) in {seeded}"
    assert "... and 2 more documents (4 units): --all lists them" in out
    everything = run(seeded, "tm", "stats", "--all")
    assert "doc11\t2" in everything and "more documents" not in everything


def test_a_term_error_names_file_and_line(new_db_target, tmp_path):
    source = tmp_path / "terms.csv"
    source.write_text('ja,en\n政府,government\n"改行\nあり",newline\n', encoding="utf-8")
    out = run(new_db_target("g"), "term", "import", source, status=1)
    assert out.startswith(f"Error: {source}: line 4: a term is one line ('改行\\nあり'")


def test_standard_input_as_dash(seeded):
    out = run(seeded, "tm", "import", "-", input="ja\ten\n新しい文です。\tA new sentence.\n")
    assert out == "<stdin>: 1 units added, 0 already present\n"
    tmx = (
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="ja" creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>'
        '<body><tu><tuv xml:lang="ja"><seg>古い文です。</seg></tuv>'
        '<tuv xml:lang="en"><seg>An old sentence.</seg></tuv></tu></body></tmx>'
    )
    assert "1 units added" in run(seeded, "tm", "import", "-", input=tmx)
    assert "100.00" in run(seeded, "match", "--file", "-", input="新しい文です。\n")
    assert "国際戦略局" in run(seeded, "term", "find", "--file", "-", input="國際戰略局の話\n")
    assert "total\t2\t" in run(seeded, "analyze", "-", input="新しい文です。古い文です。\n")
    assert run(seeded, "segment", "-", input="第一文。第二文。\n") == "第一文。\n第二文。\n"
    bad = run(seeded, "tm", "import", "-", input="just one column\n", status=1)
    assert bad.startswith("Error: <stdin>: line 1:")


def test_one_name_per_option(new_db_target, tmp_path):
    assert "--document, --doc" in run(new_db_target("g"), "align", "-h")
    for command in (["match"], ["term", "lookup"]):
        assert "--min-score, --min" in run(new_db_target("g"), *command, "-h")


@pytest.mark.parametrize("as_json", [True, False])
def test_progress_bar_only_on_a_terminal_and_never_with_json(monkeypatch, as_json):
    import sys

    import click
    import rich.progress

    from taiyaku.cli.output import progress_bar

    made = []

    class Recorder(rich.progress.Progress):
        def __init__(self, *args, **kwargs):
            made.append(True)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(rich.progress, "Progress", Recorder)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    context = click.Context(click.Command("x"))
    context.params = {"as_json": as_json}
    with context, progress_bar("Working", 3) as advance:
        advance(3)
    assert made == ([] if as_json else [True])


def test_exports_to_standard_output_as_dash(seeded, tmp_path):
    tsv = CliRunner().invoke(cli, ["--db", str(seeded), "tm", "export", "-"])
    assert tsv.exit_code == 0, tsv.output
    lines = tsv.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["source", "target"]
    assert sum("Sentence 7." in line for line in lines) == 1
    assert len(lines) == 31  # a header and the 30 units, nothing else on stdout
    assert tsv.stderr == "<stdout>: 30 units exported\n"
    assert not (tmp_path / "-").exists()  # the folder of the SQLite file and the current one

    tmx = CliRunner().invoke(cli, ["--db", str(seeded), "tm", "export", "-", "--format", "tmx"])
    assert tmx.exit_code == 0, tmx.output
    assert (
        tmx.stdout.startswith("<?xml") and tmx.stdout.count("<tu>") + tmx.stdout.count("<tu ") == 30
    )

    terms = CliRunner().invoke(cli, ["--db", str(seeded), "term", "export", "-"])
    assert terms.exit_code == 0, terms.output
    assert "国際戦略局\tGlobal Strategy Bureau" in terms.stdout
    assert terms.stderr == "<stdout>: 1 terms exported\n"
    tbx = CliRunner().invoke(cli, ["--db", str(seeded), "term", "export", "-", "--format", "tbx"])
    assert "<term>国際戦略局</term>" in tbx.stdout

    wrong = CliRunner().invoke(
        cli, ["--db", str(seeded), "tm", "export", "out.tmx", "--format", "tsv"]
    )
    assert wrong.exit_code == 2 and "--format is for FILE `-`" in wrong.output
