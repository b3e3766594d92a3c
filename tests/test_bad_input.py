"""Bad and hostile input: one clear error line, the right exit status, an unchanged database.

Each case runs the real command through click's CliRunner against a real database that
already holds data, and compares a hash of every table before and after.
"""

from __future__ import annotations

import gc
import io
import time
import zipfile
from pathlib import Path

import pytest

from taiyaku import Term, Unit, write_terms, write_units
from taiyaku.cli import cli
from tests.conftest import FIXTURES, query_rows, table_digest

GOOD_TMX = (FIXTURES / "omegat-shape.tmx").read_text(encoding="utf-8")
TMX_HEAD = '<?xml version="1.0"?>\n'
TU = '<tu><tuv xml:lang="en"><seg>{}</seg></tuv><tuv xml:lang="ja"><seg>訳</seg></tuv></tu>'
BODY = '<tmx version="1.4"><header srclang="en"/><body>{}</body></tmx>'


@pytest.fixture
def db(new_db_target, runner, tmp_path) -> Path:
    path = new_db_target("full")
    result = runner.invoke(
        cli, ["--db", str(path), "tm", "import", str(FIXTURES / "omegat-shape.tmx")]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", str(path), "term", "add", "政府", "government"])
    assert result.exit_code == 0, result.output
    return path


def fails_cleanly(runner, db: Path, args: list[str], bad: Path, *fragments: str, status: int = 1):
    before = table_digest(db)
    result = runner.invoke(cli, ["--db", str(db), *args, str(bad)])
    assert result.exit_code == status, result.output
    lines = result.output.strip().splitlines()
    if status == 2:  # click's usage errors lead with the usage line and a hint
        lines = [line for line in lines if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error:") and "Traceback" not in result.output
    if status == 1:
        assert lines[0].startswith(f"Error: {bad}"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert table_digest(db) == before
    return lines[0]


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


TMX_CASES = {
    "empty": ("", ["empty file"]),
    "truncated": (GOOD_TMX[: len(GOOD_TMX) // 2], ["invalid XML", "line", "column"]),
    "not xml": ("ja\ten\n政府\tgovernment\n", ["invalid XML", "line 1"]),
    "zip named tmx": (b"PK\x03\x04" + b"\x00" * 40, ["invalid XML", "line 1"]),
    "no srclang": (
        TMX_HEAD + '<tmx version="1.4"><header/><body/></tmx>',
        ["no srclang", "line 2"],
    ),
    "wrong root": (TMX_HEAD + "<martif type='TBX'/>", ["not a TMX file"]),
    "raw control byte": (TMX_HEAD + BODY.format(TU.format("a\x01b")), ["invalid XML", "line 2"]),
    "control char reference": (
        TMX_HEAD + BODY.format(TU.format("a&#1;b")),
        ["invalid XML", "line 2"],
    ),
    "undeclared entity": (TMX_HEAD + BODY.format(TU.format("&nbsp;")), ["invalid XML", "line 2"]),
    "tuv without language": (
        TMX_HEAD + BODY.format("<tu><tuv><seg>x</seg></tuv></tu>"),
        ["without a language", "line 2"],
    ),
    "bad encoding declaration": (
        '<?xml version="1.0" encoding="x-nonsense"?>' + BODY.format(""),
        ["invalid XML"],
    ),
    "undecodable bytes": (
        TMX_HEAD.encode()
        + BODY.format(TU.format("x")).encode().replace(b"x</seg>", b"\xff\xfe</seg>"),
        ["invalid XML", "line 2"],
    ),
    "deep nesting": (
        TMX_HEAD
        + "<tmx><header srclang='en'/><body>"
        + "<hi>" * 300_000
        + "</hi>" * 300_000
        + "</body></tmx>",
        ["invalid XML"],
    ),
}


@pytest.mark.parametrize("case", list(TMX_CASES))
def test_bad_tmx(runner, db, tmp_path, case):
    content, fragments = TMX_CASES[case]
    bad = write(tmp_path / "bad.tmx", content)
    fails_cleanly(runner, db, ["tm", "import"], bad, *fragments)


def test_xxe_reads_no_local_file(runner, db, tmp_path):
    secret = write(tmp_path / "secret.txt", "TOP-SECRET")
    bad = write(
        tmp_path / "xxe.tmx",
        TMX_HEAD
        + f'<!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>'
        + BODY.format(TU.format("&x;")),
    )
    line = fails_cleanly(runner, db, ["tm", "import"], bad, "declares XML entities", "DOCTYPE")
    assert "TOP-SECRET" not in line


def test_billion_laughs_is_refused(runner, db, tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    bad = write(
        tmp_path / "lol.tmx",
        TMX_HEAD + f"<!DOCTYPE tmx [{entities}]>" + BODY.format(TU.format("&lol9;")),
    )
    fails_cleanly(runner, db, ["tm", "import"], bad, "declares XML entities")


def test_network_dtd_is_not_fetched(runner, db, tmp_path):
    # A DTD on an address nothing listens on: fetching it would hang or fail; it must be ignored.
    good = (
        TMX_HEAD
        + '<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">'
        + BODY.format(TU.format("ok"))
    )
    path = write(tmp_path / "dtd.tmx", good)
    result = runner.invoke(cli, ["--db", str(db), "tm", "import", str(path)])
    assert result.exit_code == 0 and "1 units added" in result.output


@pytest.mark.slow
def test_fifty_megabyte_single_line_tmx_imports(runner, db, tmp_path):
    tus = "".join(TU.format(f"sentence {i} " + "x" * 420) for i in range(100_000))
    path = write(tmp_path / "oneline.tmx", TMX_HEAD.strip() + BODY.format(tus))
    assert path.stat().st_size > 50_000_000 and path.read_bytes().count(b"\n") == 0
    result = runner.invoke(cli, ["--db", str(db), "tm", "import", str(path)])
    assert result.exit_code == 0 and "100,000 units added" in result.output


TABLE_CASES = {
    "empty": ("", ["empty file"]),
    "header only blank": ("\n\n", ["no header line", "line 1"]),
    "unknown column": ("source\ttarget\tcolour\na\tb\tc\n", ["'colour'", "header"]),
    "missing column": ("source\nA\n", ["no target column", "header"]),
    "empty side": ("source\ttarget\nA\t\n", ["needs both", "line 2"]),
    "undecodable": (b"source\ttarget\n" + b"\x81\xff\xfe" * 5, ["cannot decode", "byte 14"]),
    "unclosed quote in csv": ('source,target\n"abc,def\n', ["line"]),
    "bad origin": ("source\ttarget\torigin\nA\tB\tstolen\n", ["origin 'stolen'", "line 2"]),
    "fifty megabyte line": (
        "source\ttarget\n" + "x" * 50_000_000 + "\tB\n",
        ["field larger", "line 2"],
    ),
}


@pytest.mark.parametrize("case", list(TABLE_CASES))
def test_bad_tm_table(runner, db, tmp_path, case):
    content, fragments = TABLE_CASES[case]
    bad = write(tmp_path / ("bad.csv" if "csv" in case else "bad.tsv"), content)
    fails_cleanly(runner, db, ["tm", "import"], bad, *fragments)


def test_unknown_encoding_option(runner, db, tmp_path):
    good = write(tmp_path / "ok.tsv", "source\ttarget\nA\tB\n")
    fails_cleanly(
        runner, db, ["tm", "import", "--encoding", "klingon"], good, "unknown encoding 'klingon'"
    )


def test_wrong_encoding_option_names_the_byte(runner, db, tmp_path):
    sjis = write(tmp_path / "sjis.tsv", "ja\ten\n政府\tgovernment\n".encode("cp932"))
    fails_cleanly(
        runner, db, ["term", "import", "--encoding", "utf-8"], sjis, "invalid utf-8", "byte 6"
    )


def test_tmx_content_in_a_tsv(runner, db, tmp_path):
    bad = write(tmp_path / "memory.tsv", GOOD_TMX)
    fails_cleanly(runner, db, ["tm", "import"], bad, "header")


def test_unknown_extension(runner, db, tmp_path):
    bad = write(tmp_path / "memory.docx", "x")
    fails_cleanly(runner, db, ["tm", "import"], bad, "cannot tell the TM format")


@pytest.mark.parametrize("command", [["tm", "import"], ["term", "import"]])
def test_directory_and_missing_path_are_usage_errors(runner, db, tmp_path, command):
    fails_cleanly(runner, db, command, tmp_path, "is a directory", status=2)
    fails_cleanly(runner, db, command, tmp_path / "missing.tsv", "does not exist", status=2)


def test_xlsx_that_is_not_a_zip(runner, db, tmp_path):
    bad = write(tmp_path / "g.xlsx", "ja,en\n政府,government\n")
    fails_cleanly(runner, db, ["term", "import"], bad, "not a zip archive")


def test_truncated_xlsx(runner, db, tmp_path):
    good = tmp_path / "good.xlsx"
    write_terms(good, [Term(f"語{i}", f"word {i}") for i in range(200)])
    bad = write(tmp_path / "cut.xlsx", good.read_bytes()[: good.stat().st_size // 2])
    fails_cleanly(runner, db, ["term", "import"], bad)


def test_xlsx_zip_bomb_is_refused(runner, db, tmp_path):
    bad = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * 1_000_000
            for _ in range(60):
                member.write(chunk)
    assert bad.stat().st_size < 1_000_000
    fails_cleanly(runner, db, ["term", "import"], bad, "zip bomb")


@pytest.mark.slow
def test_xlsx_with_a_million_empty_rows(runner, db, tmp_path):
    good = tmp_path / "good.xlsx"
    write_terms(good, [Term("政府", "government"), Term("国", "country")])
    with zipfile.ZipFile(good) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    empty = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t></t></is></c></row>'
        for n in range(4, 1_000_004)
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</sheetData>", empty + "</sheetData>"
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    bloated = write(tmp_path / "bloated.xlsx", buffer.getvalue())
    result = runner.invoke(cli, ["--db", str(db), "term", "import", str(bloated)])
    assert result.exit_code == 0, result.output
    assert "1 terms added, 0 updated, 1 unchanged" in result.output


def test_single_language_tu_warns_and_imports_the_rest(runner, db, tmp_path):
    path = write(
        tmp_path / "mixed.tmx",
        TMX_HEAD
        + BODY.format(
            '<tu tuid="lonely"><tuv xml:lang="en"><seg>alone</seg></tuv></tu>' + TU.format("paired")
        ),
    )
    result = runner.invoke(cli, ["--db", str(db), "tm", "import", str(path)])
    assert result.exit_code == 0
    assert "Warning:" in result.output and "tuid='lonely'" in result.output
    assert "1 units added, 0 already present, 1 skipped" in result.output


@pytest.mark.parametrize("command", ["tm", "term"])
def test_export_to_a_missing_folder_is_one_error(runner, db, tmp_path, backend, command):
    before = table_digest(db)
    out = tmp_path / "no" / f"out.{'tmx' if command == 'tm' else 'tbx'}"
    gc.disable()  # what the failed export left open stays open until this test looks
    try:
        result = runner.invoke(cli, ["--db", str(db), command, "export", str(out)])
        assert result.exit_code == 1 and result.output.startswith("Error:")
        assert "Traceback" not in result.output and table_digest(db) == before
        if backend == "postgres":
            # It began reading (a server-side cursor on a connection of its own) and
            # closed that read when the write failed, not whenever the garbage is collected.
            assert _connections_left(db) == 0
    finally:
        gc.enable()


def _connections_left(db: str) -> int:
    """The connections to PostgreSQL database ``db`` but this one's, once the server has
    let go of those closed (a closed connection's server process ends a moment later)."""
    others = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    for _ in range(100):
        ((count,),) = query_rows(db, others)
        if count == 0:
            break
        time.sleep(0.05)
    return count


def test_units_with_empty_sides_are_never_written(tmp_path):
    path = tmp_path / "ok.tmx"
    write_units(path, [Unit("一", "one")])
    assert "<seg>一</seg>" in path.read_text(encoding="utf-8")


def _half(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[: len(text) // 2]


GLOSSARY_CASES = {
    "empty tbx": ("g.tbx", "", ["empty file"]),
    "truncated tbx": (
        "g.tbx",
        _half(FIXTURES / "tbx-v3-dca.tbx"),
        ["invalid XML", "line", "column"],
    ),
    "not xml tbx": ("g.tbx", "ja\ten\n", ["invalid XML", "line 1, column 1"]),
    "xxe tbx": (
        "g.tbx",
        TMX_HEAD + '<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<martif><text><body><termEntry><langSet xml:lang='ja'><tig><term>&x;</term></tig>"
        "</langSet></termEntry></body></text></martif>",
        ["declares XML entities"],
    ),
    "control char tbx": (
        "g.tbx",
        TMX_HEAD + "<martif><text><body><termEntry><langSet xml:lang='ja'>"
        "<tig><term>a&#2;</term></tig></langSet></termEntry></body></text></martif>",
        ["invalid XML", "line 2"],
    ),
    "truncated jlt": (
        "g.xml",
        _half(FIXTURES / "jlt-legal-terms-slice.xml"),
        ["invalid XML"],
    ),
    "empty omegat": ("g.utf8", "", ["empty file"]),
    "one-column omegat": ("g.utf8", "政府\n", ["needs a source and a target", "line 1"]),
    "undecodable tsv": ("g.tsv", b"ja\ten\n\x82\xa0\xff\xff\tx\n", ["cannot decode", "byte"]),
    "empty xlsx": ("g.xlsx", b"", ["empty file"]),
}


@pytest.mark.parametrize("case", list(GLOSSARY_CASES))
def test_bad_glossary_file(runner, db, tmp_path, case):
    name, content, fragments = GLOSSARY_CASES[case]
    bad = write(tmp_path / name, content)
    fails_cleanly(runner, db, ["term", "import"], bad, *fragments)


SEED_EN = Path(__file__).resolve().parent.parent / "tm" / "mic-global-strategy-bureau.en.txt"
DOCUMENT_CASES = {
    "empty text": ("page.txt", "", ["empty file"]),
    "only white space": ("page.txt", " \n\u3000\n", ["no text"]),
    "html without text": ("page.html", "<html><script>var x;</script><p> </p></html>", ["no text"]),
    "undecodable": ("page.txt", b"\x82\xa0\xff\xfe\xfd", ["cannot decode", "byte 0"]),
    "binary": ("page.html", bytes(range(256)) * 4, ["cannot decode", "byte"]),
}


@pytest.mark.parametrize("case", list(DOCUMENT_CASES))
def test_bad_document_for_segment_and_align(runner, db, tmp_path, case):
    name, content, fragments = DOCUMENT_CASES[case]
    bad = write(tmp_path / name, content)
    fails_cleanly(runner, db, ["segment"], bad, *fragments)
    fails_cleanly(runner, db, ["align", str(SEED_EN)], bad, *fragments)
    fails_cleanly(runner, db, ["analyze"], bad, *fragments)
    fails_cleanly(runner, db, ["match", "--file"], bad, *fragments)


def test_wrong_encoding_for_a_document(runner, db, tmp_path):
    page = write(tmp_path / "page.txt", "国際戦略局の紹介です。".encode("cp932"))
    fails_cleanly(runner, db, ["segment", "--encoding", "utf-8"], page, "invalid utf-8", "byte 0")
    fails_cleanly(runner, db, ["segment", "--encoding", "nonsense"], page, "unknown encoding")


def test_two_documents_in_one_language(runner, db):
    fails_cleanly(runner, db, ["align", str(SEED_EN)], SEED_EN, "both read as English")


@pytest.mark.parametrize("command", [["segment"], ["align", str(SEED_EN)]])
def test_document_directory_and_missing_path(runner, db, tmp_path, command):
    fails_cleanly(runner, db, command, tmp_path, "is a directory", status=2)
    fails_cleanly(runner, db, command, tmp_path / "missing.txt", "does not exist", status=2)


def test_unwritable_review_sheet_stores_nothing(runner, db, tmp_path):
    source = SEED_EN.with_name("mic-global-strategy-bureau.ja.txt")
    before = table_digest(db)
    result = runner.invoke(
        cli,
        [
            "--db",
            str(db),
            "align",
            str(source),
            str(SEED_EN),
            "--review",
            str(tmp_path / "no" / "review.xlsx"),
        ],
    )
    assert result.exit_code == 1 and result.output.startswith("Error:")
    assert table_digest(db) == before


def test_fuzz_finding_undeclared_namespace_prefix_in_tbx(runner, db, tmp_path):
    # benchmarks/fuzz_readers.py found this: with a prefix's xmlns declaration gone, the TBX
    # reader crashed with lxml's "Invalid tag name 'min:subjectField'" instead of a clean error.
    dct = (FIXTURES / "tbx-v3-dct.tbx").read_text(encoding="utf-8")
    declaration = next(part for part in dct.split() if part.startswith("xmlns:min="))
    bad = write(tmp_path / "g.tbx", dct.replace(declaration, "", 1))
    fails_cleanly(runner, db, ["term", "import"], bad, "invalid XML", "Namespace prefix min")


@pytest.mark.parametrize(("command", "kind"), [("tm", "unit"), ("term", "entry")])
def test_nul_in_an_imported_file(runner, db, tmp_path, backend, command, kind):
    """A SQLite file stores U+0000 byte for byte; PostgreSQL text cannot hold it, so an
    import there stops at it with one error naming the file and the unit or entry."""
    bad = tmp_path / "nul.tsv"
    bad.write_text("ja\ten\n政府\tgovernment\n二\x00つ目\tsecond\n", encoding="utf-8")
    if backend == "postgres":
        fails_cleanly(
            runner,
            db,
            [command, "import"],
            bad,
            f"{bad}: {kind} 2: a NUL character (U+0000): a PostgreSQL database cannot store "
            "it (nothing of this file was stored)",
        )
        return
    result = runner.invoke(cli, ["--db", str(db), command, "import", str(bad)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.tsv"
    result = runner.invoke(cli, ["--db", str(db), command, "export", str(out)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t")[:2] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ["二\x00つ目", "second"] in rows
