"""Personal identification number (số định danh cá nhân / CCCD), 12 digits.

Digits 1–3: where the birth was registered, in the *old* province code list (not
checked against today's provinces); digit 4: century and sex; digits 5–6: the last
two digits of the birth year; 7–12: random. A mismatch is a data-quality warning,
never an exception: the record is kept and the school can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# century -> (digit for male, digit for female)
_CENTURY_DIGITS = {1900: (0, 1), 2000: (2, 3), 2100: (4, 5), 2200: (6, 7), 2300: (8, 9)}

MISSING = "missing"
NOT_TWELVE_DIGITS = "not_twelve_digits"
CENTURY_SEX_MISMATCH = "century_sex_mismatch"
YEAR_MISMATCH = "year_mismatch"


@dataclass(frozen=True)
class PersonalIdCheck:
    """The outcome of checking a number: ``problems`` is empty when it agrees."""

    number: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def expected_fourth_digit(birth_year: int, sex: str) -> int | None:
    """The 4th digit for a birth year and sex ('M' or 'F'), or None if unknown."""
    century = (birth_year // 100) * 100
    pair = _CENTURY_DIGITS.get(century)
    if pair is None or sex not in {"M", "F"}:
        return None
    return pair[0] if sex == "M" else pair[1]


def check_personal_id(number: str | None, date_of_birth: date | None, sex: str) -> PersonalIdCheck:
    """Check a number against the recorded date of birth and sex."""
    number = (number or "").strip().replace(" ", "")
    if not number:
        return PersonalIdCheck(number, (MISSING,))
    if len(number) != 12 or not number.isdigit():
        return PersonalIdCheck(number, (NOT_TWELVE_DIGITS,))
    problems: list[str] = []
    if date_of_birth is not None:
        expected = expected_fourth_digit(date_of_birth.year, sex)
        if expected is not None and int(number[3]) != expected:
            problems.append(CENTURY_SEX_MISMATCH)
        if number[4:6] != f"{date_of_birth.year % 100:02d}":
            problems.append(YEAR_MISMATCH)
    return PersonalIdCheck(number, tuple(problems))
