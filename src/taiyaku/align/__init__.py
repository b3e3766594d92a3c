"""Sentence alignment: a document and its translation become translation units.

>>> from taiyaku.align import align
>>> [b.type for b in align(["国際戦略局"], ["Global Strategy Bureau"])]
['1-1']
"""

from taiyaku.align.core import BEAD_TYPES, Alignment, Bead, align
from taiyaku.align.document import (
    align_files,
    align_texts,
    alignment_units,
    glossary_pairs,
    save_alignment,
)

__all__ = [
    "BEAD_TYPES",
    "Alignment",
    "Bead",
    "align",
    "align_files",
    "align_texts",
    "alignment_units",
    "glossary_pairs",
    "save_alignment",
]
