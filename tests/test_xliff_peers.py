"""Our XLIFF read by other tools: the npm package ``xliff`` (1.2), Translate Toolkit's XLIFF 2.

``xliff`` (locize, MIT) is what many JavaScript localisation pipelines read XLIFF with. Its
test runs where Node.js and that package are installed (``npm install -g xliff``) and is
skipped, saying so, elsewhere; nothing is fetched at run time. Translate Toolkit's XLIFF 1.2
reader is tested with the loop (``test_loop.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from taiyaku.cli import cli
from tests.test_loop import SEED_HTML, X1, X2, _tm_with_half
from tests.test_xliff_schemas import _problems12, strict12_schema

# Reads our file with xliff12ToJs, prints each unit flattened (text, code ids), then writes the
# same units back with jsToXliff12, as a tool built on the package would after translation.
_PEER = r"""
const { xliff12ToJs, jsToXliff12 } = require("xliff");
const fs = require("fs");
const [ours, back] = process.argv.slice(1);
const codes = [];
function flat(part) {
  if (part === undefined) return null;
  if (typeof part === "string") return part;
  if (Array.isArray(part)) return part.map(flat).join("");
  const [kind, code] = Object.entries(part)[0];
  codes.push(code.id);
  return kind === "GenericSpan" ? flat(code.contents) : "";
}
xliff12ToJs(fs.readFileSync(ours, "utf8"), (error, result) => {
  if (error) throw error;
  const units = [];
  for (const [file, resources] of Object.entries(result.resources)) {
    for (const [id, unit] of Object.entries(resources)) {
      codes.length = 0;
      const source = flat(unit.source);
      const target = flat(unit.target);
      units.push({ file, id, source, target, codes: [...codes] });
    }
  }
  console.log(JSON.stringify({ lang: [result.sourceLanguage, result.targetLanguage], units }));
  jsToXliff12(result, (error2, xml) => {
    if (error2) throw error2;
    fs.writeFileSync(back, xml);
  });
});
"""


def _node_with_xliff() -> tuple[str, dict[str, str]]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("Node.js is not installed")
    root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
    if not (Path(root) / "xliff" / "package.json").is_file():
        pytest.skip("the npm package xliff is not installed (npm install -g xliff)")
    return node, {"NODE_PATH": root, "PATH": str(Path(node).parent)}


def test_the_xliff_npm_package_reads_every_unit_and_we_read_what_it_writes(tmp_path, runner):
    node, env = _node_with_xliff()
    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    assert runner.invoke(cli, ["pretranslate", str(page), "-o", "ours.xlf"]).exit_code == 0
    ours = tmp_path / "ours.xlf"
    back = tmp_path / "peer.xlf"
    run = subprocess.run(
        [node, "-e", _PEER, str(ours), str(back)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    peer = json.loads(run.stdout)
    assert peer["lang"] == ["ja", "en"]
    expected = []
    for unit in etree.parse(str(ours)).getroot().iter(f"{{{X1}}}trans-unit"):
        source, target = unit.find(f"{{{X1}}}source"), unit.find(f"{{{X1}}}target")
        codes = [c.get("id") for part in (source, target) if part is not None for c in part]
        expected.append(
            {
                "file": "page.html",
                "id": unit.get("id"),
                "source": "".join(source.itertext()),
                "target": None if target is None else "".join(target.itertext()),
                "codes": codes,
            }
        )
    assert peer["units"] == expected  # every unit, its text and its codes
    assert sum(u["target"] is not None for u in expected) == 18
    # The peer's file (its own layout; our alt-trans and states dropped) is a source we
    # pretranslate: its translations are kept, its codes come through.
    result = runner.invoke(cli, ["pretranslate", str(back), "-o", "again.xlf", "--json"])
    assert result.exit_code == 0, result.output
    assert '"segments": 47' in result.output and '"kept": 18' in result.output
    again = tmp_path / "again.xlf"
    assert _problems12(strict12_schema(), again) == []
    assert etree.parse(str(again)).getroot().find(f".//{{{X1}}}g[@ctype='link']") is not None


def test_translate_toolkit_reads_every_unit_of_our_xliff21(tmp_path, runner):
    """Translate Toolkit's XLIFF 2 reader (3.17+) sees every segment of ours, text and target."""
    pytest.importorskip("translate.storage.xliff2")
    from translate.storage.xliff2 import Xliff2File

    _tm_with_half(tmp_path, runner)
    page = tmp_path / "page.html"
    page.write_bytes(SEED_HTML.read_bytes())
    result = runner.invoke(cli, ["pretranslate", str(page), "-o", "p.xlf", "--xliff-version", "2"])
    assert result.exit_code == 0, result.output
    expected = []
    for unit in etree.parse(str(tmp_path / "p.xlf")).getroot().iter(f"{{{X2}}}unit"):
        segment = unit.find(f"{{{X2}}}segment")
        target = segment.find(f"{{{X2}}}target")
        expected.append(
            (
                f"{unit.get('id')}::{segment.get('id')}",
                "".join(segment.find(f"{{{X2}}}source").itertext()),
                None if target is None else "".join(target.itertext()),
            )
        )
    store = Xliff2File.parsefile(str(tmp_path / "p.xlf"))
    seen = [(u.getid(), u.source, u.target) for u in store.units if not u.isheader()]
    assert seen == expected
    assert len(seen) == 47 and sum(t is not None for _, _, t in seen) == 18
