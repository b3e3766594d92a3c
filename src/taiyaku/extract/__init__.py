"""Bilingual term extraction: glossary candidates from the aligned units of a TM.

``extract_terms(units)`` finds Japanese term candidates (noun compounds, katakana and Latin
sequences; C-value termhood) and pairs each with its most likely English rendering (Dice over
the units, transliteration evidence, glossary pairs as anchors). See :mod:`.terms`.
"""

from __future__ import annotations

from taiyaku.extract.terms import METHODS, Example, TermCandidate, extract_terms

__all__ = ["METHODS", "Example", "TermCandidate", "extract_terms"]
