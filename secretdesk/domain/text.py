"""Folding Vietnamese text for search: case- and accent-insensitive.

A clerk typing "tuyet mat" must find "Tuyệt mật"; "DANG" finds "Đảng". Unicode
decomposition removes tone marks and the breve/circumflex/horn, but đ/Đ is a letter of its
own (no decomposition), so it is mapped to d explicitly.
"""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA).casefold().split())


def matches(query: str, text: str) -> bool:
    """Every word of the query appears in the text, folded."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())


def nfc(text: str) -> str:
    """Vietnamese is stored in NFC so that printed and searched text agree byte for byte."""
    return unicodedata.normalize("NFC", text)
