"""``pretranslate``'s XLIFF is valid: 1.2 against the OASIS strict XSD, 2.1 against core + modules.

The schemas are test fixtures (``tests/fixtures/xliff-schemas/``, sources in the fixtures'
README). They are resolved locally only: a resolver maps every schema location the XSDs name
(the W3C ``xml.xsd`` URL, the relative module imports) to the fixture files, and the parser
may not use the network. What XSD cannot say (ids unique where the spec requires, codes of a
target matching its source) is checked by hand below.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from taiyaku.cli import cli
from tests.conftest import FIXTURES, ROOT
from tests.test_loop import (
    SEED_HTML,
    X1,
    X2,
    XML_LANG,
    _docx,
    _fill_xliff1,
    _fill_xliff2,
    _tm_with_half,
)

SCHEMAS = FIXTURES / "xliff-schemas"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"


class _LocalSchemas(etree.Resolver):
    """Every ``xml.xsd`` location to the fixture copy; anything else not here is refused."""

    def resolve(self, system_url, public_id, context):
        if system_url.endswith("/xml.xsd") or system_url == "xml.xsd":
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        if system_url.startswith(("http:", "https:")):
            raise AssertionError(f"a schema asked for {system_url}, which is not a fixture")
        return None  # a relative location inside the fixtures: the parser finds it


def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(path), parser))


def _driver(*imports: tuple[str, Path]) -> etree.XMLSchema:
    """One schema importing several: XLIFF 2's core validates module elements it admits as
    ``lax`` wildcards only when their schemas are loaded beside it."""
    lines = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{path.as_uri()}"/>'
        for namespace, path in imports
    )
    text = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(io.StringIO(text), parser))


def strict12_schema() -> etree.XMLSchema:
    return _schema(SCHEMAS / "1.2" / "xliff-core-1.2-strict.xsd")


@pytest.fixture(scope="module")
def strict12() -> etree.XMLSchema:
    return strict12_schema()


@pytest.fixture(scope="module")
def core2() -> etree.XMLSchema:
    return _driver(
        (X2, SCHEMAS / "2.0" / "xliff_core_2.0.xsd"),
        (MTC, SCHEMAS / "2.0" / "modules" / "matches.xsd"),
        (GLS, SCHEMAS / "2.0" / "modules" / "glossary.xsd"),
    )


def _errors(schema: etree.XMLSchema, path: Path) -> list[str]:
    schema.validate(etree.parse(str(path)))
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


NS = {"x": X2, "mtc": MTC, "gls": GLS}
# Elements of a unit that share one id space (XLIFF 2.1 core, "id" constraints).
_IN_SEGMENT = "[ancestor-or-self::x:segment or ancestor-or-self::x:ignorable]"


def _xliff21_violations(root: etree._Element) -> list[str]:
    """XLIFF 2.1's processing requirements that XSD cannot express, after the OASIS XLIFF TC's
    Schematron rules (``xliff_core_2.1.sch``, ``matches.sch``, ``glossary.sch``): each
    violation is named by its rule id and the unit."""
    found = []
    files = Counter(f.get("id") for f in root.iterfind("x:file", NS))
    found += [f"K1 file id {i!r} repeated" for i, n in files.items() if n > 1]
    for file in root.iterfind("x:file", NS):
        units = Counter(u.get("id") for u in file.iterfind(".//x:unit", NS))
        found += [f"K3 unit id {i!r} repeated" for i, n in units.items() if n > 1]
    has_target = root.find("x:file//x:segment/x:target", NS) is not None
    if has_target and not root.get("trgLang"):
        found.append("F1 targets but no trgLang")
    for unit in root.iterfind(".//x:unit", NS):
        where = f"unit {unit.get('id')}"
        if unit.find("x:segment", NS) is None:
            found.append(f"F3 {where}: no segment")
        ids = unit.xpath(f".//x:*[@id]{_IN_SEGMENT}[not(ancestor::x:target)]", namespaces=NS)
        counts = Counter(e.get("id") for e in ids)
        found += [f"K6S {where}: id {i!r} repeated" for i, n in counts.items() if n > 1]
        for code in unit.xpath(f"x:*/x:target//x:*[@id]{_IN_SEGMENT}", namespaces=NS):
            same = unit.xpath(f".//x:*[@id=$id]{_IN_SEGMENT}", namespaces=NS, id=code.get("id"))
            partner = code.xpath(
                "ancestor::x:target/../x:source//x:*[@id=$id][local-name()=$name]",
                namespaces=NS,
                id=code.get("id"),
                name=etree.QName(code).localname,
            )
            if not (len(same) == 1 or (len(same) == 2 and len(partner) == 1)):
                found.append(
                    f"K6T {where}: target code id {code.get('id')!r} matches no source code"
                )
        for part, lang in (("source", root.get("srcLang")), ("target", root.get("trgLang"))):
            for element in unit.iterfind(f"x:segment/x:{part}[@{XML_LANG}]", NS):
                if element.get(XML_LANG).lower() != (lang or "").lower():
                    found.append(f"F4 {where}: {part} xml:lang differs from the document's")
        if (
            unit.find("x:segment[@subState]", NS) is not None
            and unit.find("x:segment[@subState][@state]", NS) is None
        ):
            found.append(f"subState {where}: subState without state")
        segment_ids = {e.get("id") for e in unit.xpath(f".//x:*[@id]{_IN_SEGMENT}", namespaces=NS)}
        matches = Counter(m.get("id") for m in unit.iterfind("mtc:matches/mtc:match[@id]", NS))
        found += [f"mtc1 {where}: match id {i!r} repeated" for i, n in matches.items() if n > 1]
        for match in unit.iterfind("mtc:matches/mtc:match", NS):
            if match.get("ref", "").removeprefix("#") not in segment_ids:
                found.append(f"mtc2 {where}: match ref {match.get('ref')!r} points nowhere")
            if match.get("subType") and not match.get("type"):
                found.append(f"mtc3 {where}: match subType without type")
        entries = unit.findall("gls:glossary/gls:glossEntry", NS)
        gls_ids = Counter(
            e.get("id")
            for entry in entries
            for e in [entry, *entry.iterfind("gls:translation", NS)]
            if e.get("id")
        )
        found += [f"gls1 {where}: id {i!r} repeated" for i, n in gls_ids.items() if n > 1]
        for entry in entries:
            if (
                entry.find("gls:translation", NS) is None
                and entry.find("gls:definition", NS) is None
            ):
                found.append(f"gls2 {where}: glossEntry without translation or definition")
            for element in [entry, *entry.iterfind("gls:translation", NS)]:
                ref = element.get("ref")
                if ref is not None and ref.removeprefix("#") not in segment_ids:
                    found.append(f"gls3 {where}: ref {ref!r} points nowhere")
    return found


def _xliff12_violations(root: etree._Element) -> list[str]:
    """XLIFF 1.2's requirements beyond its XSD: trans-unit ids unique in their ``<file>``,
    languages as the ``<file>`` declares them; and ours: a target's ``<g>``/``<x/>`` are the
    source's codes (same id, same element), which ``merge`` puts the markup back by."""
    q = f"{{{X1}}}"
    found = []
    for file in root.iter(f"{q}file"):
        units = Counter(u.get("id") for u in file.iter(f"{q}trans-unit"))
        found += [f"trans-unit id {i!r} repeated" for i, n in units.items() if n > 1]
        for unit in file.iter(f"{q}trans-unit"):
            where = f"trans-unit {unit.get('id')}"
            source, target = unit.find(f"{q}source"), unit.find(f"{q}target")
            if source.get(XML_LANG, file.get("source-language")) != file.get("source-language"):
                found.append(f"{where}: source xml:lang differs from the file's")
            if target is None:
                continue
            if target.get(XML_LANG, file.get("target-language")) != file.get("target-language"):
                found.append(f"{where}: target xml:lang differs from the file's")
            codes = {(c.tag, c.get("id")) for c in source.iter(f"{q}g", f"{q}x")}
            for code in target.iter(f"{q}g", f"{q}x"):
                if (code.tag, code.get("id")) not in codes:
                    found.append(f"{where}: target code id {code.get('id')!r} not in the source")
    return found


def _problems12(schema: etree.XMLSchema, path: Path) -> list[str]:
    return _errors(schema, path) + _xliff12_violations(etree.parse(str(path)).getroot())


def _problems21(schema: etree.XMLSchema, path: Path) -> list[str]:
    return _errors(schema, path) + _xliff21_violations(etree.parse(str(path)).getroot())


def _pretranslate(runner, source: Path, output: str, *options: str) -> Path:
    result = runner.invoke(cli, ["pretranslate", str(source), "-o", output, *options])
    assert result.exit_code == 0, result.output
    return source.parent / output


def _found(path: Path, namespace: str, *tags: str) -> bool:
    root = etree.parse(str(path)).getroot()
    return all(root.find(f".//{{{namespace}}}{tag}") is not None for tag in tags)


@pytest.fixture
def seed_page(tmp_path: Path, runner) -> Path:
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    return page


def test_seed_page_as_xliff12_is_strictly_valid(seed_page, runner, strict12):
    xlf = _pretranslate(runner, seed_page, "page.xlf")
    # The file has what the schema is asked about: candidates, term notes, codes, states.
    assert _found(xlf, X1, "alt-trans", "note", "g", "target")
    assert _problems12(strict12, xlf) == []
    _fill_xliff1(xlf)  # what a translator hands back stays valid too
    assert _problems12(strict12, xlf) == []


def test_seed_page_as_xliff21_is_valid_with_its_modules(seed_page, runner, core2):
    xlf = _pretranslate(runner, seed_page, "page.xlf", "--xliff-version", "2")
    assert etree.parse(str(xlf)).getroot().get("version") == "2.1"
    assert _found(xlf, MTC, "matches", "match") and _found(xlf, GLS, "glossary", "glossEntry")
    assert _found(xlf, X2, "pc", "target", "skeleton")
    assert _problems21(core2, xlf) == []
    _fill_xliff2(xlf)
    assert _problems21(core2, xlf) == []


def test_matches_carrying_codes_are_valid(seed_page, runner, strict12, core2):
    """Translations with tags in the TM come back as coded targets and candidates."""
    first = _pretranslate(runner, seed_page, "first.xlf")
    _fill_xliff1(first)
    assert runner.invoke(cli, ["tm", "import", str(first)]).exit_code == 0
    again = _pretranslate(runner, seed_page, "again.xlf")
    root = etree.parse(str(again)).getroot()
    assert root.find(f".//{{{X1}}}target[@state='translated']/{{{X1}}}g") is not None
    assert _problems12(strict12, again) == []
    again2 = _pretranslate(runner, seed_page, "again2.xlf", "--xliff-version", "2")
    assert _found(again2, X2, f"segment/{{{X2}}}target/{{{X2}}}pc")
    assert _problems21(core2, again2) == []


def test_a_character_xml_cannot_hold_is_a_cp_in_21_and_refused_in_12(tmp_path, runner, core2):
    """U+0001 in a text file: 2.1 carries it as <cp hex="0001"/> there and back; 1.2 cannot."""
    _tm_with_half(tmp_path, runner)
    source = tmp_path / "ctl.txt"
    source.write_text("国際戦略局\n総務省では\x01海外展開を推進しています。\n", encoding="utf-8")
    result = runner.invoke(cli, ["pretranslate", str(source), "-o", "c.xlf"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: ctl.txt: segment 2 holds U+0001, a character XLIFF 1.2 cannot carry: "
        "write XLIFF 2 (--xliff-version 2, which has <cp>) or an .xlsx sheet"
    ]
    assert not (tmp_path / "c.xlf").exists()
    xlf = _pretranslate(runner, source, "c2.xlf", "--xliff-version", "2")
    assert _problems21(core2, xlf) == []
    tree = etree.parse(str(xlf))
    segment = next(s for s in tree.iter(f"{{{X2}}}segment") if s.get("id") == "s2")
    cp = segment.find(f"{{{X2}}}source/{{{X2}}}cp")
    assert cp is not None and cp.get("hex") == "0001"
    target = etree.SubElement(segment, f"{{{X2}}}target")
    target.text = "MIC promotes"
    etree.SubElement(target, f"{{{X2}}}cp", hex="0001").tail = " overseas deployment."
    segment.set("state", "translated")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert _problems21(core2, xlf) == []
    result = runner.invoke(cli, ["merge", str(xlf), "-o", "ctl.en.txt"])
    assert result.exit_code == 0, result.output
    assert "MIC promotes\x01 overseas deployment." in (tmp_path / "ctl.en.txt").read_text(
        encoding="utf-8"
    )


def test_a_glossary_term_xml_cannot_hold_is_one_error_in_both_versions(tmp_path):
    from taiyaku.errors import FormatError
    from taiyaku.formats.bilingual import BilingualSegment, GlossaryHint
    from taiyaku.formats.sources import read_source
    from taiyaku.formats.xliff import write_xliff

    source = tmp_path / "page.txt"
    source.write_text("国際戦略局です。\n", encoding="utf-8")
    document = read_source(source)
    term = GlossaryHint("国際戦略局", "Global\x1bStrategy Bureau", "preferred")
    segments = [BilingualSegment(document.segments[0], terms=[term])]
    for version, carry in (("1.2", "XLIFF 1.2 cannot carry"), ("2", "2.1 cannot carry there")):
        with pytest.raises(
            FormatError, match=f"glossary term of segment 1 holds U\\+001B.*{carry}"
        ):
            write_xliff(tmp_path / "out.xlf", document, segments, target_lang="en", version=version)
        assert not (tmp_path / "out.xlf").exists()


def test_docx_as_xliff_is_valid_in_both_versions(tmp_path, runner, strict12, core2):
    _tm_with_half(tmp_path, runner)
    source = tmp_path / "seed.docx"
    _docx(source)
    assert _problems12(strict12, _pretranslate(runner, source, "seed.xlf")) == []
    assert _problems21(core2, _pretranslate(runner, source, "s2.xlf", "--xliff-version", "2")) == []


def test_markdown_and_text_as_xliff_are_valid(tmp_path, runner, strict12, core2):
    _tm_with_half(tmp_path, runner)
    md = tmp_path / "notes.md"
    md.write_text(
        "# 国際戦略局\n\n国際戦略局は**情報通信**の[戦略](https://x.jp/)を担います。\n\n"
        "- 技術政策課\n- 通信規格課\n",
        encoding="utf-8",
    )
    text = tmp_path / "page.txt"
    text.write_bytes((ROOT / "tm" / "mic-global-strategy-bureau.ja.txt").read_bytes())
    for source in (md, text):
        assert _problems12(strict12, _pretranslate(runner, source, "a.xlf")) == []
        assert (
            _problems21(core2, _pretranslate(runner, source, "b.xlf", "--xliff-version", "2")) == []
        )


def test_xliff_from_another_tool_pretranslated_is_valid(tmp_path, runner, strict12, core2):
    """Okapi's XLIFF 1.2 shape (<g>, <x/>, a kept translation) and an XLIFF 2.0 with <pc>/<ph/>."""
    _tm_with_half(tmp_path, runner)
    okapi = tmp_path / "okapi.xlf"
    okapi.write_bytes((FIXTURES / "okapi-shape.xlf").read_bytes())
    ours = _pretranslate(runner, okapi, "ours.xlf")
    assert _found(ours, X1, "g", "x")
    assert _problems12(strict12, ours) == []
    ours2 = _pretranslate(runner, okapi, "ours2.xlf", "--xliff-version", "2")
    assert _found(ours2, X2, "pc", "ph")
    assert _problems21(core2, ours2) == []
    other2 = tmp_path / "other.xlf"
    other2.write_text(
        f'<xliff xmlns="{X2}" version="2.0" srcLang="ja"><file id="f"><unit id="u1">'
        '<segment><source><pc id="1" type="fmt">国際戦略局</pc></source></segment></unit>'
        '<unit id="u2"><segment><source>海外展開の推進<ph id="1" type="other"/></source></segment>'
        "</unit></file></xliff>",
        encoding="utf-8",
    )
    assert _problems12(strict12, _pretranslate(runner, other2, "o1.xlf")) == []
    assert _problems21(core2, _pretranslate(runner, other2, "o2.xlf", "--xliff-version", "2")) == []


def test_xliff_written_by_translate_toolkit_pretranslated_is_valid(tmp_path, runner, strict12):
    pytest.importorskip("translate.storage.xliff")
    from translate.storage.placeables import StringElem
    from translate.storage.placeables.xliff import G, X
    from translate.storage.xliff import xlifffile

    store = xlifffile(sourcelanguage="ja", targetlanguage="en")
    unit = store.addsourceunit("x")
    unit.setid("p1")
    unit.rich_source = [
        StringElem(["総務省では", X(id="1"), "海外展開の", G(id="2", sub=["推進"]), "です。"])
    ]
    source = tmp_path / "tt.xlf"
    source.write_bytes(bytes(store))
    _tm_with_half(tmp_path, runner)
    ours = _pretranslate(runner, source, "ours.xlf")
    assert _found(ours, X1, "g", "x")
    assert _problems12(strict12, ours) == []


# --- the checks themselves find what they look for ----------------------------------------------


def test_the_schemas_refuse_what_the_writer_must_not_write(tmp_path, strict12, core2):
    bad12 = tmp_path / "bad12.xlf"
    bad12.write_text(
        f'<xliff xmlns="{X1}" version="1.2"><file original="a" source-language="ja" '
        'datatype="html"><body><trans-unit id="1"><source>a</source>'
        '<alt-trans match-quality="80"><target>b</target></alt-trans>'
        '<target state="bogus">c</target></trans-unit></body></file></xliff>',
        encoding="utf-8",
    )
    errors = _errors(strict12, bad12)
    assert len(errors) == 1 and "document:1.2}target': This element is not expected" in errors[0]
    bad2 = tmp_path / "bad2.xlf"
    bad2.write_text(
        f'<xliff xmlns="{X2}" xmlns:mtc="{MTC}" xmlns:gls="{GLS}" version="2.1" srcLang="ja">'
        '<file id="f"><unit id="u"><mtc:matches><mtc:match ref="#s" matchQuality="101">'
        "<source>a</source><target>b</target></mtc:match></mtc:matches>"
        "<gls:glossary><gls:glossEntry><gls:translation>t</gls:translation></gls:glossEntry>"
        '</gls:glossary><segment id="s"><source>a</source></segment></unit></file></xliff>',
        encoding="utf-8",
    )
    errors = _errors(core2, bad2)
    assert len(errors) == 2
    assert "'matchQuality'" in errors[0] and "glossary:2.0}translation" in errors[1]


def test_the_processing_requirement_checks_find_each_violation():
    doc2 = etree.fromstring(
        f'<xliff xmlns="{X2}" xmlns:mtc="{MTC}" xmlns:gls="{GLS}" version="2.1" srcLang="ja">'
        '<file id="f"><unit id="u1"><segment id="s1" subState="a:b"><source xml:lang="ja">'
        '<pc id="s1">x</pc></source><target xml:lang="fr"><ph id="s1"/></target></segment>'
        '</unit><unit id="u1"><mtc:matches>'
        '<mtc:match id="m" ref="#nowhere" subType="a:b"><source>a</source><target>b</target>'
        '</mtc:match><mtc:match id="m" ref="#s2"><source>a</source><target>b</target></mtc:match>'
        '</mtc:matches><gls:glossary><gls:glossEntry ref="#zz"><gls:term>t</gls:term>'
        "</gls:glossEntry></gls:glossary><ignorable><source> </source></ignorable></unit>"
        '<unit id="u3"><segment id="s2"><source>a</source></segment></unit></file>'
        '<file id="f"><unit id="u"><segment><source>a</source></segment></unit></file></xliff>'
    )
    rules = ["K1", "K3", "F1", "F3", "F4", "K6S", "K6T", "mtc1", "mtc2", "mtc2", "mtc3"]
    rules += ["gls2", "gls3", "subState"]
    assert sorted(v.split()[0] for v in _xliff21_violations(doc2)) == sorted(rules)
    doc12 = etree.fromstring(
        f'<xliff xmlns="{X1}" version="1.2"><file original="a" source-language="ja" '
        'target-language="en" datatype="html"><body><trans-unit id="1"><source xml:lang="en">'
        'a<g id="1">b</g></source><target xml:lang="ja"><x id="1"/></target></trans-unit>'
        '<trans-unit id="1"><source>a</source></trans-unit></body></file></xliff>'
    )
    assert _xliff12_violations(doc12) == [
        "trans-unit id '1' repeated",
        "trans-unit 1: source xml:lang differs from the file's",
        "trans-unit 1: target xml:lang differs from the file's",
        "trans-unit 1: target code id '1' not in the source",
    ]
