"""The ASGI application: configuration, per-thread database access, errors, the JSON API.

FastAPI was chosen over bare Starlette because the OpenAPI description at
``/api/openapi.json`` is generated from the same typed parameters and request models that
validate each call, so the published API cannot drift from the code. It runs on uvicorn.

Every answer is JSON with a fitting status, tracebacks never leave the process:

- 400 bad input, with ``field`` naming the parameter or body field (``pairs[2].target``);
- 401 a write without a bearer token, 403 a wrong token or a read-only server;
- 404 an unknown term, document or path; 413 a body over the size limit;
- 503 the database stayed locked by another writer past the busy timeout, or its server
  cannot do the work now (connection lost, disk full, shutting down, read-only: see
  :class:`~taiyaku.errors.DatabaseUnavailable`), with ``Retry-After``;
- 500 the database server refused a statement for a reason of its own (a table missing,
  privileges taken away), or anything unexpected: the server log has the details.

SQLite connections belong to one thread: each worker thread opens its own connection (and
keeps its own :class:`~taiyaku.project.Project`, whose matcher reuses its index readers
between queries). Readers never wait for a writer: the database is in WAL mode, and writes
run on threads of their own, so a write waiting for an import's lock holds no reader's thread.

Reads run on few threads (``threads``, 2 by default) because their work is Python holding
the GIL: more threads answer no sooner, they share one core and every request in flight
takes longer, while requests waiting for a thread are answered first come, first served.
Measured under ``benchmarks/serve_load.py``: the same CPU per request within noise, and a
shorter tail (p99) the fewer requests share the GIL.
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import anyio
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from taiyaku import __version__
from taiyaku.align.confidence import REVIEW_THRESHOLD
from taiyaku.errors import (
    DatabaseError,
    DatabaseFault,
    DatabaseUnavailable,
    NotFound,
    TaiyakuError,
)
from taiyaku.models import Side, Unit
from taiyaku.project import Project
from taiyaku.store.db import connection_lost, open_db
from taiyaku.store.pg import safe_url

log = logging.getLogger("taiyaku.server")
T = TypeVar("T")

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 1_000_000
BUSY_TIMEOUT_SECONDS = 5.0
READ_THREADS = 2
WRITE_THREADS = 4
MAX_QUERY = 2000
# Pairs below the review sheet's threshold count as low and are highlighted, here as there.
LOW_CONFIDENCE = REVIEW_THRESHOLD


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    """How one server runs.

    :param db_path: the taiyaku database it serves
    :param token: the bearer token writes need; ``None`` makes the server read-only
    :param max_body_bytes: larger request bodies are refused with 413
    :param busy_timeout: seconds a write waits for another writer's lock before a 503
    :param threads: worker threads answering reads (each with its own connection)
    """

    db_path: str
    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    busy_timeout: float = BUSY_TIMEOUT_SECONDS
    threads: int = READ_THREADS


class ApiError(Exception):
    """An error answered as JSON: ``{"error": message, "field": field}`` with ``status``."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


class Projects:
    """One :class:`~taiyaku.project.Project` per worker thread, opened on first use.

    A server without a token opens the file read-only: nothing it does can write to it.
    """

    def __init__(self, config: ServerConfig):
        self.config = config
        self._local = threading.local()

    def open(self) -> Project:
        """Open the configured database as a project (a writing open migrates it first)."""
        db = open_db(
            self.config.db_path,
            write=self.config.token is not None,
            busy_timeout=self.config.busy_timeout,
        )
        return Project(db, safe_url(self.config.db_path))

    def current(self) -> Project:
        """This thread's project, opened again when its connection was lost (a PostgreSQL
        server restarted): the request that met the loss failed, the next one works."""
        project: Project | None = getattr(self._local, "project", None)
        if project is None or connection_lost(project.db):
            if project is not None:
                project.close()
            project = self._local.project = self.open()
        return project


async def projects(request: Request) -> Projects:
    """The application's :class:`Projects` (a FastAPI dependency).

    Not the project itself: a dependency runs on the event loop, the endpoint in a worker
    thread, and a connection must stay in its thread. Endpoints call ``current()``. It is
    ``async`` (as is :func:`require_token`) because FastAPI sends a plain function to the
    thread pool: one more thread hop per request, for a lookup of an attribute.
    """
    return request.app.state.projects  # type: ignore[no-any-return]


_bearer = HTTPBearer(auto_error=False, description="The token of `taiyaku serve --token-file`.")


async def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse a write unless it carries the server's bearer token (a FastAPI dependency)."""
    token = request.app.state.config.token
    if token is None:
        raise ApiError(403, "this server is read-only: start it with --token-file to allow writes")
    if credentials is None or not credentials.credentials.strip():
        raise ApiError(401, "this request writes: send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(credentials.credentials.strip().encode(), token.encode()):
        raise ApiError(403, "wrong token")


Projs = Annotated[Projects, Depends(projects)]
Writer = Depends(require_token)
QueryText = Annotated[
    str, Query(min_length=1, max_length=MAX_QUERY, description="The text to search for.")
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitIn(_Body):
    """A translation pair to add."""

    source_text: str = Field(min_length=1)
    target_text: str = Field(min_length=1)
    source_lang: str = "ja"
    target_lang: str = "en"
    document: str | None = None
    note: str | None = None


class UnitsIn(_Body):
    """Pairs to add, in one transaction."""

    units: list[UnitIn] = Field(min_length=1, max_length=10_000)


class TermIn(_Body):
    """A glossary entry to add (or whose note, status, ... to update, if the pair exists)."""

    ja: str = Field(min_length=1, max_length=500)
    en: str = Field(min_length=1, max_length=500)
    note: str = ""
    domain: str = ""
    pos: str = ""
    status: Literal["preferred", "admitted", "deprecated", "forbidden"] = "preferred"
    source: str = ""


class TermPatch(_Body):
    """The fields of an entry to change; its ja/en pair identifies it and does not change."""

    note: str | None = None
    domain: str | None = None
    pos: str | None = None
    status: Literal["preferred", "admitted", "deprecated", "forbidden"] | None = None
    source: str | None = None


class PairIn(_Body):
    """One reviewed pair of a document, in document order."""

    source: str = Field(min_length=1)
    target: str = Field(min_length=1)
    bead: str = Field("1-1", pattern=r"^\d+-\d+$")
    confidence: float = Field(1.0, ge=0, le=1)
    reviewed: bool = Field(
        True,
        description="a person checked the pair (accepted, edited, merged or split it): "
        "stored with origin `reviewed`; false keeps it an aligned pair with its bead and "
        "confidence",
    )


class ReviewIn(_Body):
    """A document's pairs after review: they replace its aligned and reviewed pairs."""

    pairs: list[PairIn] = Field(min_length=1, max_length=100_000)


class FindIn(_Body):
    """A text to find glossary terms in."""

    text: str = Field(min_length=1, max_length=100_000)
    side: Literal["ja", "en", "both"] = "both"


def create_app(config: ServerConfig) -> FastAPI:
    """Build the application serving ``config.db_path``.

    The database is opened once here (and, for a server that writes, created or migrated),
    so a missing or foreign file fails before the server starts listening.

    :raises DatabaseError: the database cannot be opened
    """
    projects = Projects(config)
    projects.open().close()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = config.threads
        yield

    app = FastAPI(
        title="taiyaku",
        version=__version__,
        summary="Japanese↔English translation memory and glossary: lookup, match, review.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.projects = projects
    app.state.write_limiter = anyio.CapacityLimiter(WRITE_THREADS)
    _add_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.include_router(api_router())
    from taiyaku.server.pages import pages_router

    app.include_router(pages_router())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def api_router() -> Any:
    """The JSON API under ``/api``."""
    from fastapi import APIRouter

    router = APIRouter(prefix="/api")

    @router.get("/lookup", tags=["read"])
    def lookup(
        projects: Projs,
        q: QueryText,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        min_score: Annotated[float, Query(ge=0, le=100)] = 70,
    ) -> dict[str, Any]:
        """Glossary entries for a Japanese, English, kana or romaji query, best first."""
        project = projects.current()
        hits = project.lookup(q, limit=limit, min_score=min_score)
        return {"query": q, "results": [hit.to_dict() for hit in hits]}

    @router.get("/match", tags=["read"])
    def match(
        projects: Projs,
        q: QueryText,
        min_score: Annotated[float, Query(ge=0, le=100)] = 70,
        limit: Annotated[int, Query(ge=1, le=50)] = 5,
    ) -> dict[str, Any]:
        """The TM units closest to a sentence: diff spans, glossary terms, adapted target."""
        project = projects.current()
        from taiyaku.match.score import METRIC

        found = project.match(q, min_score=min_score, limit=limit)
        return {"query": q, "metric": METRIC, "matches": [m.to_dict() for m in found]}

    @router.get("/concordance", tags=["read"])
    def concordance(
        projects: Projs, q: QueryText, limit: Annotated[int, Query(ge=1, le=200)] = 20
    ) -> dict[str, Any]:
        """The units whose source or target contains the query, shortest first."""
        project = projects.current()
        return project.concordance(q, limit=limit).to_dict()

    @router.post("/find", tags=["read"])
    def find(projects: Projs, body: FindIn) -> dict[str, Any]:
        """Every glossary term occurring in a text, with its position."""
        project = projects.current()
        sides: tuple[Side, ...] = ("ja", "en") if body.side == "both" else (body.side,)
        found = project.find_terms(body.text, sides=sides)
        return {"text": body.text, "terms": [o.to_dict() for o in found]}

    @router.get("/stats", tags=["read"])
    def stats(projects: Projs) -> dict[str, Any]:
        """Counts of units (by language pair, origin, document) and of glossary entries."""
        project = projects.current()
        return {**project.tm.stats(), "terms": project.glossary.count()}

    @router.get("/documents", tags=["read"])
    def documents(projects: Projs) -> dict[str, Any]:
        """The documents of the TM, with their unit counts and low-confidence pairs."""
        project = projects.current()
        return {"documents": project.tm.documents(low_confidence=LOW_CONFIDENCE)}

    @router.get("/documents/{name:path}/pairs", tags=["read"])
    def document_pairs(projects: Projs, name: str) -> dict[str, Any]:
        """The units of one document in document order."""
        project = projects.current()
        units = document_units(project, name)
        return {"document": name, "pairs": [u.to_dict() for u in units]}

    @router.post("/units", tags=["write"], status_code=201, dependencies=[Writer])
    async def add_units(request: Request, body: UnitsIn) -> dict[str, Any]:
        """Add translation pairs (origin ``added``); pairs already stored are skipped."""
        return await writing(request, lambda project: _add_units(project, body))

    @router.post("/terms", tags=["write"], status_code=201, dependencies=[Writer])
    async def add_term(request: Request, body: TermIn) -> dict[str, Any]:
        """Add a glossary entry, or update the fields given of the same ja/en pair."""
        return await writing(request, lambda project: _add_term(project, body))

    @router.patch("/terms/{term_id}", tags=["write"], dependencies=[Writer])
    async def patch_term(request: Request, term_id: int, body: TermPatch) -> dict[str, Any]:
        """Change the note, domain, part of speech, status or source of one entry."""
        return await writing(request, lambda project: _patch_term(project, term_id, body))

    @router.post("/documents/{name:path}/review", tags=["write"], dependencies=[Writer])
    async def review(request: Request, name: str, body: ReviewIn) -> dict[str, Any]:
        """Store a document's reviewed pairs in place of its aligned pairs, in one transaction.

        Pairs added or imported under the document's name are left as they are.
        """
        return await writing(request, lambda project: _review(project, name, body))

    return router


async def writing(request: Request, write: Callable[[Project], T]) -> T:
    """Run ``write`` with this thread's project on a thread of the writers' own limiter.

    A write may wait up to the busy timeout for another writer's lock: on its own threads
    it never keeps a read waiting.
    """
    import anyio.to_thread

    projects: Projects = request.app.state.projects
    return await anyio.to_thread.run_sync(
        lambda: write(projects.current()), limiter=request.app.state.write_limiter
    )


def _add_units(project: Project, body: UnitsIn) -> dict[str, Any]:
    units = [
        Unit(
            u.source_text,
            u.target_text,
            source_lang=u.source_lang,
            target_lang=u.target_lang,
            origin="added",
            document=u.document,
            metadata={"note": u.note} if u.note else {},
        )
        for u in body.units
    ]
    result = project.tm.add_many(units)
    return {"added": result.added, "skipped": result.skipped}


def _add_term(project: Project, body: TermIn) -> dict[str, Any]:
    from taiyaku.models import Term
    from taiyaku.store.glossary import OPTIONAL_FIELDS

    given = [f for f in OPTIONAL_FIELDS if f in body.model_fields_set]
    term_id = project.glossary.add(Term(**body.model_dump()), fields=given)
    return {"term": _term(project, term_id)}


def _patch_term(project: Project, term_id: int, body: TermPatch) -> dict[str, Any]:
    term = project.glossary.get(term_id)
    if term is None:
        raise NotFound(f"no glossary entry with id {term_id}")
    changes = body.model_dump(exclude_none=True)
    if changes:
        changed = dataclasses.replace(term, **changes, changed=None, id=None)
        project.glossary.add(changed, fields=list(changes))
    return {"term": _term(project, term_id)}


def _review(project: Project, name: str, body: ReviewIn) -> dict[str, Any]:
    from taiyaku.align.review import STORED_ORIGINS, ReviewedRow, store_review

    units = [u for u in document_units(project, name) if u.origin in STORED_ORIGINS]
    if not units:
        raise ApiError(404, f"document {name!r} has no aligned pairs to review")
    rows = [ReviewedRow(p.source, p.target, p.reviewed, p.bead, p.confidence) for p in body.pairs]
    replaced, result = store_review(
        project.db,
        name,
        rows,
        source_lang=units[0].source_lang,
        target_lang=units[0].target_lang,
    )
    return {"document": name, "replaced": replaced, "stored": result.added}


def _term(project: Project, term_id: int) -> dict[str, Any]:
    term = project.glossary.get(term_id)
    if term is None:  # deleted by another writer since
        raise NotFound(f"no glossary entry with id {term_id}")
    return term.to_dict()


def document_units(project: Project, name: str) -> list[Unit]:
    """The units of document ``name``, in order.

    :raises ApiError: 404, no such document
    """
    units = list(project.tm.iter_units(document=name))
    if not units:
        raise ApiError(404, f"no document named {name!r}")
    return units


def _error(status: int, message: str, field: str | None = None, **headers: str) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return JSONResponse(body, status_code=status, headers=headers or None)


def _field_name(loc: tuple[Any, ...]) -> str:
    """``("body", "pairs", 2, "target")`` → ``pairs[2].target``; ``("query", "q")`` → ``q``."""
    name = ""
    for part in loc[1:]:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or str(loc[0])


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
        return _error(error.status, error.message, error.field, **headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0]
        loc = tuple(first.get("loc", ()))
        if first.get("type") == "json_invalid":
            return _error(400, "the body is not valid JSON", "body")
        field = _field_name(loc)
        return _error(400, f"{field}: {first.get('msg', 'invalid')}", field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> JSONResponse:
        return _error(404, str(error))

    @app.exception_handler(DatabaseUnavailable)
    async def unavailable(request: Request, error: DatabaseUnavailable) -> JSONResponse:
        log.error("database unavailable: %s", error)
        return _error(
            503, "the database server is unavailable; try again shortly", **{"Retry-After": "2"}
        )

    @app.exception_handler(DatabaseFault)
    async def fault(request: Request, error: DatabaseFault) -> JSONResponse:
        log.error("database error: %s", error)
        return _error(500, "database error (see the server log)")

    @app.exception_handler(TaiyakuError)
    async def bad_input(request: Request, error: TaiyakuError) -> JSONResponse:
        if isinstance(error, DatabaseError) and "locked" in str(error):
            return _busy()
        return _error(400, str(error))

    @app.exception_handler(sqlite3.Error)
    async def database_error(request: Request, error: sqlite3.Error) -> JSONResponse:
        text = str(error)
        if "locked" in text or "busy" in text:
            return _busy()
        log.exception("database error", exc_info=error)
        return _error(500, "database error (see the server log)")

    @app.exception_handler(Exception)
    async def crashed(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return _error(500, "internal error (see the server log)")


def _busy() -> JSONResponse:
    return _error(
        503, "the database is locked by another writer; try again shortly", **{"Retry-After": "2"}
    )


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413.

    A declared ``Content-Length`` over the limit is refused before reading; a body sent
    without one (chunked) is counted as it arrives and refused once it passes the limit.
    """

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        message = f"the body is larger than {self.max_bytes:,} bytes"
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _error(413, message, "body")(scope, receive, send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            received = await receive()
            if received["type"] == "http.request":
                seen += len(received.get("body", b""))
                if seen > self.max_bytes:
                    # An HTTPException: FastAPI passes it through its body parsing unchanged.
                    raise StarletteHTTPException(413, message)
            return received

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except StarletteHTTPException as error:  # raised where no handler could answer it
            if started or error.status_code != 413:
                raise
            await _error(413, message, "body")(scope, receive, send)


__all__ = ["ApiError", "ServerConfig", "create_app"]
