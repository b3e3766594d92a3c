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
from tests.conftest import FIXTURES
from tests.test_loop import SEED_HTML, X1, X2, _docx, _fill_xliff1, _tm_with_half

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


@pytest.fixture(scope="module")
def strict12() -> etree.XMLSchema:
    return _schema(SCHEMAS / "1.2" / "xliff-core-1.2-strict.xsd")


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


def _pretranslate(runner, source: Path, output: str, *options: str) -> Path:
    result = runner.invoke(cli, ["pretranslate", str(source), "-o", output, *options])
    assert result.exit_code == 0, result.output
    return source.parent / output


@pytest.fixture
def seed_page(tmp_path: Path, runner) -> Path:
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    return page


def test_seed_page_as_xliff12_is_strictly_valid(seed_page, runner, strict12):
    xlf = _pretranslate(runner, seed_page, "page.xlf")
    root = etree.parse(str(xlf)).getroot()
    # The file uses what the schema is asked about: candidates, term notes, codes, states.
    assert root.find(f".//{{{X1}}}alt-trans") is not None
    assert root.find(f".//{{{X1}}}note") is not None
    assert root.find(f".//{{{X1}}}g") is not None
    assert _errors(strict12, xlf) == []
    _fill_xliff1(xlf)  # what a translator hands back stays valid too
    assert _errors(strict12, xlf) == []


def test_seed_page_as_xliff21_is_valid_with_its_modules(seed_page, runner, core2):
    xlf = _pretranslate(runner, seed_page, "page.xlf", "--xliff-version", "2")
    root = etree.parse(str(xlf)).getroot()
    assert root.get("version") == "2.1"
    assert root.find(f".//{{{MTC}}}match") is not None
    assert root.find(f".//{{{GLS}}}glossEntry") is not None
    assert root.find(f".//{{{X2}}}pc") is not None
    assert _errors(core2, xlf) == []


def test_docx_as_xliff_is_valid_in_both_versions(tmp_path, runner, strict12, core2):
    _tm_with_half(tmp_path, runner)
    source = tmp_path / "seed.docx"
    _docx(source)
    assert _errors(strict12, _pretranslate(runner, source, "seed.xlf")) == []
    assert _errors(core2, _pretranslate(runner, source, "seed2.xlf", "--xliff-version", "2")) == []


def test_xliff_from_another_tool_pretranslated_is_valid(tmp_path, runner, strict12, core2):
    _tm_with_half(tmp_path, runner)
    source = tmp_path / "okapi.xlf"
    source.write_bytes((FIXTURES / "okapi-shape.xlf").read_bytes())
    assert _errors(strict12, _pretranslate(runner, source, "ours.xlf")) == []
    assert _errors(core2, _pretranslate(runner, source, "ours2.xlf", "--xliff-version", "2")) == []
