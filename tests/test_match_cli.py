"""``taiyaku match`` and ``concordance`` through click: output, JSON, exit codes."""

from __future__ import annotations

import json

import pytest

from taiyaku.cli import cli


@pytest.fixture
def tm_db(new_db_target, runner, tmp_path):
    db = str(new_db_target("t"))
    tsv = tmp_path / "m.tsv"
    tsv.write_text(
        "ja\ten\n令和4年7月の予算は1,000万円\tThe budget for July 2022 was 10 million yen\n"
        "国際戦略局の組織\tOrganisation of the Global Strategy Bureau\n",
        encoding="utf-8",
    )
    assert runner.invoke(cli, ["--db", db, "tm", "import", str(tsv)]).exit_code == 0
    return db


def test_match_json_names_the_metric_and_adapts_numbers(runner, tm_db):
    result = runner.invoke(cli, ["--db", tm_db, "match", "令和5年8月の予算は2,000万円", "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert line["query"] == "令和5年8月の予算は2,000万円"
    [m] = line["matches"]
    assert m["metric"] == line["metric"] == "levenshtein-normalized-similarity"
    assert m["adapted_target"] == "The budget for August 2023 was 20 million yen"
    assert "".join(s["query"] for s in m["diff"]) == line["query"]
    assert "".join(s["source"] for s in m["diff"]) == m["source"]


def test_match_text_output_marks_the_diff_without_colour(runner, tm_db):
    result = runner.invoke(cli, ["--db", tm_db, "match", "国際戦略局の組識"])
    assert result.exit_code == 0
    assert "87.50" in result.output and "[-織-]{+識+}" in result.output
    assert "\x1b[" not in result.output


def test_match_file_one_json_line_per_sentence(runner, tm_db, tmp_path):
    doc = tmp_path / "new.txt"
    doc.write_text("国際戦略局の組織。\nまったく別の話。\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["--db", tm_db, "match", "--file", str(doc), "--json", "--min", "50"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [len(line["matches"]) for line in lines] == [1, 0]


@pytest.mark.parametrize(
    "args",
    [
        ["match"],
        ["match", "x", "--file", "f"],
        ["match", "x", "--min", "120"],
        ["match", "x", "--limit", "0"],
    ],
)
def test_match_misuse_exits_2(runner, tm_db, args):
    result = runner.invoke(cli, ["--db", tm_db, *args])
    assert result.exit_code == 2
    assert "Error" in result.output


def test_help_names_the_metric(runner):
    result = runner.invoke(cli, ["match", "--help"])
    assert "normalized_similarity" in result.output and "Levenshtein" in result.output


def test_concordance_cli(runner, tm_db):
    result = runner.invoke(cli, ["--db", tm_db, "concordance", "予算", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 1 and data["hits"][0]["field"] == "source"
    text = runner.invoke(cli, ["--db", tm_db, "concordance", "組織"]).output
    assert "1 units contain" in text and "[組織]" in text


def test_many_queries_run_on_several_cores_and_answer_in_order(tm_db, tmp_path):
    # A real process (click's runner would run the workers inside pytest): enough queries
    # for taiyaku.match.batch to start workers, each answer in its query's place.
    import subprocess
    import sys

    queries = [f"国際戦略局の組織{n}" for n in range(80)]
    done = subprocess.run(
        [sys.executable, "-m", "taiyaku", "--db", tm_db, "match", "--json", "--", *queries],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == queries
    for query, line in zip(queries, lines, strict=True):
        assert [m["source"] for m in line["matches"]] == ["国際戦略局の組織"], query


def test_workers_one_and_two_print_the_same_answers(tm_db):
    import subprocess
    import sys

    queries = [f"令和{n}年7月の予算は{n},000万円" for n in range(60)]

    def run(*options: str) -> str:
        command = [sys.executable, "-m", "taiyaku", "--db", tm_db, "match", *options]
        done = subprocess.run(
            [*command, "--json", "--", *queries],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
        return done.stdout

    alone = run("--workers", "1")
    assert alone == run("--workers", "2")
    assert [json.loads(line)["query"] for line in alone.splitlines()] == queries


def test_workers_must_be_at_least_one(runner, tm_db, monkeypatch):
    result = runner.invoke(cli, ["--db", tm_db, "match", "--workers", "0", "国際戦略局"])
    assert result.exit_code == 2 and "--workers" in result.output
    monkeypatch.setenv("TAIYAKU_WORKERS", "many")
    result = runner.invoke(cli, ["--db", tm_db, "analyze", "-"], input="国際戦略局の組織。\n")
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == "Error: TAIYAKU_WORKERS must be a whole number of at least 1, not 'many'"
    )
