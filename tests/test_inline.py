"""Inline codes: kept as read, written back unchanged, out of the plain text and the score."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from taiyaku import TranslationMemory, Unit, open_db, read_units, write_units
from taiyaku.cli import cli as main
from taiyaku.formats.inline import from_json, join, plain_text, to_json, to_tmx_string
from taiyaku.match.search import Matcher
from taiyaku.models import Code
from tests.conftest import FIXTURES
from tests.test_tmx_fidelity import assert_valid_tmx

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tree(element) -> tuple:
    """An element as nested tuples: tag, attributes in order, text, children, tail."""
    return (
        element.tag,
        tuple(element.attrib.items()),
        element.text or "",
        tuple(_tree(child) for child in element if isinstance(child.tag, str)),
        element.tail or "",
    )


def _segs(path) -> list[tuple]:
    """Each ``<seg>`` of a TMX, keyed by its language, in document order."""
    root = etree.parse(str(path)).getroot()
    segs = []
    for tuv in root.iter("tuv"):
        seg = tuv.find("seg")
        segs.append(((tuv.get(XML_LANG) or "").lower(), _tree(seg)[1:4]))
    return segs


def _round_trip(new_db_target, tmp_path, source):
    db = open_db(new_db_target("tm", empty=True))
    tm = TranslationMemory(db)
    result = tm.add_many(read_units(source))
    out = tmp_path / "out.tmx"
    write_units(out, tm.iter_units())
    db.close()
    return result, out


def test_lisa_kit_codes_survive_import_and_export(new_db_target, tmp_path):
    source = FIXTURES / "lisa-ImportTest2A.tmx"
    result, out = _round_trip(new_db_target, tmp_path, source)
    assert result.added == 7
    # Every <seg> comes back with the same codes, attributes (in order), i/x pairs and <sub>s.
    assert sorted(_segs(out)) == sorted(set(_segs(source)))


def test_trados_and_okapi_codes_survive_and_words_do_not_glue(new_db_target, tmp_path):
    trados = list(read_units(FIXTURES / "trados-codes.tmx"))
    okapi = list(read_units(FIXTURES / "okapi-codes.tmx"))
    assert [u.source_text for u in trados] == [
        "This is a test",
        "Press OK to save the  file.",
        "See chapter 2 and the notes",
    ]
    assert [u.target_text for u in trados][:2] == [
        "これはテストです",
        "OKを押してファイルを保存します。",
    ]
    assert [u.source_text for u in okapi] == [
        "Click to resume the job.",
        "1. Confirm the settings.",
    ]
    assert okapi[1].target_text == "1.設定を確認します。"  # Japanese takes no space
    for source in ("trados-codes.tmx", "okapi-codes.tmx"):
        folder = tmp_path / source
        folder.mkdir()
        _, out = _round_trip(new_db_target, folder, FIXTURES / source)
        assert _segs(out) == _segs(FIXTURES / source)


def test_sub_text_is_kept_in_the_code_not_in_the_plain_text():
    unit = list(read_units(FIXTURES / "trados-codes.tmx"))[1]
    image = [part for part in unit.source_markup if isinstance(part, Code)][2]
    assert (image.kind, image.attr("type"), image.pair) == ("ph", "image", None)
    sub = image.content[1]
    assert (sub.kind, sub.content) == ("sub", ("Save icon",))
    assert "Save icon" not in unit.source_text


def test_match_ignores_codes_in_the_score_and_returns_them(new_db_target, tmp_path):
    db = open_db(new_db_target("tm"))
    TranslationMemory(db).add_many(read_units(FIXTURES / "trados-codes.tmx"))
    (found,) = Matcher(db).search("This is a test", min_score=90, lang="en")
    assert found.score == 100
    assert found.unit.source_markup == (
        "This is",
        Code("ph", (("x", "1"), ("type", "0")), ("<br>",)),
        "a test",
    )
    assert to_tmx_string(found.unit.target_markup) == (
        'これは<ph x="1" type="0">&lt;br&gt;</ph>テストです'
    )


def test_match_json_carries_the_codes(new_db_target, tmp_path, runner):
    db = new_db_target("tm")
    fixture = str(FIXTURES / "okapi-codes.tmx")
    assert runner.invoke(main, ["--db", str(db), "tm", "import", fixture]).exit_code == 0
    result = runner.invoke(
        main,
        ["--db", str(db), "match", "--json", "Click to resume the job."],
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output.splitlines()[0])
    match = found["matches"][0]
    assert match["score"] == 100
    assert (
        match["target_markup"] == "クリックして<ut>&lt;w:r&gt;&lt;w:t&gt;</ut>ジョブを再開します。"
    )


def test_plain_text_rules():
    br = Code("ph", content=("<br/>",))
    assert plain_text(("今", br, "OK")) == "今OK"  # no space inside Japanese
    assert plain_text(("line", br, "next")) == "line next"
    assert plain_text(("line ", br, "next")) == "line next"
    assert (
        plain_text(
            (
                "un",
                Code("bpt", (("i", "1"),), ("<b>",)),
                "believ",
                Code("ept", (("i", "1"),), ("</b>",)),
                "able",
            )
        )
        == "unbelievable"
    )
    assert plain_text(("a", Code("ph", (("type", "lb"),)), "b")) == "a b"
    assert plain_text(("a", Code("g", content=("b", Code("x"), "c")))) == "ab c"


# --- the property: arbitrary text, arbitrary well-formed codes, TMX → store → TMX --------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
NATIVE = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff"), max_size=8
)
ATTR_VALUE = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff"), max_size=5
)


def _attrs(*names):
    return st.lists(
        st.tuples(st.sampled_from(names), ATTR_VALUE), max_size=3, unique_by=lambda a: a[0]
    ).map(tuple)


def _native(inner):
    """A code's native content: text with <sub> flows that hold segment content."""
    sub = st.builds(lambda a, c: Code("sub", a, c), _attrs("datatype", "type"), inner)
    return st.lists(st.one_of(NATIVE, sub), max_size=3).map(join)


def _markup(inner):
    code = st.one_of(
        st.builds(lambda a, c: Code("ph", a, c), _attrs("x", "type", "assoc"), _native(inner)),
        st.builds(lambda a, c: Code("ut", a, c), _attrs("x"), _native(inner)),
        st.builds(lambda i, c: Code("bpt", (("i", str(i)),), c), st.integers(1, 9), _native(inner)),
        st.builds(lambda i, c: Code("ept", (("i", str(i)),), c), st.integers(1, 9), _native(inner)),
        st.builds(
            lambda p, c: Code("it", (("pos", p),), c),
            st.sampled_from(["begin", "end"]),
            _native(inner),
        ),
        st.builds(lambda a, c: Code("hi", a, c), _attrs("x", "type"), inner),
    )
    return st.lists(st.one_of(TEXT, code), max_size=5).map(join)


MARKUP = st.recursive(st.just(()), _markup, max_leaves=8)


@pytest.mark.slow
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=MARKUP, target=MARKUP)
@example(source=(), target=("\x00",))  # SQLite stores it; PostgreSQL refuses it
def test_any_codes_round_trip_tmx_store_tmx_unchanged(
    new_db_target, backend, tmp_path_factory, source, target
):
    # PostgreSQL cannot store U+0000: it refuses such a file whole (test_bad_input says how).
    assume(backend == "sqlite" or "\\u0000" not in to_json(source) + to_json(target))
    folder = tmp_path_factory.mktemp("codes")
    unit = Unit(
        plain_text(source),
        plain_text(target),
        "ja",
        "en",
        created="2024-01-01T00:00:00Z",
        source_markup=source,
        target_markup=target,
    )
    write_units(folder / "a.tmx", [unit])
    assert from_json(to_json(source)) == source
    _, out = _round_trip(new_db_target, folder, folder / "a.tmx")
    assert _segs(out) == _segs(folder / "a.tmx")
    assert_valid_tmx(out)
    (back,) = read_units(out)
    assert (back.source_text, back.target_text) == (unit.source_text, unit.target_text)


def test_forbidden_is_every_character_xml_does_not_allow():
    # XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
    # [#x10000-#x10FFFF]. FORBIDDEN lists the rest: every code point is checked.
    from taiyaku.formats.inline import FORBIDDEN

    def allowed(c: int) -> bool:
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or c >= 0x10000

    wrong = [c for c in range(0x110000) if (FORBIDDEN.match(chr(c)) is None) != allowed(c)]
    assert wrong == []
