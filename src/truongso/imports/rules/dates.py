"""Reading dates typed in every way schools type them.

Accepted: a date cell, an Excel serial number (days since 30/12/1899, e.g. 41640 for
01/01/2014), and text as dd/mm/yyyy, d/m/yy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd
(an optional time after an ISO date is ignored). Day first, as in Vietnam: 05/09/2014
is 5 September.
"""

from __future__ import annotations

import datetime as dt
import re

from truongso.imports.rules import problems as P

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers read as dates: 10000 (18/05/1927) … 2958465 (31/12/9999). Smaller
# numbers are more likely a year or a typing slip than a date before 1927.
_SERIAL_MIN = 10000
_SERIAL_MAX = 2958465
EARLIEST_YEAR = 1900

_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_SERIAL_TEXT = re.compile(r"^\d{5,7}(?:\.0+)?$")


def _two_digit_year(yy: int, today: dt.date) -> int:
    """14 → 2014, 98 → 1998: the latest year ending in those digits not after today."""
    year = 2000 + yy
    return year if year <= today.year else year - 100


def date_from_serial(serial: float) -> dt.date | None:
    if serial != int(serial) or not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(raw: object, today: dt.date) -> tuple[dt.date | None, str | None]:
    """(date, None) or (None, problem code). Empty input gives (None, None)."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, bool):
        return None, P.DATE_NOT_A_DATE
    elif isinstance(raw, int | float):
        value = date_from_serial(raw)
        if value is None:
            return None, P.DATE_NOT_A_DATE
    else:
        text = str(raw).strip()
        if not text:
            return None, None
        match = _DAY_FIRST.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                year = _two_digit_year(year, today)
        else:
            match = _ISO.match(text)
            if match:
                year, month, day = (int(g) for g in match.groups())
            elif _SERIAL_TEXT.match(text):
                value = date_from_serial(float(text))
                if value is None:
                    return None, P.DATE_NOT_A_DATE
                return check_date(value, today)
            else:
                return None, P.DATE_NOT_A_DATE
        try:
            value = dt.date(year, month, day)
        except ValueError:
            return None, P.DATE_IMPOSSIBLE
    return check_date(value, today)


def check_date(value: dt.date, today: dt.date) -> tuple[dt.date | None, str | None]:
    if value > today:
        return None, P.DATE_FUTURE
    if value.year < EARLIEST_YEAR:
        return None, P.DATE_TOO_OLD
    return value, None


class DateReader:
    """``parse_date`` with a memory: a file of a million learners has a few thousand
    distinct birth dates, so each is read once."""

    def __init__(self, today: dt.date):
        self.today = today
        self._seen: dict[object, tuple[dt.date | None, str | None]] = {}

    def __call__(self, raw: object) -> tuple[dt.date | None, str | None]:
        try:
            return self._seen[raw]
        except KeyError:
            result = parse_date(raw, self.today)
            self._seen[raw] = result
            return result
        except TypeError:  # unhashable: never happens with cell values, but be safe
            return parse_date(raw, self.today)


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# Age at the start of a school year, by grade: grade 1 at 6 (Law on Education 2019,
# art. 28); a learner may be a year early or a few years late (repeating, late entry).
EARLY_YEARS = 1
LATE_YEARS = 3
PRESCHOOL_AGES = (0, 6)


def expected_age(grade: int) -> int:
    return grade + 5


def age_in_school_year(date_of_birth: dt.date, school_year_start: int) -> int:
    """Age in the calendar year the school year starts (as the statistics office counts)."""
    return school_year_start - date_of_birth.year


def age_fits_grade(date_of_birth: dt.date, grade: int, school_year_start: int) -> bool:
    age = age_in_school_year(date_of_birth, school_year_start)
    if grade == 0:
        return PRESCHOOL_AGES[0] <= age <= PRESCHOOL_AGES[1]
    usual = expected_age(grade)
    return usual - EARLY_YEARS <= age <= usual + LATE_YEARS
