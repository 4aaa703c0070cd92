"""Folding Vietnamese text for search: "Nguyễn Văn An" and "nguyen van an" match."""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse white space.

    >>> fold("  Nguyễn   Văn AN ")
    'nguyen van an'
    """
    if not text:
        return ""
    text = text.translate(_EXTRA)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def normalise_name(text: str | None) -> str:
    """A person's name as stored: NFC, single spaces, each word capitalised.

    >>> normalise_name("  nguyễn  văn   an")
    'Nguyễn Văn An'
    """
    if not text:
        return ""
    words = unicodedata.normalize("NFC", text).split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)
