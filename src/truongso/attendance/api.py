"""API endpoints of attendance, mounted under /api/v1/attendance/.

A class's attendance on a day (read, and taken by the homeroom teacher or the school),
and a class's month. Scoped like the pages: whoever may read the class reads its
attendance."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from truongso.academics.selectors import class_get
from truongso.attendance import selectors, services
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404

router = Router(tags=["attendance"])


class MarkOut(Schema):
    learner: int
    full_name: str
    status: str  # "" = present; absent_excused, absent_unexcused, late


class DayOut(Schema):
    school_class: int
    day: dt.date
    taken: bool
    learners: list[MarkOut]


class MarkIn(Schema):
    learner: int
    status: str = ""


class DayIn(Schema):
    marks: list[MarkIn]
    reason: str = ""


class DayResult(Schema):
    changed: int


class LearnerMonthOut(Schema):
    learner: int
    full_name: str
    excused: int
    unexcused: int
    late: int
    absent: int


class MonthOut(Schema):
    school_class: int
    year: int
    month: int
    days_taken: int
    rate: float | None
    learners: list[LearnerMonthOut]


def _day(request, school_class, day: dt.date) -> dict:
    roster = selectors.class_roster_on(actor=request.auth, school_class=school_class, day=day)
    marks = selectors.class_day_marks(actor=request.auth, school_class=school_class, day=day)
    taken = selectors.class_day_taken(actor=request.auth, school_class=school_class, day=day)
    return {
        "school_class": school_class.pk,
        "day": day,
        "taken": taken is not None,
        "learners": [
            {"learner": learner.pk, "full_name": learner.full_name,
             "status": marks.get(learner.pk, "")}
            for learner in roster
        ],
    }  # fmt: skip


@router.get(
    "/classes/{class_id}/days/{day}",
    response={200: DayOut, 404: ErrorOut},
    summary="A class's attendance on a day (every learner of the class that day)",
)
def class_day(request, class_id: int, day: dt.date):
    school_class = get_or_404(class_get, actor=request.auth, pk=class_id)
    return _day(request, school_class, day)


@router.put(
    "/classes/{class_id}/days/{day}",
    response={200: DayResult, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Take a class's attendance on a day: learners not listed keep what they had",
)
def class_day_take(request, class_id: int, day: dt.date, payload: DayIn):
    school_class = get_or_404(class_get, actor=request.auth, pk=class_id)
    marks = {mark.learner: mark.status for mark in payload.marks}
    changed = services.attendance_take(
        actor=request.auth, school_class=school_class, day=day, marks=marks,
        reason=payload.reason,
    )  # fmt: skip
    return {"changed": changed}


@router.get(
    "/classes/{class_id}/months/{year}/{month}",
    response={200: MonthOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="A class's month: days absent (excused or not) and late, per learner",
)
def class_month(request, class_id: int, year: int, month: int):
    school_class = get_or_404(class_get, actor=request.auth, pk=class_id)
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    summary = selectors.class_month_summary(
        actor=request.auth, school_class=school_class, year=year, month=month
    )
    return {
        "school_class": school_class.pk,
        "year": year,
        "month": month,
        "days_taken": summary.days_taken,
        "rate": summary.rate,
        "learners": [
            {"learner": row.learner.pk, "full_name": row.learner.full_name,
             "excused": row.excused, "unexcused": row.unexcused, "late": row.late,
             "absent": row.absent}
            for row in summary.rows
        ],
    }  # fmt: skip
