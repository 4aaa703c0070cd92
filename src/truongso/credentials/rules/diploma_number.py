"""Diploma numbers (số hiệu văn bằng) that a person can type, with check digits.

Format: ``<series><serial><check>``

- ``series``: 1 to 8 upper-case letters or digits chosen by the issuer (e.g. ``HN25``
  for a province and year);
- ``serial``: the issuer's running number, zero-padded to a fixed width (default 7);
- ``check``: two digits, ISO/IEC 7064 MOD 97-10 — the scheme of IBAN (ISO 13616).

MOD 97-10: letters become two-digit numbers (A=10 … Z=35), the check digits are
``98 - (N * 100 mod 97)`` where N is the resulting integer, and a number is valid when
the integer of body followed by check digits is ``1 mod 97``. On a digits-only body it
catches every single-digit error and every swap of two adjacent digits.

People may type spaces or hyphens and lower case; ``normalize`` removes them. The letters
I and O are not allowed in a series, so that nobody confuses them with 1 and 0.
"""

from __future__ import annotations

import re

_SERIES = re.compile(r"^[A-HJ-NP-Z0-9]{1,8}$")
_NUMBER = re.compile(r"^[A-HJ-NP-Z0-9]{1,40}$")
_SEPARATORS = str.maketrans("", "", " -.")


def _as_digits(text: str) -> str:
    return "".join(str(int(ch, 36)) for ch in text)


def mod97_check_digits(body: str) -> str:
    """The two ISO 7064 MOD 97-10 check digits of ``body`` (A–Z count as 10–35)."""
    return f"{98 - int(_as_digits(body) + '00') % 97:02d}"


def mod97_valid(text: str) -> bool:
    """Whether ``text`` (body followed by its two check digits) passes MOD 97-10."""
    return len(text) > 2 and text[-2:].isdigit() and int(_as_digits(text)) % 97 == 1


def normalize(text: str) -> str:
    """Upper case, without spaces, hyphens or dots."""
    return text.translate(_SEPARATORS).upper() if isinstance(text, str) else ""


def make_diploma_number(series: str, serial: int, *, width: int = 7) -> str:
    """The diploma number for ``serial`` in ``series``: series + padded serial + check."""
    series = normalize(series)
    if not _SERIES.match(series):
        raise ValueError("the series has 1 to 8 letters (not I or O) or digits")
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 0:
        raise ValueError("the serial is a non-negative integer")
    digits = str(serial).zfill(width)
    if len(digits) > width:
        raise ValueError(f"serial {serial} does not fit in {width} digits")
    body = series + digits
    return body + mod97_check_digits(body)


def is_valid_diploma_number(text: object) -> bool:
    """Whether a typed number has a valid check; never raises."""
    number = normalize(text) if isinstance(text, str) else ""
    if not _NUMBER.match(number):
        return False
    return mod97_valid(number)


def format_diploma_number(number: str, *, series_length: int) -> str:
    """For print: ``HN25 0001234 57`` (series, serial, check separated by spaces)."""
    number = normalize(number)
    return f"{number[:series_length]} {number[series_length:-2]} {number[-2:]}"


def printed_diploma_number(number: str, *, serial_width: int = 7) -> str:
    """The register's numbers as printed on the paper and shown on screen: the series,
    the serial of ``serial_width`` digits and the two check digits, e.g. ``01C25 0000001 43``."""
    number = normalize(number)
    return format_diploma_number(number, series_length=len(number) - serial_width - 2)
