"""Days absent recorded in attendance feed the gradebook's results (the 45-day rule of
Circular 22), in the terms the class takes attendance; elsewhere they are typed in."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assessment.test_gradebook_services import _complete_year
from truongso.assessment.models import LearnerTermResult, LearnerYearResult
from truongso.assessment.selectors.gradebook import class_terms, homeroom_rows
from truongso.assessment.services import absences_set, term_close
from truongso.attendance.models import AttendanceStatus
from truongso.attendance.services import attendance_take
from truongso.audit.models import AuditEntry

EXCUSED = AttendanceStatus.ABSENT_EXCUSED
UNEXCUSED = AttendanceStatus.ABSENT_UNEXCUSED
FIRST = dt.date(2025, 9, 8)


def _absent(world, learner, n, *, start=FIRST, status=UNEXCUSED, school_class=None):
    """``n`` consecutive days absent from ``start`` (all in term I)."""
    school_class = school_class or world.class_a1
    for i in range(n):
        attendance_take(actor=world.principal_a, school_class=school_class,
                        day=start + dt.timedelta(days=i), marks={learner.pk: status})  # fmt: skip


def _year(learner):
    year = LearnerYearResult.objects.get(learner=learner)
    return year.days_absent, year.promotion, year.promotion_reason


def test_attendance_decides_promotion_at_the_45_day_limit(world):
    _complete_year(world, world.learner_an)
    assert _year(world.learner_an) == (0, "promoted", "")
    # 45 days absent (excused and not): still promoted.
    _absent(world, world.learner_an, 20, status=EXCUSED)
    _absent(world, world.learner_an, 25, start=FIRST + dt.timedelta(days=20))
    assert _year(world.learner_an) == (45, "promoted", "")
    term_1 = LearnerTermResult.objects.get(learner=world.learner_an, term__number=1)
    assert term_1.days_absent == 45
    # The 46th day: repeats the grade.
    day_46 = FIRST + dt.timedelta(days=45)
    _absent(world, world.learner_an, 1, start=day_46)
    assert _year(world.learner_an) == (46, "repeat", "absences")
    # Marked present again (a late mark is not an absence): promoted again.
    attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=day_46,
                    marks={world.learner_an.pk: AttendanceStatus.LATE})  # fmt: skip
    assert _year(world.learner_an) == (45, "promoted", "")


def test_attendance_takes_precedence_over_typed_days(world):
    terms = class_terms(world.class_a1)
    # Before the class takes attendance, the homeroom teacher types the days.
    absences_set(actor=world.teacher_a1_user, school_class=world.class_a1, term=terms[1],
                 learner=world.learner_an, days_excused="30", days_unexcused="",
                 version=0)  # fmt: skip
    assert LearnerYearResult.objects.get(learner=world.learner_an).days_absent == 30
    # Once attendance is taken in term I, its count replaces the typed one.
    _absent(world, world.learner_an, 2)
    assert LearnerYearResult.objects.get(learner=world.learner_an).days_absent == 2
    rows = {r.learner.pk: r.counted for r in homeroom_rows(
        actor=world.teacher_a1_user, school_class=world.class_a1, term=terms[1])}  # fmt: skip
    assert rows == {world.learner_an.pk: (0, 2), world.learner_binh.pk: (0, 0),
                    world.learner_cuong.pk: (0, 0)}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        absences_set(actor=world.teacher_a1_user, school_class=world.class_a1, term=terms[1],
                     learner=world.learner_an, days_excused="31", days_unexcused="",
                     version=1)  # fmt: skip
    assert caught.value.message_dict == {"days_excused": [
        "Lớp 6A1 điểm danh hằng ngày trong 2025-2026 HKI: số ngày nghỉ được tính từ điểm "
        "danh, không nhập tay."
    ]}  # fmt: skip
    # Term II has no attendance: typed in as before, and both terms add up.
    absences_set(actor=world.teacher_a1_user, school_class=world.class_a1, term=terms[2],
                 learner=world.learner_an, days_excused="4", days_unexcused="1",
                 version=0)  # fmt: skip
    assert LearnerYearResult.objects.get(learner=world.learner_an).days_absent == 7
    assert [r.counted for r in homeroom_rows(actor=world.teacher_a1_user,
                                             school_class=world.class_a1,
                                             term=terms[2])] == [None, None, None]  # fmt: skip


def test_a_class_without_attendance_keeps_typed_days(world):
    terms = class_terms(world.class_a2)
    _absent(world, world.learner_an, 3)  # 6A1 takes attendance, 6A2 does not
    absences_set(actor=world.teacher_a2_user, school_class=world.class_a2, term=terms[1],
                 learner=world.learner_dung, days_excused="46", days_unexcused="0",
                 version=0)  # fmt: skip
    assert _year(world.learner_dung) == (46, "repeat", "absences")


def test_after_term_closure_attendance_needs_a_manager_and_a_reason(world):
    _absent(world, world.learner_an, 46)
    assert _year(world.learner_an)[1:] == ("repeat", "absences")
    term_close(actor=world.principal_a, institution=world.school_a,
               term=class_terms(world.class_a1)[1])  # fmt: skip
    with pytest.raises(PermissionDenied):
        attendance_take(actor=world.teacher_a1_user, school_class=world.class_a1, day=FIRST,
                        marks={world.learner_an.pk: None})  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        attendance_take(actor=world.principal_a, school_class=world.class_a1, day=FIRST,
                        marks={world.learner_an.pk: None})  # fmt: skip
    assert caught.value.message_dict == {
        "reason": ["Học kỳ đã khóa sổ: hãy ghi lý do sửa điểm danh."]
    }
    attendance_take(actor=world.principal_a, school_class=world.class_a1, day=FIRST,
                    marks={world.learner_an.pk: None}, reason="Nhầm ngày")  # fmt: skip
    assert _year(world.learner_an)[0] == 45
    entry = AuditEntry.objects.filter(action="result.recompute", reason="Nhầm ngày").first()
    assert entry is not None and entry.actor == world.principal_a
