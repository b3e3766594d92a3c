"""The JSON records the API returns: the same shapes ``--json`` prints on the command line."""

from __future__ import annotations

from typing import Any

from taiyaku.cli.output import to_jsonable
from taiyaku.match.concordance import Concordance
from taiyaku.match.search import Match
from taiyaku.models import Unit


def match_record(m: Match) -> dict[str, Any]:
    """One fuzzy match as ``taiyaku match --json`` prints it."""
    return {
        "score": m.score,
        "source": m.source,
        "target": m.target,
        "diff": [{"op": s.op, "source": s.source, "query": s.query} for s in m.diff],
        "terms": [
            {"term": t.text, "translation": t.translation, "status": t.status} for t in m.terms
        ],
        "numbers_only": m.numbers_only,
        "adapted_target": m.adapted_target,
        "metric": m.metric,
        "unit_id": m.unit.id,
        "origin": m.unit.origin,
        "document": m.unit.document,
        "created": m.unit.created,
        "changed": m.unit.changed,
    }


def concordance_record(result: Concordance) -> dict[str, Any]:
    """A concordance result as ``taiyaku concordance --json`` prints it."""
    return {
        "query": result.query,
        "total": result.total,
        "exact": result.exact,
        "hits": [
            {
                "field": h.field,
                "source": h.unit.source_text,
                "target": h.unit.target_text,
                "start": h.start,
                "end": h.end,
                "unit_id": h.unit.id,
                "document": h.unit.document,
            }
            for h in result.hits
        ],
    }


def unit_record(unit: Unit) -> dict[str, Any]:
    """A translation unit with every stored field."""
    return to_jsonable(unit)  # type: ignore[no-any-return]


__all__ = ["concordance_record", "match_record", "to_jsonable", "unit_record"]
