"""QA of translations: terminology, numbers, consistency, completeness and form checks.

``check_units(items, glossary=...)`` runs the checks over units with their places (from files,
:func:`located_file_units`, or the TM, :func:`located_tm_units`) and returns one
:class:`Finding` per problem. Each check is a module: :mod:`.terminology`, :mod:`.numbers`,
:mod:`.consistency`, :mod:`.completeness`, :mod:`.form`.
"""

from __future__ import annotations

from taiyaku.qa.findings import CHECKS, SEVERITIES, Finding, Located
from taiyaku.qa.run import check_units, located_file_units, located_tm_units

__all__ = [
    "CHECKS",
    "SEVERITIES",
    "Finding",
    "Located",
    "check_units",
    "located_file_units",
    "located_tm_units",
]
