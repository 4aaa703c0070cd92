"""Writes for attendance. Taking attendance stores only the exceptions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.attendance.models import AttendanceDay, AttendanceMark, AttendanceStatus
from truongso.audit.services import audit_record, model_snapshot
from truongso.learners.models import Learner, LearnerStatus

MARK_FIELDS = ["learner", "school_class", "date", "status"]


def can_take_attendance(actor, school_class) -> bool:
    """The class's homeroom teacher, a teacher assigned to it, or the school's managers."""
    scope = scope_for(actor)
    if scope.manages(school_class.institution_id):
        return True
    return school_class.institution_id in scope.teacher_institution_ids and (
        school_class.pk in scope.taught_class_ids or school_class.pk in scope.homeroom_class_ids
    )


@transaction.atomic
def attendance_take(
    *, actor, school_class, day: dt.date, marks: dict[int, str | None], reason: str = ""
) -> int:
    """Record the attendance of ``school_class`` on ``day``. ``marks`` maps learner ids to
    a status, or to None/"" for present (which removes an earlier mark). Learners not in
    ``marks`` keep what they had. Returns the number of marks changed; saving the same
    marks again changes nothing."""
    require(can_take_attendance(actor, school_class))
    if day > dt.date.today():
        raise ValidationError({"day": _("Không thể điểm danh cho ngày trong tương lai.")})
    year = school_class.school_year
    if not (year.starts_on <= day <= year.ends_on):
        raise ValidationError(
            {"day": _("Ngày điểm danh phải nằm trong năm học %(year)s.") % {"year": year}}
        )
    valid = set(dict(AttendanceStatus.choices))
    roster = set(
        Learner.objects.filter(
            current_class=school_class, status=LearnerStatus.STUDYING
        ).values_list("pk", flat=True)
    )
    wanted: dict[int, str | None] = {}
    for learner_id, status in marks.items():
        learner_id = int(learner_id)
        if learner_id not in roster:
            raise ValidationError(
                _("Học sinh (mã %(id)s) không thuộc lớp %(name)s.")
                % {"id": learner_id, "name": school_class.name}
            )
        status = status or None
        if status is not None and status not in valid:
            raise ValidationError(
                _("Tình trạng điểm danh không hợp lệ: %(status)s.") % {"status": status}
            )
        wanted[learner_id] = status

    AttendanceDay.objects.get_or_create(
        school_class=school_class,
        date=day,
        defaults={"institution_id": school_class.institution_id, "taken_by": actor},
    )
    existing = {
        m.learner_id: m
        for m in AttendanceMark.objects.select_for_update().filter(learner_id__in=wanted, date=day)
    }
    changed = 0
    for learner_id, status in wanted.items():
        mark = existing.get(learner_id)
        if mark is None and status is None:
            continue
        if mark is not None and mark.status == status and mark.school_class_id == school_class.pk:
            continue
        if mark is not None and status is None:
            before = model_snapshot(mark, MARK_FIELDS)
            audit_record(
                actor=actor, action="attendance.clear", instance=mark, before=before,
                after=None, reason=reason,
            )  # fmt: skip
            mark.delete()
        elif mark is None:
            mark = AttendanceMark.objects.create(
                institution_id=school_class.institution_id, learner_id=learner_id,
                school_class=school_class, date=day, status=status, recorded_by=actor,
            )  # fmt: skip
            audit_record(
                actor=actor, action="attendance.mark", instance=mark, before=None,
                after=model_snapshot(mark, MARK_FIELDS), reason=reason,
            )  # fmt: skip
        else:
            before = model_snapshot(mark, MARK_FIELDS)
            mark.status = status
            mark.school_class = school_class
            mark.recorded_by = actor
            mark.save(update_fields=["status", "school_class", "recorded_by", "recorded_at"])
            audit_record(
                actor=actor, action="attendance.mark", instance=mark, before=before,
                after=model_snapshot(mark, MARK_FIELDS), reason=reason,
            )  # fmt: skip
        changed += 1
    return changed
