"""Number adaptation on real shapes: era years, dates, amounts, widths, both directions."""

from __future__ import annotations

import pytest

from taiyaku.match.numbers import adapt_numbers, number_tokens

CASES = [
    # era year ↔ Western year, 万 ↔ million
    (
        "令和4年度の予算は1,000万円です。",
        "令和5年度の予算は2,000万円です。",
        "The budget for FY2022 is 10 million yen.",
        "The budget for FY2023 is 20 million yen.",
    ),
    # dates
    (
        "2023年7月14日に開催された。",
        "2023年8月15日に開催された。",
        "It was held on July 14, 2023.",
        "It was held on August 15, 2023.",
    ),
    # full-width digits in the target stay full-width
    ("価格は１，０００円", "価格は2,500円", "価格は１，０００円", "価格は２，５００円"),
    # English source, Japanese target: a Western year becomes an era year
    (
        "The meeting was held in July 2022.",
        "The meeting was held in August 2023.",
        "会議は令和4年7月に開かれた。",
        "会議は令和5年8月に開かれた。",
    ),
    # 億 and compound amounts
    (
        "売上は3億円",
        "売上は1億2000万円",
        "Sales were 300 million yen",
        "Sales were 120 million yen",
    ),
    # romanised era in the target
    (
        "令和4年の人口は1,234人",
        "令和5年の人口は1,300人",
        "Population in Reiwa 4: 1,234",
        "Population in Reiwa 5: 1,300",
    ),
    # the query's era is kept (平成31年 and 令和元年 are both 2019)
    ("平成30年の記録", "令和元年の記録", "平成30年の記録（英訳）", "令和元年の記録（英訳）"),
    # abbreviated month names stay abbreviated
    (
        "会議は７月に開かれる。",
        "会議は8月に開かれる。",
        "The meeting is held in Jul.",
        "The meeting is held in Aug.",
    ),
]


@pytest.mark.parametrize(("source", "query", "target", "adapted"), CASES)
def test_adapted_targets(source, query, target, adapted):
    result = adapt_numbers(source, query, target)
    assert result is not None
    assert result.adapted_target == adapted


def test_other_differences_are_not_number_only():
    assert adapt_numbers("令和4年の予算", "令和5年の決算", "The 2022 budget") is None
    assert adapt_numbers("同じ文", "同じ文", "Same") is None
    assert adapt_numbers("１，０００円", "1,000円", "1,000 yen") is None  # same numbers


def test_a_number_missing_from_the_target_gives_no_adapted_target():
    result = adapt_numbers("第3条第2項", "第4条第2項", "Paragraph 2 of the Article")
    assert result is not None
    assert result.changes == (("3", "4"),)
    assert result.adapted_target is None


def test_tokens():
    tokens = number_tokens("令和元年5月に1億2000万円、July 2023")
    assert [(t.kind, t.value, t.style) for t in tokens] == [
        ("year", 2019.0, "era"),
        ("month", 5.0, "month"),
        ("number", 120_000_000.0, "ja-scale"),
        ("month", 7.0, "month-en"),
        ("number", 2023.0, "plain"),
    ]


def test_kanji_numerals_are_adapted_too():
    # The aligner always read 三年 as 3; a match now adapts it as well (issue 12).
    found = adapt_numbers("三年ぶりに開催", "四年ぶりに開催", "Held for the first time in 3 years")
    assert found is not None and found.adapted_target == "Held for the first time in 4 years"
    back = adapt_numbers("after 3 years", "after 4 years", "三年後に")
    assert back is not None and back.adapted_target == "四年後に"
    positional = adapt_numbers("2023年", "2024年", "二〇二三年度")
    assert positional is not None and positional.adapted_target == "二〇二四年度"


def test_one_era_table_for_alignment_and_matching():
    from taiyaku.align.anchors import _numbers_ja

    for text, year in (("令和元年", 2019), ("平成31年", 2019), ("昭和64年", 1989)):
        assert [t.value for t in number_tokens(text)] == [float(year)]
        assert f"num:{year}" in _numbers_ja(text)
