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
from truongso.attendance.rules.membership import ClassChange, class_on
from truongso.learners.models import EnrolmentEvent, EnrolmentEventKind, Learner, LearnerStatus

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


# --- who was in a class on a day ---------------------------------------------------


@dataclass
class Membership:
    """The studying learners who were, at some time of the school year, in one of a set
    of classes: those who never changed class (``fixed``: class id → learner ids) and
    those who did (``moving``: learner id → (current class id, their class changes))."""

    fixed: dict[int, set[int]] = field(default_factory=dict)
    moving: dict[int, tuple[int | None, list[ClassChange]]] = field(default_factory=dict)

    def members_on(self, class_id: int, day: dt.date) -> set[int]:
        """The learners in ``class_id`` on ``day``."""
        found = set(self.fixed.get(class_id, ()))
        for learner_id, (current, changes) in self.moving.items():
            if class_on(day, current, changes) == class_id:
                found.add(learner_id)
        return found

    def days_in(self, class_id: int, days: list[dt.date]) -> dict[int, int]:
        """For each learner: how many of ``days`` they spent in ``class_id``."""
        counts = {pk: len(days) for pk in self.fixed.get(class_id, ())}
        for learner_id, (current, changes) in self.moving.items():
            n = sum(1 for d in days if class_on(d, current, changes) == class_id)
            if n:
                counts[learner_id] = n
        return counts


def class_membership(class_ids, school_year_id: int) -> Membership:
    """Who was in the classes ``class_ids`` (all of one school year) and when, from the
    learners' current class and their class changes (chuyển lớp) of that year. A change
    dated D puts the learner in the new class from D on. Callers check access."""
    class_ids = set(class_ids)
    events = EnrolmentEvent.objects.filter(
        kind=EnrolmentEventKind.CHANGE_CLASS, school_year_id=school_year_id
    )
    touching = events.filter(Q(from_class_id__in=class_ids) | Q(to_class_id__in=class_ids))
    learners = Learner.objects.filter(status=LearnerStatus.STUDYING).filter(
        Q(current_class_id__in=class_ids) | Q(pk__in=touching.values("learner_id"))
    )
    current = dict(learners.values_list("pk", "current_class_id"))
    changes: dict[int, list[ClassChange]] = {}
    for learner_id, on, from_id, to_id in events.filter(learner_id__in=list(current)).values_list(
        "learner_id", "occurred_on", "from_class_id", "to_class_id"
    ):
        changes.setdefault(learner_id, []).append(ClassChange(on, from_id, to_id))
    membership = Membership()
    for learner_id, class_id in current.items():
        if learner_id in changes:
            membership.moving[learner_id] = (class_id, changes[learner_id])
        elif class_id in class_ids:
            membership.fixed.setdefault(class_id, set()).add(learner_id)
    return membership


def class_roster_on(*, actor, school_class, day: dt.date) -> list[Learner]:
    """The learners studying in ``school_class`` on ``day``, in class-list order: a
    learner who changed class is in the old class's list before the change and in the
    new class's list from the day of the change."""
    class_get(actor=actor, pk=school_class.pk)
    ids = class_membership([school_class.pk], school_class.school_year_id).members_on(
        school_class.pk, day
    )
    # Access to the class gives access to its list of that day.
    return list(Learner.objects.filter(pk__in=ids).order_by("search_name", "pk"))


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


# --- days absent for the gradebook ----------------------------------------------------


def attendance_term_ids(school_class, terms) -> set[int]:
    """The terms (of ``terms``) in which ``school_class`` took attendance on at least one
    day. For those terms the days absent of the gradebook are counted from the marks
    (not typed in); for the others the homeroom teacher enters them. Callers check
    access."""
    days = AttendanceDay.objects.filter(school_class=school_class)
    return {
        term.pk
        for term in terms
        if days.filter(date__gte=term.starts_on, date__lte=term.ends_on).exists()
    }


def term_absences(learner_ids, terms) -> dict[tuple[int, int], tuple[int, int]]:
    """(learner id, term id) → (days absent excused, days absent unexcused) in each of
    ``terms``, whatever class the learner was in on each day (a class change keeps the
    count whole). Pairs with no absence are left out. Callers check access."""
    result: dict[tuple[int, int], tuple[int, int]] = {}
    for term in terms:
        rows = (
            AttendanceMark.objects.filter(
                learner_id__in=list(learner_ids),
                date__gte=term.starts_on,
                date__lte=term.ends_on,
                status__in=ABSENT_STATUSES,
            )
            .values("learner_id", "status")
            .annotate(n=Count("pk"))
            .values_list("learner_id", "status", "n")
        )
        for learner_id, status, n in rows:
            excused, unexcused = result.get((learner_id, term.pk), (0, 0))
            if status == AttendanceStatus.ABSENT_EXCUSED:
                excused += n
            else:
                unexcused += n
            result[(learner_id, term.pk)] = (excused, unexcused)
    return result


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
    # Learner-days present or absent: each learner counted on the days taken while
    # they were in the class (a class change splits them between two classes).
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
    """Counts by status per learner of the class, and the class's attendance rate. A
    learner who changed class in the month has a row in both classes, each with the
    marks of the days spent there; the rate counts each learner on their days there."""
    class_get(actor=actor, pk=school_class.pk)
    start, end = month_bounds(year, month)
    summary = ClassMonth(school_class=school_class, start=start, end=end)
    days = list(
        AttendanceDay.objects.filter(
            school_class=school_class, date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )
    summary.days_taken = len(days)
    membership = class_membership([school_class.pk], school_class.school_year_id)
    on_day = min(end, max(start, dt.date.today()))
    now_in = membership.members_on(school_class.pk, on_day)
    present_days = membership.days_in(school_class.pk, days)
    marks = list(
        marks_visible(actor=actor)
        .filter(school_class=school_class, date__gte=start, date__lte=end)
        .values_list("learner_id", "status")
        .annotate(n=Count("pk"))
    )
    ids = now_in | set(present_days) | {learner_id for learner_id, _s, _n in marks}
    learners = Learner.objects.filter(pk__in=ids).order_by("search_name", "pk")
    summary.learner_count = len(now_in)
    summary.possible_total = sum(present_days.values())
    rows = {learner.pk: LearnerMonth(learner=learner) for learner in learners}
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
    days: dict[int, list[dt.date]] = {}
    for class_id, day in AttendanceDay.objects.filter(
        school_class_id__in=by_class, date__gte=start, date__lte=end
    ).values_list("school_class_id", "date"):
        days.setdefault(class_id, []).append(day)
    if school_year is not None:
        membership = class_membership(by_class, school_year.pk)
        for class_id, class_days in days.items():
            by_class[class_id].days_taken = len(class_days)
            by_class[class_id].possible_total = sum(
                membership.days_in(class_id, class_days).values()
            )
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
