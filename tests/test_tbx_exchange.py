"""TBX export that the schemas, taiyaku and Translate Toolkit accept, whatever the content."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from taiyaku import Glossary, Term, read_terms, write_terms
from taiyaku.cli import cli
from taiyaku.formats.tbx import write_tbx
from tests.conftest import FIXTURES, shared_file
from tests.tbx_schemas import rng_errors, schematron_errors

AWKWARD = [
    Term(
        "国際戦略局",
        "Global Strategy Bureau",
        note="Official name.\n  Used since 2008.\n\nSee 総務省.",
        pos="proper noun",
        domain="organisation",
        source="MIC",
        created="20010430T11:21:18Z",  # SDLX's malformed date
        changed="2024-01-02T03:04:05Z",
    ),
    Term("国際戦略局", "International Strategy Bureau", status="deprecated", pos="名詞"),
    Term("総務省", "MIC", status="admitted", pos="noun", created="last spring"),
    Term("翻訳する", "translate", pos="動詞", status="forbidden", note="x  y"),
]


def test_v3_with_line_breaks_odd_dates_and_free_pos_is_valid(tmp_path):
    path = tmp_path / "out.tbx"
    warnings: list[str] = []
    assert write_tbx(path, AWKWARD, warn=warnings.append) == 4
    assert rng_errors(path) == []
    assert schematron_errors(path) == []
    assert warnings == ["総務省 → MIC: the origination date 'last spring' is not a date; left out"]
    assert "xml:space" not in path.read_text(encoding="utf-8")
    back = {(t.ja, t.en): t for t in read_terms(path)}
    first = back["国際戦略局", "Global Strategy Bureau"]
    assert first.note == "Official name.\nUsed since 2008.\nSee 総務省."
    assert first.pos == "proper noun"  # kept as a note line, read back as the part of speech
    assert (first.created, first.changed) == ("2001-04-30", "2024-01-02")
    assert back["国際戦略局", "International Strategy Bureau"].pos == "noun"
    assert back["翻訳する", "translate"].pos == "verb"
    assert back["総務省", "MIC"].created is None


def test_the_schemas_reject_what_taiyaku_used_to_write(tmp_path):
    path = tmp_path / "old.tbx"
    path.write_text(
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="ja">'
        "<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>"
        '<text><body><conceptEntry id="c1"><langSec xml:lang="ja"><termSec><term>一</term>'
        '</termSec></langSec><langSec xml:lang="en"><termSec><term>one</term>'
        '<termNote type="partOfSpeech">proper noun</termNote><transacGrp>'
        '<transac type="transactionType">origination</transac><date>20010430T11:21:18Z</date>'
        '</transacGrp><note xml:space="preserve">a\nb</note></termSec></langSec>'
        "</conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    assert len(rng_errors(path)) >= 1
    assert any("partOfSpeech" in e for e in schematron_errors(path))


XML_TEXT = st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff")
ANY_TERM = st.builds(
    Term,
    ja=st.text(XML_TEXT, min_size=1, max_size=8).filter(str.strip),
    en=st.text(XML_TEXT, min_size=1, max_size=8).filter(str.strip),
    note=st.text(st.sampled_from("ab \n\t\r　語"), max_size=12),
    domain=st.text(XML_TEXT, max_size=5),
    pos=st.text(XML_TEXT, max_size=6) | st.sampled_from(["noun", "名詞", "Verb", "adj."]),
    status=st.sampled_from(["preferred", "admitted", "deprecated", "forbidden"]),
    source=st.text(XML_TEXT, max_size=5),
    created=st.none() | st.sampled_from(["2024-01-02T03:04:05Z", "20010430T11:21:18Z", "?"]),
    changed=st.none() | st.sampled_from(["2024-02-29", "2023-02-29"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(terms=st.lists(ANY_TERM, min_size=1, max_size=4))
def test_any_content_gives_valid_tbx_v3(tmp_path_factory, terms):
    path = tmp_path_factory.mktemp("tbx") / "any.tbx"
    write_tbx(path, terms)
    assert rng_errors(path) == []
    assert schematron_errors(path) == []


def _glossary_with(db, terms) -> Glossary:
    glossary = Glossary(db)
    glossary.add_many(terms)
    return glossary


def test_v2_martif_reads_back_with_every_term(tmp_path, db):
    path = tmp_path / "v2.tbx"
    glossary = _glossary_with(db, AWKWARD)
    assert write_terms(path, glossary.iter_terms(), tbx_version=2) == 4
    root = etree.parse(str(path)).getroot()
    assert (root.tag, root.get("type")) == ("martif", "TBX-Basic")
    assert len(root.findall("text/body/termEntry")) == 4  # one per term and domain
    assert sorted((t.ja, t.en) for t in read_terms(path)) == sorted((t.ja, t.en) for t in AWKWARD)


def test_translate_toolkit_reads_every_term_of_v2(tmp_path, db):
    tbx = pytest.importorskip("translate.storage.tbx", reason="translate-toolkit not installed")
    path = tmp_path / "v2.tbx"
    write_terms(path, _glossary_with(db, AWKWARD).iter_terms(), tbx_version=2)
    store = tbx.tbxfile.parsefile(str(path))
    pairs = set()
    for unit in store.units:
        sources = [t.text for t in unit.get_source_terms()]
        targets = [t.text for t in unit.get_target_terms()]
        pairs |= {(s, t) for s in sources for t in targets}
    assert pairs == {(t.ja, t.en) for t in AWKWARD}
    notes = [u.getnotes() for u in store.units if u.source == "国際戦略局"]
    assert any("Used since 2008." in n for n in notes)


def test_cli_exports_tbx_v2_on_request_and_v3_by_default(new_db_target, tmp_path, runner):
    db = str(new_db_target("g"))
    assert (
        runner.invoke(
            cli, ["--db", db, "term", "add", "国際戦略局", "Global Strategy Bureau"]
        ).exit_code
        == 0
    )
    result = runner.invoke(cli, ["--db", db, "term", "export", "v2.tbx", "--tbx-version", "2"])
    assert result.exit_code == 0, result.output
    assert etree.parse("v2.tbx").getroot().tag == "martif"
    assert runner.invoke(cli, ["--db", db, "term", "export", "v3.tbx"]).exit_code == 0
    assert etree.parse("v3.tbx").getroot().tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    assert rng_errors(tmp_path / "v3.tbx") == []


@pytest.mark.slow
def test_jlt_dictionary_exports_as_valid_tbx_v3(tmp_path):
    """The real dictionary: 141 of its concepts have notes with line breaks."""
    source = shared_file("jlt-legal-terms-ja-en", "law.je.dic.18.0.xml")
    terms = sorted(read_terms(source), key=lambda t: (t.ja, t.domain))
    path = tmp_path / "jlt.tbx"
    assert write_terms(path, terms) == len(terms) > 3000
    assert rng_errors(path) == []
    # The Schematron runs in pure Python: check it on the entries whose notes break lines.
    some = tmp_path / "some.tbx"
    broken = [t for t in terms if "\n" in t.note]
    assert len(broken) > 100
    write_terms(some, broken[:300])
    assert schematron_errors(some) == []


def test_shipped_schemas_accept_the_shipped_tbx_fixture():
    assert rng_errors(FIXTURES / "tbx-v3-dca.tbx") == []
