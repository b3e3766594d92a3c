"""Glossary keys: the folds that make lookup forgive and recognition find (example tables)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taiyaku.text.keys import (
    en_find_key,
    en_lookup_key,
    fold_ja_with_offsets,
    ja_find_key,
    ja_lookup_key,
    term_keys,
)
from taiyaku.text.romaji import kana_to_reading, romaji_to_reading


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("コンピューター", "コンピュータ"),  # long vowel ending a kana run
        ("ｺﾝﾋﾟｭｰﾀｰ", "コンピュータ"),  # half width with voiced marks
        ("こくさい", "コクサイ"),  # hiragana = katakana
        ("人々", "人人"),  # iteration mark
        ("ＩＣＴ分野", "ict分野"),  # full width, case
    ],
)
def test_find_key_folds(a, b):
    assert ja_find_key(a) == ja_find_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("取扱い", "取り扱い"),  # okurigana
        ("取扱い", "取り扱い"),
        ("申込み", "申し込み"),
        ("國際戰略局", "国際戦略局"),  # old kanji forms (UniDic lemma)
        ("サーバー", "サーバ"),
    ],
)
def test_lookup_key_folds(a, b):
    assert ja_lookup_key(a) == ja_lookup_key(b)


def test_particles_are_not_okurigana():
    assert ja_lookup_key("国の政策") != ja_lookup_key("国政策")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Global Strategy Bureaus", "global strategy bureau"),
        ("e-mail", "E Mail"),
        ("Policies", "policy"),
        ("Ministry's", "ministry"),
        ("ＩＣＴ", "ict"),
    ],
)
def test_english_keys_fold(a, b):
    assert en_lookup_key(a) == en_lookup_key(b)


def test_english_find_key_keeps_words():
    assert en_find_key("Global-Strategy Bureaus") == "global strategy bureau"


@pytest.mark.parametrize(
    ("query", "reading"),
    [("kokusai senryaku", "こくさいせんりゃく"), ("tōkyō", "とうきょう"), ("shimbun", "しんぶん")],
)
def test_romaji_meets_kana(query, reading):
    assert romaji_to_reading(query) == kana_to_reading(reading)


def test_not_romaji_not_kana():
    assert romaji_to_reading("国際") is None and kana_to_reading("国際") is None
    assert romaji_to_reading("x1") is None


def test_term_keys_reading():
    _ja_fold, en_fold, ja_find, en_find, reading = term_keys("国際戦略局", "Global Strategy Bureau")
    assert reading == kana_to_reading("こくさいせんりゃくきょく")
    assert (ja_find, en_find, en_fold) == (
        "国際戦略局",
        "global strategy bureau",
        "globalstrategybureau",
    )


@given(st.text(max_size=40))
def test_offsets_point_into_the_text(text):
    folded, starts, ends = fold_ja_with_offsets(text)
    assert len(folded) == len(starts) == len(ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))
    assert starts == sorted(starts)


@given(st.text(max_size=40))
def test_find_key_is_idempotent(text):
    once = ja_find_key(text)
    assert ja_find_key(once) == once
