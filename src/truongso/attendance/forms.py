"""Reading the attendance sheet posted by the page into the service's ``marks``."""

from __future__ import annotations

import datetime as dt

from truongso.attendance.models import AttendanceStatus

PRESENT = "present"
FIELD_PREFIX = "s_"


def parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def parse_month(value: str | None, today: dt.date) -> tuple[int, int]:
    """``"2025-10"`` → (2025, 10); the current month when missing or wrong."""
    try:
        year, month = (int(part) for part in str(value).split("-", 1))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    return year, month


def marks_from_post(data, learner_ids: list[int]) -> dict[int, str | None]:
    """One radio group per learner, named ``s_<id>``; present (or nothing) clears."""
    valid = set(AttendanceStatus.values)
    marks: dict[int, str | None] = {}
    for learner_id in learner_ids:
        value = data.get(f"{FIELD_PREFIX}{learner_id}", PRESENT)
        marks[learner_id] = value if value in valid else None
    return marks
