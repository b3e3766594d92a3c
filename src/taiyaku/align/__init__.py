"""Sentence alignment: a document and its translation become translation units.

>>> from taiyaku.align import align
>>> [b.type for b in align(["国際戦略局"], ["Global Strategy Bureau"])]
['1-1']
"""

from typing import TYPE_CHECKING

from taiyaku.lazy import lazy_exports

if TYPE_CHECKING:
    from taiyaku.align.core import BEAD_TYPES, Alignment, Bead, align
    from taiyaku.align.document import (
        align_files,
        align_texts,
        alignment_units,
        glossary_pairs,
        save_alignment,
    )

# The length model (taiyaku.align.lengths) is used by QA without the aligner: importing it
# must not load the aligner's DP, anchors and MeCab names.
__getattr__ = lazy_exports(
    __name__,
    {
        **dict.fromkeys(("BEAD_TYPES", "Alignment", "Bead", "align"), "taiyaku.align.core"),
        **dict.fromkeys(
            ("align_files", "align_texts", "alignment_units", "glossary_pairs", "save_alignment"),
            "taiyaku.align.document",
        ),
    },
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
