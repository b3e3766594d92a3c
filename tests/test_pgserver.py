"""The throwaway PostgreSQL server the backend tests stand on: it runs, and databases are apart."""

from __future__ import annotations

import os

import psycopg
import pytest

from tests.pgserver import PostgresServer, running_server


def test_server_runs_as_an_unprivileged_user_outside_the_clone(pg_server: PostgresServer):
    with psycopg.connect(pg_server.url()) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        data = conn.execute("SHOW data_directory").fetchone()[0]
        encoding = conn.execute("SHOW server_encoding").fetchone()[0]
    assert int(version) >= 150000
    assert encoding == "UTF8"
    assert data.startswith("/tmp/taiyaku-pg-")
    owner = os.stat(data).st_uid
    assert owner != 0, "PostgreSQL refuses to run as root: the data folder must be another user's"


def test_the_tests_server_trades_durability_for_speed_and_a_benchmarks_does_not(
    pg_server: PostgresServer,
):
    with psycopg.connect(pg_server.url()) as conn:
        assert conn.execute("SHOW fsync").fetchone()[0] == "off"
    with running_server(durable=True) as durable:
        with psycopg.connect(durable.url()) as conn:
            assert conn.execute("SHOW fsync").fetchone()[0] == "on"
            assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
        folder = durable.folder
    assert not folder.exists(), "stop() deletes the server's folder"


def test_each_test_gets_an_empty_database_of_its_own(pg_server: PostgresServer, pg_url: str):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE scratch (x text)")
        conn.execute("INSERT INTO scratch VALUES ('翻訳')")
    other = pg_server.create_database()
    try:
        with psycopg.connect(other) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()[0]
        assert tables == 0
    finally:
        pg_server.drop_database(other)
    with pytest.raises(psycopg.OperationalError, match="does not exist"):
        psycopg.connect(other)


def test_backend_targets(backend: str, db_target: str):
    if backend == "postgres":
        assert db_target.startswith("postgresql://taiyaku@127.0.0.1:")
    else:
        assert db_target.endswith("test.db")
