import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from truongso.academics.models import SchoolClass
from truongso.attendance.models import AttendanceDay, AttendanceMark, AttendanceStatus
from truongso.attendance.selectors import (
    absence_alerts,
    absence_days,
    class_month_summary,
    school_month_summary,
)
from truongso.attendance.services import attendance_take
from truongso.audit.models import AuditEntry

EXCUSED = AttendanceStatus.ABSENT_EXCUSED
UNEXCUSED = AttendanceStatus.ABSENT_UNEXCUSED
LATE = AttendanceStatus.LATE
DAY = dt.date(2025, 10, 6)


def test_homeroom_teacher_takes_attendance_audited(world):
    changed = attendance_take(
        actor=world.teacher_a1_user, school_class=world.class_a1, day=DAY,
        marks={world.learner_an.pk: EXCUSED, world.learner_binh.pk: LATE,
               world.learner_cuong.pk: None},
        reason="Sáng thứ Hai",
    )  # fmt: skip
    assert changed == 2
    assert dict(AttendanceMark.objects.values_list("learner_id", "status")) == {
        world.learner_an.pk: EXCUSED,
        world.learner_binh.pk: LATE,
    }
    assert AttendanceDay.objects.get().taken_by == world.teacher_a1_user
    entries = AuditEntry.objects.filter(action="attendance.mark").order_by("pk")
    assert entries.count() == 2
    assert entries[0].before is None
    assert entries[0].after["status"] == EXCUSED
    assert entries[0].reason == "Sáng thứ Hai"
    assert entries[0].institution_id == world.school_a.pk


def test_resaving_same_marks_changes_nothing(world):
    marks = {world.learner_an.pk: UNEXCUSED, world.learner_binh.pk: None}
    attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=DAY, marks=marks)
    audit_count = AuditEntry.objects.count()
    again = attendance_take(
        actor=world.teacher_a1_user, school_class=world.class_a1, day=DAY, marks=marks
    )
    assert again == 0
    assert AuditEntry.objects.count() == audit_count
    assert AttendanceMark.objects.count() == 1
    assert AttendanceDay.objects.count() == 1


def test_change_and_clear_are_audited_with_before(world):
    attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=DAY,
                    marks={world.learner_an.pk: UNEXCUSED})  # fmt: skip
    attendance_take(actor=world.principal_a, school_class=world.class_a1, day=DAY,
                    marks={world.learner_an.pk: EXCUSED}, reason="Có giấy phép")  # fmt: skip
    entry = AuditEntry.objects.filter(action="attendance.mark").order_by("-pk").first()
    assert entry.before["status"] == UNEXCUSED
    assert entry.after["status"] == EXCUSED
    assert entry.actor == world.principal_a
    attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=DAY,
                    marks={world.learner_an.pk: None})  # fmt: skip
    assert AttendanceMark.objects.count() == 0
    clear = AuditEntry.objects.get(action="attendance.clear")
    assert clear.before["status"] == EXCUSED
    assert clear.after is None


def test_subject_teacher_and_managers_may_take_others_may_not(world):
    # teacher_a2 teaches literature in 6A1.
    assert attendance_take(actor=world.teacher_a2_user, school_class=world.class_a1, day=DAY,
                           marks={world.learner_an.pk: LATE}) == 1  # fmt: skip
    assert attendance_take(actor=world.staff_a, school_class=world.class_a2, day=DAY,
                           marks={world.learner_dung.pk: LATE}) == 1  # fmt: skip
    for actor, school_class, learner in [
        (world.teacher_a1_user, world.class_a2, world.learner_dung),  # another class
        (world.teacher_b_user, world.class_a1, world.learner_an),  # another school
        (world.principal_b, world.class_a1, world.learner_an),
        (world.province_p1, world.class_a1, world.learner_an),  # offices only read
        (world.guardian_an_user, world.class_a1, world.learner_an),
    ]:
        with pytest.raises(PermissionDenied):
            attendance_take(actor=actor, school_class=school_class, day=DAY,
                            marks={learner.pk: EXCUSED})  # fmt: skip
    assert AttendanceMark.objects.count() == 2


def test_future_date_and_outside_year_refused(world):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=tomorrow,
                        marks={world.learner_an.pk: EXCUSED})  # fmt: skip
    assert "tương lai" in str(error.value)
    with pytest.raises(ValidationError):
        attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1,
                        day=dt.date(2025, 8, 1), marks={world.learner_an.pk: EXCUSED})  # fmt: skip
    assert AttendanceMark.objects.count() == 0
    assert AttendanceDay.objects.count() == 0


def test_only_learners_of_the_class(world):
    with pytest.raises(ValidationError) as error:
        attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=DAY,
                        marks={world.learner_an.pk: EXCUSED,
                               world.learner_dung.pk: EXCUSED})  # fmt: skip
    assert "6A1" in str(error.value)
    with pytest.raises(ValidationError):
        attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=DAY,
                        marks={world.learner_an.pk: "sick"})  # fmt: skip
    assert AttendanceMark.objects.count() == 0


def _october(world):
    t = world.teacher_a1_user
    a1 = world.class_a1
    attendance_take(actor=t, school_class=a1, day=dt.date(2025, 10, 6),
                    marks={world.learner_an.pk: EXCUSED, world.learner_binh.pk: LATE})  # fmt: skip
    attendance_take(actor=t, school_class=a1, day=dt.date(2025, 10, 7),
                    marks={world.learner_an.pk: UNEXCUSED})  # fmt: skip
    attendance_take(actor=t, school_class=a1, day=dt.date(2025, 10, 8), marks={})
    attendance_take(actor=t, school_class=a1, day=dt.date(2025, 11, 3),
                    marks={world.learner_an.pk: UNEXCUSED,
                           world.learner_cuong.pk: EXCUSED})  # fmt: skip
    attendance_take(actor=world.teacher_a2_user, school_class=world.class_a2,
                    day=dt.date(2025, 10, 6), marks={world.learner_dung.pk: UNEXCUSED})  # fmt: skip


def test_absence_days_and_class_month(world):
    _october(world)
    days = absence_days(actor=world.principal_a, start=dt.date(2025, 10, 1),
                        end=dt.date(2025, 11, 30))  # fmt: skip
    assert days == {world.learner_an.pk: 3, world.learner_cuong.pk: 1, world.learner_dung.pk: 1}
    summary = class_month_summary(actor=world.teacher_a1_user, school_class=world.class_a1,
                                  year=2025, month=10)  # fmt: skip
    assert summary.days_taken == 3
    assert summary.learner_count == 3
    assert (summary.excused, summary.unexcused, summary.late) == (1, 1, 1)
    # 3 days × 3 learners = 9 learner-days, 2 absent: 7/9 present.
    assert summary.rate == 77.8
    rows = {r.learner.pk: (r.excused, r.unexcused, r.late) for r in summary.rows}
    assert rows == {
        world.learner_an.pk: (1, 1, 0),
        world.learner_binh.pk: (0, 0, 1),
        world.learner_cuong.pk: (0, 0, 0),
    }


def test_school_month(world):
    _october(world)
    rows = school_month_summary(actor=world.principal_a, institution=world.school_a,
                                year=2025, month=10)  # fmt: skip
    by_name = {r.school_class.name if r.school_class else None: r for r in rows}
    assert set(by_name) == {"6A1", "6A2", None}
    assert (by_name["6A2"].days_taken, by_name["6A2"].unexcused, by_name["6A2"].rate) == (
        1, 1, 66.7,
    )  # fmt: skip
    total = by_name[None]
    assert (total.excused, total.unexcused, total.late) == (1, 2, 1)
    # 9 learner-days in 6A1 + 3 in 6A2 = 12; 3 absent.
    assert total.possible == 12
    assert total.rate == 75.0


def test_teacher_of_another_class_or_school_reads_nothing(world):
    _october(world)
    # teacher_a1 teaches only 6A1; 6A2 marks are invisible.
    days = absence_days(actor=world.teacher_a1_user, start=dt.date(2025, 9, 5),
                        end=dt.date(2026, 5, 31))  # fmt: skip
    assert days == {world.learner_an.pk: 3, world.learner_cuong.pk: 1}
    assert absence_days(actor=world.teacher_b_user, start=dt.date(2025, 9, 5),
                        end=dt.date(2026, 5, 31)) == {}  # fmt: skip
    assert absence_days(actor=world.province_p2, start=dt.date(2025, 9, 5),
                        end=dt.date(2026, 5, 31)) == {}  # fmt: skip
    with pytest.raises(SchoolClass.DoesNotExist):
        class_month_summary(actor=world.teacher_a1_user, school_class=world.class_a2,
                            year=2025, month=10)  # fmt: skip
    with pytest.raises(SchoolClass.DoesNotExist):
        class_month_summary(actor=world.principal_b, school_class=world.class_a1,
                            year=2025, month=10)  # fmt: skip


def _absent_days(world, learner, school_class, n, status=UNEXCUSED):
    day = dt.date(2025, 9, 8)
    for _ in range(n):
        attendance_take(actor=world.principal_a, school_class=school_class, day=day,
                        marks={learner.pk: status})  # fmt: skip
        day += dt.timedelta(days=1)


def test_alert_list(world):
    _absent_days(world, world.learner_an, world.class_a1, 34)
    _absent_days(world, world.learner_binh, world.class_a1, 35, status=EXCUSED)
    _absent_days(world, world.learner_dung, world.class_a2, 46)
    _absent_days(world, world.learner_em, world.class_a2, 40, status=LATE)
    alerts = absence_alerts(actor=world.principal_a, institution_id=world.school_a.pk)
    assert [(a.learner.full_name, a.days, a.remaining, a.over) for a in alerts] == [
        ("Phạm Minh Dũng", 46, -1, True),
        ("Trần Thị Bình", 35, 10, False),
    ]
    assert absence_alerts(actor=world.principal_b, institution_id=world.school_a.pk) == []
