"""Every spreadsheet taiyaku writes reads and prints well: layout, heights, analysis report."""

from __future__ import annotations

import zipfile

from click.testing import CliRunner
from openpyxl import load_workbook

from taiyaku.cli import cli


def run(db, *args):
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


LONG_NOTE = "長い注記です。" * 30


def assert_prints_well(sheet, header_row=1):
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.auto_filter.ref.startswith(f"A{header_row}:")


def test_glossary_workbook_prints_well_with_tall_rows(new_db_target, tmp_path):
    db = new_db_target("g")
    run(db, "term", "add", "政府", "government", "--note", LONG_NOTE)
    run(db, "term", "add", "国", "country")
    run(db, "term", "export", tmp_path / "g.xlsx")
    sheet = load_workbook(tmp_path / "g.xlsx")["Glossary"]
    assert_prints_well(sheet)
    rows = {sheet.cell(r, 1).value: r for r in (2, 3)}
    # 210 wide characters in a 40-wide column: many lines, and the row is that tall.
    assert sheet.row_dimensions[rows["政府"]].height >= 15 * 10
    assert sheet.row_dimensions[rows["国"]].height is None
    assert sheet.cell(rows["政府"], 3).alignment.wrap_text


def test_review_sheet_prints_well(new_db_target, tmp_path):
    (tmp_path / "ja.txt").write_text(
        "国際戦略局の組織です。\n" + "長い" * 60 + "文です。\n", "utf-8"
    )
    (tmp_path / "en.txt").write_text(
        "This is the organisation of the bureau.\n" + "A long " * 40 + "sentence.\n", "utf-8"
    )
    run(
        new_db_target("a"),
        "align",
        tmp_path / "ja.txt",
        tmp_path / "en.txt",
        "--review",
        tmp_path / "r.xlsx",
    )
    sheet = load_workbook(tmp_path / "r.xlsx")["Alignment"]
    assert_prints_well(sheet)
    assert sheet.row_dimensions[3].height > 15


def test_analysis_workbook_has_header_block_shares_and_a_chart(new_db_target, tmp_path, backend):
    db = new_db_target("t")
    (tmp_path / "tm.tsv").write_text(
        "ja\ten\n国際戦略局の組織です。\tThe bureau's organisation.\n", encoding="utf-8"
    )
    run(db, "tm", "import", tmp_path / "tm.tsv")
    (tmp_path / "new.txt").write_text(
        "国際戦略局の組織です。全く新しい文章がここにあります。\n", encoding="utf-8"
    )
    run(db, "analyze", tmp_path / "new.txt", "--xlsx", tmp_path / "a.xlsx")
    book = load_workbook(tmp_path / "a.xlsx")
    sheet = book["Analysis"]
    block = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(2, 7)}
    assert block["Document"] == "new.txt"
    assert block["Database"] == ("t.db" if backend == "sqlite" else db)  # the URL, no password
    assert block["Metric"].startswith("levenshtein-normalized-similarity")
    assert block["Language"] == "ja (size in characters)"
    header = [sheet.cell(8, c).value for c in range(1, 6)]
    assert header == ["Band", "Segments", "% segments", "Characters", "% characters"]
    bands = {sheet.cell(r, 1).value: r for r in range(9, 17)}
    assert sheet.cell(bands["100%"], 3).value == 0.5
    assert sheet.cell(bands["100%"], 3).number_format == "0.0%"
    assert sheet.cell(bands["total"], 5).value == 1.0
    assert_prints_well(sheet, header_row=8)
    assert_prints_well(book["Segments"])
    charts = [n for n in zipfile.ZipFile(tmp_path / "a.xlsx").namelist() if "charts/chart" in n]
    assert len(charts) == 1
    chart = zipfile.ZipFile(tmp_path / "a.xlsx").read(charts[0]).decode()
    assert "<barChart>" in chart and "'Analysis'!$D$9:$D$15" in chart
