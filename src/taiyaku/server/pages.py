"""The web page: search (lookup, match, concordance), the glossary and aligned documents.

Pages are rendered on the server with Jinja2, whose autoescaping writes every stored text
as text: a ``<script>`` in a unit is shown, never run. The little JavaScript in
``static/app.js`` adds keys, copy buttons and the review actions; it writes text with
``textContent`` only. Everything (style, script) is served from here: no CDN, no build step.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from taiyaku.errors import TaiyakuError
from taiyaku.models import Side, Term
from taiyaku.project import Project
from taiyaku.server.app import HERE, LOW_CONFIDENCE, MAX_QUERY, ApiError, Projs, document_units

GLOSSARY_PAGE = 100
TABS = ("lookup", "match", "concordance")

templates = Jinja2Templates(directory=HERE / "templates")
# Defence in depth beside escaping: only the page's own script and style may run or load.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@dataclass(frozen=True)
class Piece:
    """A stretch of a text to render: plain, or marked with what it is."""

    text: str
    mark: Any = None


def pieces(text: str, spans: list[tuple[int, int, Any]]) -> list[Piece]:
    """Cut ``text`` at the ``(start, end, mark)`` spans (sorted, not overlapping)."""
    out: list[Piece] = []
    at = 0
    for start, end, mark in spans:
        if start < at or start < 0:
            continue
        if start > at:
            out.append(Piece(text[at:start]))
        out.append(Piece(text[start:end], mark))
        at = end
    if at < len(text):
        out.append(Piece(text[at:]))
    return out


def pages_router() -> APIRouter:
    """The HTML pages."""
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @router.get("/")
    def search(
        request: Request,
        projects: Projs,
        tab: Literal["lookup", "match", "concordance"] = "lookup",
        q: str = Query("", max_length=MAX_QUERY),
    ) -> Any:
        project = projects.current()
        context: dict[str, Any] = {"tab": tab, "tabs": TABS, "q": q, "error": None}
        if q.strip():
            try:
                context.update(_search(project, tab, q))
            except TaiyakuError as error:
                context["error"] = str(error)
        return _render(request, "search.html", context)

    @router.get("/glossary")
    def glossary(
        request: Request,
        projects: Projs,
        q: str = Query("", max_length=MAX_QUERY),
        status: Literal["", "preferred", "admitted", "deprecated", "forbidden"] = "",
        page: int = Query(1, ge=1),
    ) -> Any:
        project = projects.current()
        store = project.glossary
        if q.strip():
            hits = [h for h in store.lookup(q, limit=200) if not status or h.term.status == status]
            rows = [(h.term, h.preferred) for h in hits]
            more = False
        else:
            with closing(store.iter_terms()) as stored:  # one page read: the rest is not
                terms = (t for t in stored if not status or t.status == status)
                chosen = list(islice(terms, (page - 1) * GLOSSARY_PAGE, page * GLOSSARY_PAGE + 1))
            more = len(chosen) > GLOSSARY_PAGE
            rows = [(t, _preferred(project, t)) for t in chosen[:GLOSSARY_PAGE]]
        context = {
            "q": q,
            "status": status,
            "page": page,
            "more": more,
            "rows": rows,
            "total": store.count(),
        }
        return _render(request, "glossary.html", context)

    @router.get("/documents")
    def documents(request: Request, projects: Projs) -> Any:
        project = projects.current()
        found = project.tm.documents(low_confidence=LOW_CONFIDENCE)
        return _render(request, "documents.html", {"documents": found})

    @router.get("/documents/{name:path}")
    def document(request: Request, projects: Projs, name: str) -> Any:
        project = projects.current()
        try:
            units = document_units(project, name)
        except ApiError as error:
            context: dict[str, Any] = {"name": name, "units": [], "error": error.message}
            return _render(request, "document.html", context, status=404)
        context = {
            "name": name,
            "units": units,
            "low": LOW_CONFIDENCE,
            "error": None,
            "reviewable": any(u.origin in ("aligned", "reviewed") for u in units),
        }
        return _render(request, "document.html", context)

    return router


def _render(
    request: Request, name: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    context["writable"] = request.app.state.config.token is not None
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def _search(project: Project, tab: str, q: str) -> dict[str, Any]:
    """What one tab shows for query ``q``."""
    from taiyaku.text.lang import detect_lang

    if tab == "lookup":
        return {"hits": project.lookup(q, limit=30)}
    if tab == "match":
        side: Side = "ja" if detect_lang(q) == "ja" else "en"
        found = project.find_terms(q, sides=(side,))
        return {
            "matches": project.match(q, limit=10),
            "query_pieces": pieces(q, [(o.start, o.end, o) for o in found]),
        }
    result = project.concordance(q, limit=50)
    hits = []
    for hit in result.hits:
        text, other = (
            (hit.unit.source_text, hit.unit.target_text)
            if hit.field == "source"
            else (hit.unit.target_text, hit.unit.source_text)
        )
        hits.append((hit, pieces(text, [(hit.start, hit.end, True)]), other))
    return {"concordance": result, "concordance_hits": hits}


def _preferred(project: Project, term: Term) -> tuple[Term, ...]:
    """The preferred entries to use instead of a deprecated or forbidden one."""
    if term.status not in ("deprecated", "forbidden"):
        return ()
    return tuple(project.glossary.preferred_renderings(term))
