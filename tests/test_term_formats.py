"""Glossary exchange: TSV, CSV, XLSX, TBX v2/v3, OmegaT and the JLT dictionary.

Round trips go through the store: export → import into a new database → the same entries,
every field the format can carry.
"""

import zipfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from taiyaku import FormatError, Glossary, Term, read_terms, write_terms
from taiyaku.errors import TaiyakuError
from taiyaku.formats import detect_term_format
from taiyaku.formats.tbx import picklist_pos, read_tbx
from taiyaku.store.db import open_db
from tests.conftest import FIXTURES, shared_file

# Terms are one line with no outer spaces; notes and sources may hold anything printable.
TERM = (
    st.text(st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
FREE = st.text(st.characters(exclude_categories=["Cs"]), max_size=30).map(str.strip)
FIELD = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=15).map(str.strip)
DATE = st.sampled_from(["2024-01-02T03:04:05Z", "2025-12-31T23:59:59Z"])
ENTRY = st.builds(
    Term,
    ja=TERM,
    en=TERM,
    note=FREE,
    domain=FIELD,
    pos=FIELD,
    status=st.sampled_from(["preferred", "admitted", "deprecated", "forbidden"]),
    source=FIELD,
    created=DATE,
    changed=DATE,
)


def store_round_trip(new_db_target, path, terms, **read):
    """Store ``terms``, write them to ``path``, read them into a second database: both lists."""
    source = Glossary(open_db(new_db_target("source", empty=True)))
    source.add_many(terms)
    write_terms(path, source.iter_terms())
    target = Glossary(open_db(new_db_target("target", empty=True)))
    target.add_many(read_terms(path, **read))
    strip = lambda t: Term(**{**t.__dict__, "id": None})  # noqa: E731
    try:
        return [strip(t) for t in source.iter_terms()], [strip(t) for t in target.iter_terms()]
    finally:
        source.db.close()
        target.db.close()


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".xlsx", ".tbx"])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(terms=st.lists(ENTRY, min_size=1, max_size=5, unique_by=lambda t: (t.ja, t.en)))
def test_round_trip_keeps_every_field(new_db_target, backend, tmp_path_factory, suffix, terms):
    # PostgreSQL's text cannot hold U+0000 (test_pg_backend: an import names the entry).
    assume(backend == "sqlite" or not any("\0" in str(v) for t in terms for v in vars(t).values()))
    path = tmp_path_factory.mktemp("rt") / f"glossary{suffix}"
    if suffix == ".tbx" and any(  # XML 1.0 cannot hold most control characters
        ord(c) < 32 and c not in "\t\n\r"
        for t in terms
        for v in t.__dict__.values()
        for c in str(v)
    ):
        with pytest.raises(TaiyakuError, match="cannot hold the control character"):
            store_round_trip(new_db_target, path, terms)
        assert not path.exists()
        return
    before, after = store_round_trip(new_db_target, path, terms)
    if suffix == ".tbx":
        before = [tbx_view(t) for t in before]
    assert after == before


def _ws(text: str) -> str:
    return " ".join(text.split())


def tbx_view(term: Term) -> Term:
    """What TBX carries of ``term``: white space normalised (TBX v3 allows no xml:space),
    note lines kept (one <note> each), dates as xs:date, part of speech on the picklist."""
    lines = [_ws(line) for line in term.note.split("\n") if line.strip()]
    return Term(
        ja=_ws(term.ja),
        en=_ws(term.en),
        note="\n".join(dict.fromkeys(lines)),
        domain=_ws(term.domain),
        pos=picklist_pos(term.pos) or _ws(term.pos),
        status=term.status,
        source=_ws(term.source),
        created=term.created and term.created[:10],
        changed=term.changed and term.changed[:10],
    )


ONE_LINE = (
    st.text(st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=20)
    .map(str.strip)
    .filter(lambda s: not s.startswith("#"))
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pairs=st.lists(
        st.tuples(ONE_LINE.filter(bool), ONE_LINE.filter(bool), ONE_LINE),
        min_size=1,
        max_size=5,
        unique_by=lambda p: (p[0], p[1]),
    )
)
def test_omegat_round_trip_keeps_terms_and_note(tmp_path_factory, pairs):
    terms = [Term(ja, en, note=note) for ja, en, note in pairs]
    path = tmp_path_factory.mktemp("omegat") / "glossary.utf8"
    write_terms(path, terms)
    # OmegaT's reader guesses the direction from the scripts: force ours for random text.
    from taiyaku.formats.omegat_glossary import read_omegat

    got = {(t.ja, t.en, t.note) for t in read_omegat(path)}
    expected = {(ja, en, note) for ja, en, note in pairs}
    swapped = {(en, ja, note) for ja, en, note in pairs}
    assert all(g in expected or g in swapped for g in got) and len(got) == len(expected)


def test_xlsx_hyperlink_term_has_no_formula_and_comes_back(new_db_target, tmp_path):
    evil = '=HYPERLINK("http://example.invalid","click")'
    terms = [Term(evil, "link", note="+1 -2 @x"), Term("政府", "government", note="\tcell")]
    for suffix in (".xlsx", ".csv"):
        before, after = store_round_trip(new_db_target, tmp_path / f"g{suffix}", terms)
        assert after == before
    with zipfile.ZipFile(tmp_path / "g.xlsx") as book:
        sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and all("<f>" not in s and "<f " not in s for s in sheets)
    assert "HYPERLINK" in sheets[0]
    import csv

    with open(tmp_path / "g.csv", encoding="utf-8", newline="") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    assert '\'=HYPERLINK("http://example.invalid","click")' in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_xlsx_export_is_pleasant(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "g.xlsx"
    write_terms(
        path,
        [Term("国際戦略局", "Global Strategy Bureau", note="long " * 30)],
        about=[("Terms", "1")],
    )
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J2"
    assert sheet["C2"].alignment.wrap_text and sheet.column_dimensions["C"].width >= 30
    assert book.sheetnames[1] == "About" and book["About"]["B1"].value == "1"


def test_xlsx_title_above_header_and_several_renderings(tmp_path, db):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["総務省 用語集 2024年版"])
    sheet.append([])
    sheet.append(["日本語", "英語", "備考"])
    sheet.append(["相手方", "opponent\ncounterparty", "使い分けあり"])
    sheet.append(["政府", "government", ""])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    terms = list(read_terms(path, split="\n"))
    assert [(t.ja, t.en) for t in terms] == [
        ("相手方", "opponent"),
        ("相手方", "counterparty"),
        ("政府", "government"),
    ]
    assert terms[1].note == "使い分けあり"
    glossary = Glossary(db)
    with pytest.raises(TaiyakuError, match="a term is one line"):
        # Without split, a line break inside a term is refused by the store.
        glossary.add_many(read_terms(path))
    assert glossary.count() == 0


def test_shift_jis_csv(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes("用語,訳語,注記\n取扱い,handling,社内用語\n".encode("cp932"))
    (term,) = read_terms(path)
    assert (term.ja, term.en, term.note) == ("取扱い", "handling", "社内用語")


def test_tbx_v2_martif_fixture():
    terms = list(read_terms(FIXTURES / "tbx-v2-martif.tbx"))
    assert [(t.ja, t.en) for t in terms] == [
        ("原文", "source string"),
        ("基礎となる翻訳ファイル", "base file"),
        ("政府", "government"),  # ntig/termGrp, region subtags
    ]
    assert terms[1].note == "一行目 二行目"  # &#13; and the line break: white space
    assert terms[2].pos == "noun"


@pytest.mark.parametrize("name", ["tbx-v3-dca.tbx", "tbx-v3-dct.tbx"])
def test_tbx_v3_fixtures(name):
    terms = list(read_terms(FIXTURES / name))
    assert [(t.ja, t.en, t.status) for t in terms] == [
        ("国際戦略局", "Global Strategy Bureau", "preferred"),
        ("国際戦略局", "International Strategy Bureau", "forbidden"),
    ]
    good, bad = terms
    assert good.domain == "organisation" and good.pos == "properNoun"
    assert good.source == "MIC English pages"
    assert good.note == (
        "A bureau of the Ministry of Internal Affairs and Communications.\n"
        "The bureau in charge of ICT strategy."
    )
    assert good.created == "2010-04-17" and bad.changed == "2011-01-01"


def test_tbx_dca_and_dct_agree():
    assert list(read_terms(FIXTURES / "tbx-v3-dca.tbx")) == list(
        read_terms(FIXTURES / "tbx-v3-dct.tbx")
    )


def test_tbx_export_is_tbx_basic_dca(tmp_path):
    path = tmp_path / "g.tbx"
    write_terms(
        path,
        [
            Term("政府", "government", status="preferred"),
            Term("政府", "Government", status="forbidden"),
        ],
    )
    text = path.read_text(encoding="utf-8")
    assert (
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="ja">'
        in text
    )
    assert text.count("<conceptEntry") == 1 and text.count("<termSec>") == 3
    assert "deprecatedTerm-admn-sts" in text


def test_omegat_fixture_both_directions():
    terms = list(read_terms(FIXTURES / "glossary-omegat.utf8"))
    assert [(t.ja, t.en, t.note) for t in terms] == [
        ("原文", "source string", ""),
        ("基礎となる翻訳ファイル", "base file", "原文を定義する言語ファイル"),
        ("政府", "government", ""),
    ]


def test_txt_is_tsv_or_omegat_by_content(tmp_path):
    tsv = tmp_path / "a.txt"
    tsv.write_text("ja\ten\n政府\tgovernment\n", encoding="utf-8")
    omegat = tmp_path / "b.txt"
    omegat.write_text("政府\tgovernment\tnote\n", encoding="utf-8")
    assert (detect_term_format(tsv), detect_term_format(omegat)) == ("tsv", "omegat")


def test_jlt_slice():
    path = FIXTURES / "jlt-legal-terms-slice.xml"
    assert detect_term_format(path) == "jlt"
    terms = list(read_terms(path))
    assert [(t.ja, t.en) for t in terms] == [
        ("相手方", "opponent"),
        ("相手方", "counterparty"),
        ("青色事業専従者", "family employees of a blue return taxpayer"),
        ("言渡し", "rendering"),
    ]
    assert terms[0].note == "対審手続の場合" and terms[0].domain == "law"
    assert terms[3].note == "刑事の場合\n【動詞】言い渡す：render\n民事の場合"
    assert "Ministry of Justice" in terms[0].source


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<tbx><text><body><conceptEntry>", "invalid XML"),
        ("<tmx/>", "not a TBX file"),
        (
            '<tbx><text><body><conceptEntry><langSec xml:lang="en"><termSec><term>x</term>'
            '<termNote type="administrativeStatus">bogus</termNote></termSec></langSec>'
            "</conceptEntry></body></text></tbx>",
            "unknown administrativeStatus 'bogus'",
        ),
    ],
)
def test_bad_tbx_names_the_place(tmp_path, content, message):
    path = tmp_path / "bad.tbx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=message) as caught:
        list(read_terms(path))
    assert "line" in str(caught.value) and str(path) in str(caught.value)


def test_omegat_line_without_target_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "g.utf8"
    path.write_text("総務省\n政府\tgovernment\n\tlost\n", encoding="utf-8")
    warnings: list[str] = []
    assert [(t.ja, t.en) for t in read_terms(path, warn=warnings.append)] == [
        ("政府", "government")
    ]
    assert [w.split(": ")[1] for w in warnings] == ["line 1", "line 3"]
    path.write_text("総務省\n", encoding="utf-8")
    with pytest.raises(FormatError, match="line 1"):
        list(read_terms(path))


# Real files of ../shared/data, when present.


def test_real_weblate_tbx_v2(db):
    path = shared_file("weblate-glossary-tbx", "ja.tbx")
    terms = list(read_terms(path))
    # 154 entries, 6 with an empty Japanese term.
    assert len(terms) == 148
    by_en = {t.en: t for t in terms}
    assert by_en["subscribe"].ja == "加入"
    assert by_en["base file"].note == "原文を定義する言語ファイル"
    assert any("\n" not in t.note and "Read-only" in t.note for t in terms)
    result = Glossary(db).add_many(terms)
    assert (result.added, result.unchanged) == (147, 1)  # one pair is listed twice


@pytest.mark.parametrize(
    "name", ["Example_Astronomy_DCA_VALID.tbx", "Example_Astronomy_DCT_VALID.tbx"]
)
def test_real_tbx_basic_v3_samples(name):
    path = shared_file("tbx-basic-v3-sample", name)
    # No Japanese in the samples: refused, naming the languages found (issue 10).
    with pytest.raises(FormatError, match=r"languages are en, es"):
        list(read_terms(path))
    terms = list(read_tbx(path, langs=("es", "en")))
    assert len(terms) > 30
    cluster = [t for t in terms if t.en == "open cluster"]
    assert cluster and cluster[0].domain == "General" and cluster[0].pos == "noun"
    assert any(t.status == "deprecated" for t in terms)  # supersededTerm-admn-sts


def test_real_tbx_dca_and_dct_samples_agree():
    dca = shared_file("tbx-basic-v3-sample", "Example_Astronomy_DCA_VALID.tbx")
    dct = shared_file("tbx-basic-v3-sample", "Example_Astronomy_DCT_VALID.tbx")

    # The two published samples differ in a few notes (order, some G-Source lines):
    # compare every other field.
    def comparable(path):
        return [{**t.__dict__, "note": None} for t in read_tbx(path, langs=("es", "en"))]

    assert comparable(dca) == comparable(dct)


def test_real_jlt_dictionary(db):
    path = shared_file("jlt-legal-terms-ja-en", "law.je.dic.18.0.xml")
    terms = list(read_terms(path))
    assert len(terms) > 4000
    assert {t.en for t in terms if t.ja == "相手方"} >= {"opponent", "counterparty"}
    Glossary(db).add_many(terms)
    hits = Glossary(db).lookup("aitegata")
    assert any(h.term.ja == "相手方" for h in hits)
