"""TMX notes, props, attributes and dates: kept in order, written back where they were."""

from __future__ import annotations

import pytest
from lxml import etree

from taiyaku import TranslationMemory, Unit, open_db, read_units, write_units
from tests.conftest import FIXTURES

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What taiyaku itself adds to a <tu> (its own fields as props) or sets from the header.
OWN_PROPS = {"x-origin", "x-document", "x-position", "x-confidence", "x-bead"}


def _children(element) -> list[tuple]:
    """The <note>s and <prop>s of an element, in order, with their attributes."""
    return [
        (child.tag, sorted(child.attrib.items()), child.text or "")
        for child in element
        if child.tag in ("note", "prop") and child.get("type") not in OWN_PROPS
    ]


def _tus(path) -> list[tuple]:
    """Each <tu> as its attributes, notes and props, and each <tuv>'s, order kept."""
    out = []
    for tu in etree.parse(str(path)).getroot().iter("tu"):
        tu_attrs = {k: v for k, v in tu.attrib.items() if k != "srclang"}
        tuvs = []
        for tuv in tu.iter("tuv"):
            attrs = dict(tuv.attrib)
            lang = attrs.pop(XML_LANG, None) or attrs.pop("lang")
            tuvs.append((lang.lower(), attrs, _children(tuv)))
        out.append((tu_attrs, _children(tu), tuvs))
    return out


def _pairs(tus: list[tuple]) -> list[tuple]:
    """A multilingual <tu> as taiyaku writes it: one <tu> per target (the source first)."""
    return [(attrs, notes, [tuvs[0], target]) for attrs, notes, tuvs in tus for target in tuvs[1:]]


def _export(new_db_target, tmp_path, source, name="out.tmx"):
    db = open_db(new_db_target(f"{name}"))
    tm = TranslationMemory(db)
    added = tm.add_many(read_units(source)).added
    write_units(tmp_path / name, tm.iter_units())
    return added, tmp_path / name


@pytest.mark.parametrize(
    ("fixture", "count"),
    [
        ("lisa-ImportTest2C.tmx", 2),
        ("memoq-context.tmx", 2),
        ("trados-codes.tmx", 3),
        ("okapi-codes.tmx", 2),
        ("omegat-shape.tmx", 3),
    ],
)
def test_notes_props_attributes_and_dates_survive_export(new_db_target, tmp_path, fixture, count):
    added, out = _export(new_db_target, tmp_path, FIXTURES / fixture)
    assert added == count
    assert _tus(out) == _pairs(_tus(FIXTURES / fixture))


def test_tuv_props_and_every_note_are_read_in_order():
    first, second = read_units(FIXTURES / "memoq-context.tmx")
    assert [(a.kind, a.type, a.text, a.on) for a in first.annotations if a.kind != "attr"] == [
        ("note", "", "Title of the bureau page.", "unit"),
        ("prop", "client", "MIC", "unit"),
        ("note", "", "Checked against the English site.", "unit"),
        ("prop", "x-context-pre", "総務省", "source"),
        ("prop", "x-context-post", "組織の紹介", "source"),
        ("note", "", "見出し", "source"),
        ("note", "", "Official English name.", "target"),
    ]
    assert (first.created, first.changed) == ("2023-06-12T02:15:01Z", "2023-06-12T02:15:01Z")
    assert (second.created, second.changed) == ("2023-06-12T02:15:33Z", None)


def test_usage_count_and_last_usage_date_are_kept():
    (unit, *_) = read_units(FIXTURES / "trados-codes.tmx")
    attrs = {a.type: a.text for a in unit.annotations if a.kind == "attr"}
    assert attrs == {
        "creationid": "TRADOS\\translator",
        "changeid": "TRADOS\\reviewer",
        "lastusagedate": "20220101T000000Z",
        "usagecount": "3",
    }


def test_no_date_is_written_that_the_source_did_not_have(new_db_target, tmp_path):
    _, out = _export(new_db_target, tmp_path, FIXTURES / "okapi-codes.tmx")
    for tu in etree.parse(str(out)).getroot().iter("tu"):
        assert tu.get("creationdate") is None and tu.get("changedate") is None
    _, again = _export(new_db_target, tmp_path, out, "again.tmx")
    assert [tu.attrib for tu in etree.parse(str(again)).getroot().iter("tu")] == [
        tu.attrib for tu in etree.parse(str(out)).getroot().iter("tu")
    ]


def test_a_unit_taiyaku_adds_is_dated(new_db_target, tmp_path):
    tm = TranslationMemory(open_db(new_db_target("tm")))
    tm.add_many([Unit("一", "one", origin="added")])
    write_units(tmp_path / "out.tmx", tm.iter_units())
    tu = etree.parse(str(tmp_path / "out.tmx")).getroot().find("body/tu")
    assert tu.get("creationdate", "").endswith("Z") and tu.get("changedate", "").endswith("Z")


def test_notes_are_written_as_note_elements_not_props(new_db_target, tmp_path):
    _, out = _export(new_db_target, tmp_path, FIXTURES / "memoq-context.tmx")
    tu = etree.parse(str(out)).getroot().find("body/tu")
    assert [n.text for n in tu.findall("note")] == [
        "Title of the bureau page.",
        "Checked against the English site.",
    ]
    assert [p.get("type") for p in tu.findall("prop")] == ["client", "x-origin"]


def assert_valid_tmx(path) -> None:
    """``path`` is valid against the TMX 1.4b DTD (shipped in tests/fixtures)."""
    dtd = etree.DTD(str(FIXTURES / "tmx14.dtd"))
    document = etree.parse(str(path))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()


def test_the_dtd_rejects_what_tmx_1_4b_forbids(tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text(
        '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"'
        ' o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body><tu>'
        '<tuv xml:lang="en"><seg>a<sub>b</sub></seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    with pytest.raises(AssertionError):
        assert_valid_tmx(bad)


@pytest.mark.parametrize(
    "fixture",
    ["lisa-ImportTest2C.tmx", "memoq-context.tmx", "trados-codes.tmx", "okapi-codes.tmx"],
)
def test_export_with_codes_notes_and_props_is_valid_tmx_1_4b(new_db_target, tmp_path, fixture):
    _, out = _export(new_db_target, tmp_path, FIXTURES / fixture)
    assert_valid_tmx(out)


def test_translate_toolkit_reads_our_tmx_with_notes_and_codes(new_db_target, tmp_path):
    tmx = pytest.importorskip("translate.storage.tmx", reason="translate-toolkit not installed")
    db = open_db(new_db_target("tm"))
    tm = TranslationMemory(db)
    for fixture in ("memoq-context.tmx", "trados-codes.tmx"):
        tm.add_many(read_units(FIXTURES / fixture))
    write_units(tmp_path / "out.tmx", tm.iter_units())
    units = tmx.tmxfile.parsefile(str(tmp_path / "out.tmx")).units
    assert len(units) == 5
    assert units[0].getnotes().split("\n")[:2] == [
        "Title of the bureau page.",
        "Checked against the English site.",
    ]
    # Toolkit shows the native code of each inline element in place.
    assert units[2].source == "This is<br>a test"
    assert units[3].target.startswith("<b>OK</b>を押して<img")


def test_header_notes_props_and_character_maps_are_not_carried(new_db_target, tmp_path):
    _, out = _export(new_db_target, tmp_path, FIXTURES / "lisa-ImportTest2C.tmx")
    header = etree.parse(str(out)).getroot().find("header")
    assert (header.get("creationtool"), list(header)) == ("taiyaku", [])
    assert "Text of header note" not in out.read_text(encoding="utf-8")
