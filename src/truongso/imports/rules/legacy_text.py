"""Vietnamese typed with pre-Unicode fonts, and how to turn it into Unicode.

Before Unicode, Vietnamese was typed with 8-bit fonts. In a spreadsheet the text is
stored as the Western characters of the font's codes, so it shows as mojibake in any
other font:

- TCVN3 (ABC, fonts .VnTime, .VnArial …): one character per letter,
  "Nguyễn Văn An" is stored as "NguyÔn V¨n An".
- VNI (fonts VNI-Times …): a base letter followed by a mark character,
  "Nguyễn Văn An" is stored as "Nguyeãn Vaên An".

``detect`` recognises both, ``to_unicode`` converts them. Text holding any character
beyond Latin-1 (ă, đ, ơ, ư, ạ …) is already Unicode and never touched.
"""

from __future__ import annotations

import re
import unicodedata

TCVN3 = "tcvn3"
VNI = "vni"

# TCVN 5712:1993 (VN3), as used by the ABC fonts: code → letter. The capitals of the
# fonts ending in H (.VnTimeH) share the codes of the small letters.
_TCVN3_CODES = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦"
_TCVN3_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
assert len(_TCVN3_CODES) == len(_TCVN3_LETTERS)
TCVN3_TABLE = str.maketrans(dict(zip(_TCVN3_CODES, _TCVN3_LETTERS, strict=True)))

# Latin-1 letters that are also Vietnamese letters in Unicode.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")

# VNI: tone marks after a vowel (sắc, huyền, hỏi, ngã, nặng), small and capital.
_TONES = "\u0301\u0300\u0309\u0303\u0323"
_VNI_TONE = ("ùøûõï", "ÙØÛÕÏ")
_VNI_CIRCUMFLEX_TONE = ("áàåãä", "ÁÀÅÃÄ")  # after a, e, o in place of â: ấ = "aá"
_VNI_BREVE_TONE = ("éèúüë", "ÉÈÚÜË")  # after a in place of ê: ắ = "aé"
_VNI_I = ("íìæóò", "ÍÌÆÓÒ")  # i with a tone is one character
_VNI_Y_DOT = ("î", "Î")  # ỵ is one character; other tones of y are "y" + mark


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for case in (0, 1):
        up = str.upper if case else str.lower
        tone, circ_tone, breve_tone = (
            _VNI_TONE[case],
            _VNI_CIRCUMFLEX_TONE[case],
            _VNI_BREVE_TONE[case],
        )
        circ, breve = up("â"), up("ê")  # the VNI marks for circumflex and breve
        for vowel in "aeouy":
            v = up(vowel)
            for mark, unicode_tone in zip(tone, _TONES, strict=True):
                table[v + mark] = _compose(v, unicode_tone)
        for vowel in "aeo":
            v = up(vowel)
            table[v + circ] = _compose(v, "\u0302")
            for mark, unicode_tone in zip(circ_tone, _TONES, strict=True):
                table[v + mark] = _compose(v, "\u0302", unicode_tone)
        a = up("a")
        table[a + breve] = _compose(a, "\u0306")
        for mark, unicode_tone in zip(breve_tone, _TONES, strict=True):
            table[a + mark] = _compose(a, "\u0306", unicode_tone)
        for horned, vni in ((up("o"), up("ô")), (up("u"), up("ö"))):  # ơ = "ô", ư = "ö"
            table[vni] = _compose(horned, "\u031b")
            for mark, unicode_tone in zip(tone, _TONES, strict=True):
                table[vni + mark] = _compose(horned, "\u031b", unicode_tone)
        for mark, unicode_tone in zip(_VNI_I[case], _TONES, strict=True):
            table[mark] = _compose(up("i"), unicode_tone)
        table[_VNI_Y_DOT[case]] = _compose(up("y"), "\u0323")
        table[up("ñ")] = up("đ")
    return table


VNI_TABLE = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))

# Sequences that never occur in Unicode Vietnamese but are everywhere in VNI text.
_VNI_SIGNS = re.compile(
    "[aeoAEO][âÂåÅäÄ]|[aAeE][áÁàÀãÃ]|[aA][êÊéÉèÈúÚüÜëË]|[aeouyôöAEOUYÔÖ][ùÙøØûÛõÕïÏ]"
)
# TCVN3 codes that are neither Unicode Vietnamese letters nor VNI characters.
_TCVN3_ONLY = frozenset(_TCVN3_CODES) - _VIETNAMESE_LATIN1 - set("".join(VNI_TABLE))
_TCVN3_FOREIGN = frozenset(_TCVN3_CODES) - _VIETNAMESE_LATIN1


_TCVN3_ONLY_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_ONLY))) + "]")
_TCVN3_FOREIGN_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_FOREIGN))) + "]")


# TCVN3 small letters with a tone in C0–DF look like Latin-1 capitals: "tÝnh" (tính).
_TCVN3_CAPITAL_INSIDE = re.compile("[a-zà-ÿ][À-ÝÞ]")


def detect(text: str) -> str | None:
    """TCVN3, VNI or None (Unicode, or plain ASCII)."""
    if text.isascii() or max(text) > "\xff":
        return None
    if _TCVN3_ONLY_RE.search(text):
        return TCVN3
    if _VNI_SIGNS.search(text):
        return VNI
    if _TCVN3_FOREIGN_RE.search(text) or _TCVN3_CAPITAL_INSIDE.search(text):
        return TCVN3
    return None


def to_unicode(text: str, encoding: str) -> str:
    if encoding == TCVN3:
        return text.translate(TCVN3_TABLE)
    if encoding == VNI:
        return _VNI_PATTERN.sub(lambda m: VNI_TABLE[m.group(0)], text)
    return text


def from_unicode_tcvn3(text: str) -> str:
    """The reverse of TCVN3 conversion (small letters only, as the fonts store them);
    used to build test files."""
    reverse = {v: k for k, v in zip(_TCVN3_CODES, _TCVN3_LETTERS, strict=True)}
    return "".join(reverse.get(ch, ch) for ch in text)


def from_unicode_vni(text: str) -> str:
    """The reverse of VNI conversion; used to build test files."""
    reverse = {v: k for k, v in VNI_TABLE.items()}
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# Byte-level guess for CSV files that are not UTF-8: Windows-1258, or bytes typed in a
# TCVN3/VNI font. In Windows-1258 the bytes A1–AE and B5–BE are symbols (¡ ¢ … µ ¶ …)
# that names never hold, while TCVN3 uses them for the commonest letters (à á ă â đ ê
# ô ơ ư); Windows-1258 Vietnamese has its own combining tone bytes (CC D2 DE EC F2) and
# letters Ă ă Ơ ơ Ư ư Đ đ (C3 E3 D5 F5 DD FD D0 F0).
_TCVN3_BYTES = re.compile(rb"[\xa1-\xae\xb5-\xbe]")
_CP1258_BYTES = re.compile(rb"[\xcc\xd2\xde\xec\xf2\xc3\xe3\xd5\xf5\xdd\xfd\xd0\xf0]")


def guess_legacy_bytes(data: bytes) -> str | None:
    """TCVN3 or VNI when the bytes look typed in those fonts rather than Windows-1258."""
    cp1258 = len(_CP1258_BYTES.findall(data))
    if len(_TCVN3_BYTES.findall(data)) > cp1258:
        return TCVN3
    if len(_VNI_SIGNS.findall(data.decode("latin-1"))) > cp1258:
        return VNI
    return None
