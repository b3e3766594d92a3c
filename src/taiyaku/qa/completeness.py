"""The completeness check: every unit is translated, into the right language, at full length.

- an empty target, or one equal to its source (by match key) while the source is written in
  its own language (an acronym such as ``ICT`` may stay as it is);
- a target written in the source's language (detected by script, :mod:`taiyaku.text.lang`);
- a target far shorter or longer than the alignment's length model predicts
  (:mod:`taiyaku.align.lengths`: Gale–Church's δ with the target/source character ratio of
  the whole file or TM; text in brackets left out of both): a dropped clause, or two
  sentences where one was expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from taiyaku.align.lengths import length_delta, text_length
from taiyaku.qa.findings import Finding, Located, finding
from taiyaku.text.lang import detect_lang, primary_lang
from taiyaku.text.normalize import match_key

# δ beyond these is reported. A target too short has usually lost something (1 unit in 700
# of kyoto-wiki: some translated "OK"); a target too long is most often an English gloss
# added for the reader, so only extreme cases are reported.
TOO_SHORT = -4.0
TOO_LONG = 6.0
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
# Texts this short vary too much in length to judge (a heading, a name).
MIN_LENGTH = 12


def unbracketed_length(text: str) -> int:
    """Characters of ``text`` outside brackets, white space excluded.

    What is in brackets is where the two languages differ most by convention: a reading
    (雪舟（せっしゅう）), dates by two calendars, an English gloss (Dainagon (chief councilor
    of state)). Leaving it out keeps the length model for what must be translated.
    """
    return text_length(_BRACKETED.sub("", text))


def check_completeness(item: Located, ratio: float) -> Iterator[Finding]:
    """The completeness findings of one unit.

    :param ratio: target characters per source character over the whole file or TM
    """
    unit = item.unit
    source, target = unit.source_text, unit.target_text
    source_lang, target_lang = primary_lang(unit.source_lang), primary_lang(unit.target_lang)
    if not target.strip():
        yield finding(item, "completeness", "empty-target", "error", "the target is empty")
        return
    whole_target = [(0, len(target))]
    if source_lang == target_lang or source_lang not in ("ja", "en"):
        return
    source_in_own_lang = detect_lang(source, default="") == source_lang
    if match_key(source) == match_key(target):
        if source_in_own_lang and source_lang == "ja":
            yield finding(item, "completeness", "untranslated", "error",
                          "the target is the source, untranslated", (), whole_target)  # fmt: skip
        return
    # A target that keeps the Japanese with a reading or a gloss (念仏衆生 (Nenbutsu shujo))
    # is half translated: the form check reports the Japanese left in it.
    if (
        source_in_own_lang
        and detect_lang(target, default=target_lang) == source_lang
        and len(_LATIN_WORD.findall(target)) < 3
    ):
        yield finding(item, "completeness", "wrong-language", "error",
                      f"the target is in {source_lang}, not {target_lang}", (), whole_target)  # fmt: skip
        return
    s_len, t_len = unbracketed_length(source), unbracketed_length(target)
    if max(s_len * ratio, t_len) < MIN_LENGTH:
        return
    delta = float(length_delta(s_len, t_len, ratio))
    if delta <= TOO_SHORT or delta >= TOO_LONG:
        expected = round(s_len * ratio)
        how = "short" if delta < 0 else "long"
        yield finding(
            item, "completeness", f"too-{how}", "warning",
            f"the target is too {how}: {t_len} characters where about {expected} are expected",
            (), whole_target,
        )  # fmt: skip
