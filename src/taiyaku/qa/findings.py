"""What a QA check reports: findings, and the checks' names and descriptions."""

from __future__ import annotations

from dataclasses import dataclass

from taiyaku.models import Unit

SEVERITIES = ("error", "warning", "info")

# Each check: its name, what it looks for (one line, shown in --help).
CHECKS: dict[str, str] = {
    "terminology": "glossary terms whose preferred English is missing; deprecated or "
    "forbidden renderings used",
    "numbers": "numbers, era years, months, 万/億 amounts, percentages and currencies "
    "that do not match between source and target",
    "consistency": "one source translated differently; one target used for different sources",
    "completeness": "empty or untranslated targets, targets in the source's language, "
    "targets far too short or long",
    "form": "unbalanced brackets or quotes, differing placeholders, double spaces, "
    "outer spaces, full-width characters or Japanese left in English",
}


@dataclass(frozen=True)
class Located:
    """A unit to check and where it is: ``file.tsv line 3``, ``file.tmx tu 12``, ``unit 42``."""

    where: str
    unit: Unit


@dataclass(frozen=True)
class Finding:
    """One problem in one unit (or, for consistency, across units).

    :param where: the place of the unit: a file and line/row, or a TM unit id
    :param unit_id: the TM unit id, when checking the TM
    :param source: the unit's source text
    :param target: the unit's target text
    :param check: the check's name (a key of :data:`CHECKS`)
    :param rule: what exactly is wrong, e.g. ``missing-term``, ``forbidden-term``
    :param severity: ``error``, ``warning`` or ``info``
    :param message: one line for a person
    :param source_spans: ``(start, end)`` offsets in the source the finding is about
    :param target_spans: the same in the target
    """

    where: str
    unit_id: int | None
    source: str
    target: str
    check: str
    rule: str
    severity: str
    message: str
    source_spans: tuple[tuple[int, int], ...] = ()
    target_spans: tuple[tuple[int, int], ...] = ()


def finding(
    item: Located,
    check: str,
    rule: str,
    severity: str,
    message: str,
    source_spans: list[tuple[int, int]] | tuple[tuple[int, int], ...] = (),
    target_spans: list[tuple[int, int]] | tuple[tuple[int, int], ...] = (),
) -> Finding:
    """A :class:`Finding` about ``item``."""
    return Finding(
        where=item.where,
        unit_id=item.unit.id,
        source=item.unit.source_text,
        target=item.unit.target_text,
        check=check,
        rule=rule,
        severity=severity,
        message=message,
        source_spans=tuple(source_spans),
        target_spans=tuple(target_spans),
    )
