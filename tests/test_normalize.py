import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taiyaku.text.lang import detect_lang, normalize_lang_tag, primary_lang
from taiyaku.text.normalize import match_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ＩＣＴ２０２３", "ict2023"),  # full-width Latin and digits
        ("ｺｸｻｲ", "コクサイ"),  # half-width katakana
        ("  国際　戦略局 \n", "国際 戦略局"),  # ideographic space, outer and inner runs
        ("Global  Strategy\tBureau", "global strategy bureau"),
        ("①", "1"),
        ("㈱", "(株)"),
        ("", ""),
    ],
)
def test_match_key_examples(text, key):
    assert match_key(text) == key


@given(st.text())
def test_match_key_is_idempotent(text):
    assert match_key(match_key(text)) == match_key(text)


def test_every_white_space_character_is_collapsed_as_the_regex_did():
    """The key splits on str.isspace; the earlier keys collapsed regex ``\\s`` runs. Stored keys
    stay valid only if both are the same set of characters, code point by code point."""
    regex = re.compile(r"\s+")
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        text = f" a{char}{char}b{char}"
        folded = unicodedata.normalize("NFKC", text).casefold()
        if match_key(text) != regex.sub(" ", folded).strip():
            raise AssertionError(f"U+{point:04X}: {match_key(text)!r}")


@given(st.text())
def test_match_key_equals_the_regex_definition(text):
    folded = unicodedata.normalize("NFKC", text).casefold()
    assert match_key(text) == re.sub(r"\s+", " ", folded).strip()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("国際戦略局", "ja"),
        ("ICT(情報通信技術:Information & Communications Technology)は我が国の源です。", "ja"),
        ("Global Strategy Bureau", "en"),
        ("The term 政府 means government in this document.", "en"),
        ("Beyond 5G(6G)", "en"),
        ("2023", "en"),
    ],
)
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_language_tags():
    assert normalize_lang_tag("EN_us") == "en-US"
    assert normalize_lang_tag("zh-hant-tw") == "zh-Hant-TW"
    assert primary_lang("en-US") == "en"
