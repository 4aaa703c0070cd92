"""Reads for attendance, scoped to the acting user: a school's managers and the
offices above it read the whole school; teachers read the classes they teach."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from truongso.academics.selectors import class_get, current_school_year
from truongso.accounts.access import learners_q, school_rows_q, scope_for
from truongso.attendance.models import (
    ABSENT_STATUSES,
    AttendanceDay,
    AttendanceMark,
    AttendanceStatus,
)
from truongso.learners.models import Learner, LearnerStatus

ALERT_WARN_DAYS = 35
ALERT_LIMIT_DAYS = 45


def _rows_q(actor) -> Q:
    scope = scope_for(actor)
    return school_rows_q(scope) | Q(
        school_class_id__in=scope.taught_class_ids,
        institution_id__in=scope.teacher_institution_ids,
    )


def marks_visible(*, actor) -> QuerySet[AttendanceMark]:
    return AttendanceMark.objects.filter(_rows_q(actor))


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def class_day_marks(*, actor, school_class, day: dt.date) -> dict[int, str]:
    """The marks of ``school_class`` on ``day``: learner id → status (absent = present)."""
    class_get(actor=actor, pk=school_class.pk)
    return dict(
        marks_visible(actor=actor)
        .filter(school_class=school_class, date=day)
        .values_list("learner_id", "status")
    )


def class_day_taken(*, actor, school_class, day: dt.date) -> AttendanceDay | None:
    class_get(actor=actor, pk=school_class.pk)
    return (
        AttendanceDay.objects.filter(school_class=school_class, date=day)
        .select_related("taken_by")
        .first()
    )


def absence_days(
    *,
    actor,
    start: dt.date,
    end: dt.date,
    school_class=None,
    institution_id: int | None = None,
) -> dict[int, int]:
    """Days absent (with and without permission) per learner id between ``start`` and
    ``end`` inclusive. Learners never absent are not in the result."""
    qs = marks_visible(actor=actor).filter(
        date__gte=start, date__lte=end, status__in=ABSENT_STATUSES
    )
    if school_class is not None:
        qs = qs.filter(school_class=school_class)
    if institution_id is not None:
        qs = qs.filter(institution_id=institution_id)
    return dict(qs.values("learner_id").annotate(n=Count("pk")).values_list("learner_id", "n"))


@dataclass
class LearnerMonth:
    learner: Learner
    excused: int = 0
    unexcused: int = 0
    late: int = 0

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused


@dataclass
class ClassMonth:
    school_class: object
    start: dt.date
    end: dt.date
    days_taken: int = 0
    learner_count: int = 0
    excused: int = 0
    unexcused: int = 0
    late: int = 0
    rows: list[LearnerMonth] = field(default_factory=list)
    # Learner-days for a school total, where each class has its own days taken.
    possible_total: int | None = None

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    @property
    def possible(self) -> int:
        if self.possible_total is not None:
            return self.possible_total
        return self.days_taken * self.learner_count

    @property
    def rate(self) -> float | None:
        """Share of learner-days present (late counts as present), in percent."""
        if not self.possible:
            return None
        return round(100 * (self.possible - self.absent) / self.possible, 1)


def class_month_summary(*, actor, school_class, year: int, month: int) -> ClassMonth:
    """Counts by status per learner of the class, and the class's attendance rate."""
    class_get(actor=actor, pk=school_class.pk)
    start, end = month_bounds(year, month)
    summary = ClassMonth(school_class=school_class, start=start, end=end)
    summary.days_taken = AttendanceDay.objects.filter(
        school_class=school_class, date__gte=start, date__lte=end
    ).count()
    learners = list(
        Learner.objects.filter(learners_q(scope_for(actor)))
        .filter(current_class=school_class, status=LearnerStatus.STUDYING)
        .order_by("search_name", "pk")
    )
    summary.learner_count = len(learners)
    rows = {learner.pk: LearnerMonth(learner=learner) for learner in learners}
    marks = (
        marks_visible(actor=actor)
        .filter(school_class=school_class, date__gte=start, date__lte=end)
        .values_list("learner_id", "status")
        .annotate(n=Count("pk"))
    )
    for learner_id, status, n in marks:
        _add(summary, status, n)
        row = rows.get(learner_id)
        if row is not None:
            _add(row, status, n)
    summary.rows = list(rows.values())
    return summary


def _add(target, status: str, n: int) -> None:
    if status == AttendanceStatus.ABSENT_EXCUSED:
        target.excused += n
    elif status == AttendanceStatus.ABSENT_UNEXCUSED:
        target.unexcused += n
    elif status == AttendanceStatus.LATE:
        target.late += n


def school_month_summary(*, actor, institution, year: int, month: int) -> list[ClassMonth]:
    """One summary per class of the current school year of ``institution``, plus a
    last row with the school's totals (``school_class`` None)."""
    from truongso.academics.selectors import class_list

    school_year = current_school_year()
    start, end = month_bounds(year, month)
    classes = list(class_list(actor=actor, institution_id=institution.pk, school_year=school_year))
    by_class = {c.pk: ClassMonth(school_class=c, start=start, end=end) for c in classes}
    for c in classes:
        by_class[c.pk].learner_count = c.learner_count
    for class_id, n in (
        AttendanceDay.objects.filter(school_class_id__in=by_class, date__gte=start, date__lte=end)
        .values("school_class_id")
        .annotate(n=Count("pk"))
        .values_list("school_class_id", "n")
    ):
        by_class[class_id].days_taken = n
    marks = (
        marks_visible(actor=actor)
        .filter(school_class_id__in=by_class, date__gte=start, date__lte=end)
        .values_list("school_class_id", "status")
        .annotate(n=Count("pk"))
    )
    for class_id, status, n in marks:
        _add(by_class[class_id], status, n)
    result = list(by_class.values())
    total = ClassMonth(school_class=None, start=start, end=end)
    for row in result:
        total.excused += row.excused
        total.unexcused += row.unexcused
        total.late += row.late
    total.learner_count = sum(r.learner_count for r in result)
    total.days_taken = max((r.days_taken for r in result), default=0)
    total.possible_total = sum(r.possible for r in result)
    result.append(total)
    return result


@dataclass
class AbsenceAlert:
    learner: Learner
    days: int
    limit: int = ALERT_LIMIT_DAYS

    @property
    def remaining(self) -> int:
        return self.limit - self.days

    @property
    def over(self) -> bool:
        return self.days > self.limit


def absence_alerts(
    *, actor, institution_id: int, warn_at: int = ALERT_WARN_DAYS, limit: int = ALERT_LIMIT_DAYS
) -> list[AbsenceAlert]:
    """Learners of the school absent ``warn_at`` days or more in the current school year
    (a learner absent more than ``limit`` days must repeat the year), most absent first."""
    school_year = current_school_year()
    if school_year is None:
        return []
    days = absence_days(
        actor=actor,
        start=school_year.starts_on,
        end=school_year.ends_on,
        institution_id=institution_id,
    )
    flagged = {pk: n for pk, n in days.items() if n >= warn_at}
    learners = (
        Learner.objects.filter(learners_q(scope_for(actor)))
        .filter(pk__in=flagged)
        .select_related("current_class")
    )
    alerts = [AbsenceAlert(learner=lr, days=flagged[lr.pk], limit=limit) for lr in learners]
    alerts.sort(key=lambda a: (-a.days, a.learner.search_name, a.learner.pk))
    return alerts
