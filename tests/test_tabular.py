"""TSV, CSV and XLSX exchange of units and terms: round trips, headers, injection guard."""

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taiyaku import FormatError, Term, Unit, read_terms, read_units, write_terms, write_units
from taiyaku.formats.cells import guard_cell, unescape_xlsx, unguard_cell

TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30).filter(str.strip)
# A term is one line (a line break in a term is an error naming its place); notes may have many.
TERM = TEXT.filter(lambda s: "\n" not in s and "\r" not in s)


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_formula_guard_round_trips_every_string(text):
    guarded = guard_cell(text)
    assert unguard_cell(guarded) == text
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".xlsx"])
@settings(
    max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(sources=st.lists(TEXT, min_size=1, max_size=4, unique=True))
def test_units_round_trip(tmp_path_factory, suffix, sources):
    units = [
        Unit(
            s,
            "→" + s,
            origin="aligned",
            document="doc",
            position=i,
            confidence=0.5,
            bead="1-1",
            created="2024-01-01T00:00:00Z",
            changed="2024-01-02T00:00:00Z",
            metadata={"k": s},
        )
        for i, s in enumerate(sources)
    ]
    path = tmp_path_factory.mktemp("units") / f"units{suffix}"
    assert write_units(path, units) == len(units)
    assert list(read_units(path)) == units


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".xlsx"])
@settings(
    max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(pairs=st.lists(st.tuples(TERM, TERM), min_size=1, max_size=4, unique=True))
def test_terms_round_trip(tmp_path_factory, suffix, pairs):
    # Term fields are stripped on import: a glossary cell's outer spaces are not content.
    terms = [
        Term(
            ja.strip(),
            en.strip(),
            note=ja,
            domain="d",
            pos="noun",
            status="admitted",
            source="test",
            created="2024-01-01T00:00:00Z",
            changed="2024-01-01T00:00:00Z",
        )
        for ja, en in pairs
    ]
    terms = [Term(**{**t.__dict__, "note": t.note.strip()}) for t in terms]
    path = tmp_path_factory.mktemp("terms") / f"terms{suffix}"
    write_terms(path, terms)
    assert list(read_terms(path)) == terms


def test_language_columns_and_detection(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("ja\ten\n国際戦略局\tGlobal Strategy Bureau\n", encoding="utf-8")
    (unit,) = read_units(path)
    assert (unit.source_lang, unit.target_lang, unit.source_text) == ("ja", "en", "国際戦略局")
    path.write_text("source\ttarget\nGlobal Strategy Bureau\t国際戦略局\n", encoding="utf-8")
    (unit,) = read_units(path)
    assert (unit.source_lang, unit.target_lang) == ("en", "ja")


def test_shift_jis_csv_with_japanese_headers(tmp_path):
    path = tmp_path / "glossary.csv"
    path.write_bytes(
        "日本語,英語,備考\n総務省,Ministry of Internal Affairs and Communications,略称MIC\n".encode(
            "cp932"
        )
    )
    (term,) = read_terms(path)
    assert (term.ja, term.note) == ("総務省", "略称MIC")


@pytest.mark.parametrize(
    ("content", "message", "where"),
    [
        (
            "ja\ten\tcolour\n政府\tgovernment\tred\n",
            "unknown or repeated column(s) 'colour'",
            "header",
        ),
        ("ja\tnote\n政府\tx\n", "no en column", "header"),
        ("ja\ten\n政府\t\n", "needs both", "line 2"),
        ("ja\ten\tstatus\n政府\tgovernment\tbanned\n", "status 'banned'", "line 2"),
    ],
)
def test_bad_glossary_tables(tmp_path, content, message, where):
    path = tmp_path / "g.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        list(read_terms(path))
    assert message in str(caught.value) and where in str(caught.value)


def test_undecodable_bytes_name_the_offset(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_bytes(b"ja\ten\n" + b"\xff\xfe\xfd\x80\x81" * 3)
    with pytest.raises(FormatError, match=r"byte 6"):
        list(read_terms(path))


def test_xlsx_hyperlink_term_is_text_not_formula(tmp_path):
    path = tmp_path / "g.xlsx"
    evil = '=HYPERLINK("http://example.invalid","click")'
    write_terms(path, [Term(evil, "link")])
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet
    (term,) = read_terms(path)
    assert term.ja == evil


def test_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("ja,en\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not a zip"):
        list(read_terms(path))


def test_unknown_extension(tmp_path):
    path = tmp_path / "memory.docx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(FormatError, match="cannot tell the TM format"):
        read_units(path)


def test_xlsx_formula_like_cells_show_as_typed(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "g.xlsx"
    write_terms(path, [Term("-化", "-ization"), Term("政府", "government")])
    sheet = load_workbook(path).worksheets[0]
    suffix, plain = sheet["A2"], sheet["A3"]
    assert (suffix.value, suffix.data_type, suffix.quotePrefix) == ("-化", "s", True)
    assert (plain.value, plain.quotePrefix) == ("政府", False)


def test_review_and_analysis_sheets_keep_document_text_as_text(tmp_path, db):
    from openpyxl import load_workbook

    from taiyaku.align import align_texts
    from taiyaku.align.review import write_review
    from taiyaku.match.analyze import analyze_text, write_analysis_xlsx

    evil, control = "=1+1の結果", "制御\x01文字"
    review = tmp_path / "review.xlsx"
    write_review(
        review, align_texts(f"{evil}\n\n{control}\n", "=1+1 result\n\nA control character\n")
    )
    sheet = load_workbook(review)["Alignment"]
    assert (sheet["D2"].value, sheet["D2"].data_type, sheet["D2"].quotePrefix) == (evil, "s", True)
    assert unescape_xlsx(sheet["D3"].value) == control and sheet["A2"].value == 1
    report = tmp_path / "report.xlsx"
    write_analysis_xlsx(analyze_text(db, f"{evil}。\n"), report)
    cell = load_workbook(report)["Segments"]["A2"]
    assert (cell.value, cell.data_type) == (f"{evil}。", "s")
    assert "<f>" not in zipfile.ZipFile(report).read("xl/worksheets/sheet2.xml").decode()
