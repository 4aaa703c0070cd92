"""Writes for attendance. Taking attendance stores only the exceptions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.academics.models import Term
from truongso.accounts.access import require, scope_for
from truongso.attendance.models import AttendanceDay, AttendanceMark, AttendanceStatus
from truongso.attendance.selectors import class_membership
from truongso.audit.services import audit_record, model_snapshot
from truongso.learners.models import Learner

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
    term = Term.objects.filter(school_year=year, starts_on__lte=day, ends_on__gte=day).first()
    closed_reason = _closed_reason(actor, school_class, term, reason)
    valid = set(dict(AttendanceStatus.choices))
    # The learners in the class on that day: a class change moves a learner from its date.
    roster = class_membership([school_class.pk], year.pk).members_on(school_class.pk, day)
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
    touched: list[int] = []
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
        touched.append(learner_id)
    if touched and term is not None:
        _recompute_results(actor, school_class, term, touched, closed_reason)
    return changed


def _closed_reason(actor, school_class, term: Term | None, reason: str) -> str | None:
    """As in the gradebook: after the term is closed, the days absent it counts change
    only by the school's managers, with a reason (returned); None while it is open."""
    from truongso.assessment.selectors.gradebook import term_closure_get

    if term is None or term_closure_get(school_class, term) is None:
        return None
    if not scope_for(actor).manages(school_class.institution_id):
        raise PermissionDenied(_("Học kỳ đã khóa sổ; chỉ Ban giám hiệu sửa điểm danh, kèm lý do."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Học kỳ đã khóa sổ: hãy ghi lý do sửa điểm danh.")},
            code="reason_required",
        )
    return reason


def _recompute_results(actor, school_class, term: Term, learner_ids, closed_reason) -> None:
    """The days absent of the gradebook are counted from attendance: recompute the
    results of the learners whose marks changed, in the class of their gradebook (their
    current class of that school year), as the gradebook does after a score changes."""
    from truongso.assessment.selectors.gradebook import GradebookUnavailable, class_context
    from truongso.assessment.services.results import results_recompute

    by_class: dict[int, list[int]] = {}
    classes = {school_class.pk: school_class}
    for learner in Learner.objects.filter(pk__in=learner_ids).select_related(
        "current_class__institution", "current_class__school_year"
    ):
        current = learner.current_class
        if current is not None and current.school_year_id == school_class.school_year_id:
            classes[current.pk] = current
            by_class.setdefault(current.pk, []).append(learner.pk)
        else:
            by_class.setdefault(school_class.pk, []).append(learner.pk)
    for class_id, ids in by_class.items():
        try:
            context = class_context(classes[class_id])
        except GradebookUnavailable:
            continue  # no gradebook for this class (primary, no rule set in force)
        results_recompute(
            school_class=classes[class_id],
            term=term,
            learner_ids=ids,
            actor=actor,
            audit_reason=closed_reason,
            context=context,
        )


@transaction.atomic
def attendance_follow_class_change(*, actor, learner, to_class, on: dt.date) -> int:
    """A mark belongs to the class of its day: after a class change dated ``on``, the
    learner's marks from ``on`` to the end of that school year move to ``to_class``
    (a change recorded late). Marks before ``on`` stay with the old class. Called by the
    class change service; returns the number of marks moved."""
    year = to_class.school_year
    marks = (
        AttendanceMark.objects.select_for_update()
        .filter(learner=learner, date__gte=on, date__lte=year.ends_on)
        .exclude(school_class=to_class)
    )
    moved = 0
    for mark in marks:
        before = model_snapshot(mark, MARK_FIELDS)
        mark.school_class = to_class
        mark.save(update_fields=["school_class", "recorded_at"])
        audit_record(
            actor=actor, action="attendance.move", instance=mark, before=before,
            after=model_snapshot(mark, MARK_FIELDS), reason=_("Chuyển lớp"),
        )  # fmt: skip
        moved += 1
    return moved
