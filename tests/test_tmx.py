from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from taiyaku import (
    FormatError,
    TaiyakuError,
    TranslationMemory,
    Unit,
    open_db,
    read_units,
    write_units,
)
from tests.conftest import FIXTURES, shared_file

# Arbitrary text: every code point but surrogates, XML specials and controls included.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40)
# Metadata (props) is XML text: a character XML forbids there is refused (tested below).
XML_TEXT = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff"),
    min_size=1,
    max_size=20,
)
UNITS = st.lists(
    st.builds(
        Unit,
        source_text=TEXT,
        target_text=TEXT,
        source_lang=st.sampled_from(["ja", "en", "en-US"]),
        target_lang=st.sampled_from(["ja", "en"]),
        origin=st.sampled_from(["aligned", "imported", "added"]),
        document=st.none() | st.text("abcあいう -", min_size=1, max_size=8),
        position=st.none() | st.integers(0, 10_000),
        confidence=st.none() | st.floats(0, 1),
        bead=st.none() | st.sampled_from(["1-1", "2-1"]),
        created=st.just("2024-03-01T09:30:00Z"),
        changed=st.just("2024-03-02T10:00:00Z"),
        metadata=st.dictionaries(
            st.sampled_from(["tuid", "x-project", "note"]), XML_TEXT, max_size=2
        ),
    ),
    max_size=5,
)


def _fields(unit: Unit) -> tuple:
    return (
        unit.source_text,
        unit.target_text,
        unit.source_lang,
        unit.target_lang,
        unit.origin,
        unit.document,
        unit.position,
        unit.confidence,
        unit.bead,
        unit.created,
        unit.changed,
    )


def _props(unit: Unit) -> set[tuple[str, str]]:
    """What a unit's metadata, or its annotations once read back from TMX, says."""
    if unit.metadata:
        return {(k, v) for k, v in unit.metadata.items()}
    return {(a.type, a.text) for a in unit.annotations}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(units=UNITS)
def test_tmx_write_read_is_identity(tmp_path_factory, units):
    path = tmp_path_factory.mktemp("tmx") / "out.tmx"
    assert write_units(path, units) == len(units)
    back = list(read_units(path))
    assert [_fields(u) for u in back] == [_fields(u) for u in units]
    # Metadata goes out as props (tuid as the attribute) and comes back as annotations.
    assert [_props(u) for u in back] == [_props(u) for u in units]


@pytest.mark.slow
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(units=UNITS)
def test_tmx_export_import_export_gives_the_same_units(
    new_db_target, backend, tmp_path_factory, units
):
    # PostgreSQL's text cannot hold U+0000 (test_pg_backend: an import names the unit);
    # repr shows it as \x00 in any field, metadata included.
    assume(backend == "sqlite" or "\\x00" not in repr(units))
    folder = tmp_path_factory.mktemp("roundtrip")
    first_db = open_db(new_db_target("a", empty=True))
    TranslationMemory(first_db).add_many(units)
    write_units(folder / "a.tmx", TranslationMemory(first_db).iter_units())
    second_db = open_db(new_db_target("b", empty=True))
    TranslationMemory(second_db).add_many(read_units(folder / "a.tmx"))
    write_units(folder / "b.tmx", TranslationMemory(second_db).iter_units())
    assert [(_fields(u), u.annotations) for u in read_units(folder / "a.tmx")] == [
        (_fields(u), u.annotations) for u in read_units(folder / "b.tmx")
    ]


def test_written_tmx_is_valid_1_4b(tmp_path):
    path = tmp_path / "out.tmx"
    write_units(
        path, [Unit("国際戦略局\x01", "Global Strategy Bureau", created="2024-01-02T03:04:05Z")]
    )
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "1.4"
    header = root.find("header")
    for attribute in (
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    ):
        assert header.get(attribute), attribute
    tu = root.find("body/tu")
    assert tu.get("creationdate") == "20240102T030405Z"
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.iter("tuv")]
    assert langs == ["ja", "en"]
    assert tu.find("tuv/seg/ph").text == "U+0001"
    assert {p.get("type"): p.text for p in tu.iter("prop")}["x-origin"] == "imported"


def test_reads_omegat_tmx_1_1_with_lang_attribute_and_tuv_dates():
    units = list(read_units(FIXTURES / "omegat-shape.tmx"))
    assert len(units) == 3
    first = units[0]
    assert (first.source_lang, first.target_lang) == ("en-US", "ja")
    assert first.target_text == "国際戦略局はICTの海外展開を推進しています。"
    # OmegaT dates and signs the translation's <tuv>: those stay on the target side.
    assert (first.created, first.changed) == (None, None)
    assert {(a.type, a.text) for a in first.annotations if a.on == "target"} == {
        ("creationid", "tanaka"),
        ("changeid", "tanaka"),
        ("creationdate", "20201117T133800Z"),
        ("changedate", "20201117T133810Z"),
    }
    assert units[2].source_text == 'A <tag> & "quotes" survive.'


def test_plain_text_drops_codes_and_keeps_hi_text(tmp_path):
    path = tmp_path / "inline.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="en" creationtool="x" creationtoolversion="1" '
        'segtype="sentence" o-tmf="x" adminlang="en" datatype="html"/><body><tu>'
        '<tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> '
        '<hi>now</hi>.</seg></tuv><tuv xml:lang="ja"><seg>今<ph>&lt;br/&gt;</ph>OKを押す。</seg></tuv>'
        "</tu></body></tmx>",
        encoding="utf-8",
    )
    (unit,) = read_units(path)
    assert (unit.source_text, unit.target_text) == ("Press OK now.", "今OKを押す。")


def test_single_language_tu_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "one.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="ja"/><body>'
        '<tu tuid="7"><tuv xml:lang="ja"><seg>一</seg></tuv></tu>'
        '<tu><tuv xml:lang="ja"><seg>二</seg></tuv><tuv xml:lang="en"><seg>two</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    warnings: list[str] = []
    units = list(read_units(path, warn=warnings.append))
    assert [u.target_text for u in units] == ["two"]
    assert len(warnings) == 1 and "tuid='7'" in warnings[0] and "line 1" in warnings[0]


def test_multilingual_tu_gives_one_unit_per_target(tmp_path):
    path = tmp_path / "multi.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="en"/><body><tu>'
        '<tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="ja"><seg>こんにちは</seg></tuv>'
        '<tuv xml:lang="fr"><seg>Bonjour</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    assert [(u.target_lang, u.target_text) for u in read_units(path)] == [
        ("ja", "こんにちは"),
        ("fr", "Bonjour"),
    ]


@pytest.mark.parametrize(
    ("content", "message", "where"),
    [
        ("", "empty file", None),
        (
            '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>cut',
            "invalid XML",
            "line 1, column",
        ),
        ('<tmx version="1.4"><header/><body/></tmx>', "no srclang", "line 1"),
        ("<martif><text/></martif>", "not a TMX file", None),
        ("not xml at all", "invalid XML", "line 1"),
    ],
)
def test_broken_tmx_is_a_clear_error(tmp_path, content, message, where):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        list(read_units(path))
    text = str(caught.value)
    assert text.startswith(str(path)) and message in text
    if where:
        assert where in text


def test_external_entity_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&x;</seg>'
        '</tuv><tuv xml:lang="ja"><seg>秘密</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    # An entity is refused outright (formats/xmlsafe.py), never read with a hole in its
    # text, and certainly never expanded from the file it names.
    with pytest.raises(FormatError) as caught:
        list(read_units(path))
    assert "declares XML entities (x)" in str(caught.value)
    assert "TOP-SECRET" not in str(caught.value)


def test_real_omegat_project_save_tmx(new_db_target, tmp_path):
    path = shared_file("qgis-omegat-tmx-ja-en", "project_save.tmx")
    db = open_db(new_db_target("qgis"))
    result = TranslationMemory(db).add_many(read_units(path))
    assert result.added + result.skipped == 6985
    stats = TranslationMemory(db).stats()
    assert stats["language_pairs"] == [{"name": "en-US→ja", "units": result.added}]
    again = TranslationMemory(db).add_many(read_units(path))
    assert again.added == 0


def test_export_failure_leaves_no_file(tmp_path):
    path = tmp_path / "out.tmx"

    def broken():
        yield Unit("一", "one")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_units(path, broken())
    assert not path.exists()
    assert [p.name for p in Path(tmp_path).iterdir()] == []


def test_estimate_units_counts_tus_and_lines(tmp_path):
    from taiyaku.formats import estimate_units

    tmx = tmp_path / "n.tmx"
    write_units(tmx, [Unit(f"文{i}", f"s{i}") for i in range(7)])
    assert estimate_units(tmx) == 7
    tsv = tmp_path / "n.tsv"
    write_units(tsv, [Unit(f"文{i}", f"s{i}") for i in range(5)])
    assert estimate_units(tsv) == 5
    assert estimate_units(FIXTURES / "omegat-shape.tmx") == 3


def test_control_character_in_metadata_is_refused_not_replaced(tmp_path):
    path = tmp_path / "meta.tmx"
    with pytest.raises(TaiyakuError, match="U\\+0001"):
        write_units(path, [Unit("一", "one", metadata={"x-note": "a\x01b"})])
    assert not path.exists()
