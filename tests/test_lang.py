"""Language by the script of the sentence frame: English quoting kanji stays English."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from taiyaku.text.lang import detect_lang
from taiyaku.text.segment import split_sentences
from tests.conftest import shared_file

KYOTO_EN = (
    "The temple stands near Lake Biwa (琵琶湖), Enryaku-ji (比叡山延暦寺) and Omi (近江国). "
    "It was founded by Saicho (最澄) in 788. The main hall, Konpon-chudo (根本中堂), "
    "is a national treasure."
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (KYOTO_EN, "en"),
        ("The term 政府 means government in this document.", "en"),
        ("この記事ではMicrosoft Office Wordの新機能について説明します。", "ja"),
        ("『化学と私』（1982年、化学同人）、ISBN 4759800883", "ja"),
        ("国際戦略局（Global Strategy Bureau）", "ja"),
        ("高野山の大柴燈護摩供：http://www.pref.wakayama.lg.jp/prefg/000200/ren/web/", "ja"),
    ],
)
def test_language_by_the_frame(text, lang):
    assert detect_lang(text) == lang


def test_english_quoting_kanji_splits_into_its_sentences():
    assert [s.text for s in split_sentences(KYOTO_EN)] == [
        "The temple stands near Lake Biwa (琵琶湖), Enryaku-ji (比叡山延暦寺) and Omi (近江国).",
        "It was founded by Saicho (最澄) in 788.",
        "The main hall, Konpon-chudo (根本中堂), is a national treasure.",
    ]


def test_every_kyoto_english_document_reads_as_english():
    documents = defaultdict(list)
    with open(shared_file("kyoto-wiki-ja-en", "sentences.tsv"), encoding="utf-8") as file:
        for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            documents[row["doc_id"]].append(row["en"])
    wrong = [d for d, lines in documents.items() if detect_lang("\n".join(lines)) != "en"]
    assert (len(documents), wrong) == (2352, [])


def test_align_takes_english_quoting_kanji_for_english(new_db_target, tmp_path):
    from click.testing import CliRunner

    from taiyaku.cli import cli

    (tmp_path / "ja.txt").write_text(
        "寺は琵琶湖、比叡山延暦寺、近江国の近くにある。788年に最澄が創建した。"
        "根本中堂は国宝である。\n",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text(KYOTO_EN + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(new_db_target("a")),
            "align",
            str(tmp_path / "ja.txt"),
            str(tmp_path / "en.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "(en): 3 beads (1-1 3)" in result.output
