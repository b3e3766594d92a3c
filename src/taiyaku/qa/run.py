"""Running the checks over units from files or from the TM."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator

from taiyaku.align.lengths import estimate_ratio
from taiyaku.errors import TaiyakuError
from taiyaku.glossary import Glossary
from taiyaku.qa.completeness import check_completeness, unbracketed_length
from taiyaku.qa.consistency import check_consistency
from taiyaku.qa.findings import CHECKS, Finding, Located
from taiyaku.qa.form import check_form
from taiyaku.qa.numbers import check_numbers
from taiyaku.qa.terminology import check_terminology
from taiyaku.store.db import Db


def check_units(
    items: Iterable[Located],
    *,
    glossary: Glossary | None = None,
    skip: Collection[str] = (),
    progress: Callable[[int], None] | None = None,
) -> list[Finding]:
    """Run the checks over units; return the findings, by check, then in unit order.

    :param items: the units with their places (:func:`located_file_units`,
        :func:`located_tm_units`)
    :param glossary: the glossary for the terminology check (skipped without one)
    :param skip: names of checks not to run (see :data:`~taiyaku.qa.findings.CHECKS`)
    :param progress: called with 1 after each unit checked
    """
    unknown = set(skip) - set(CHECKS)
    if unknown:
        raise TaiyakuError(
            f"no such check: {', '.join(sorted(unknown))} (checks: {', '.join(CHECKS)})"
        )
    todo = [name for name in CHECKS if name not in skip]
    if glossary is None and "terminology" in todo:
        todo.remove("terminology")
    units = list(items)
    ratio = estimate_ratio(
        [unbracketed_length(i.unit.source_text) for i in units],
        [unbracketed_length(i.unit.target_text) for i in units],
    )
    found: dict[str, list[Finding]] = {name: [] for name in todo}
    for item in units:
        if "terminology" in todo and glossary is not None:
            found["terminology"] += check_terminology(item, glossary)
        if "numbers" in todo:
            found["numbers"] += check_numbers(item)
        if "completeness" in todo:
            found["completeness"] += check_completeness(item, ratio)
        if "form" in todo:
            found["form"] += check_form(item)
        if progress:
            progress(1)
    if "consistency" in todo:
        found["consistency"] += check_consistency(units)
    return [f for name in todo for f in found[name]]


def located_file_units(path: str | os.PathLike[str]) -> Iterator[Located]:
    """The units of a TMX, TSV, CSV or XLSX file with their places (``file line 3``)."""
    from taiyaku.formats import read_units_with_places

    name = os.fspath(path)
    for place, unit in read_units_with_places(path):
        yield Located(f"{name} {place}", unit)


def located_tm_units(db: Db, *, document: str | None = None) -> Iterator[Located]:
    """The units of a TM (of one document) with their places (``unit 42``)."""
    from taiyaku.store.tm import TranslationMemory

    for unit in TranslationMemory(db).iter_units(document=document):
        yield Located(f"unit {unit.id}", unit)
