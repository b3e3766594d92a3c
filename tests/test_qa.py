"""QA checks: each with a real-looking hit and a near-miss that must not be flagged; the
``taiyaku check`` command over files and the TM, its JSON and its workbook."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from taiyaku.cli import cli
from taiyaku.formats import read_units
from taiyaku.glossary import Glossary
from taiyaku.models import Term, Unit
from taiyaku.qa import Located, check_units
from tests.conftest import FIXTURES, ROOT, table_names

SEED_GLOSSARY = ROOT / "glossary" / "mic-global-strategy-bureau.tsv"


def run_checks(pairs, glossary=None, **kwargs):
    items = [
        Located(f"line {n}", p if isinstance(p, Unit) else Unit(p[0], p[1]))
        for n, p in enumerate(pairs, start=2)
    ]
    return check_units(items, glossary=glossary, **kwargs)


def rules(findings, check=None):
    return [f.rule for f in findings if check is None or f.check == check]


@pytest.fixture
def glossary(db):
    g = Glossary(db)
    g.add_many(
        [
            Term("国際戦略局", "Global Strategy Bureau"),
            Term("研究開発", "research and development (R&D)"),
            Term("総務省", "Ministry of Internal Affairs and Communications"),
            Term("総務省", "MIC", status="admitted"),
            Term("総務省", "Ministry of Home Affairs", status="forbidden"),
            Term("業", "industry"),
        ]
    )
    return g


# terminology


def test_terminology_missing_rendering(glossary):
    found = run_checks(
        [("国際戦略局の紹介", "Introduction of the International Strategy Bureau")], glossary
    )
    assert rules(found) == ["missing-term"]
    f = found[0]
    assert (f.where, f.severity, f.source_spans) == ("line 2", "warning", ((0, 5),))
    assert f.message == "国際戦略局 → Global Strategy Bureau not in the target"


def test_terminology_forgives_case_plural_and_abbreviation(glossary):
    found = run_checks(
        [
            ("国際戦略局の紹介", "About the global strategy bureaus"),
            ("総務省の研究開発", "R&D at MIC"),
            ("研究開発の推進", "Promoting research and development"),
        ],
        glossary,
    )
    assert rules(found, "terminology") == []


def test_terminology_forbidden_rendering_suggests_the_preferred(glossary):
    found = run_checks([("総務省の政策", "Policies of the Ministry of Home Affairs")], glossary)
    assert rules(found, "terminology") == ["forbidden-term"]
    f = found[0]
    assert f.severity == "error"
    assert "use Ministry of Internal Affairs and Communications or MIC" in f.message
    assert f.target_spans == ((16, 40),)


def test_terminology_term_inside_a_longer_word_is_not_checked(glossary):
    # 業 is a glossary term, but in 営業時間 it is part of another word.
    assert rules(run_checks([("営業時間は9時から", "Opening hours: from 9")], glossary)) == []


def test_terminology_hiragana_terms_are_not_checked(glossary):
    glossary.add(Term("して", "Shite (main actor)"))
    assert rules(run_checks([("対立していた", "was confronted")], glossary)) == []


# numbers


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("令和5年7月に策定した", "formulated in July 2023"),
        ("総額2,000万円を要した", "cost 20 million yen in all"),
        ("１２件の案件", "12 projects"),
        ("十五世紀の画家", "a painter of the 15th century"),
        ("3人の僧", "three monks"),
        ("1168年（仁安 (日本)3年）に出家", "He entered the priesthood in 1168."),
        ("新型コロナウイルス感染症の流行", "the COVID-19 pandemic"),
        ("予想より5割増の22万7千人に達した", "reached 227,000, 50% more than expected"),
        ("入館は17時まで", "The gate closes at 5:00 p.m."),
        ("61歳で仏像を彫り始めた", "He began carving statues in his sixty-first year."),
        ("1967（昭和42)年まで計5回。", "five times until 1967."),
        ("天長5年12月15日 (旧暦)に設立", "established on January 23, 829"),
        ("詩文140数首を抄録", "more than one hundred and forty poems"),
        ("第22代清寧天皇", "the twenty-second Emperor Seinei"),
        ("両書の間には13年間の空白がある", "There is a thirteen-year gap between the two."),
        ("水分を約75%から80%含む", "contains about 75 to 80 percent moisture"),
        # Before 1873 Japan's calendar was lunisolar: the English gives the Gregorian date.
        ("寛永4年（1627年）9月11日生まれ。", "He was born on October 19, 1627."),
    ],
)
def test_numbers_that_correspond(source, target):
    assert rules(run_checks([(source, target)]), "numbers") == []


def test_numbers_era_year_wrong():
    found = run_checks([("令和5年7月に策定した", "formulated in July 2022")])
    assert rules(found) == ["different-number"]
    assert found[0].message == "令和5 (2023) in the source, 2022 in the target"
    assert (found[0].source_spans, found[0].target_spans) == (((0, 3),), ((19, 23),))


def test_numbers_a_western_year_changed():
    found = run_checks([("これに増補したのが第三版（1846年）である。", "The third version (1848)")])
    assert [f.message for f in found] == ["1846 in the source, 1848 in the target"]


def test_numbers_missing_or_extra():
    found = run_checks(
        [("7月に32件の申請", "applications in July"), ("申請があった", "12 applications")]
    )
    assert [(f.rule, f.message) for f in found] == [
        ("missing-number", "not in the target: 32"),
        ("extra-number", "not in the source: 12"),
    ]


def test_numbers_scale_and_percent():
    found = run_checks([("約１億円の改修費", "a cost of about 1 million yen")])
    assert rules(found) == ["different-number"]
    found = run_checks([("普及率は50%に達した", "The rate reached 50 yen")])
    assert rules(found) == ["unit"]


# consistency


def test_consistency_same_source_two_translations():
    found = run_checks(
        [
            ("国際戦略局の紹介", "About the Global Strategy Bureau"),
            ("国際戦略局の紹介", "About the Global Strategy Bureau."),  # only punctuation
            ("国際戦略局の紹介", "Introducing the Global Strategy Bureau"),
            ("国際戦略局の紹介", "About Global Strategy Bureaus"),  # article and plural only
        ]
    )
    assert rules(found) == ["source-translated-differently"]
    assert found[0].where == "line 4"
    assert "line 2: About the Global Strategy Bureau" in found[0].message


def test_consistency_same_target_for_different_sources():
    found = run_checks(
        [
            ("国際戦略局の紹介", "About the Global Strategy Bureau"),
            ("情報流通行政局の組織", "About the Global Strategy Bureau"),  # a wrong reuse
            ("国際戦略局　の紹介", "About the Global Strategy Bureau"),  # width/space only
            ("国際戦略局の概要", "About the Global Strategy Bureau"),  # near alike: right
        ]
    )
    assert rules(found) == ["target-for-different-sources"]
    assert (found[0].where, found[0].severity) == ("line 3", "info")


# completeness


SEED_PAIRS = list(read_units(ROOT / "tm" / "mic-global-strategy-bureau.pairs.tsv"))


def test_completeness_hits():
    # The length model's ratio is the batch's: the seed page's pairs give a real one.
    found = run_checks(
        [
            *SEED_PAIRS,
            ("国際戦略局の紹介", " "),
            ("国際戦略局の紹介", "国際戦略局の紹介"),
            ("国際戦略局の紹介", "国際戦略局のしょうかい"),
            (
                "国際戦略局は、ICT分野の国際競争力の強化と国際的なルール形成を先導している。",
                "OK",
            ),
        ]
    )
    assert rules(found, "completeness") == [
        "empty-target",
        "untranslated",
        "wrong-language",
        "too-short",
    ]


def test_completeness_near_misses():
    found = run_checks(
        [
            *SEED_PAIRS,
            ("ICT", "ICT"),
            ("Beyond 5G(6G)", "Beyond 5G (6G)"),
            (
                "国際戦略局は、ICT分野の国際競争力の強化を図っている。",
                "The Global Strategy Bureau works to strengthen international competitiveness in ICT.",
            ),
        ]
    )
    assert rules(found, "completeness") == []


# form


def test_form_hits():
    found = run_checks(
        [
            ("「行政相談」制度", 'the "administrative counselling system'),
            ("{0}件の結果", "results"),
            ("国際戦略局", "Global  Strategy Bureau"),
            ("国際戦略局", "Global Strategy Bureau "),
            ("ICT（情報通信技術）", "ICT（information and communications technology）"),
            ("国際戦略局の紹介", "About the 国際戦略局"),
        ]
    )
    assert rules(found, "form") == [
        "unbalanced-brackets",
        "placeholders",
        "double-space",
        "end-space",
        "full-width",
        "japanese-in-english",
    ]
    placeholder = [f for f in found if f.check == "form"][1]
    assert (placeholder.message, placeholder.source_spans) == (
        "placeholders or tags differ: missing {0}",
        ((0, 3),),
    )


def test_form_near_misses():
    found = run_checks(
        [
            (
                "「行政相談」制度の（説明",
                "the administrative counselling system (explained",
            ),  # source unbalanced too
            ("{1}は{0}より多い", "{1} is more than {0}"),  # reordered
            ("国際戦略局  の紹介", "About  the bureau"),  # the source has them too
            ("ICT(情報通信技術)", "ICT (information and communications technology)"),
            ("開祖〈宗祖〉", "the founder <the founder of the sect>"),  # words in angle brackets
            ("聞信・宣布の拠点", "a base for missionary work (聞信・宣布)"),  # quoted: no width
        ]
    )
    assert rules(found, "form") == ["japanese-in-english"]
    assert found[-1].severity == "info"  # quoted on purpose, most often


def test_skip_and_unknown_check():
    pairs = [("令和5年7月に策定した", "formulated in July 2022")]
    assert run_checks(pairs, skip=["numbers"]) == []
    with pytest.raises(Exception, match="no such check: spelling"):
        run_checks(pairs, skip=["spelling"])


# the command


@pytest.fixture
def bilingual_tsv(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text(
        "ja\ten\n"
        "国際戦略局の紹介\tAbout the Global Strategy Bureau\n"
        "令和5年7月に策定した\tformulated in July 2022\n"
        "総務省の政策\tPolicies of the Ministry of Home Affairs\n",
        encoding="utf-8",
    )
    return path


def test_check_file_report_and_no_database_created(new_db_target, runner, tmp_path, bilingual_tsv):
    result = runner.invoke(cli, ["--db", str(new_db_target("none")), "check", str(bilingual_tsv)])
    assert result.exit_code == 0, result.output
    assert table_names(new_db_target("none")) == []
    lines = result.output.splitlines()
    assert lines[0].startswith("Note: no glossary in")
    assert lines[1] == "1 finding in 1 of 3 units: numbers 1 (1 error)"
    assert "numbers: 1 (different-number 1)" in result.output
    assert f"  {bilingual_tsv} line 3  error  令和5 (2023) in the source, 2022 in" in result.output
    assert "    source: [[令和5]]年7月に策定した" in result.output


def test_check_file_with_glossary_json(runner, db_target, bilingual_tsv):
    runner.invoke(cli, ["--db", str(db_target), "term", "import", str(SEED_GLOSSARY)])
    result = runner.invoke(
        cli, ["--db", str(db_target), "check", "--json", "--no-numbers", str(bilingual_tsv)]
    )
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.output.splitlines()]
    assert [(f["check"], f["rule"], f["where"]) for f in found] == [
        ("terminology", "forbidden-term", f"{bilingual_tsv} line 4")
    ]
    assert found[0]["target_spans"] == [[16, 40]]


def test_check_tm_document_and_xlsx(runner, db_target, tmp_path):
    def run(*args):
        result = runner.invoke(cli, ["--db", str(db_target), *args])
        assert result.exit_code == 0, result.output
        return result

    run("tm", "import", str(FIXTURES / "kyoto-wiki-sesshu.tsv"))
    run("term", "add", "雪舟", "Sesshu")
    run("term", "add", "雪舟", "Sesshu Toyo", "--status", "forbidden")
    report = tmp_path / "report.xlsx"
    result = run("check", "--tm", "--document", "BDS00001", "--xlsx", str(report), "--json")
    found = [json.loads(line) for line in result.output.splitlines()]
    assert found and all(f["where"].startswith("unit ") for f in found)
    sheet = load_workbook(report, rich_text=True).active
    assert [c.value for c in sheet[1]] == [
        "Where",
        "Check",
        "Rule",
        "Severity",
        "Message",
        "Source",
        "Target",
    ]
    assert sheet.max_row == len(found) + 1
    assert sheet.auto_filter.ref == f"A1:G{len(found) + 1}"
    marked = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[1].value == "terminology" and r[2].value == "missing-term"
    )
    runs = [part for part in marked[5].value if hasattr(part, "font")]
    assert runs and runs[0].font.b and runs[0].font.color.rgb.endswith("C00000")
    assert sheet.page_setup.orientation == "landscape"


def test_check_usage_errors(runner, tmp_path, bilingual_tsv):
    assert runner.invoke(cli, ["check"]).exit_code == 2
    assert runner.invoke(cli, ["check", "--tm", str(bilingual_tsv)]).exit_code == 2
    assert runner.invoke(cli, ["check", "--document", "x", str(bilingual_tsv)]).exit_code == 2
    bad = tmp_path / "bad.tsv"
    bad.write_text("ja\ten\n国際戦略局\t\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1 and "line 2" in result.output


def test_check_tmx_names_the_line_of_the_unit(new_db_target, runner, tmp_path):
    tmx = tmp_path / "memory.tmx"
    tmx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header srclang="ja" datatype="plaintext" segtype="sentence" adminlang="en"
          o-tmf="taiyaku" creationtool="test" creationtoolversion="1"/>
  <body>
    <tu>
      <tuv xml:lang="ja"><seg>国際戦略局の紹介</seg></tuv>
      <tuv xml:lang="en"><seg>About the Global Strategy Bureau</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ja"><seg>令和5年7月に策定した</seg></tuv>
      <tuv xml:lang="en"><seg>formulated in July 2022</seg></tuv>
    </tu>
  </body>
</tmx>
""",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["--db", str(new_db_target("none")), "check", "--json", str(tmx)])
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.output.splitlines()]
    assert [(f["where"], f["rule"]) for f in found] == [(f"{tmx} line 10", "different-number")]


def test_form_inline_codes_from_tmx_markup():
    from taiyaku.models import Code

    bold_open = Code("bpt", (("i", "1"),), ("<b>",))
    bold_close = Code("ept", (("i", "1"),), ("</b>",))
    source = ("これは", bold_open, "重要", bold_close, "です")
    kept = Unit("これは重要です", "This is important", source_markup=source,
                target_markup=("This is ", bold_open, "important", bold_close))  # fmt: skip
    lost = Unit("これは重要です", "This is important", source_markup=source)
    found = run_checks([kept, lost])
    assert [(f.where, f.rule) for f in found] == [("line 3", "inline-codes")]
    assert found[0].message == "inline codes differ: missing <bpt 1>, <ept 1>"
