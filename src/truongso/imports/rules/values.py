"""Reading one cell: text, people's names, sex, ethnicity, nationality, personal
identification numbers, phone numbers, e-mail addresses and choices from a list."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from truongso.core.rules.codelists import ETHNICITIES_1979, ethnicity_code_for
from truongso.core.rules.text import fold
from truongso.imports.rules import problems as P
from truongso.imports.rules.legacy_text import TCVN3, detect, to_unicode


def cell_text(raw: object) -> str:
    """A cell as one line of text: numbers without a trailing .0, dates as dd/mm/yyyy,
    white space collapsed, Unicode composed (NFC)."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bool):
        text = "TRUE" if raw else "FALSE"
    elif isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else repr(raw)
    elif isinstance(raw, dt.datetime | dt.date):
        text = raw.strftime("%d/%m/%Y")
    else:
        text = str(raw)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return " ".join(text.split())


def fix_legacy(text: str, column: str, problems: list[P.Problem]) -> str:
    """Convert text typed in a TCVN3 or VNI font, with a warning showing the result."""
    encoding = detect(text)
    if encoding is None:
        return text
    converted = to_unicode(text, encoding)
    code = P.TEXT_TCVN3 if encoding == TCVN3 else P.TEXT_VNI
    problems.append(P.warning(code, column, value=text, converted=converted))
    return converted


_NAME_WORDS: dict[str, tuple[str, str]] = {}


def person_name(text: str) -> tuple[str, str]:
    """(name as stored, folded name): as core.rules.text.normalise_name and fold, word by
    word with a memory (names repeat their words)."""
    words = _NAME_WORDS
    stored, folded = [], []
    for word in text.split():
        known = words.get(word)
        if known is None:
            cased = word[:1].upper() + word[1:].lower()
            known = (cased, fold(cased))
            if len(words) < 200_000:
                words[word] = known
        stored.append(known[0])
        folded.append(known[1])
    return " ".join(stored), " ".join(folded)


def limited(text: str, column: str, max_length: int, problems: list[P.Problem]) -> str:
    if len(text) > max_length:
        problems.append(P.error(P.TEXT_TOO_LONG, column, max=max_length, length=len(text)))
        return text[:max_length]
    return text


SEXES = {
    "nam": "M", "m": "M", "male": "M", "trai": "M", "be trai": "M",
    "nu": "F", "f": "F", "female": "F", "gai": "F", "be gai": "F",
}  # fmt: skip


def parse_sex(text: str) -> str | None:
    return SEXES.get(fold(text))


# Other spellings seen in school files for groups of the 1979 list.
ETHNICITY_ALIASES = {
    "mong": "08", "hmong": "08", "h mong": "08", "meo": "08", "khmer": "05", "kho me": "05",
    "khome": "05", "ede": "12", "e de": "12", "bana": "13", "ba na": "13", "jrai": "10",
    "gia rai": "10", "xo dang": "14", "co ho": "16", "hre": "19", "m nong": "20",
    "mnong": "20", "raglai": "21", "ra glai": "21", "xtieng": "22", "van kieu": "23",
    "bru van kieu": "23", "co tu": "26", "ta oi": "31", "kho mu": "29", "nuoc ngoai": "55",
}  # fmt: skip


@lru_cache(maxsize=1024)
def parse_ethnicity(text: str) -> str | None:
    code = ethnicity_code_for(text)
    if code is None:
        code = ETHNICITY_ALIASES.get(fold(text).replace("-", " ").replace("'", ""))
    return code


def ethnicity_label(code: str) -> str:
    return ETHNICITIES_1979.get(code, "")


VIETNAM = "VN"
_VIETNAM_NAMES = {
    "vn",
    "vnm",
    "viet nam",
    "vietnam",
    "vietnamese",
    "nuoc cong hoa xa hoi chu nghia viet nam",
}  # noqa: E501


def parse_nationality(text: str) -> str | None:
    folded = fold(text)
    if folded in _VIETNAM_NAMES:
        return VIETNAM
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return None


_ID_SEPARATORS = str.maketrans("", "", " .-'")


def parse_personal_id(raw: object, column: str, problems: list[P.Problem]) -> str:
    """Twelve digits. A number cell that lost its leading zeros (10 or 11 digits left;
    the first three digits are a province code 001–096) gets them back, with a warning."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            problems.append(P.error(P.PID_NOT_12_DIGITS, column, value=cell_text(raw)))
            return ""
        digits = str(int(raw))
        if len(digits) in (10, 11):
            restored = digits.zfill(12)
            problems.append(P.warning(P.PID_ZEROS_RESTORED, column, value=digits,
                                      restored=restored))  # fmt: skip
            return restored
        text = digits
    elif isinstance(raw, str) and len(raw) == 12 and raw.isdigit() and raw.isascii():
        return raw
    else:
        text = cell_text(raw).translate(_ID_SEPARATORS)
    if len(text) != 12 or not (text.isascii() and text.isdigit()):
        problems.append(P.error(P.PID_NOT_12_DIGITS, column, value=cell_text(raw)))
        return ""
    return text


_PHONE_SEPARATORS = str.maketrans("", "", " .-()'")
_PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")


def parse_phone(raw: object, column: str, problems: list[P.Problem]) -> str:
    """A phone number (digits, or +84…); one that lost its leading 0 gets it back."""
    if raw is None or raw == "":
        return ""
    text = cell_text(raw).translate(_PHONE_SEPARATORS)
    if len(text) == 9 and text.isdigit() and not text.startswith("0"):
        text = "0" + text  # a number cell (or a CSV written from one) lost its leading 0
    if not text:
        return ""
    if len(text) > 20:
        problems.append(P.error(P.TEXT_TOO_LONG, column, max=20, length=len(text)))
        return text[:20]
    if not _PHONE.match(text):
        problems.append(P.warning(P.PHONE_SUSPICIOUS, column, value=text))
    return text


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_email(text: str, column: str, problems: list[P.Problem]) -> str:
    if text and not _EMAIL.match(text):
        problems.append(P.error(P.EMAIL_INVALID, column, value=text))
        return ""
    return text


def choice_table(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Folded label or code → code, from (code, label) pairs (labels in every language)."""
    table: dict[str, str] = {}
    for code, label in pairs:
        for name in (label, code):
            if name:
                table.setdefault(fold(name).replace("-", " "), code)
    return table


def parse_choice(text: str, table: dict[str, str]) -> str | None:
    return table.get(fold(text).replace("-", " "))


def text_cell(
    cells: dict[str, object], key: str, problems: list[P.Problem], max_length: int
) -> str:
    """The text of column ``key`` ("" when absent), converted from TCVN3/VNI if typed so."""
    raw = cells.get(key)
    if raw is None or raw == "":
        return ""
    text = cell_text(raw)
    # Legacy-font text holds only Latin-1 characters; Unicode Vietnamese rarely does.
    if not text.isascii() and max(text) <= "\xff":
        text = fix_legacy(text, key, problems)
    if len(text) > max_length:
        return limited(text, key, max_length, problems)
    return text
