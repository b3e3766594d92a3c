"""Nothing a user gives is silently changed: TSV is not CSV, round trips through the CLI."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from taiyaku.cli import cli
from taiyaku.formats.delimited import escape_tsv, unescape_tsv
from tests.conftest import query_rows

# Arbitrary Unicode, and the characters that broke imports: quotes, tabs, line breaks,
# backslashes, a leading "=", a BOM, U+2028.
AWKWARD = st.sampled_from(['"', "'", "\t", "\n", "\r", "\\", "\\n", "=", "\ufeff", "\u2028", ","])
TEXT = (
    st.lists(st.one_of(AWKWARD, st.text(st.characters(exclude_categories=["Cs"]), max_size=5)))
    .map("".join)
    .filter(str.strip)
)
# Arbitrary text is not recognisably Japanese: say which side is which, as a user would.
JA_EN = ("--src-lang", "ja", "--tgt-lang", "en")
FAST = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def invoke(runner, db, *args):
    result = runner.invoke(cli, ["--db", str(db), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def stored_units(db):
    return query_rows(
        db, "SELECT source_text, target_text, source_lang, target_lang FROM units ORDER BY id"
    )


def stored_terms(db):
    return query_rows(db, "SELECT ja, en, note, domain, pos, status, source FROM terms ORDER BY id")


def test_tsv_quotes_are_text(new_db_target, runner, tmp_path):
    source = tmp_path / "q.tsv"
    source.write_text('ja\ten\n"はい"と彼は言った。\t"Yes," he said.\n', encoding="utf-8")
    invoke(runner, new_db_target("t"), "tm", "import", source)
    assert stored_units(new_db_target("t")) == [
        ('"はい"と彼は言った。', '"Yes," he said.', "ja", "en")
    ]


def test_tsv_open_quote_does_not_swallow_following_lines(new_db_target, runner, tmp_path):
    # The Kyoto shape: a line that opens a quote it never closes.
    source = tmp_path / "k.tsv"
    source.write_text(
        'ja\ten\tdocument\n「源氏物語\t"The Tale of Genji\tKYT1\n二行目\tLine two\tKYT1\n',
        encoding="utf-8",
    )
    invoke(runner, new_db_target("t"), "tm", "import", source)
    assert stored_units(new_db_target("t")) == [
        ("「源氏物語", '"The Tale of Genji', "ja", "en"),
        ("二行目", "Line two", "ja", "en"),
    ]


def test_tsv_escapes_are_read(new_db_target, runner, tmp_path):
    source = tmp_path / "e.tsv"
    source.write_text("ja\ten\n一行目\\n二行目\tC:\\temp\\\\x and C:\\data\n", encoding="utf-8")
    invoke(runner, new_db_target("t"), "tm", "import", source)
    assert stored_units(new_db_target("t")) == [
        ("一行目\n二行目", "C:\temp\\x and C:\\data", "ja", "en")
    ]


def test_tsv_export_is_verbatim_for_other_tools(new_db_target, runner, tmp_path):
    db = new_db_target("t")
    source = tmp_path / "s.csv"
    source.write_text('ja,en\n"=SUM(A1)","a\tb ""c"""\n', encoding="utf-8")
    invoke(runner, db, "tm", "import", source, *JA_EN)
    invoke(runner, db, "tm", "export", tmp_path / "out.tsv")
    lines = (tmp_path / "out.tsv").read_text(encoding="utf-8").split("\n")
    assert lines[1].split("\t")[:2] == ["=SUM(A1)", 'a\\tb "c"']


@given(text=TEXT)
def test_tsv_escape_round_trips(text):
    escaped = escape_tsv(text)
    assert unescape_tsv(escaped) == text
    assert not any(c in escaped for c in "\t\n\r")


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
@FAST
@given(pairs=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=3, unique=True))
def test_tm_round_trip_through_the_cli(
    runner, new_db_target, backend, tmp_path_factory, suffix, pairs
):
    # PostgreSQL's text cannot hold U+0000 (test_pg_backend: the import names the file and the unit).
    assume(backend == "sqlite" or not any("\0" in s + t for s, t in pairs))
    work = tmp_path_factory.mktemp("tm")
    seed, a, b = (new_db_target(n, empty=True) for n in ("seed", "a", "b"))
    first = work / f"x{suffix}"
    if suffix == ".tsv":
        lines = ["ja\ten", *(f"{escape_tsv(s)}\t{escape_tsv(t)}" for s, t in pairs)]
        first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        # Written by the library's CSV writer from a TSV import: an RFC 4180 file.
        invoke(runner, seed, "tm", "import", _tsv(work, pairs), *JA_EN)
        invoke(runner, seed, "tm", "export", first)
    invoke(runner, a, "tm", "import", first, *JA_EN)
    assert [u[:2] for u in stored_units(a)] == pairs
    invoke(runner, a, "tm", "export", work / f"y{suffix}")
    invoke(runner, b, "tm", "import", work / f"y{suffix}", *JA_EN)
    assert stored_units(b) == stored_units(a)


def _tsv(work, pairs):
    path = work / "seed.tsv"
    lines = ["ja\ten", *(f"{escape_tsv(s)}\t{escape_tsv(t)}" for s, t in pairs)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ONE_LINE = TEXT.map(lambda s: s.replace("\n", " ").replace("\r", " ").strip()).filter(bool)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
@FAST
@given(rows=st.lists(st.tuples(ONE_LINE, ONE_LINE, TEXT), min_size=1, max_size=3))
def test_glossary_round_trip_through_the_cli(
    runner, new_db_target, backend, tmp_path_factory, suffix, rows
):
    assume(backend == "sqlite" or not any("\0" in "".join(row) for row in rows))
    work = tmp_path_factory.mktemp("terms")
    a, b = (new_db_target(n, empty=True) for n in ("a", "b"))
    rows = list({(ja, en): (ja, en, note.strip()) for ja, en, note in rows}.values())
    for ja, en, note in rows:
        # "--" first: a term may start with "-" ("-0"), which click would take for an option.
        invoke(runner, a, "term", "add", f"--note={note}", "--", ja, en)
    invoke(runner, a, "term", "export", work / f"g{suffix}")
    invoke(runner, b, "term", "import", work / f"g{suffix}", *JA_EN)
    assert sorted(stored_terms(b)) == sorted(stored_terms(a))
    assert sorted(t[:3] for t in stored_terms(b)) == sorted(rows)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_fewer_columns_leave_stored_fields_alone(new_db_target, runner, tmp_path):
    db = new_db_target("g")
    full = write(
        tmp_path / "full.csv", "ja,en,note,source,status\n政府,government,公式,白書,admitted\n"
    )
    short = write(tmp_path / "short.csv", "ja,en\n政府,government\n")
    invoke(runner, db, "term", "import", full)
    assert "the glossary already matches" in invoke(runner, db, "term", "import", short, "--update")
    assert "0 updated, 1 unchanged" in invoke(runner, db, "term", "import", short)
    assert stored_terms(db) == [("政府", "government", "公式", "", "", "admitted", "白書")]


def test_empty_cell_clears_only_with_the_flag(new_db_target, runner, tmp_path):
    db = new_db_target("g")
    invoke(
        runner,
        db,
        "term",
        "import",
        write(tmp_path / "a.csv", "ja,en,note\n政府,government,公式\n"),
    )
    blank = write(tmp_path / "blank.csv", "ja,en,note,status\n政府,government,,\n")
    assert "0 updated, 1 unchanged" in invoke(runner, db, "term", "import", blank)
    shown = invoke(runner, db, "term", "import", blank, "--update", "--clear-empty")
    assert shown.splitlines()[0] == "~ 政府 → government: note: '公式' → ''"
    invoke(runner, db, "term", "import", blank, "--clear-empty")
    assert stored_terms(db) == [("政府", "government", "", "", "", "preferred", "")]


def test_update_shows_exactly_the_changed_columns(new_db_target, runner, tmp_path):
    db = new_db_target("g")
    invoke(
        runner,
        db,
        "term",
        "import",
        write(tmp_path / "a.csv", "ja,en,note,pos\n政府,government,公式,noun\n"),
    )
    edited = write(tmp_path / "e.csv", "ja,en,pos\n政府,government,proper noun\n")
    shown = invoke(runner, db, "term", "import", edited, "--update", "--yes")
    assert shown.splitlines()[0] == "~ 政府 → government: pos: 'noun' → 'proper noun'"
    assert stored_terms(db) == [("政府", "government", "公式", "", "proper noun", "preferred", "")]


def test_term_add_changes_only_the_options_given(new_db_target, runner, tmp_path):
    db = new_db_target("g")
    invoke(runner, db, "term", "add", "政府", "government", "--note", "公式", "--pos", "noun")
    assert "(admitted)" in invoke(
        runner, db, "term", "add", "政府", "government", "--status", "admitted"
    )
    assert stored_terms(db) == [("政府", "government", "公式", "", "noun", "admitted", "")]


def test_import_source_and_domain_fill_what_the_file_leaves_empty(new_db_target, runner, tmp_path):
    db = new_db_target("g")
    table = write(tmp_path / "t.csv", "ja,en,source\n政府,government,\n総務省,MIC,白書\n")
    invoke(runner, db, "term", "import", table, "--source", "kyoto", "--domain", "law")
    assert sorted(stored_terms(db)) == [
        ("政府", "government", "", "law", "", "preferred", "kyoto"),
        ("総務省", "MIC", "", "law", "", "preferred", "白書"),
    ]


def test_headerless_tsv_like_tatoeba(new_db_target, runner, tmp_path):
    # The shape of manythings.org's jpn.txt (Tatoeba, CC BY 2.0 FR): English, Japanese,
    # and in newer exports an attribution.
    source = write(
        tmp_path / "jpn.txt",
        "No.\tいいえ。\n"
        "Hi.\tこんにちは。\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM)\n",
    )
    db = new_db_target("t")
    assert "2 units added" in invoke(runner, db, "tm", "import", source)
    assert stored_units(db) == [
        ("No.", "いいえ。", "en", "ja"),
        ("Hi.", "こんにちは。", "en", "ja"),
    ]
    ((metadata,),) = query_rows(db, "SELECT metadata FROM units WHERE id = 2")
    assert metadata == '{"attribution": "CC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM)"}'


def test_direction_and_provenance_options(new_db_target, runner, tmp_path):
    source = write(tmp_path / "en-first.tsv", "Hi.\tこんにちは。\nRun.\t走れ。\n")
    db = new_db_target("t")
    invoke(
        runner,
        db,
        "tm",
        "import",
        source,
        "--src-lang",
        "ja",
        "--tgt-lang",
        "en",
        "--document",
        "tatoeba",
        "--origin",
        "added",
    )
    assert stored_units(db) == [("こんにちは。", "Hi.", "ja", "en"), ("走れ。", "Run.", "ja", "en")]
    assert query_rows(db, "SELECT DISTINCT document, origin FROM units") == [("tatoeba", "added")]


def test_direction_by_text_per_unit(new_db_target, runner, tmp_path):
    mixed = write(tmp_path / "m.csv", "source,target\nHi.,こんにちは。\n走れ。,Run.\n")
    db = new_db_target("t")
    invoke(runner, db, "tm", "import", mixed, "--src-lang", "ja", "--tgt-lang", "en")
    assert stored_units(db) == [("こんにちは。", "Hi.", "ja", "en"), ("走れ。", "Run.", "ja", "en")]


def test_line_aligned_file_pair(new_db_target, runner, tmp_path):
    ja = write(tmp_path / "train.ja", "誰 ？\n走れ 。\n\n")
    en = write(tmp_path / "train.en", "who ?\nrun .\n\n")
    db = new_db_target("t")
    assert invoke(runner, db, "tm", "import", ja, en).endswith("2 units added, 0 already present\n")
    assert stored_units(db) == [("誰 ？", "who ?", "ja", "en"), ("走れ 。", "run .", "ja", "en")]
    short = write(tmp_path / "short.en", "who ?\n")
    result = runner.invoke(cli, ["--db", str(db), "tm", "import", str(ja), str(short)])
    assert result.exit_code == 1
    assert "3 lines, but" in result.output and "has 1" in result.output
