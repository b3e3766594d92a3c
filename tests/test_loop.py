"""The translation loop: pretranslate → fill → merge → tm import, on real documents."""

from __future__ import annotations

import copy
import csv
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from taiyaku.cli import cli
from taiyaku.formats.document import Code, split_block
from taiyaku.formats.sources import read_source
from taiyaku.store.db import open_db
from taiyaku.store.tm import TranslationMemory
from tests.conftest import FIXTURES, ROOT

X1 = "urn:oasis:names:tc:xliff:document:1.2"
X2 = "urn:oasis:names:tc:xliff:document:2.0"
SEED_HTML = FIXTURES / "mic-global-strategy-bureau.ja.html"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _pairs() -> list[tuple[str, str]]:
    with open(ROOT / "tm" / "mic-global-strategy-bureau.pairs.tsv", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [(ja, en) for ja, en, _ in rows if ja != en]


def _tm_with_half(tmp_path: Path, runner) -> str:
    """A TM holding the first half of the seed's sentence pairs, and the seed glossary."""
    half = tmp_path / "half.tsv"
    pairs = _pairs()
    half.write_text(
        "ja\ten\n" + "".join(f"{ja}\t{en}\n" for ja, en in pairs[: len(pairs) // 2]),
        encoding="utf-8",
    )
    assert runner.invoke(cli, ["tm", "import", str(half)]).exit_code == 0
    glossary = ROOT / "glossary" / "mic-global-strategy-bureau.tsv"
    assert runner.invoke(cli, ["term", "import", str(glossary)]).exit_code == 0
    return os.environ["TAIYAKU_DB"]  # the runner's database


def _empty_tm(tmp_path: Path) -> None:
    """An empty project database: pretranslate reads the TM and never creates one."""
    open_db(os.environ["TAIYAKU_DB"]).close()


def _known(text: str) -> str:
    return dict(_pairs()).get(text, f"EN {len(text)} {text[:3]!r}")


def _fill_xliff1(path: Path) -> list[str]:
    """Fill every empty target the way a translator would: known translation, codes kept."""
    tree = etree.parse(str(path))
    english = []
    for unit in tree.iter(f"{{{X1}}}trans-unit"):
        source = unit.find(f"{{{X1}}}source")
        target = unit.find(f"{{{X1}}}target")
        if target is None:
            target = copy.deepcopy(source)
            target.tag = f"{{{X1}}}target"
            target.set("state", "translated")
            if source.get(XML_LANG):
                target.set(XML_LANG, "en")
            text = "".join(source.itertext())
            for code in target.iter(f"{{{X1}}}g", f"{{{X1}}}x"):
                code.tail = None
                if len(code) == 0 and code.text:
                    code.text = f"[{_known(code.text)}]"
            target.text = _known(text)
            source.addnext(target)
        english.append("".join(target.itertext()))
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return english


def _fill_xliff2(path: Path) -> set[str]:
    """The XLIFF 2 counterpart of :func:`_fill_xliff1`: the distinct source/target pairs added."""
    tree = etree.parse(str(path))
    added = set()  # distinct pairs: a caption repeated as an image's alt is one unit
    for segment in tree.iter(f"{{{X2}}}segment"):
        if segment.find(f"{{{X2}}}target") is None:
            source = segment.find(f"{{{X2}}}source")
            target = copy.deepcopy(source)
            target.tag = f"{{{X2}}}target"
            for code in target.iter(f"{{{X2}}}pc", f"{{{X2}}}ph"):
                code.tail = None
                if len(code) == 0 and code.text:
                    code.text = f"[{_known(code.text)}]"
            target.text = _known("".join(source.itertext()))
            source.addnext(target)
            segment.set("state", "reviewed")
            added.add("".join(source.itertext()) + "\t" + "".join(target.itertext()))
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return added


def _visible_text(html: str) -> str:
    import lxml.html

    root = lxml.html.document_fromstring(html)
    texts = [root.text_content()]
    texts += [e.get("alt", "") + e.get("title", "") for e in root.iter() if isinstance(e.tag, str)]
    return " ".join(" ".join(texts).split())


def _structure(html: bytes) -> list[tuple[str, tuple[str, ...]]]:
    import lxml.html

    root = lxml.html.document_fromstring(html.decode("utf-8"))
    skip = {"lang", "alt", "title"}
    return [
        (e.tag, tuple(sorted(k for k in e.attrib if k not in skip)))
        for e in root.iter()
        if isinstance(e.tag, str)
    ]


def test_html_round_trip_on_the_seed_page(new_db_target, tmp_path, runner):
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    result = runner.invoke(cli, ["pretranslate", str(page), "--json"])
    assert result.exit_code == 0, result.output
    xlf = tmp_path / "page.html.xlf"
    english = _fill_xliff1(xlf)
    result = runner.invoke(cli, ["merge", str(xlf), "-o", str(tmp_path / "page.en.html")])
    assert result.exit_code == 0, result.output
    merged = (tmp_path / "page.en.html").read_bytes()
    assert _structure(merged) == _structure(SEED_HTML.read_bytes())
    visible = _visible_text(merged.decode("utf-8"))
    for text in english:
        assert " ".join(text.split()) in visible
    assert '<html lang="en">' in merged.decode("utf-8")
    assert 'var page = "国際戦略局";' in merged.decode("utf-8")  # scripts stay as they were
    # tm import adds exactly the segments the TM did not have; again, nothing.
    db = open_db(new_db_target("taiyaku"))
    before = TranslationMemory(db).count()
    result = runner.invoke(cli, ["tm", "import", str(xlf), "--json"])
    assert result.exit_code == 0, result.output
    units = list(TranslationMemory(db).iter_units(document="page.html"))
    new = {u.source_text for u in units}
    assert TranslationMemory(db).count() - before == len(units) > 0
    assert "国際戦略局" not in new  # the TM had it: not added twice
    assert all(u.origin == "translated" for u in units)
    coded = [u for u in units if u.source_markup]
    assert coded and all(u.target_markup for u in coded)
    assert runner.invoke(cli, ["tm", "import", str(xlf)]).exit_code == 0
    assert TranslationMemory(db).count() - before == len(units)


def test_reimport_after_edits_updates_the_unit(new_db_target, tmp_path, runner):
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    runner.invoke(cli, ["pretranslate", str(page)])
    xlf = tmp_path / "page.html.xlf"
    _fill_xliff1(xlf)
    runner.invoke(cli, ["tm", "import", str(xlf)])
    db = open_db(new_db_target("taiyaku"))
    count = TranslationMemory(db).count()
    text = xlf.read_text(encoding="utf-8").replace("EN ", "EN, edited ", 1)
    xlf.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["tm", "import", str(xlf)])
    assert "1 translated segments added or updated" in result.output
    assert TranslationMemory(db).count() == count
    targets = [u.target_text for u in TranslationMemory(db).iter_units(document="page.html")]
    assert sum("EN, edited" in t for t in targets) == 1


def test_pretranslate_fills_exact_context_and_repetitions(new_db_target, tmp_path, runner):
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    result = runner.invoke(cli, ["pretranslate", str(page), "--xliff-version", "2", "-o", "p.xlf"])
    assert result.exit_code == 0, result.output
    root = etree.parse(str(tmp_path / "p.xlf")).getroot()
    assert root.get("version") == "2.1"
    segments = {s.get("id"): s for s in root.iter(f"{{{X2}}}segment")}
    heading = segments["s3"]  # <h1>国際戦略局</h1>
    assert heading.get("state") == "translated"
    assert heading.find(f"{{{X2}}}target").text == "Global Strategy Bureau"
    repeated = segments["s5"]  # <h2>国際戦略局</h2>, the same text again
    assert repeated.find(f"{{{X2}}}target").text == "Global Strategy Bureau"
    matches = root.findall(".//{urn:oasis:names:tc:xliff:matches:2.0}match")
    assert matches and all(float(m.get("matchQuality")) >= 75 for m in matches)
    terms = root.findall(".//{urn:oasis:names:tc:xliff:glossary:2.0}term")
    assert "国際戦略局" in {t.text for t in terms}
    # The list items are links: the TM's plain translation is wrapped in the link's code.
    item = segments["s6"].find(f"{{{X2}}}target")
    assert item[0].tag == f"{{{X2}}}pc" and item[0].text == "Global Strategy Division"


def test_context_match_scores_101(new_db_target, tmp_path, runner):
    doc = tmp_path / "a.txt"
    doc.write_text("国際戦略局\n\n海外展開の推進\n", encoding="utf-8")
    db = open_db(new_db_target("taiyaku"))
    from taiyaku.models import Unit

    TranslationMemory(db).add_many(
        [
            Unit("国際戦略局", "Global Strategy Bureau", document="d", position=0),
            Unit("海外展開の推進", "Promoting Overseas Deployment", document="d", position=1),
        ]
    )
    result = runner.invoke(cli, ["pretranslate", str(doc), "--json"])
    assert result.exit_code == 0, result.output
    assert '"band": "101% (context)", "segments": 1' in result.output


def _docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "総務省 国際戦略局"
    document.add_heading("国際戦略局", 1)
    for name in ("国際戦略課", "技術政策課", "通信規格課"):
        document.add_paragraph(name, style="List Bullet")
    paragraph = document.add_paragraph("国際戦略局では、")
    run = paragraph.add_run("グローバルな視点から")
    run.bold = True
    paragraph.add_run("取り組んでいます。")
    italic = document.add_paragraph("詳しくは")
    italic.add_run("総務省海外展開行動計画2025").italic = True
    italic.add_run("をご覧ください。")
    linked = document.add_paragraph("官民連携の枠組みである")
    link = OxmlElement("w:hyperlink")
    link.set(
        qn("r:id"),
        linked.part.relate_to(
            "https://example.go.jp/", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
        ),
    )
    link_run = OxmlElement("w:r")
    link_text = OxmlElement("w:t")
    link_text.text = "デジタル海外展開プラットフォーム"
    link_run.append(link_text)
    link.append(link_run)
    linked._p.append(link)
    linked.add_run("を活用しています。")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for (r, c), text in zip(
        [(0, 0), (0, 1), (1, 0), (1, 1)],
        ["国際戦略課", "国際協力課", "技術政策課", "参事官"],
        strict=True,
    ):
        table.cell(r, c).text = text
    document.save(path)


def _docx_shape(path: Path) -> tuple:
    import docx

    document = docx.Document(path)
    paragraphs = [
        (p.style.name, [(bool(r.bold), bool(r.italic)) for r in p.runs if r.text][:1])
        for p in document.paragraphs
    ]
    cells = [len(row.cells) for row in document.tables[0].rows]
    links = len(
        document.element.body.findall(
            ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink"
        )
    )
    return [p[0] for p in paragraphs], cells, links


def test_docx_round_trip(new_db_target, tmp_path, runner):
    _tm_with_half(tmp_path, runner)
    source = tmp_path / "seed.docx"
    _docx(source)
    assert runner.invoke(cli, ["pretranslate", str(source)]).exit_code == 0
    xlf = tmp_path / "seed.docx.xlf"
    english = _fill_xliff1(xlf)
    result = runner.invoke(cli, ["merge", str(xlf)])
    assert result.exit_code == 0, result.output
    merged = tmp_path / "seed.en.docx"
    import docx

    assert _docx_shape(merged) == _docx_shape(source)
    document = docx.Document(merged)
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for row in document.tables[0].rows for c in row.cells]
    texts += [p.text for p in document.sections[0].header.paragraphs]
    flat = " ".join(texts)
    for text in english:
        assert text in flat
    assert [r.text for p in document.paragraphs for r in p.runs if r.bold] == ["[EN 10 'グロー']"]
    assert [r.text for p in document.paragraphs for r in p.runs if r.italic] == ["[EN 15 '総務省']"]
    assert "Global Strategy Division" in texts


def test_markdown_keeps_its_layout(tmp_path, runner):
    md = tmp_path / "notes.md"
    md.write_text(
        "# 国際戦略局\n\n国際戦略局は**情報通信**の[戦略](https://x.jp/)を担います。\n\n"
        "- 技術政策課\n- 通信規格課\n\n```\nコード\n```\n",
        encoding="utf-8",
    )
    document = read_source(md)
    assert [s.text for s in document.segments] == [
        "国際戦略局",
        "国際戦略局は情報通信の戦略を担います。",
        "技術政策課",
        "通信規格課",
    ]
    codes = [p for p in document.segments[1].content if isinstance(p, Code)]
    assert [c.kind for c in codes] == ["open", "close", "open", "close"]
    out = document.render(
        {"1": ("Global Strategy Bureau",), "3": ("Technology Policy Division",)}, "en"
    )
    assert out.decode() == (
        "# Global Strategy Bureau\n\n国際戦略局は**情報通信**の[戦略](https://x.jp/)を担います。\n\n"
        "- Technology Policy Division\n- 通信規格課\n\n```\nコード\n```\n"
    )


def test_a_pair_of_codes_is_never_cut():
    pieces = split_block(
        ["前文。", Code("open", "b"), "一つ目。二つ目", Code("close", "b"), "の続き。"], "ja"
    )
    segments = [p.content for p in pieces if p.segment]
    assert len(segments) == 2
    assert segments[1][0] == Code("open", "1") and Code("close", "1") in segments[1]


def test_corrupt_docx_is_one_error_and_writes_nothing(tmp_path, runner):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(cli, ["pretranslate", str(bad)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "bad.docx" in result.output
    assert not (tmp_path / "bad.docx.xlf").exists()


def test_unbalanced_codes_in_a_target_are_refused(new_db_target, tmp_path, runner):
    _empty_tm(tmp_path)
    page = tmp_path / "page.html"
    page.write_text(
        '<html lang="ja"><body><p><b>太字</b>の文です。</p></body></html>', encoding="utf-8"
    )
    open_db(new_db_target("taiyaku")).close()  # pretranslate only reads: it creates no database
    assert (
        runner.invoke(
            cli, ["pretranslate", str(page), "--xliff-version", "2", "-o", "p.xlf"]
        ).exit_code
        == 0
    )
    xlf = tmp_path / "p.xlf"
    text = xlf.read_text(encoding="utf-8").replace(
        "</source>\n", '</source>\n        <target><sc id="1"/>Bold text.</target>\n', 1
    )
    xlf.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["merge", str(xlf), "-o", "out.html"])
    assert result.exit_code == 1
    assert "unbalanced inline codes" in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "out.html").exists()


def test_sheet_round_trip_and_rows_from_another_document(new_db_target, tmp_path, runner):
    from openpyxl import load_workbook

    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    assert runner.invoke(cli, ["pretranslate", str(page), "-o", "page.xlsx"]).exit_code == 0
    other = tmp_path / "other.md"
    other.write_text("# 別の文書\n\n本文です。\n", encoding="utf-8")
    assert runner.invoke(cli, ["pretranslate", str(other), "-o", "other.xlsx"]).exit_code == 0
    book = load_workbook(tmp_path / "page.xlsx")
    sheet = book["Translation"]
    assert sheet.freeze_panes == "B2" and sheet.column_dimensions["H"].hidden
    assert book["taiyaku"].sheet_state == "hidden"
    empty = 0
    for row in sheet.iter_rows(min_row=2):
        if not row[2].value:
            row[2].value = "EN " + str(row[0].value)
            empty += 1
    book.save(tmp_path / "page.xlsx")
    db = open_db(new_db_target("taiyaku"))
    before = TranslationMemory(db).count()
    result = runner.invoke(cli, ["tm", "import", "page.xlsx"])
    assert result.exit_code == 0, result.output
    assert TranslationMemory(db).count() - before == empty  # the rows the translator filled
    result = runner.invoke(cli, ["merge", "page.xlsx", "-o", "page.en.html"])
    assert result.exit_code == 0, result.output
    merged = (tmp_path / "page.en.html").read_text(encoding="utf-8")
    assert "EN 47" in merged and "Warning" not in result.output
    # A row pasted in from another document's sheet is refused.
    foreign = load_workbook(tmp_path / "other.xlsx")["Translation"]
    sheet = book["Translation"]
    for column in range(1, 9):
        sheet.cell(row=3, column=column).value = foreign.cell(row=2, column=column).value
    book.save(tmp_path / "mixed.xlsx")
    result = runner.invoke(cli, ["merge", "mixed.xlsx", "-o", "mixed.html"])
    assert result.exit_code == 1
    assert "row 3" in result.output and "another document" in result.output
    assert not (tmp_path / "mixed.html").exists()


def test_translate_toolkit_reads_every_unit(new_db_target, tmp_path, runner):
    pytest.importorskip("translate.storage.xliff")
    from translate.storage.xliff import xlifffile

    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    runner.invoke(cli, ["pretranslate", str(page)])
    store = xlifffile.parsefile(str(tmp_path / "page.html.xlf"))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == len(read_source(page).segments)
    assert any(u.target == "Global Strategy Bureau" for u in units)


def test_merge_of_a_file_another_tool_wrote_is_one_error(tmp_path, runner):
    xlf = tmp_path / "foreign.xlf"
    xlf.write_text(
        f'<xliff xmlns="{X1}" version="1.2"><file original="a.txt" source-language="ja" '
        'datatype="plaintext"><body><trans-unit id="1"><source>文</source></trans-unit>'
        "</body></file></xliff>",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["merge", str(xlf)])
    assert result.exit_code == 1 and "no taiyaku skeleton" in result.output


def test_docx_package_parts_other_than_text_are_kept(tmp_path):
    source = tmp_path / "seed.docx"
    _docx(source)
    document = read_source(source)
    out = tmp_path / "out.docx"
    out.write_bytes(document.render({}, "en"))
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if not name.startswith("word/") or name.endswith(".rels"):
                assert a.read(name) == b.read(name)


def _kyoto_rows() -> list[dict[str, str]]:
    with open(FIXTURES / "kyoto-ryoanji-slice.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_kyoto_article_round_trip(new_db_target, tmp_path, runner):
    """A Wikipedia article (NICT Kyoto corpus) as HTML: half the TM known, the rest filled."""
    import html as html_lib

    rows = _kyoto_rows()
    body, paragraph = [], []
    for row in rows:
        if row["kind"] == "title":
            if paragraph:
                body.append("<p>" + "".join(paragraph) + "</p>")
                paragraph = []
            tag = "h1" if not body else "h2"
            body.append(f"<{tag}>{html_lib.escape(row['ja'])}</{tag}>")
        else:
            if paragraph and row["par_id"] != rows[rows.index(row) - 1]["par_id"]:
                body.append("<p>" + "".join(paragraph) + "</p>")
                paragraph = []
            paragraph.append(html_lib.escape(row["ja"]))
    body.append("<p>" + "".join(paragraph) + "</p>")
    article = tmp_path / "ryoanji.html"
    article.write_text(
        '<!DOCTYPE html>\n<html lang="ja"><head><title>龍安寺</title></head><body>\n'
        + "\n".join(body)
        + "\n</body></html>\n",
        encoding="utf-8",
    )
    known = {row["ja"]: row["en"] for row in rows}
    half = tmp_path / "half.tsv"
    half.write_text(
        "ja\ten\n" + "".join(f"{r['ja']}\t{r['en']}\n" for r in rows[::2]), encoding="utf-8"
    )
    assert runner.invoke(cli, ["tm", "import", str(half)]).exit_code == 0
    result = runner.invoke(cli, ["pretranslate", str(article), "--json"])
    assert result.exit_code == 0, result.output
    xlf = tmp_path / "ryoanji.html.xlf"
    tree = etree.parse(str(xlf))
    filled = 0
    english = []
    for unit in tree.iter(f"{{{X1}}}trans-unit"):
        source = "".join(unit.find(f"{{{X1}}}source").itertext())
        target = unit.find(f"{{{X1}}}target")
        if target is None:
            target = etree.SubElement(unit, f"{{{X1}}}target", state="translated")
            unit.find(f"{{{X1}}}source").addnext(target)
            target.text = known.get(source, f"EN {source[:4]}")
        else:
            filled += 1
        english.append(target.text)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert filled >= len(rows) // 2 - 2  # about half came from the TM
    assert runner.invoke(cli, ["merge", str(xlf)]).exit_code == 0
    merged = (tmp_path / "ryoanji.en.html").read_bytes()
    assert _structure(merged) == _structure(article.read_bytes())
    visible = _visible_text(merged.decode("utf-8"))
    for text in english:
        assert " ".join(text.split()) in visible
    db = open_db(new_db_target("taiyaku"))
    before = TranslationMemory(db).count()
    assert runner.invoke(cli, ["tm", "import", str(xlf)]).exit_code == 0
    added = TranslationMemory(db).count() - before
    assert added == len(english) - filled


def test_xliff_from_another_tool_pretranslates_and_merges(new_db_target, tmp_path, runner):
    """An XLIFF 1.2 file in Okapi's shape, with <g>/<x/>: empty targets filled, others kept."""
    _tm_with_half(tmp_path, runner)
    source = tmp_path / "okapi.xlf"
    source.write_bytes((FIXTURES / "okapi-shape.xlf").read_bytes())
    result = runner.invoke(cli, ["pretranslate", str(source), "--json"])
    assert result.exit_code == 0, result.output
    assert '"kept": 1' in result.output
    result = runner.invoke(cli, ["merge", "okapi.xlf.xlf", "-o", "filled.xlf"])
    assert result.exit_code == 0, result.output
    root = etree.parse(str(tmp_path / "filled.xlf")).getroot()
    units = {u.get("id"): u for u in root.iter(f"{{{X1}}}trans-unit")}
    assert (
        etree.tostring(units["tu2"].find(f"{{{X1}}}target"), encoding="unicode").count(
            '<g id="1" ctype="x-a">Global Strategy Division</g>'
        )
        == 1
    )
    kept = units["tu3"].find(f"{{{X1}}}target")
    assert "".join(kept.itertext()).startswith("MIC regards")  # left alone
    assert units["tu4"].find(f"{{{X1}}}target") is None  # translate="no"
    assert root.find(f"{{{X1}}}file/{{{X1}}}header/{{{X1}}}skl/{{{X1}}}external-file") is not None
    # --overwrite replaces the translation the file had.
    result = runner.invoke(
        cli, ["pretranslate", str(source), "-o", "o.xlf", "--overwrite", "--json"]
    )
    assert '"kept": 0' in result.output


def test_xliff2_from_another_tool(new_db_target, tmp_path, runner):
    """XLIFF 2.0 with <pc>/<ph/>: codes kept through XLIFF 1.2 (as strict ctypes) and back."""
    _tm_with_half(tmp_path, runner)
    source = tmp_path / "other.xlf"
    source.write_text(
        f'<xliff xmlns="{X2}" version="2.0" srcLang="ja"><file id="f"><unit id="u1">'
        '<segment><source><pc id="1" type="fmt">国際戦略局</pc></source></segment></unit>'
        '<unit id="u2"><segment><source>海外展開の推進<ph id="1" type="other"/></source></segment>'
        "</unit></file></xliff>",
        encoding="utf-8",
    )
    assert runner.invoke(cli, ["pretranslate", str(source), "-o", "o.xlf"]).exit_code == 0
    ours = etree.parse(str(tmp_path / "o.xlf")).getroot()
    assert [g.get("ctype") for g in ours.iter(f"{{{X1}}}g")][:1] == ["x-fmt"]
    result = runner.invoke(cli, ["merge", "o.xlf", "-o", "done.xlf"])
    assert result.exit_code == 0, result.output
    done = etree.parse(str(tmp_path / "done.xlf")).getroot()
    assert done.get("trgLang") == "en"
    targets = [etree.tostring(t, encoding="unicode") for t in done.iter(f"{{{X2}}}target")]
    assert '<pc id="1" type="fmt">Global Strategy Bureau</pc>' in targets[0]
    assert '<ph id="1" type="other"/>' in targets[1]


def test_shift_jis_xhtml_is_read_and_written_in_utf8(tmp_path):
    page = tmp_path / "page.xhtml"
    page.write_bytes(
        '<?xml version="1.0" encoding="Shift_JIS"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"/>'
        "</head><body><p>国際戦略局の組織です。</p></body></html>".encode("cp932")
    )
    document = read_source(page)
    assert [s.text for s in document.segments] == ["国際戦略局の組織です。"]
    out = document.render({"1": ("It is the Global Strategy Bureau.",)}, "en").decode("utf-8")
    assert "charset=utf-8" in out and "It is the Global Strategy Bureau." in out


def test_a_tampered_embedded_document_is_refused(new_db_target, tmp_path, runner):
    _empty_tm(tmp_path)
    page = tmp_path / "a.txt"
    page.write_text("国際戦略局\n", encoding="utf-8")
    open_db(new_db_target("taiyaku")).close()  # pretranslate only reads: it creates no database
    assert runner.invoke(cli, ["pretranslate", str(page)]).exit_code == 0
    xlf = tmp_path / "a.txt.xlf"
    text = xlf.read_text(encoding="utf-8")
    xlf.write_text(text.replace('crc="', 'crc="0', 1), encoding="utf-8")
    result = runner.invoke(cli, ["merge", str(xlf)])
    assert result.exit_code == 1 and "does not match its fingerprint" in result.output
    assert not (tmp_path / "a.en.txt").exists()


def test_pretranslate_reads_standard_input(new_db_target, tmp_path, runner):
    _empty_tm(tmp_path)
    result = runner.invoke(
        cli,
        ["pretranslate", "-", "--document", "notes.md", "-o", "notes.xlf"],
        input="# 国際戦略局\n\n本文です。\n".encode(),
    )
    assert result.exit_code == 0, result.output
    root = etree.parse(str(tmp_path / "notes.xlf")).getroot()
    assert root.find(f"{{{X1}}}file").get("original") == "notes.md"
    result = runner.invoke(cli, ["pretranslate", "-"], input=b"x")
    assert result.exit_code == 2 and "--document NAME.EXT" in result.output


def test_numbers_are_adapted_and_left_for_review(new_db_target, tmp_path, runner):
    from taiyaku.models import Unit

    db = open_db(new_db_target("taiyaku"))
    TranslationMemory(db).add_many(
        [Unit("令和4年度の予算は3億円です。", "The budget for FY2022 is 300 million yen.")]
    )
    doc = tmp_path / "new.txt"
    doc.write_text("令和5年度の予算は4億円です。\n", encoding="utf-8")
    result = runner.invoke(cli, ["pretranslate", str(doc), "-o", "new.xlf"])
    assert result.exit_code == 0, result.output
    target = etree.parse(str(tmp_path / "new.xlf")).find(f".//{{{X1}}}target")
    assert target.text == "The budget for FY2023 is 400 million yen."
    assert target.get("state") == "needs-review-translation"
    assert target.get("state-qualifier") == "fuzzy-match"


def test_codes_go_to_the_tm_and_come_back(new_db_target, tmp_path, runner):
    """Imported translations keep their tags (TMX bpt/ept/ph) and put them back when matched."""
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    runner.invoke(cli, ["pretranslate", str(page)])
    xlf = tmp_path / "page.html.xlf"
    _fill_xliff1(xlf)
    assert runner.invoke(cli, ["tm", "import", str(xlf)]).exit_code == 0
    assert runner.invoke(cli, ["tm", "export", "memory.tmx"]).exit_code == 0
    tmx = etree.parse(str(tmp_path / "memory.tmx")).getroot()
    bpt = tmx.find(".//bpt")
    assert bpt is not None and bpt.get("i") == "1" and bpt.text.startswith("<")
    assert runner.invoke(cli, ["pretranslate", str(page), "-o", "again.xlf"]).exit_code == 0
    again = etree.parse(str(tmp_path / "again.xlf")).getroot()
    placed = [
        t
        for t in again.iter(f"{{{X1}}}target")
        if t.get("state") == "translated" and t.find(f"{{{X1}}}g") is not None and t.text
    ]
    assert placed  # a coded segment filled with its tags where the translator put them
    assert all(len(t.find(f"{{{X1}}}g")) == 0 for t in placed)


def test_translated_sentences_of_one_paragraph_are_spaced():
    from taiyaku.formats.text_doc import read_plain

    document = read_plain("a.txt", "一つ目の文。二つ目の文。三つ目の文。\n".encode())
    assert len(document.segments) == 3
    out = document.render({"1": ("First.",), "2": ("Second.",)}, "en").decode()
    assert out == "First. Second. 三つ目の文。\n"


def test_xliff_written_by_translate_toolkit(new_db_target, tmp_path, runner):
    """Translate Toolkit writes XLIFF (1.1, with <g>/<x/>); it pretranslates, merges, reads back."""
    pytest.importorskip("translate.storage.xliff")
    from translate.storage.placeables import StringElem
    from translate.storage.placeables.xliff import G, X
    from translate.storage.xliff import xlifffile

    store = xlifffile(sourcelanguage="ja", targetlanguage="en")
    store.addsourceunit("国際戦略局").setid("title")
    unit = store.addsourceunit("x")
    unit.setid("p1")
    unit.rich_source = [
        StringElem(
            ["総務省では", X(id="1"), "海外展開の", G(id="2", sub=["推進"]), "をしています。"]
        )
    ]
    source = tmp_path / "tt.xlf"
    source.write_bytes(bytes(store))
    _tm_with_half(tmp_path, runner)
    assert runner.invoke(cli, ["pretranslate", str(source), "-o", "ours.xlf"]).exit_code == 0
    ours = tmp_path / "ours.xlf"
    _fill_xliff1(ours)
    result = runner.invoke(cli, ["merge", "ours.xlf", "-o", "done.xlf"])
    assert result.exit_code == 0, result.output
    done = xlifffile.parsefile(str(tmp_path / "done.xlf"))
    targets = {u.source: u.target for u in done.units if not u.isheader()}
    assert targets["国際戦略局"] == "Global Strategy Bureau"
    tagged = etree.parse(str(tmp_path / "done.xlf")).getroot()
    p1 = [u for u in tagged.iter("{urn:oasis:names:tc:xliff:document:1.1}trans-unit")][1]
    target = p1.find("{urn:oasis:names:tc:xliff:document:1.1}target")
    assert [c.tag.split("}")[1] for c in target] == ["x", "g"]  # the tool's own codes, back


def test_xliff2_round_trip_and_import(new_db_target, tmp_path, runner):
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    assert (
        runner.invoke(
            cli, ["pretranslate", str(page), "--xliff-version", "2", "-o", "p.xlf"]
        ).exit_code
        == 0
    )
    xlf = tmp_path / "p.xlf"
    added = _fill_xliff2(xlf)
    result = runner.invoke(cli, ["merge", "p.xlf", "-o", "p.en.html"])
    assert result.exit_code == 0 and "Warning" not in result.output
    assert _structure((tmp_path / "p.en.html").read_bytes()) == _structure(SEED_HTML.read_bytes())
    db = open_db(new_db_target("taiyaku"))
    before = TranslationMemory(db).count()
    assert runner.invoke(cli, ["tm", "import", "p.xlf"]).exit_code == 0
    assert TranslationMemory(db).count() - before == len(added)
