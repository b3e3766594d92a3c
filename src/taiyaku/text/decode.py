"""Reading text files whose encoding nobody wrote down.

Japanese files arrive as UTF-8 (with or without a BOM), UTF-16 with a BOM, Shift_JIS/CP932
(Excel's CSV export on Japanese Windows) or EUC-JP. ``read_text`` tells them apart by the
BOM, then by which codec decodes the bytes cleanly, and never returns mojibake: bytes no
candidate can decode are a :class:`FormatError` naming the byte offset.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from taiyaku.errors import FormatError
from taiyaku.text.chars import KANA_CHAR

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


# What a binary document renamed .txt starts with: told as what it is, not as an encoding.
_BINARY_KINDS = (
    (b"PK\x03\x04", "a zip archive (a Word .docx, Excel .xlsx or other zip file)"),
    (b"%PDF", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc or Excel .xls file"),
    (b"{\\rtf", "an RTF document"),
)


def decode_bytes(data: bytes, path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Decode ``data`` read from ``path``, detecting the encoding unless one is given.

    :raises FormatError: the bytes are a binary document (Word, PDF, zip), do not decode
        (the message names the byte offset), or ``encoding`` is not a codec Python knows
    """
    for magic, kind in _BINARY_KINDS:
        if data.startswith(magic):
            raise FormatError(
                path, f"this is {kind}, not text: save it as plain text (or .xlsx/.tmx) first"
            )
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FormatError(path, f"unknown encoding {encoding!r}") from None
        return _strict(data, encoding, path)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        candidates = []
        for codec in ("cp932", "euc_jp"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _PRIVATE_USE.search(text):
                continue  # CP932 maps stray bytes such as 0xFF into the private use area
            candidates.append((len(KANA_CHAR.findall(text)), codec, text))
        if candidates:
            # Both may decode; the right one yields real kana, the wrong one rare kanji.
            return max(candidates, key=lambda c: c[0])[2]
        raise FormatError(
            path,
            "cannot decode the bytes as UTF-8, Shift_JIS/CP932 or EUC-JP "
            "(give the encoding with --encoding)",
            f"byte {utf8_error.start}",
        ) from None


def _strict(data: bytes, codec: str, path: str | os.PathLike[str]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise FormatError(
            path, f"invalid {codec} byte sequence ({error.reason})", f"byte {error.start}"
        ) from None


def check_readable(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path if it is a non-empty regular file; else raise FormatError."""
    file = Path(path)
    if file.is_dir():
        raise FormatError(path, "is a directory, not a file")
    if not file.exists():
        raise FormatError(path, "no such file")
    if file.stat().st_size == 0:
        raise FormatError(path, "empty file")
    return file


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Read a whole text file, detecting its encoding (see :func:`decode_bytes`).

    :raises FormatError: the path is missing, a directory or empty, or the bytes do not decode
    """
    try:
        data = check_readable(path).read_bytes()
    except OSError as error:
        raise FormatError(path, error.strerror or str(error)) from None
    return decode_bytes(data, path, encoding)
