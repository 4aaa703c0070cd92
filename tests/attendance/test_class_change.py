"""A mark belongs to the class of its day: after a class change the old class keeps the
learner's marks up to the change, the new class lists the learner from its date, and
the learner's own count keeps both."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from truongso.attendance.models import AttendanceMark, AttendanceStatus
from truongso.attendance.rules.membership import ClassChange, class_on
from truongso.attendance.selectors import (
    absence_days,
    class_month_summary,
    class_roster_on,
    school_month_summary,
)
from truongso.attendance.services import attendance_take
from truongso.audit.models import AuditEntry
from truongso.learners.services import learner_change_class

EXCUSED = AttendanceStatus.ABSENT_EXCUSED
UNEXCUSED = AttendanceStatus.ABSENT_UNEXCUSED
LATE = AttendanceStatus.LATE
CHANGE = dt.date(2025, 10, 8)


def test_class_on_a_day():
    changes = [ClassChange(dt.date(2025, 10, 8), 1, 2), ClassChange(dt.date(2025, 12, 1), 2, 3)]
    assert class_on(dt.date(2025, 10, 7), 3, changes) == 1
    assert class_on(dt.date(2025, 10, 8), 3, changes) == 2
    assert class_on(dt.date(2025, 11, 30), 3, changes) == 2
    assert class_on(dt.date(2025, 12, 1), 3, changes) == 3
    assert class_on(dt.date(2025, 10, 7), 3, []) == 3


def _move_an(world, on=CHANGE):
    return learner_change_class(actor=world.principal_a, learner=world.learner_an,
                                school_class=world.class_a2, on=on,
                                reason="Theo nguyện vọng")  # fmt: skip


def _names(learners):
    return [lr.full_name for lr in learners]


def test_marks_stay_with_the_class_of_their_day(world):
    a1, a2, an = world.class_a1, world.class_a2, world.learner_an
    attendance_take(actor=world.teacher_a1_user, school_class=a1, day=dt.date(2025, 10, 6),
                    marks={an.pk: EXCUSED})  # fmt: skip
    attendance_take(actor=world.teacher_a1_user, school_class=a1, day=dt.date(2025, 10, 7),
                    marks={an.pk: UNEXCUSED})  # fmt: skip
    _move_an(world)
    attendance_take(actor=world.teacher_a2_user, school_class=a2, day=CHANGE,
                    marks={an.pk: UNEXCUSED})  # fmt: skip
    attendance_take(actor=world.teacher_a2_user, school_class=a2, day=dt.date(2025, 10, 9),
                    marks={an.pk: LATE})  # fmt: skip
    attendance_take(actor=world.teacher_a1_user, school_class=a1, day=CHANGE, marks={})

    # The lists of each day.
    before, after = dt.date(2025, 10, 7), CHANGE
    actor = world.principal_a
    assert "Nguyễn Văn An" in _names(class_roster_on(actor=actor, school_class=a1, day=before))
    assert "Nguyễn Văn An" not in _names(class_roster_on(actor=actor, school_class=a1, day=after))
    assert "Nguyễn Văn An" not in _names(class_roster_on(actor=actor, school_class=a2, day=before))
    assert "Nguyễn Văn An" in _names(class_roster_on(actor=actor, school_class=a2, day=after))
    # The old class's homeroom teacher still sees An in the list of a day before.
    assert "Nguyễn Văn An" in _names(
        class_roster_on(actor=world.teacher_a1_user, school_class=a1, day=before)
    )
    # Marks go to the class of their day only.
    with pytest.raises(ValidationError):
        attendance_take(actor=actor, school_class=a1, day=after, marks={an.pk: LATE})
    with pytest.raises(ValidationError):
        attendance_take(actor=actor, school_class=a2, day=before, marks={an.pk: LATE})
    attendance_take(actor=world.teacher_a1_user, school_class=a1, day=before,
                    marks={an.pk: EXCUSED})  # the old class corrects its own day  # fmt: skip

    old = class_month_summary(actor=actor, school_class=a1, year=2025, month=10)
    rows = {r.learner.full_name: (r.excused, r.unexcused, r.late) for r in old.rows}
    assert rows["Nguyễn Văn An"] == (2, 0, 0)
    assert (old.days_taken, old.learner_count, old.excused, old.unexcused) == (3, 2, 2, 0)
    # An on 2 of the 3 days, Bình and Cường on all 3: 8 learner-days, 2 absent.
    assert (old.possible, old.rate) == (8, 75.0)
    new = class_month_summary(actor=actor, school_class=a2, year=2025, month=10)
    rows = {r.learner.full_name: (r.excused, r.unexcused, r.late) for r in new.rows}
    assert rows["Nguyễn Văn An"] == (0, 1, 1)
    # 2 days taken in 6A2, 4 learners on both: 8 learner-days, 1 absent.
    assert (new.days_taken, new.learner_count, new.possible, new.rate) == (2, 4, 8, 87.5)
    school = {r.school_class.name if r.school_class else None: r for r in school_month_summary(
        actor=actor, institution=world.school_a, year=2025, month=10)}  # fmt: skip
    assert (school["6A1"].possible, school["6A2"].possible, school[None].possible) == (8, 8, 16)
    # The learner's own count keeps both classes.
    days = absence_days(actor=actor, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31))
    assert days == {an.pk: 3}


def test_a_change_recorded_late_moves_the_marks_from_its_date(world):
    a1, an = world.class_a1, world.learner_an
    for day, status in [(dt.date(2025, 10, 6), EXCUSED), (dt.date(2025, 10, 9), UNEXCUSED),
                        (dt.date(2025, 10, 10), LATE)]:  # fmt: skip
        attendance_take(actor=world.teacher_a1_user, school_class=a1, day=day,
                        marks={an.pk: status})  # fmt: skip
    _move_an(world, on=dt.date(2025, 10, 9))
    marks = dict(AttendanceMark.objects.filter(learner=an).values_list("date", "school_class"))
    assert marks == {dt.date(2025, 10, 6): a1.pk, dt.date(2025, 10, 9): world.class_a2.pk,
                     dt.date(2025, 10, 10): world.class_a2.pk}  # fmt: skip
    moved = AuditEntry.objects.filter(action="attendance.move").order_by("pk")
    assert moved.count() == 2
    assert (moved[0].before["school_class_id"], moved[0].after["school_class_id"]) == (
        a1.pk, world.class_a2.pk)  # fmt: skip
    # 6A1's teacher (who teaches only 6A1) no longer sees the moved absence.
    days = absence_days(actor=world.teacher_a1_user, start=dt.date(2025, 10, 1),
                        end=dt.date(2025, 10, 31))  # fmt: skip
    assert days == {an.pk: 1}
