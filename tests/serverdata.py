"""A small project database for the server tests: terms, units and one aligned document."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from taiyaku.align import align_texts, save_alignment
from taiyaku.glossary import Glossary
from taiyaku.models import Term, Unit
from taiyaku.store.db import open_db
from taiyaku.store.tm import TranslationMemory

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-token-4f9a"
DOCUMENT = "mic-global-strategy-bureau"
LOW = (6, 7)  # positions of the document's low-confidence pairs
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'

TERMS = [
    Term("国際戦略局", "Global Strategy Bureau", note="bureau of MIC", domain="organisation"),
    Term("国際戦略課", "Global Strategy Division"),
    Term("情報通信", "ICT"),
    Term("情報通信", "information and communications", status="deprecated"),
    Term("総務省", "Ministry of Internal Affairs and Communications"),
]
UNITS = [
    Unit("国際戦略局の組織", "Organisation of the Global Strategy Bureau"),
    Unit(
        "2023年4月29日及び30日に会合を開催しました。",
        "The meeting was held on April 29 and 30, 2023.",
    ),
    Unit("情報通信分野の研究開発を推進します。", "We promote research and development in ICT."),
    Unit(HOSTILE + "危険な文", "A dangerous " + HOSTILE + " sentence"),
]


def build(path: Path) -> Path:
    """Write the test project to ``path``: glossary, TM units and an aligned document."""
    db = open_db(path)
    Glossary(db).add_many(TERMS)
    TranslationMemory(db).add_many(UNITS)
    source = (ROOT / "tm" / f"{DOCUMENT}.ja.txt").read_text(encoding="utf-8")
    target = (ROOT / "tm" / f"{DOCUMENT}.en.txt").read_text(encoding="utf-8")
    glossary = [(t.ja, t.en) for t in TERMS]
    alignment = align_texts(source, target, glossary=glossary)
    # Two pairs the aligner was unsure of, as a reviewer meets them on a harder page.
    beads = [
        dataclasses.replace(bead, confidence=0.3) if i in LOW else bead
        for i, bead in enumerate(alignment.beads)
    ]
    save_alignment(db, dataclasses.replace(alignment, beads=beads), DOCUMENT)
    db.close()
    return path
