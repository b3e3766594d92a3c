"""Nothing a user gives is silently changed: TSV is not CSV, round trips through the CLI."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taiyaku.cli import cli
from taiyaku.formats.delimited import escape_tsv, unescape_tsv

# Arbitrary Unicode, and the characters that broke imports: quotes, tabs, line breaks,
# backslashes, a leading "=", a BOM, U+2028.
AWKWARD = st.sampled_from(['"', "'", "\t", "\n", "\r", "\\", "\\n", "=", "\ufeff", "\u2028", ","])
TEXT = (
    st.lists(st.one_of(AWKWARD, st.text(st.characters(exclude_categories=["Cs"]), max_size=5)))
    .map("".join)
    .filter(str.strip)
)
FAST = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def invoke(runner, db, *args):
    result = runner.invoke(cli, ["--db", str(db), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def stored_units(db):
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT source_text, target_text, source_lang, target_lang FROM units ORDER BY id"
        ).fetchall()


def stored_terms(db):
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT ja, en, note, domain, pos, status, source FROM terms ORDER BY id"
        ).fetchall()


def test_tsv_quotes_are_text(runner, tmp_path):
    source = tmp_path / "q.tsv"
    source.write_text('ja\ten\n"はい"と彼は言った。\t"Yes," he said.\n', encoding="utf-8")
    invoke(runner, tmp_path / "t.db", "tm", "import", source)
    assert stored_units(tmp_path / "t.db") == [
        ('"はい"と彼は言った。', '"Yes," he said.', "ja", "en")
    ]


def test_tsv_open_quote_does_not_swallow_following_lines(runner, tmp_path):
    # The Kyoto shape: a line that opens a quote it never closes.
    source = tmp_path / "k.tsv"
    source.write_text(
        'ja\ten\tdocument\n「源氏物語\t"The Tale of Genji\tKYT1\n二行目\tLine two\tKYT1\n',
        encoding="utf-8",
    )
    invoke(runner, tmp_path / "t.db", "tm", "import", source)
    assert stored_units(tmp_path / "t.db") == [
        ("「源氏物語", '"The Tale of Genji', "ja", "en"),
        ("二行目", "Line two", "ja", "en"),
    ]


def test_tsv_escapes_are_read(runner, tmp_path):
    source = tmp_path / "e.tsv"
    source.write_text("ja\ten\n一行目\\n二行目\tC:\\temp\\\\x and C:\\data\n", encoding="utf-8")
    invoke(runner, tmp_path / "t.db", "tm", "import", source)
    assert stored_units(tmp_path / "t.db") == [
        ("一行目\n二行目", "C:\temp\\x and C:\\data", "ja", "en")
    ]


def test_tsv_export_is_verbatim_for_other_tools(runner, tmp_path):
    db = tmp_path / "t.db"
    source = tmp_path / "s.csv"
    source.write_text('ja,en\n"=SUM(A1)","a\tb ""c"""\n', encoding="utf-8")
    invoke(runner, db, "tm", "import", source)
    invoke(runner, db, "tm", "export", tmp_path / "out.tsv")
    lines = (tmp_path / "out.tsv").read_text(encoding="utf-8").split("\n")
    assert lines[1].split("\t")[:2] == ["=SUM(A1)", 'a\\tb "c"']


@given(text=TEXT)
def test_tsv_escape_round_trips(text):
    escaped = escape_tsv(text)
    assert unescape_tsv(escaped) == text
    assert not any(c in escaped for c in "\t\n\r")


@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
@FAST
@given(pairs=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=3, unique=True))
def test_tm_round_trip_through_the_cli(runner, tmp_path_factory, suffix, pairs):
    work = tmp_path_factory.mktemp("tm")
    first = work / f"x{suffix}"
    if suffix == ".tsv":
        lines = ["ja\ten", *(f"{escape_tsv(s)}\t{escape_tsv(t)}" for s, t in pairs)]
        first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        # Written by the library's CSV writer from a TSV import: an RFC 4180 file.
        invoke(runner, work / "seed.db", "tm", "import", _tsv(work, pairs))
        invoke(runner, work / "seed.db", "tm", "export", first)
    invoke(runner, work / "a.db", "tm", "import", first)
    assert [u[:2] for u in stored_units(work / "a.db")] == pairs
    invoke(runner, work / "a.db", "tm", "export", work / f"y{suffix}")
    invoke(runner, work / "b.db", "tm", "import", work / f"y{suffix}")
    assert stored_units(work / "b.db") == stored_units(work / "a.db")


def _tsv(work, pairs):
    path = work / "seed.tsv"
    lines = ["ja\ten", *(f"{escape_tsv(s)}\t{escape_tsv(t)}" for s, t in pairs)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ONE_LINE = TEXT.map(lambda s: s.replace("\n", " ").replace("\r", " ").strip()).filter(bool)


@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
@FAST
@given(rows=st.lists(st.tuples(ONE_LINE, ONE_LINE, TEXT), min_size=1, max_size=3))
def test_glossary_round_trip_through_the_cli(runner, tmp_path_factory, suffix, rows):
    work = tmp_path_factory.mktemp("terms")
    rows = list({(ja, en): (ja, en, note.strip()) for ja, en, note in rows}.values())
    for ja, en, note in rows:
        invoke(runner, work / "a.db", "term", "add", ja, en, "--note", note)
    invoke(runner, work / "a.db", "term", "export", work / f"g{suffix}")
    invoke(runner, work / "b.db", "term", "import", work / f"g{suffix}")
    assert sorted(stored_terms(work / "b.db")) == sorted(stored_terms(work / "a.db"))
    assert sorted(t[:3] for t in stored_terms(work / "b.db")) == sorted(rows)
