"""Text handling shared by every part of taiyaku: match keys and language detection."""

from taiyaku.text.lang import detect_lang, primary_lang
from taiyaku.text.normalize import match_key

__all__ = ["detect_lang", "match_key", "primary_lang"]
