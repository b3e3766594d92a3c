"""Analysis: segments and size by match band, repetitions counted once."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from taiyaku import TranslationMemory, Unit
from taiyaku.match.analyze import analyze_text, band_of


def test_band_edges():
    assert [band_of(s) for s in (100, 99.99, 95, 94.99, 85, 75, 74.9, 50, 49.9, 0)] == [
        "100%",
        "95-99%",
        "95-99%",
        "85-94%",
        "85-94%",
        "75-84%",
        "50-74%",
        "50-74%",
        "no match",
        "no match",
    ]


def test_analysis_counts_bands_and_repetitions(db):
    TranslationMemory(db).add_many(
        [
            Unit("国際戦略局は総務省の内部部局である。", "The bureau is part of MIC."),
            Unit("情報通信分野の国際政策を担当する。", "It handles international ICT policy."),
        ]
    )
    text = (
        "国際戦略局は総務省の内部部局である。\n"
        "情報通信分野の国際政策を担当している。\n"
        "まったく新しい文です。\n"
        "国際戦略局は総務省の内部部局である。\n"
    )
    analysis = analyze_text(db, text, lang="ja")
    rows = {b.name: (b.segments, b.size) for b in analysis.bands}
    assert rows["100%"] == (1, 18)
    assert rows["repetitions"] == (1, 18)
    assert rows["no match"] == (1, 11)
    assert sum(s for s, _ in rows.values()) == 4
    assert analysis.total.segments == 4 and analysis.unit == "characters"


def test_cli_analyze_json_and_xlsx(new_db_target, runner, tmp_path):
    from taiyaku.cli import cli

    db = str(new_db_target("t"))
    tmx = tmp_path / "m.tsv"
    tmx.write_text("ja\ten\n国際戦略局の組織\tOrganisation of the bureau\n", encoding="utf-8")
    assert runner.invoke(cli, ["--db", db, "tm", "import", str(tmx)]).exit_code == 0
    doc = tmp_path / "new.txt"
    doc.write_text("国際戦略局の組織。\n新しい文。\n", encoding="utf-8")
    out = tmp_path / "report.xlsx"
    result = runner.invoke(cli, ["--db", db, "analyze", str(doc), "--json", "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["lang"] == "ja" and report["bands"][-1]["band"] == "total"
    assert report["bands"][-1]["segments"] == 2
    sheet = load_workbook(out)["Analysis"]
    # A header block of 6 rows and a blank one, then the band table: 7 bands and the total.
    assert sheet["A8"].value == "Band" and sheet["A16"].value == "total"
