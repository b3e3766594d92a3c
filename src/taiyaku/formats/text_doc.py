"""Plain-text and Markdown files as documents to translate.

Plain text: every paragraph (lines between blank lines) is a block; list markers, line
breaks between blocks and blank lines stay in the skeleton. Markdown: headings, paragraphs,
list items, block quotes and table cells are blocks, their syntax (``#``, ``-``, ``>``,
``|``) stays in the skeleton, and so do fenced and indented code, HTML blocks, front
matter, link definitions and rules. Inside a block, emphasis (``*``, ``**``, ``_``,
``__``) and links (``[text](url)``) become paired inline codes around their text; inline
code, images, autolinks and inline HTML become standalone codes.
"""

from __future__ import annotations

import re

from taiyaku.errors import FormatError
from taiyaku.formats.document import Code, SourceDocument, TextSkeleton, refuse_markers
from taiyaku.text.decode import decode_bytes
from taiyaku.text.lang import detect_lang

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")


def read_plain(name: str, data: bytes) -> SourceDocument:
    """Split a plain-text file into segments, one block per paragraph.

    :raises FormatError: the bytes do not decode, or the file holds no text
    """
    text = _decode(name, data)
    skeleton = TextSkeleton(detect_lang(text))
    out, position = [], 0
    for gap in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = gap.start() if gap else len(text)
        paragraph = text[position:end]
        mark = skeleton.block([paragraph], "paragraph")
        out.append(mark if mark is not None else paragraph)
        if gap:
            out.append(gap.group(0))
            position = gap.end()
    return _finish(skeleton, out, name, "text", data)


def _decode(name: str, data: bytes) -> str:
    text = decode_bytes(data, name).lstrip("\ufeff")
    refuse_markers(name, text)
    if not text.strip():
        raise FormatError(name, "no text to translate in the file")
    return text


def _finish(
    skeleton: TextSkeleton, out: list[str], name: str, fmt: str, data: bytes
) -> SourceDocument:
    skeleton.text = "".join(out)
    document = skeleton.source_document(name, fmt, data, escape_text=str, escape_attr=str)
    if not document.segments:
        raise FormatError(name, "no text to translate in the file")
    return document


# --- Markdown ----------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(\s{0,3}#{1,6}[ \t]+)(.*?)([ \t]+#+[ \t]*)?(\r?\n)?$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|=+\s*)(\r?\n)?$")
_QUOTE = re.compile(r"^(\s{0,3}>[ \t]?)+")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
_TABLE_ROW = re.compile(r"^\s*\|")
_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
_CELL = re.compile(r"((?:\\\||[^|])+)")
_INLINE = re.compile(
    r"(?P<code>`+).+?(?P=code)"
    r"|(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<link>\[(?P<ltext>[^\]]+)\](?P<lurl>\([^)]*\)|\[[^\]]*\]))"
    r"|(?P<autolink><(?:https?|mailto):[^>\s]+>)"
    r"|(?P<html></?[A-Za-z][^>]*>)"
    r"|(?P<strong>\*\*|__)(?P<stext>\S(?:.*?\S)?)(?P=strong)"
    r"|(?P<star>\*)(?P<etext>[^*\s](?:[^*]*?[^*\s])?)\*"
    r"|(?<![A-Za-z0-9])_(?P<utext>[^_\s](?:[^_]*?[^_\s])?)_(?![A-Za-z0-9])",
    re.S,
)


def read_markdown(name: str, data: bytes) -> SourceDocument:
    """Split a Markdown file into segments; its syntax stays in the skeleton.

    :raises FormatError: the bytes do not decode, or the file holds no text
    """
    text = _decode(name, data)
    skeleton = TextSkeleton(detect_lang(text))
    reader = _Markdown(skeleton)
    lines = text.splitlines(keepends=True)
    i = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((j for j in range(1, len(lines)) if lines[j].strip() in ("---", "...")), 0)
        reader.out.extend(lines[: end + 1])
        i = end + 1
    previous_blank = True
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            close = next(
                (
                    j
                    for j in range(i + 1, len(lines))
                    if lines[j].strip().startswith(fence.group(1))
                ),
                len(lines) - 1,
            )
            reader.out.extend(lines[i : close + 1])
            i, previous_blank = close + 1, False
            continue
        blank = not line.strip()
        verbatim = (
            blank
            or (previous_blank and line.startswith(("    ", "\t")))
            or line.lstrip().startswith("<")
            or _LINK_DEFINITION.match(line)
            or _RULE.match(line)
            or (_TABLE_ROW.match(line) and _TABLE_RULE.match(line))
        )
        if verbatim:
            reader.out.append(line)
        elif _TABLE_ROW.match(line):
            reader.table_row(line)
        elif heading := _HEADING.match(line):
            reader.out.append(heading.group(1))
            reader.inline_block(heading.group(2), "heading")
            reader.out.append((heading.group(3) or "") + (heading.group(4) or ""))
        else:
            prefix = ""
            quote = _QUOTE.match(line)
            if quote:
                prefix = quote.group(0)
            item = _ITEM.match(line[len(prefix) :])
            if item:
                prefix += item.group(1)
            j = i + 1
            while j < len(lines) and _continues(lines[j], bool(quote)):
                j += 1
            body = line[len(prefix) :] + "".join(lines[i + 1 : j])
            stripped = body.rstrip("\r\n")
            reader.out.append(prefix)
            reader.inline_block(
                stripped, "list item" if item else "quote" if quote else "paragraph"
            )
            reader.out.append(body[len(stripped) :])
            i, previous_blank = j, False
            continue
        i, previous_blank = i + 1, blank
    return _finish(skeleton, reader.out, name, "markdown", data)


def _continues(line: str, quoted: bool) -> bool:
    """True when ``line`` continues the paragraph or item before it."""
    if not line.strip() or _FENCE.match(line) or _HEADING.match(line) or _RULE.match(line):
        return False
    if _QUOTE.match(line) or _ITEM.match(line) or _TABLE_ROW.match(line):
        return False
    return not line.lstrip().startswith("<") and not quoted


class _Markdown:
    def __init__(self, skeleton: TextSkeleton):
        self.skeleton = skeleton
        self.out: list[str] = []
        self.pairs = 0

    def inline_block(self, text: str, note: str) -> None:
        mark = self.skeleton.block(self.inline(text), note)
        self.out.append(mark if mark is not None else text)

    def table_row(self, line: str) -> None:
        position = 0
        for cell in _CELL.finditer(line.rstrip("\r\n")):
            self.out.append(line[position : cell.start()])
            value = cell.group(1)
            lead = len(value) - len(value.lstrip())
            body = value.strip()
            self.out.append(value[:lead])
            self.inline_block(body, "table cell")
            self.out.append(value[lead + len(body) :])
            position = cell.end()
        self.out.append(line[position:])

    def inline(self, text: str) -> list[str | Code]:
        """Emphasis and links as paired codes, code spans and the like as standalone codes."""
        parts: list[str | Code] = []
        position = 0
        for found in _INLINE.finditer(text):
            parts.append(text[position : found.start()])
            position = found.end()
            self.pairs += 1
            pair = str(self.pairs)
            whole = found.group(0)
            if found.group("link"):
                inner, opener, closer, ctype = (
                    found.group("ltext"),
                    "[",
                    "]" + found.group("lurl"),
                    "link",
                )
            elif found.group("strong"):
                mark = found.group("strong")
                inner, opener, closer, ctype = found.group("stext"), mark, mark, "bold"
            elif found.group("star") or found.group("utext"):
                mark = "*" if found.group("star") else "_"
                inner = found.group("etext") or found.group("utext")
                opener, closer, ctype = mark, mark, "italic"
            else:
                kind = (
                    "image"
                    if found.group("image")
                    else "x-code"
                    if found.group("code")
                    else "x-html"
                )
                parts.append(Code("ph", pair, whole, kind, whole[:12]))
                continue
            parts.append(Code("open", pair, opener, ctype, opener))
            parts.extend(self.inline(inner))
            parts.append(Code("close", pair, closer, ctype, closer[:12]))
        parts.append(text[position:])
        return parts
