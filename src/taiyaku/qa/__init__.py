"""QA of translations: terminology, numbers, consistency, completeness and form checks.

``check_units(items, glossary=...)`` runs the checks over units with their places (from files,
:func:`located_file_units`, or the TM, :func:`located_tm_units`) and returns one
:class:`Finding` per problem. Each check is a module: :mod:`.terminology`, :mod:`.numbers`,
:mod:`.consistency`, :mod:`.completeness`, :mod:`.form`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from taiyaku.lazy import lazy_exports

if TYPE_CHECKING:
    from taiyaku.qa.findings import CHECKS, SEVERITIES, Finding, Located
    from taiyaku.qa.run import check_units, located_file_units, located_tm_units

# `taiyaku check` registers its options from taiyaku.qa.findings at every CLI start: the
# checks themselves (the aligner's length model, the glossary, numpy) load when it runs.
__getattr__ = lazy_exports(
    __name__,
    {
        **dict.fromkeys(("CHECKS", "SEVERITIES", "Finding", "Located"), "taiyaku.qa.findings"),
        **dict.fromkeys(
            ("check_units", "located_file_units", "located_tm_units"), "taiyaku.qa.run"
        ),
    },
)

__all__ = [
    "CHECKS",
    "SEVERITIES",
    "Finding",
    "Located",
    "check_units",
    "located_file_units",
    "located_tm_units",
]
