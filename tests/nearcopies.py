"""Texts that are near copies of a few made-up sentences, as a TM of revisions holds them."""

from __future__ import annotations

import random


def near_copies(
    rng: random.Random,
    count: int,
    words: list[str],
    *,
    sep: str = "",
    sentences: int = 12,
    lengths: tuple[int, int] = (4, 12),
    inserted: str = "のはをにが京寺年",
    deletions: bool = True,
) -> list[str]:
    """``count`` texts (fewer once duplicates go), each one of ``sentences`` sentences of
    ``words`` (joined by ``sep``) with up to 3 characters of ``inserted`` put in, or taken
    out when ``deletions``."""
    bases = [
        sep.join(rng.choice(words) for _ in range(rng.randint(*lengths))) for _ in range(sentences)
    ]
    texts = []
    for _ in range(count):
        text = list(rng.choice(bases))
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(text) + 1)
            if deletions and rng.random() < 0.5 and at < len(text):
                del text[at]
            else:
                text.insert(at, rng.choice(inserted))
        texts.append("".join(text))
    return list(dict.fromkeys(texts))
