"""Decoding a CSV file: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"),
Windows-1258, or bytes typed in a TCVN3/VNI font (kept as Latin-1 so that each cell can
be converted and reported by ``legacy_text``)."""

from __future__ import annotations

import codecs
import unicodedata

from truongso.imports.rules.legacy_text import guess_legacy_bytes

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
CP1258 = "windows-1258"
LEGACY_FONT = "latin-1"


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of the file and the name of the encoding it was read with."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode(UTF8, errors="replace"), UTF8_BOM
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode(UTF16, errors="replace"), UTF16
    try:
        return data.decode(UTF8), UTF8
    except UnicodeDecodeError:
        pass
    if guess_legacy_bytes(data):
        return data.decode("latin-1"), LEGACY_FONT
    # Windows-1258 writes tones as separate combining marks: compose them.
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), CP1258


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (Excel with Vietnamese regional settings) or tab, whichever the
    first non-empty line holds most of."""
    for line in text.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","
