"""PostgreSQL gives the same answers as SQLite: the same files in, the same matches out.

The same units and terms go into a SQLite file and a PostgreSQL database (on the real test
server, ``pg_url``); then ``match``, ``concordance``, ``term lookup`` and ``term find``
answer a few hundred real queries on each, and every answer must be equal, unit ids,
scores, diffs and order included (only ``created``/``changed``, the import times, differ).
The queries are the TM's own sentences whole, cut and with a character dropped (fuzzy
matches at 50 and 70), their one- and two-character pieces and English words (the
concordance), and the glossary's terms, their beginnings and readings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from taiyaku.cli import cli
from taiyaku.models import Unit
from taiyaku.project import Project
from tests.conftest import FIXTURES, ROOT, shared_file

TM_FILES = [
    ROOT / "tm" / "mic-global-strategy-bureau.pairs.tsv",
    FIXTURES / "kyoto-wiki-sesshu.tsv",
    FIXTURES / "memoq-context.tmx",
]
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
TERM_FILES = [
    ROOT / "glossary" / "mic-global-strategy-bureau.tsv",
    FIXTURES / "jlt-legal-terms-slice.csv",
]


def _timeless(value: Any) -> Any:
    """``value`` without the ``created``/``changed`` times (an import's clock, not its data)."""
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if k not in ("created", "changed")}
    if isinstance(value, list | tuple):
        return [_timeless(v) for v in value]
    return value


def _import(runner: Any, db: str) -> None:
    for path in TM_FILES:
        result = runner.invoke(cli, ["--db", db, "tm", "import", str(path)])
        assert result.exit_code == 0, result.output
    for path in TERM_FILES:
        result = runner.invoke(cli, ["--db", db, "term", "import", str(path)])
        assert result.exit_code == 0, result.output


def _sentence_queries(sources: list[str]) -> Iterator[str]:
    for text in sources:
        yield text
        yield text[: max(2, len(text) // 2)]
        middle = len(text) // 2
        yield text[:middle] + text[middle + 1 :]


def _pieces(sources: list[str]) -> list[str]:
    """One- and two-character pieces and English words of the sources (concordance queries)."""
    found: dict[str, None] = {}
    for text in sources:
        for at in range(0, len(text), 7):
            found[text[at]] = None
            found[text[at : at + 2]] = None
        for word in text.split()[:3]:
            found[word.strip(".,()")] = None
    return [q for q in found if q.strip()]


def _answers(db: str, sources: list[str], terms: list[tuple[str, str]]) -> dict[str, Any]:
    """Every answer of the four searches to the queries drawn from ``sources`` and ``terms``."""
    with Project.open(db) as project:
        answers: dict[str, Any] = {}
        for query in _sentence_queries(sources):
            for floor in (50, 70):
                answers[f"match {floor} {query}"] = [
                    m.to_dict() for m in project.match(query, min_score=floor, limit=10)
                ]
            answers[f"find {query}"] = [o.to_dict() for o in project.find_terms(query)]
        for query in _pieces(sources):
            answers[f"concordance {query}"] = project.concordance(query, limit=50).to_dict()
        for ja, en in terms:
            for query in (ja, en, ja[:2], en.split()[0]):
                answers[f"lookup {query}"] = [h.to_dict() for h in project.lookup(query)]
        return _timeless(answers)


def _contents(db: str) -> tuple[list[str], list[tuple[str, str]]]:
    with Project.open(db) as project:
        sources = [u.source_text for u in project.tm.iter_units()]
        terms = [(t.ja, t.en) for t in project.glossary.iter_terms()]
    return sources, terms


@pytest.fixture
def both(runner: Any, tmp_path: Path, pg_url: str) -> tuple[str, str]:
    """The seed files imported into a SQLite file and into a PostgreSQL database."""
    lite = str(tmp_path / "lite.db")
    for db in (lite, pg_url):
        _import(runner, db)
    return lite, pg_url


def test_the_same_files_give_the_same_answers_on_both_engines(both: tuple[str, str]) -> None:
    lite, pg_url = both
    sources, terms = _contents(lite)
    assert (sources, terms) == _contents(pg_url)
    assert len(sources) > 90 and len(terms) > 120
    on_sqlite = _answers(lite, sources, terms)
    on_postgres = _answers(pg_url, sources, terms)
    assert on_sqlite.keys() == on_postgres.keys()
    differing = [key for key in on_sqlite if on_sqlite[key] != on_postgres[key]]
    assert differing == []
    # The comparison compared something: most queries found matches, hits and occurrences.
    found = sum(1 for key, value in on_sqlite.items() if value and value != {"hits": []})
    assert found > len(on_sqlite) * 0.6


def test_the_cli_prints_the_same_json_on_both_engines(runner: Any, both: tuple[str, str]) -> None:
    commands = [
        ["match", "--json", "--min", "50", "国際戦略局の組識です"],
        ["concordance", "--json", "局"],
        ["concordance", "--json", "Bureau"],
        ["term", "lookup", "--json", "kokusai senryaku"],
        ["term", "find", "--json", "国際戦略局は総務省の局です"],
        ["tm", "stats", "--json"],
    ]
    for command in commands:
        printed = []
        for db in both:
            result = runner.invoke(cli, ["--db", db, *command])
            assert result.exit_code == 0, result.output
            lines = [json.loads(line) for line in result.output.splitlines()]
            printed.append(_timeless([{k: v for k, v in d.items() if k != "db"} for d in lines]))
        assert printed[0] == printed[1], command
        assert printed[0], command


def test_a_larger_corpus_gives_the_same_matches(tmp_path: Path, pg_url: str) -> None:
    """5,000 pairs of small_parallel_enja, 200 of its dev sentences as queries (both ways)."""
    folder = shared_file("small_parallel_enja", "train.ja").parent
    units = [
        Unit(ja, en, "ja", "en")
        for ja, en in zip(
            (folder / "train.ja").read_text(encoding="utf-8").splitlines()[:4000],
            (folder / "train.en").read_text(encoding="utf-8").splitlines()[:4000],
            strict=True,
        )
    ] + [
        Unit(en, ja, "en", "ja")
        for ja, en in zip(
            (folder / "train.ja").read_text(encoding="utf-8").splitlines()[4000:5000],
            (folder / "train.en").read_text(encoding="utf-8").splitlines()[4000:5000],
            strict=True,
        )
    ]
    queries = (folder / "dev.ja").read_text(encoding="utf-8").splitlines()[:100]
    queries += (folder / "dev.en").read_text(encoding="utf-8").splitlines()[:100]
    results = []
    for db in (str(tmp_path / "lite.db"), pg_url):
        with Project.open(db, write=True) as project:
            assert project.tm.add_many(units).added == len(units)
            results.append(
                _timeless(
                    [
                        [m.to_dict() for m in project.match(q, min_score=50, limit=10)]
                        for q in queries
                    ]
                    + [project.concordance(q[:2], limit=50).to_dict() for q in queries]
                )
            )
    assert results[0] == results[1]
    assert sum(1 for r in results[0][: len(queries)] if r) > 50


def test_every_command_says_the_same_on_both_engines(runner: Any, tmp_path: Path, pg_url: str):
    """The commands a team uses, in order, on a file and on the server: the same output
    (the database's name aside) and the same files written."""
    page = FIXTURES / "mic-global-strategy-bureau.ja.html"
    ja, en = (ROOT / "tm" / f"mic-global-strategy-bureau.{side}.txt" for side in ("ja", "en"))
    commands = [
        ["term", "import", str(ROOT / "glossary" / "mic-global-strategy-bureau.tsv")],
        ["term", "add", "--note", "test", "国際戦略", "international strategy"],
        ["term", "remove", "国際戦略", "international strategy"],
        ["term", "add", "国際戦略", "global strategy"],  # the removed entry's id again
        ["term", "lookup", "--json", "国際戦略"],
        ["align", str(ja), str(en)],
        ["align", str(ja), str(en)],  # again: replaces its pairs
        ["tm", "import", str(FIXTURES / "kyoto-wiki-sesshu.tsv")],
        ["tm", "stats", "--json"],
        ["match", "--json", "--min", "50", "国際戦略局の組識です", "雪舟は画家"],
        ["concordance", "--json", "戦略"],
        ["check", "--tm"],
        ["analyze", str(page)],
        ["pretranslate", str(page), "-o", "{out}/pre.xlf"],
        ["term", "extract", "--json"],
        ["tm", "delete", "--document", "mic-global-strategy-bureau", "--dry-run"],
        ["tm", "delete", "--origin", "aligned"],
        ["tm", "export", "{out}/tm.tsv"],
        ["term", "export", "{out}/terms.tsv"],
        ["upgrade"],
    ]
    outputs: list[list[str]] = []
    for db, name in ((str(tmp_path / "lite.db"), "lite"), (pg_url, "pg")):
        out = tmp_path / name
        out.mkdir()
        said = []
        for command in commands:
            args = [arg.replace("{out}", str(out)) for arg in command]
            result = runner.invoke(cli, ["--db", db, *args])
            assert result.exit_code == 0, (command, result.output)
            said.append(result.output.replace(db, "DB").replace(str(out), "OUT"))
        said += [(out / name).read_text(encoding="utf-8") for name in ("tm.tsv", "terms.tsv")]
        # The times differ (each database was written at its own); nothing else may.
        outputs.append([TIME.sub("TIME", text) for text in said])
    for command, on_sqlite, on_postgres in zip(
        [*commands, ["tm.tsv"], ["terms.tsv"]], *outputs, strict=True
    ):
        assert on_sqlite == on_postgres, command
    assert "36 pairs stored" in outputs[0][5] and "replacing 36" in outputs[0][6]
