"""The HTTP API of ``taiyaku serve``, through the ASGI test client, on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from taiyaku.align.confidence import REVIEW_THRESHOLD
from taiyaku.server import ServerConfig, create_app
from tests.conftest import holding_the_write_lock, table_digest, table_names
from tests.serverdata import DOCUMENT, HOSTILE, TOKEN, build

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def project(new_db_target, tmp_path: Path) -> Path:
    return build(new_db_target("project"))


def client(path: Path, **options: object) -> TestClient:
    return TestClient(create_app(ServerConfig(str(path), **options)))  # type: ignore[arg-type]


@pytest.fixture
def api(project: Path) -> TestClient:
    return client(project, token=TOKEN)


@pytest.fixture
def readonly(project: Path) -> TestClient:
    return client(project)


# --- reading -------------------------------------------------------------------------------


def test_lookup_finds_a_term_by_its_beginning(readonly: TestClient) -> None:
    answer = readonly.get("/api/lookup", params={"q": "国際戦略"})
    assert answer.status_code == 200
    first = answer.json()["results"][0]
    assert (first["term"]["ja"], first["term"]["en"]) == ("国際戦略局", "Global Strategy Bureau")
    assert first["kind"] == "prefix"


def test_lookup_of_a_deprecated_term_names_the_preferred_one(readonly: TestClient) -> None:
    results = readonly.get("/api/lookup", params={"q": "information and communications"}).json()
    hit = next(r for r in results["results"] if r["term"]["status"] == "deprecated")
    assert [p["en"] for p in hit["preferred"]] == ["ICT"]


def test_match_gives_the_diff_and_the_adapted_target(readonly: TestClient) -> None:
    query = "2024年4月29日及び30日に会合を開催しました。"
    answer = readonly.get("/api/match", params={"q": query, "min_score": 80}).json()
    best = answer["matches"][0]
    assert best["source"] == "2023年4月29日及び30日に会合を開催しました。"
    assert {"op": "replace", "source": "3", "query": "4"} in best["diff"]
    assert "".join(span["query"] for span in best["diff"]) == query
    assert best["numbers_only"] is True
    assert best["adapted_target"] == "The meeting was held on April 29 and 30, 2024."


def test_match_lists_the_glossary_terms_in_the_query(readonly: TestClient) -> None:
    answer = readonly.get("/api/match", params={"q": "国際戦略局の組識"}).json()
    assert answer["matches"][0]["target"] == "Organisation of the Global Strategy Bureau"
    terms = answer["matches"][0]["terms"]
    assert {
        "term": "国際戦略局",
        "translation": "Global Strategy Bureau",
        "status": "preferred",
    } in (terms)


def test_concordance_finds_a_two_character_query(readonly: TestClient) -> None:
    answer = readonly.get("/api/concordance", params={"q": "戦略", "limit": 3}).json()
    assert answer["total"] > 3
    assert len(answer["hits"]) == 3
    hit = answer["hits"][0]
    assert hit["source"][hit["start"] : hit["end"]] == "戦略"


def test_find_reports_term_positions(readonly: TestClient) -> None:
    text = "総務省の国際戦略局は情報通信を担う。"
    answer = readonly.post("/api/find", json={"text": text, "side": "ja"}).json()
    found = [(t["text"], t["term"]["en"]) for t in answer["terms"]]
    assert ("国際戦略局", "Global Strategy Bureau") in found
    assert ("総務省", "Ministry of Internal Affairs and Communications") in found
    first = answer["terms"][0]
    assert text[first["start"] : first["end"]] == first["text"]


def test_stats_documents_and_pairs(readonly: TestClient) -> None:
    stats = readonly.get("/api/stats").json()
    assert stats["terms"] == 5
    assert stats["units"] == 4 + stats["origins"][0]["units"]
    documents = readonly.get("/api/documents").json()["documents"]
    assert [d["name"] for d in documents] == [DOCUMENT]
    pairs = readonly.get(f"/api/documents/{DOCUMENT}/pairs").json()["pairs"]
    # "low" is below the review sheet's threshold, as the document page highlights
    low = [p for p in pairs if p["confidence"] is not None and p["confidence"] < REVIEW_THRESHOLD]
    assert 0 < documents[0]["low_confidence"] == len(low) < len(pairs)
    assert len(pairs) == documents[0]["units"]
    assert pairs[0]["source_text"] == "国際戦略局"
    assert [p["position"] for p in pairs] == sorted(p["position"] for p in pairs)


def test_openapi_describes_every_endpoint(readonly: TestClient) -> None:
    spec = readonly.get("/api/openapi.json").json()
    assert {
        "/api/lookup",
        "/api/match",
        "/api/concordance",
        "/api/find",
        "/api/stats",
        "/api/documents",
        "/api/documents/{name}/pairs",
        "/api/units",
        "/api/terms",
        "/api/terms/{term_id}",
        "/api/documents/{name}/review",
    } <= set(spec["paths"])
    assert "/" not in spec["paths"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/api/units"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/api/lookup"]["get"]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/lookup", "q"),
        ("/api/lookup?q=", "q"),
        ("/api/match?q=x&min_score=101", "min_score"),
        ("/api/concordance?q=x&limit=many", "limit"),
        ("/api/lookup?q=" + "x" * 2001, "q"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(readonly: TestClient, url: str, field: str) -> None:
    answer = readonly.get(url)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert "Traceback" not in answer.text


def test_a_bad_body_field_is_named_with_its_place(api: TestClient) -> None:
    body = {"pairs": [{"source": "a", "target": "b"}, {"source": "c", "target": ""}]}
    answer = api.post(f"/api/documents/{DOCUMENT}/review", json=body, headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["field"] == "pairs[1].target"


def test_malformed_json_is_a_400(api: TestClient, project: Path) -> None:
    before = table_digest(project)
    answer = api.post(
        "/api/units",
        content=b'{"units": [{"source_text": "a",',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "the body is not valid JSON", "field": "body"}
    assert table_digest(project) == before


def test_an_unknown_body_field_is_refused(api: TestClient) -> None:
    answer = api.post("/api/terms", json={"ja": "a", "en": "b", "colour": "red"}, headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["field"] == "colour"


def test_an_oversize_body_is_a_413(project: Path) -> None:
    api = client(project, token=TOKEN, max_body_bytes=1000)
    body = json.dumps({"units": [{"source_text": "あ" * 400, "target_text": "a"}]})
    answer = api.post(
        "/api/units", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert "1,000 bytes" in answer.json()["error"]


def test_an_oversize_body_without_a_length_is_a_413(project: Path) -> None:
    api = client(project, token=TOKEN, max_body_bytes=1000)
    before = table_digest(project)

    def chunks():  # sent chunked: no Content-Length to refuse it by
        yield b'{"units": [{"source_text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'", "target_text": "y"}]}'

    answer = api.post(
        "/api/units", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert table_digest(project) == before


def test_sql_looking_input_is_only_text(api: TestClient, project: Path) -> None:
    sneaky = "'; DROP TABLE units; --"
    before = table_digest(project)
    for path in ("/api/lookup", "/api/match", "/api/concordance"):
        assert api.get(path, params={"q": sneaky}).status_code == 200
    assert api.get(f"/api/documents/{sneaky}/pairs").status_code == 404
    assert table_digest(project) == before
    added = api.post("/api/terms", json={"ja": "試験", "en": sneaky}, headers=AUTH)
    assert added.status_code == 201
    assert api.get("/api/lookup", params={"q": "試験"}).json()["results"][0]["term"]["en"] == sneaky


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd/pairs",
        "/api/documents/%2Fetc%2Fpasswd/pairs",
        "/api/documents/....//....//etc/passwd/pairs",
        "/documents/..%2F..%2Fpyproject.toml",
        "/static/..%2F..%2F..%2Fpyproject.toml",
        "/static/%2e%2e/app.py",
    ],
)
def test_path_traversal_finds_nothing(readonly: TestClient, path: str) -> None:
    answer = readonly.get(path)
    assert answer.status_code == 404
    assert "root:" not in answer.text and "[project]" not in answer.text
    assert "import" not in answer.text


def test_a_document_name_with_a_slash_is_served(api: TestClient, project: Path) -> None:
    from taiyaku.models import Unit
    from taiyaku.store.db import open_db
    from taiyaku.store.tm import TranslationMemory

    db = open_db(project)
    TranslationMemory(db).add(Unit("第1章", "Chapter 1", document="book/ch1"))
    db.close()
    pairs = api.get("/api/documents/book%2Fch1/pairs").json()["pairs"]
    assert [p["target_text"] for p in pairs] == ["Chapter 1"]


def test_unknown_document_and_term_are_404(api: TestClient) -> None:
    assert api.get("/api/documents/nothing/pairs").status_code == 404
    answer = api.patch("/api/terms/999", json={"note": "x"}, headers=AUTH)
    assert answer.status_code == 404
    assert answer.json() == {"error": "no glossary entry with id 999"}
    assert api.get("/api/nothing").json() == {"error": "Not Found"}


def test_stored_html_is_escaped_on_the_page(readonly: TestClient) -> None:
    page = readonly.get("/", params={"tab": "concordance", "q": "危険"})
    assert page.status_code == 200
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.text
    assert "<script>window.__pwned" not in page.text
    assert "<img src=x" not in page.text
    # Were escaping ever to fail, the page still runs only its own script.
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # The API returns the text as stored, byte for byte.
    hit = readonly.get("/api/concordance", params={"q": "危険"}).json()["hits"][0]
    assert hit["source"] == HOSTILE + "危険な文"


# --- writing -------------------------------------------------------------------------------


def test_writes_need_the_token(api: TestClient, project: Path) -> None:
    before = table_digest(project)
    body = {"units": [{"source_text": "新しい文", "target_text": "A new sentence"}]}
    missing = api.post("/api/units", json=body)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = api.post("/api/units", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    basic = api.post("/api/units", json=body, headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401
    assert api.patch("/api/terms/1", json={"note": "x"}).status_code == 401
    assert table_digest(project) == before


def test_a_server_without_a_token_is_read_only(readonly: TestClient, project: Path) -> None:
    before = table_digest(project)
    body = {"ja": "新語", "en": "new word"}
    answer = readonly.post("/api/terms", json=body, headers=AUTH)
    assert answer.status_code == 403
    assert "read-only" in answer.json()["error"]
    assert table_digest(project) == before


def test_units_are_added_and_found(api: TestClient) -> None:
    body = {
        "units": [
            {
                "source_text": "新しい会議室",
                "target_text": "The new meeting room",
                "document": "memo",
            },
            {
                "source_text": "国際戦略局の組織",
                "target_text": "Organisation of the Global Strategy Bureau",
            },
        ]
    }
    answer = api.post("/api/units", json=body, headers=AUTH)
    assert answer.status_code == 201
    assert answer.json() == {"added": 1, "skipped": 1}
    found = api.get("/api/match", params={"q": "新しい会議室"}).json()["matches"][0]
    assert (found["target"], found["origin"], found["document"]) == (
        "The new meeting room",
        "added",
        "memo",
    )


def test_a_term_is_added_then_patched(api: TestClient) -> None:
    added = api.post(
        "/api/terms", json={"ja": "電波政策", "en": "radio policy", "note": "draft"}, headers=AUTH
    )
    assert added.status_code == 201
    term = added.json()["term"]
    patched = api.patch(
        f"/api/terms/{term['id']}", json={"status": "deprecated", "note": "old"}, headers=AUTH
    )
    assert patched.status_code == 200
    after = patched.json()["term"]
    assert (after["ja"], after["en"], after["status"], after["note"]) == (
        "電波政策",
        "radio policy",
        "deprecated",
        "old",
    )
    assert after["created"] == term["created"]
    hit = api.get("/api/lookup", params={"q": "電波政策"}).json()["results"][0]
    assert hit["term"]["status"] == "deprecated"


def test_a_patch_cannot_rename_a_term(api: TestClient) -> None:
    answer = api.patch("/api/terms/1", json={"en": "Something else"}, headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["field"] == "en"


def test_a_review_replaces_the_documents_pairs(api: TestClient) -> None:
    pairs = api.get(f"/api/documents/{DOCUMENT}/pairs").json()["pairs"]
    first, second, *rest = pairs
    reviewed = [
        {
            "source": first["source_text"] + second["source_text"],
            "target": first["target_text"] + " " + second["target_text"],
            "bead": "2-2",
        },
        *(
            {
                "source": p["source_text"],
                "target": p["target_text"],
                "bead": p["bead"],
                "confidence": p["confidence"],
                "reviewed": False,
            }
            for p in rest[:-1]
        ),
        {"source": rest[-1]["source_text"], "target": "Corrected by a reviewer."},
    ]
    answer = api.post(f"/api/documents/{DOCUMENT}/review", json={"pairs": reviewed}, headers=AUTH)
    assert answer.status_code == 200
    assert answer.json() == {"document": DOCUMENT, "replaced": len(pairs), "stored": len(pairs) - 1}
    stored = api.get(f"/api/documents/{DOCUMENT}/pairs").json()["pairs"]
    assert len(stored) == len(pairs) - 1
    assert stored[0]["source_text"] == first["source_text"] + second["source_text"]
    # Checked pairs are marked as `align --apply` marks them; the rest stay aligned pairs.
    assert (stored[0]["origin"], stored[0]["confidence"]) == ("reviewed", None)
    assert (stored[-1]["origin"], stored[-1]["target_text"]) == (
        "reviewed",
        "Corrected by a reviewer.",
    )
    assert (stored[1]["origin"], stored[1]["confidence"]) == ("aligned", rest[0]["confidence"])
    # The page sends its reviewed pairs again with the next save: they are replaced, not
    # stored twice.
    again = api.post(f"/api/documents/{DOCUMENT}/review", json={"pairs": reviewed}, headers=AUTH)
    assert again.json()["replaced"] == len(pairs) - 1
    assert len(api.get(f"/api/documents/{DOCUMENT}/pairs").json()["pairs"]) == len(pairs) - 1


def test_a_review_of_an_unknown_document_is_404(api: TestClient, project: Path) -> None:
    before = table_digest(project)
    body = {"pairs": [{"source": "a", "target": "b"}]}
    answer = api.post("/api/documents/..%2Fetc/review", json=body, headers=AUTH)
    assert answer.status_code == 404
    assert table_digest(project) == before


def test_a_write_waits_then_answers_503_while_another_writer_holds_the_lock(
    project: Path,
) -> None:
    api = client(project, token=TOKEN, busy_timeout=0.2)
    with holding_the_write_lock(project):
        body = {"units": [{"source_text": "待つ", "target_text": "Wait"}]}
        answer = api.post("/api/units", json=body, headers=AUTH)
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == "2"
        assert "locked" in answer.json()["error"]
        # Readers do not wait for the writer.
        assert api.get("/api/lookup", params={"q": "国際"}).status_code == 200
    assert api.post("/api/units", json=body, headers=AUTH).status_code == 201


def test_an_unexpected_error_is_a_500_without_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taiyaku.store.tm import TranslationMemory

    def broken(self: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(TranslationMemory, "documents", broken)
    app = create_app(ServerConfig(str(project)))
    answer = TestClient(app, raise_server_exceptions=False).get("/api/documents")
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal error (see the server log)"}
    assert "secret" not in answer.text


@pytest.mark.sqlite_only("a text file where a SQLite file should be")
def test_a_file_that_is_not_a_database_is_refused_at_start(tmp_path: Path) -> None:
    from taiyaku.errors import DatabaseError

    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    with pytest.raises(DatabaseError, match="not a taiyaku database"):
        create_app(ServerConfig(str(bad)))


# --- the command ---------------------------------------------------------------------------


def test_serve_refuses_an_empty_token_file(runner, tmp_path: Path, project: Path) -> None:
    from taiyaku.cli import cli

    empty = tmp_path / "token.txt"
    empty.write_text("\n", encoding="utf-8")
    result = runner.invoke(cli, ["--db", str(project), "serve", "--token-file", str(empty)])
    assert result.exit_code == 1
    assert "must hold one token" in result.output


@pytest.mark.sqlite_only("a corrupt SQLite file")
def test_serve_refuses_a_bad_database_before_listening(runner, tmp_path: Path) -> None:
    from taiyaku.cli import cli

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00" * 200)
    result = runner.invoke(cli, ["--db", str(bad), "serve", "--port", "1"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "bad.db" in result.output


def test_a_review_leaves_pairs_added_under_the_document_alone(api: TestClient) -> None:
    added = {"source_text": "追加の文", "target_text": "An added sentence", "document": DOCUMENT}
    assert api.post("/api/units", json={"units": [added]}, headers=AUTH).status_code == 201
    body = {"pairs": [{"source": "国際戦略局", "target": "Global Strategy Bureau"}]}
    answer = api.post(f"/api/documents/{DOCUMENT}/review", json=body, headers=AUTH)
    assert answer.json()["stored"] == 1
    stored = api.get(f"/api/documents/{DOCUMENT}/pairs").json()["pairs"]
    assert sorted((p["origin"], p["target_text"]) for p in stored) == [
        ("added", "An added sentence"),
        ("reviewed", "Global Strategy Bureau"),
    ]


def test_a_read_only_server_sees_what_another_program_writes(
    readonly: TestClient, project: Path
) -> None:
    from taiyaku.models import Unit
    from taiyaku.project import Project

    assert readonly.get("/api/match", params={"q": "後から来た文"}).json()["matches"] == []
    with Project.open(project, write=True) as writer:
        writer.tm.add(Unit("後から来た文", "A sentence that came later"))
    found = readonly.get("/api/match", params={"q": "後から来た文"}).json()["matches"]
    assert [m["target"] for m in found] == ["A sentence that came later"]


def test_a_read_only_server_needs_an_existing_database(new_db_target, tmp_path: Path) -> None:
    from taiyaku.errors import DatabaseError

    with pytest.raises(DatabaseError):
        create_app(ServerConfig(str(new_db_target("missing"))))
    assert table_names(new_db_target("missing")) == []


def test_posting_a_known_pair_changes_only_the_fields_given(api: TestClient) -> None:
    answer = api.post(
        "/api/terms",
        json={"ja": "国際戦略局", "en": "Global Strategy Bureau", "pos": "noun"},
        headers=AUTH,
    )
    assert answer.status_code == 201
    term = answer.json()["term"]
    assert (term["id"], term["pos"], term["note"], term["domain"]) == (
        1,
        "noun",
        "bureau of MIC",
        "organisation",
    )


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` on uvicorn in a thread on a free loopback port; its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="error"))
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def fetch(url: str, body: dict[str, object] | None = None) -> int:
    """The status of a GET (or, with a body, an authorised POST) to a real server."""
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    headers = {**AUTH, "Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_concurrent_requests_each_use_their_own_threads_connection(project: Path) -> None:
    """Many requests at once on a real server: a connection never leaves its thread."""
    import urllib.parse
    from concurrent.futures import ThreadPoolExecutor

    with serving(create_app(ServerConfig(str(project)))) as base:
        paths = ["/api/lookup?q=", "/api/match?q=", "/api/concordance?q="]
        urls = [f"{base}{paths[i % 3]}{urllib.parse.quote('国際戦略局の組識')}" for i in range(150)]
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(fetch, urls))
    assert statuses == [200] * len(urls)


def test_writes_waiting_for_the_lock_hold_no_thread_that_reads_need(project: Path) -> None:
    """One read thread, three writes waiting for an import's lock: a read is still answered."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    app = create_app(ServerConfig(str(project), token=TOKEN, busy_timeout=10, threads=1))
    body = {"units": [{"source_text": "待つ", "target_text": "Wait"}]}
    with serving(app) as base, ThreadPoolExecutor(3) as pool:
        with holding_the_write_lock(project):
            writes = [pool.submit(fetch, f"{base}/api/units", body) for _ in range(3)]
            while app.state.write_limiter.borrowed_tokens < 3:  # all three are waiting
                time.sleep(0.01)
            assert fetch(f"{base}/api/lookup?q=%E5%9B%BD%E9%9A%9B") == 200
            assert not any(write.done() for write in writes)
        assert sorted(write.result() for write in writes) == [201, 201, 201]


def test_a_lost_database_connection_answers_503(
    readonly: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taiyaku.errors import DatabaseUnavailable
    from taiyaku.project import Project

    def lost(*args: object, **kwargs: object) -> None:
        raise DatabaseUnavailable("postgresql://db: server closed the connection unexpectedly")

    monkeypatch.setattr(Project, "match", lost)
    answer = readonly.get("/api/match", params={"q": "国際戦略局"})
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert answer.json()["error"] == "the database server is unavailable; try again shortly"


def test_postgresql_errors_are_answered_by_whose_fault_they_are(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The database server's disk full: 503 with Retry-After, and the same write goes
    through once there is room. A table taken from under the server: 500, the log names
    it, and answers come back with the table. Bad input stays a 400."""
    import psycopg

    build(pg_url)
    api = client(pg_url, token=TOKEN)  # type: ignore[arg-type]
    body = {"units": [{"source_text": "満杯の円盤", "target_text": "A full disk"}]}
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file: No space left on device' "
            "USING ERRCODE = '53100'; END $$"
        )
        admin.execute(
            "CREATE TRIGGER disk_full BEFORE INSERT ON units "
            "FOR EACH ROW EXECUTE FUNCTION disk_full()"
        )
        answer = api.post("/api/units", json=body, headers=AUTH)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
        admin.execute("DROP TRIGGER disk_full ON units")
        assert api.post("/api/units", json=body, headers=AUTH).status_code == 201
        admin.execute("ALTER TABLE units RENAME TO units_elsewhere")
        answer = api.get("/api/match", params={"q": "満杯の円盤"})
        assert answer.status_code == 500
        assert answer.json()["error"] == "database error (see the server log)"
        assert "units" in caplog.text and "does not exist" in caplog.text
        admin.execute("ALTER TABLE units_elsewhere RENAME TO units")
    answer = api.get("/api/match", params={"q": "満杯の円盤"})
    assert answer.status_code == 200 and answer.json()["matches"][0]["score"] == 100
    nul = {"units": [{"source_text": "満杯\x00", "target_text": "Full"}]}
    answer = api.post("/api/units", json=nul, headers=AUTH)
    assert answer.status_code == 400 and "NUL" in answer.json()["error"]


def test_the_server_opens_a_new_connection_when_postgresql_ended_its_own(pg_url: str) -> None:
    """A PostgreSQL server restarted or failed over: the request that meets the ended
    connection fails as DatabaseUnavailable (503), the next one works on a new connection."""
    import psycopg

    from taiyaku.errors import DatabaseUnavailable
    from taiyaku.server.app import Projects

    build(pg_url)
    projects = Projects(ServerConfig(pg_url))
    project = projects.current()
    count = project.tm.count()
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(DatabaseUnavailable):
        project.tm.count()
    again = projects.current()
    assert again is not project and again.tm.count() == count
    assert projects.current() is again
