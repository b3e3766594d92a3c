"""What README's "Sharing a TM with a team" promises, on real PostgreSQL servers.

A streaming replica answers every reading command as the primary does and refuses writes
with one clear error; ``pg_dump``/``pg_restore`` give back a database that reads the same
and takes writes again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from taiyaku.cli import cli
from tests.conftest import ROOT
from tests.pgserver import PostgresServer, free_port

# Real servers and processes: seconds.
pytestmark = pytest.mark.slow

READS = [
    ("match", "--json", "--min", "50", "国際戦略局の役割"),
    ("concordance", "--json", "戦略"),
    ("term", "lookup", "--json", "kokusai senryaku"),
    ("term", "find", "--json", "総務省の国際戦略局"),
    ("tm", "stats", "--json"),
]


def taiyaku(db: str, *args: object) -> Result:
    """Run a taiyaku command in this process (each run opens the database afresh)."""
    return CliRunner().invoke(cli, ["--db", db, *map(str, args)], env={"TAIYAKU_DB": None})


def on(server: PostgresServer, url: str) -> str:
    """The URL of ``url``'s database on another server (a replica of its own)."""
    return server.url(url.rsplit("/", 1)[1])


def answers(db: str, tmp_path: Path) -> list[str]:
    """What every reading command prints on ``db``, and its TMX export."""
    out = []
    for args in READS:
        done = taiyaku(db, *args)
        assert done.exit_code == 0, done.output
        out.append(done.stdout)
    exported = tmp_path / "export.tsv"
    done = taiyaku(db, "tm", "export", exported)
    assert done.exit_code == 0, done.output
    out.append(exported.read_text(encoding="utf-8"))
    return out


@pytest.fixture
def team_db(pg_url: str) -> str:
    """The shipped glossary and aligned page, on a PostgreSQL database."""
    for args in (
        ("term", "import", ROOT / "glossary" / "mic-global-strategy-bureau.tsv"),
        ("tm", "import", ROOT / "tm" / "mic-global-strategy-bureau.pairs.tsv"),
    ):
        done = taiyaku(pg_url, *args)
        assert done.exit_code == 0, done.output
    return pg_url


def test_a_replica_serves_the_reads_and_refuses_writes(pg_server, team_db, tmp_path):
    replica = pg_server.start_replica()
    try:
        url = on(replica, team_db)
        primary = answers(team_db, tmp_path)
        assert json.loads(primary[-2])["units"] > 30
        assert answers(url, tmp_path) == primary

        refused = taiyaku(url, "term", "add", "周波数", "frequency")
        assert refused.exit_code == 1
        assert refused.stderr.strip().splitlines() == [
            f"Error: {url}: opened for reading only "
            "(cannot execute INSERT in a read-only transaction)"
        ]

        # A write on the primary reaches the replica.
        added = taiyaku(team_db, "term", "add", "周波数", "frequency")
        assert added.exit_code == 0, added.output
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = taiyaku(url, "term", "lookup", "--json", "周波数")
            if '"frequency"' in found.stdout:
                break
            time.sleep(0.2)
        assert '"frequency"' in found.stdout

        # `serve` without a token is read-only: it runs on the replica.
        port = free_port()
        serve = subprocess.Popen(
            [sys.executable, "-m", "taiyaku", "--db", url, "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            query = "/api/match?q=%E5%9B%BD%E9%9A%9B%E6%88%A6%E7%95%A5%E5%B1%80&min_score=90"
            deadline, body = time.monotonic() + 60, None
            while body is None and time.monotonic() < deadline and serve.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{query}") as response:
                        body = json.loads(response.read())
                except OSError:
                    time.sleep(0.2)
            assert body is not None, serve.stderr.read().decode() if serve.poll() else "timeout"
            assert [m["target"] for m in body["matches"]][:1] == ["Global Strategy Bureau"]
        finally:
            serve.terminate()
            serve.wait(timeout=30)
    finally:
        replica.stop()


def test_pg_dump_and_restore_give_back_the_same_database(pg_server, team_db, tmp_path):
    dump = tmp_path / "team.dump"
    done = subprocess.run(
        [str(pg_server.bindir / "pg_dump"), "-Fc", "-f", str(dump), team_db],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    restored = pg_server.create_database()
    try:
        done = subprocess.run(
            [str(pg_server.bindir / "pg_restore"), "--no-owner", "-d", restored, str(dump)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert answers(restored, tmp_path) == answers(team_db, tmp_path)
        # The restored database takes writes (its id sequences came back too).
        added = taiyaku(restored, "term", "add", "周波数", "frequency")
        assert added.exit_code == 0, added.output
        assert taiyaku(restored, "term", "lookup", "--json", "周波数").stdout.count("frequency")
    finally:
        pg_server.drop_database(restored)
