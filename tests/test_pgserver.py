"""The throwaway PostgreSQL server the backend tests stand on: it runs, and databases are apart."""

from __future__ import annotations

import os

import psycopg
import pytest

from taiyaku import DatabaseError, open_db
from tests.pgserver import DatabasePool, PostgresServer, running_server


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


def test_a_database_given_back_is_as_empty_as_a_new_one(pg_server: PostgresServer):
    pool = DatabasePool(pg_server)
    url = pool.take()
    open_db(url).close()  # taiyaku's schema: tables, a function, a trigger
    left_open = psycopg.connect(url, autocommit=True)
    left_open.execute("CREATE SCHEMA other")
    left_open.execute("CREATE TABLE other.notes (x text)")
    pool.give_back(url)
    with pytest.raises(psycopg.OperationalError):
        left_open.execute("SELECT 1")  # the test's leftover client was disconnected
    assert pool.take() == url  # the same database, handed out again
    with psycopg.connect(url) as conn:
        objects = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
        ).fetchone()[0]
        schemas = conn.execute(
            "SELECT array_agg(nspname::text) FROM pg_namespace"
            " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
        ).fetchone()[0]
        functions = conn.execute(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public'"
        ).fetchone()[0]
    assert (objects, schemas, functions) == (0, ["public"], 0)
    with pytest.raises(DatabaseError, match="an empty database"):
        open_db(url, write=False)  # as a new one: a reading open refuses it
    pg_server.drop_database(url)
