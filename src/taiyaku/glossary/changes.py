"""Applying an edited glossary export as changes: what is added, changed and removed.

A translator exports the glossary, edits it in Excel (fixes a note, marks a term forbidden,
deletes a row, adds a few) and imports it again with ``--update``. Entries are matched on
their Japanese and English terms: a pair only in the file is *added*, a pair only in the
database is *removed*, a pair in both whose note, domain, part of speech, status or source
differ is *changed* (its ``changed`` time becomes now; ``created`` is kept). A column the file
does not have, or an empty cell, changes nothing unless asked (see
:func:`taiyaku.store.glossary.merge_term`). Editing a term
itself therefore shows as one removal and one addition. Nothing is written until
:func:`apply_changes`, which does all of it in one transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from taiyaku.models import Term, now_iso
from taiyaku.store.db import transaction
from taiyaku.store.glossary import OPTIONAL_FIELDS, GlossaryStore, merge_term


@dataclass(frozen=True)
class TermChanges:
    """The difference between a glossary and a file: (old, new) pairs for changed entries."""

    added: tuple[Term, ...]
    changed: tuple[tuple[Term, Term], ...]
    removed: tuple[Term, ...]
    unchanged: int

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def plan_changes(
    glossary: GlossaryStore,
    terms: Iterable[Term],
    *,
    fields: Collection[str] = OPTIONAL_FIELDS,
    clear_empty: bool = False,
    additions_only: bool = False,
) -> TermChanges:
    """Compare ``terms`` (the whole edited glossary) with the stored entries; write nothing.

    A pair listed twice in the file counts once, its last row winning.

    :param fields: the optional fields the file carries (the others are left alone)
    :param clear_empty: an empty cell clears a stored value
    :param additions_only: ``terms`` are new entries to consider (the kept rows of a
        candidates sheet), not the whole glossary: only pairs not stored are added, and
        nothing is changed or removed
    """
    wanted: dict[tuple[str, str], Term] = {}
    for term in terms:
        wanted[(term.ja, term.en)] = term
    stored = {(t.ja, t.en): t for t in glossary.iter_terms()}
    added = tuple(
        replace(t, status=t.status or "preferred") for key, t in wanted.items() if key not in stored
    )
    if additions_only:
        return TermChanges(added, (), (), len(wanted) - len(added))
    removed = tuple(t for key, t in stored.items() if key not in wanted)
    changed = []
    unchanged = 0
    for key, new in wanted.items():
        old = stored.get(key)
        if old is None:
            continue
        merged = merge_term(old, new, fields, clear_empty)
        if merged != old:
            changed.append((old, merged))
        else:
            unchanged += 1
    return TermChanges(added, tuple(changed), removed, unchanged)


def apply_changes(glossary: GlossaryStore, changes: TermChanges) -> None:
    """Apply planned changes in one transaction: all of them, or none if anything fails."""
    now = now_iso()
    with transaction(glossary.db):
        for term in changes.removed:
            if term.id is not None:
                glossary.delete(term.id)
        # The changed entries are complete (merged with what was stored): write them as they are.
        glossary.add_many(
            [
                *changes.added,
                *(replace(new, created=old.created, changed=now) for old, new in changes.changed),
            ],
            clear_empty=True,
        )
