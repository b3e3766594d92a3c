"""Segmentation: example tables for the hard cases, both languages, and no text lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taiyaku.errors import FormatError
from taiyaku.text.html import html_to_text, read_document
from taiyaku.text.segment import cut_sentence, split_sentences

from .conftest import ROOT


def texts(text: str, lang: str) -> list[str]:
    return [s.text for s in split_sentences(text, lang)]


JAPANESE = [
    ("「行こう。」と言った。", ["「行こう。」と言った。"]),
    ("彼は『本当に？』と聞いた。次の文です。", ["彼は『本当に？』と聞いた。", "次の文です。"]),
    ("本当ですか？はい！そうです。", ["本当ですか？", "はい！", "そうです。"]),
    ("半角の句点｡次の文｡", ["半角の句点｡", "次の文｡"]),
    ("補足（詳細は後述。）があります。次。", ["補足（詳細は後述。）があります。", "次。"]),
    (
        "ICT(情報通信技術)の推進。Beyond 5G(6G)の研究。",
        ["ICT(情報通信技術)の推進。", "Beyond 5G(6G)の研究。"],
    ),
    (
        "Apple Inc.の製品は3.5インチです。次の文。",
        ["Apple Inc.の製品は3.5インチです。", "次の文。"],
    ),
    ("「ああ。」「うん。」", ["「ああ。」「うん。」"]),
    ("閉じない「括弧の文。次の文。", ["閉じない「括弧の文。", "次の文。"]),
    # a heading, a list and a caption without final punctuation are segments of their own
    (
        "海外展開の推進\n総務省では、海外展開を推進しています。",
        ["海外展開の推進", "総務省では、海外展開を推進しています。"],
    ),
    ("課の一覧\n- 国際戦略課\n- 技術政策課", ["課の一覧", "国際戦略課", "技術政策課"]),
    ("・国際戦略課\n・技術政策課", ["国際戦略課", "技術政策課"]),
    # a sentence soft-wrapped over lines of a web extract is rejoined without spaces
    (
        "総務省では、我が国の民間投資を喚起し、持続的経済成長を\n実現するための主要なエンジンの一つです。",
        [
            "総務省では、我が国の民間投資を喚起し、持続的経済成長を実現するための主要なエンジンの一つです。"
        ],
    ),
    (
        "特に基金については、総務省において、\nNICTに新たに設置しました。",
        ["特に基金については、総務省において、NICTに新たに設置しました。"],
    ),
    # a sentence cut in two by a photo caption is rejoined, before the caption
    (
        "特にBeyond 5Gについては、総務省において、NICT\n\n大臣会合で発言する松本大臣\n\nに新たに基金を設置しました。次の文です。",
        [
            "特にBeyond 5Gについては、総務省において、NICTに新たに基金を設置しました。",
            "大臣会合で発言する松本大臣",
            "次の文です。",
        ],
    ),
    # numbered items written without a space after the full-width stop
    ("手順\n1．申請書を確認する\n2．手数料を払う", ["手順", "申請書を確認する", "手数料を払う"]),
    # an English heading inside a Japanese page keeps English rules
    (
        "国際戦略局\n\nGlobal Strategy Bureau\n\nMr. Smith came. He left.",
        ["国際戦略局", "Global Strategy Bureau", "Mr. Smith came.", "He left."],
    ),
]

ENGLISH = [
    (  # pysbd alone cuts before the closing quote and leaves "'" as a sentence
        "The temple was called 'Muryo Koin.' It burned down later.",
        ["The temple was called 'Muryo Koin.'", "It burned down later."],
    ),
    (  # ... and cuts after "Vol." before its number
        "It appears in Vol. 33 of the chronicle. The rest is lost.",
        ["It appears in Vol. 33 of the chronicle.", "The rest is lost."],
    ),
    (
        "Toyota Co., Ltd. and Sony Inc. met Dr. Smith in the U.S. on Monday. He left.",
        ["Toyota Co., Ltd. and Sony Inc. met Dr. Smith in the U.S. on Monday.", "He left."],
    ),
    (
        "Version 2.5 costs 3.14 dollars, e.g. cheap. No. 5 is next.",
        ["Version 2.5 costs 3.14 dollars, e.g. cheap.", "No. 5 is next."],
    ),
    (
        "J. R. R. Tolkien wrote it. Then... he stopped. Really?",
        ["J. R. R. Tolkien wrote it.", "Then... he stopped.", "Really?"],
    ),
    ('He said "go home." Then he left.', ['He said "go home."', "Then he left."]),
    ("It was big (really big.) The end.", ["It was big (really big.)", "The end."]),
    (
        "Promoting Overseas Deployment\nMIC regards this as key. It acts.",
        ["Promoting Overseas Deployment", "MIC regards this as key.", "It acts."],
    ),
    (
        "Divisions:\n- Global Strategy Division\n- Counsellor",
        ["Divisions:", "Global Strategy Division", "Counsellor"],
    ),
    (
        "With a view to advancing the digitalization of society as a whole and\nstrengthening Japan's competitiveness, it matters.",
        [
            "With a view to advancing the digitalization of society as a whole and strengthening "
            "Japan's competitiveness, it matters."
        ],
    ),
    (
        "In particular, with international competition intensifying, MIC set up a fund at\n\n"
        "Minister Matsumoto speaking\n\nthe institute in 2022. Next sentence.",
        [
            "In particular, with international competition intensifying, MIC set up a fund at "
            "the institute in 2022.",
            "Minister Matsumoto speaking",
            "Next sentence.",
        ],
    ),
    # A numbered heading is one segment: "Chapter I." labels what follows
    (
        "Chapter I. General Provisions\n\nArticle 1. This Act aims to protect users. It "
        "applies to all.\n\nChapter II. Rights and Duties",
        [
            "Chapter I. General Provisions",
            "Article 1. This Act aims to protect users.",
            "It applies to all.",
            "Chapter II. Rights and Duties",
        ],
    ),
    (
        "Part IV. Miscellaneous\nTable 2. Results by year",
        ["Part IV. Miscellaneous", "Table 2. Results by year"],
    ),
    # ... but a sentence that ends in a chapter number still ends there
    ("He read Chapter 3. It was long.", ["He read Chapter 3.", "It was long."]),
    # numbered list items, with or without a space after the number; "2.1" is not a marker
    (
        "Steps:\n1. Confirm the settings.\n2.Check the log\n2.1 Background",
        ["Steps:", "Confirm the settings.", "Check the log", "2.1 Background"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), JAPANESE)
def test_japanese(text: str, expected: list[str]) -> None:
    assert texts(text, "ja") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: list[str]) -> None:
    assert texts(text, "en") == expected


def test_kinds_blocks_offsets_and_markers() -> None:
    text = "見出し\n\n- 項目です\n\n本文です。次です。"
    segments = split_sentences(text, "ja")
    assert [(s.kind, s.block, s.marker) for s in segments] == [
        ("line", 0, ""),
        ("item", 1, "- "),
        ("sentence", 2, ""),
        ("sentence", 2, ""),
    ]
    for s in segments:
        assert "".join(text[a:b] for a, b in s.spans) == s.text
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("text", "following", "lang", "cut"),
    [
        ("予算は国の一般会計から、段階的に配分され、各部署の", "支出となる。", "ja", True),
        ("予算は国の一般会計から", "支出される。", "ja", False),  # short, no comma: a heading?
        ("第一章の概要", "では次に", "ja", True),  # the next begins with a particle
        ("予算は国の一般会計から支出される。", "次の文。", "ja", False),
        ("沿革", "1950年に設立された。", "ja", False),
        ("The plan, which the bureau drew up in 2023,", "covers ten items.", "en", True),
        ("The plan was drawn up", "by the bureau in 2023.", "en", True),
        ("Policy Coordination", "The bureau works with other countries.", "en", False),
        ("The plan was drawn up.", "by the bureau", "en", False),
        ("The plan,", "", "en", False),
    ],
)
def test_cut_sentence(text: str, following: str, lang: str, cut: bool) -> None:
    assert cut_sentence(text, following, lang) is cut


def test_language_is_detected() -> None:
    assert texts("Hello there. Bye.", None) == ["Hello there.", "Bye."]  # type: ignore[arg-type]
    assert texts("こんにちは。さようなら。", None) == ["こんにちは。", "さようなら。"]  # type: ignore[arg-type]


def test_seed_page_gives_the_gold_japanese_segments() -> None:
    import csv

    text = (ROOT / "tm" / "mic-global-strategy-bureau.ja.txt").read_text(encoding="utf-8")
    with open(ROOT / "tm" / "mic-global-strategy-bureau.pairs.tsv", encoding="utf-8") as f:
        gold = [row["ja"] for row in csv.DictReader(f, delimiter="\t")]
    got = texts(text, "ja")
    # Gold beads may join two sentences (a 2-1 bead); their sentences appear in order.
    assert "".join(got) == "".join(gold)
    assert (
        "特にBeyond 5G(6G)については、国際的な開発競争が激化する中、我が国の研究開発等の取組を強化すべく、総務省において、NICTに新たに恒久的な基金を設置し、電波利用料財源も同基金に充てるため、関連予算を計上するとともに、関連法案を令和4年秋の臨時国会に提出し、同年12月に予算と法律が成立・施行されました。"
        in got
    )


_WS = re.compile(r"\s+")


def _lossless(text: str, lang: str) -> None:
    segments = split_sentences(text, lang)
    pieces = sorted(
        (a, (s.marker if k == 0 else "") + text[a:b])
        for s in segments
        for k, (a, b) in enumerate(s.spans)
    )
    assert _WS.sub("", "".join(p for _, p in pieces)) == _WS.sub("", text)
    for s in segments:  # each segment is its pieces, verbatim apart from line breaks
        assert _WS.sub("", s.text) == _WS.sub("", "".join(text[a:b] for a, b in s.spans))
        assert s.text == s.text.strip() and s.text


_ALPHABET = st.sampled_from(
    [
        *list(
            "あいうえおかに国際戦略局。、！？「」『』（）()ABCabc .,!?\"'-・0123456789\n\n\n\u3000"
        ),
        "Inc.",
        "U.S.",
        "- ",
        "\n- ",
        "NICT",
        "に新たに",
        "e.g.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(["ja", "en"]))
def test_segmentation_loses_no_text(text: str, lang: str) -> None:
    _lossless(text, lang)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["ja", "en"]))
def test_segmentation_loses_no_text_of_any_unicode(text: str, lang: str) -> None:
    _lossless(text, lang)


def test_html_blocks_and_chrome() -> None:
    html = (
        "<html><head><title>x</title><style>p{}</style><script>var a='。';</script></head>"
        "<body><nav><a>ホーム</a></nav><h1>国際戦略局</h1>"
        "<p>総務省では、\n海外展開を<b>推進</b>しています。ICT分野です。</p>"
        "<ul><li>国際戦略課</li><li>技術政策課</li></ul>"
        "<table><tr><td>表の中</td></tr></table>"
        "<figure><img src=a.png><figcaption>会議の様子</figcaption></figure>"
        "<footer>著作権</footer></body></html>"
    )
    text = html_to_text(html)
    assert texts(text, "ja") == [
        "国際戦略局",
        "総務省では、海外展開を推進しています。",
        "ICT分野です。",
        "国際戦略課",
        "技術政策課",
        "表の中",
        "会議の様子",
    ]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp932", b""), ("euc_jp", b"")],
)
def test_encodings_are_detected(tmp_path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(bom + "国際戦略局です。次の文。".encode(encoding))
    assert texts(read_document(path), "ja") == ["国際戦略局です。", "次の文。"]


def test_html_file_in_shift_jis(tmp_path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes("<html><body><p>総務省です。</p><p>見出し</p></body></html>".encode("cp932"))
    assert texts(read_document(path), "ja") == ["総務省です。", "見出し"]


def test_undecodable_bytes_name_the_offset(tmp_path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("国際".encode() + b"\xff\xfe\xfa\x80\x81" * 3)
    with pytest.raises(FormatError) as error:
        read_document(path)
    assert str(path) in str(error.value) and "byte 6" in str(error.value)


def test_cli_segment(runner, tmp_path) -> None:
    from taiyaku.cli import cli

    page = tmp_path / "page.txt"
    page.write_text("見出し\n\n「行こう。」と言った。次です。\n", encoding="utf-8")
    result = runner.invoke(cli, ["segment", str(page)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["見出し", "「行こう。」と言った。", "次です。"]
    result = runner.invoke(cli, ["segment", str(page), "--json", "--lang", "ja"])
    assert '"kind": "line"' in result.output and '"block": 1' in result.output


def test_cli_segment_bad_bytes_is_one_error_line(runner, tmp_path) -> None:
    from taiyaku.cli import cli

    page = tmp_path / "bad.txt"
    page.write_bytes(b"ok \xff\xfe\xfa\x80")
    result = runner.invoke(cli, ["segment", str(page)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "bad.txt: byte 3" in result.output
