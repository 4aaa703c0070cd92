"""Writes for learners: records, guardians, enrolment events. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass
from truongso.accounts.access import can_manage_institution, learners_q, require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.rules.personal_id import MISSING, check_personal_id
from truongso.core.rules.text import fold, normalise_name
from truongso.exchange import conf as exchange_conf
from truongso.learners.models import (
    EnrolmentEvent,
    EnrolmentEventKind,
    Guardian,
    IdentifierCounter,
    Learner,
    LearnerStatus,
    PersonalIdStatus,
    PolicyCategory,
)
from truongso.units.models import Institution

# Fields a school may set on a learner record.
LEARNER_FIELDS = (
    "full_name", "date_of_birth", "sex", "personal_id", "ethnicity_code", "ethnicity_list",
    "nationality", "phone", "address", "disability", "policy_categories", "place_of_birth",
)  # fmt: skip
# Of those, the ones a homeroom teacher may change for their own class.
HOMEROOM_EDITABLE_FIELDS = ("phone", "address", "place_of_birth")


def personal_id_status(learner: Learner) -> str:
    check = check_personal_id(learner.personal_id, learner.date_of_birth, learner.sex)
    if check.ok:
        return PersonalIdStatus.OK
    if check.problems == (MISSING,):
        return PersonalIdStatus.MISSING
    return PersonalIdStatus.WARNING


def _check_policy_categories(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        message = _("Đối tượng chính sách phải là một danh sách.")
        raise ValidationError({"policy_categories": message})
    known = set(PolicyCategory.values)
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValidationError(
            {"policy_categories": _("Đối tượng chính sách không có trong danh mục: %(values)s")
             % {"values": ", ".join(map(str, unknown))}}
        )  # fmt: skip
    return sorted(set(value))


def prepare_learner(learner: Learner) -> None:
    """Derived fields kept by the services: folded name and the ID check."""
    learner.policy_categories = _check_policy_categories(learner.policy_categories)
    learner.full_name = normalise_name(learner.full_name)
    learner.search_name = fold(learner.full_name)
    learner.personal_id = (learner.personal_id or "").replace(" ", "")
    learner.personal_id_status = personal_id_status(learner)


def education_id_issue(*, institution: Institution, count: int = 1) -> list[str]:
    """Reserve ``count`` new education identifiers: province code + 8-digit serial.

    The counter only grows, so an identifier is never reused."""
    prefix = (institution.province.code or "00")[-2:]
    with transaction.atomic():
        counter, _created = IdentifierCounter.objects.select_for_update().get_or_create(
            prefix=prefix
        )
        first = counter.next_value
        IdentifierCounter.objects.filter(pk=counter.pk).update(next_value=F("next_value") + count)
    return [f"{prefix}{n:08d}" for n in range(first, first + count)]


def _check_class(school_class: SchoolClass | None, institution_id: int) -> None:
    if school_class is not None and school_class.institution_id != institution_id:
        raise ValidationError({"current_class": _("Lớp không thuộc trường này.")})


@transaction.atomic
def learner_create(
    *,
    actor,
    institution: Institution,
    fields: dict[str, Any],
    school_class: SchoolClass | None = None,
    enrolled_on: dt.date | None = None,
    reason: str = "",
) -> Learner:
    """Admit a new learner: the record, an education identifier and an ``admit`` event."""
    require(can_manage_institution(scope_for(actor), institution))
    if exchange_conf.is_mirror():
        raise ValidationError(
            _("Nút này là bản sao của cơ sở dữ liệu ngành: học sinh mới chỉ được tạo trên cơ sở "
              "dữ liệu ngành, rồi được đồng bộ về trường.")
        )  # fmt: skip
    unknown = set(fields) - set(LEARNER_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("Trường thông tin không được phép sửa.") for name in unknown}
        )
    _check_class(school_class, institution.pk)
    learner = Learner(institution=institution, **fields)
    learner.current_class = school_class
    learner.grade = school_class.grade if school_class else None
    learner.enrolled_on = enrolled_on or dt.date.today()
    prepare_learner(learner)
    learner.education_id = education_id_issue(institution=institution)[0]
    learner.full_clean()
    learner.save()
    EnrolmentEvent.objects.create(
        institution=institution,
        learner=learner,
        kind=EnrolmentEventKind.ADMIT,
        occurred_on=learner.enrolled_on,
        school_year=school_class.school_year if school_class else None,
        to_class=school_class,
        grade=learner.grade,
        reason=reason,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="learner.create",
        instance=learner,
        before=None,
        after=model_snapshot(learner),
        reason=reason,
    )
    return learner


@transaction.atomic
def learner_update(*, actor, learner: Learner, fields: dict[str, Any], reason: str = "") -> Learner:
    """Change a learner's record. A homeroom teacher may change contact details only."""
    scope = scope_for(actor)
    require(Learner.objects.filter(learners_q(scope, write=True), pk=learner.pk).exists())
    allowed = LEARNER_FIELDS if scope.manages(learner.institution_id) else HOMEROOM_EDITABLE_FIELDS
    refused = set(fields) - set(allowed)
    if refused:
        raise ValidationError(
            {name: _("Bạn không có quyền sửa thông tin này.") for name in sorted(refused)}
        )
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    before = model_snapshot(learner)
    for name, value in fields.items():
        setattr(learner, name, value)
    prepare_learner(learner)
    learner.full_clean()
    after = model_snapshot(learner)
    if before == after:
        return learner
    learner.version += 1
    learner.save()
    audit_record(
        actor=actor,
        action="learner.update",
        instance=learner,
        before=before,
        after=model_snapshot(learner),
        reason=reason,
    )
    return learner


def _event(learner: Learner, kind: str, *, actor, on: dt.date, reason: str, **extra) -> None:
    EnrolmentEvent.objects.create(
        institution_id=learner.institution_id,
        learner=learner,
        kind=kind,
        occurred_on=on,
        reason=reason,
        actor=actor,
        grade=learner.grade,
        **extra,
    )


def _change(learner: Learner, *, actor, action: str, reason: str, apply) -> Learner:
    before = model_snapshot(learner)
    apply(learner)
    learner.version += 1
    learner.save()
    audit_record(
        actor=actor,
        action=action,
        instance=learner,
        before=before,
        after=model_snapshot(learner),
        reason=reason,
    )
    return learner


def _writable(actor, learner: Learner) -> Learner:
    scope = scope_for(actor)
    require(scope.manages(learner.institution_id))
    return Learner.objects.select_for_update().get(pk=learner.pk)


@transaction.atomic
def learner_change_class(
    *, actor, learner: Learner, school_class: SchoolClass, on: dt.date, reason: str = ""
) -> Learner:
    learner = _writable(actor, learner)
    _check_class(school_class, learner.institution_id)
    _event(
        learner,
        EnrolmentEventKind.CHANGE_CLASS,
        actor=actor,
        on=on,
        reason=reason,
        from_class=learner.current_class,
        to_class=school_class,
        school_year=school_class.school_year,
    )

    def apply(row: Learner) -> None:
        row.current_class = school_class
        row.grade = school_class.grade

    learner = _change(
        learner, actor=actor, action="learner.change_class", reason=reason, apply=apply
    )
    from truongso.attendance.services import attendance_follow_class_change

    attendance_follow_class_change(actor=actor, learner=learner, to_class=school_class, on=on)
    return learner


@transaction.atomic
def learner_transfer(
    *,
    actor,
    learner: Learner,
    to_institution: Institution,
    on: dt.date,
    to_class: SchoolClass | None = None,
    reason: str = "",
) -> Learner:
    """Chuyển trường: the learner keeps their identifier and history.

    Done by the school the learner leaves; the record moves to the receiving school,
    which then sees it (and may place the learner in a class)."""
    learner = _writable(actor, learner)
    if to_institution.pk == learner.institution_id:
        raise ValidationError({"to_institution": _("Trường chuyển đến trùng với trường hiện tại.")})
    if learner.status != LearnerStatus.STUDYING:
        raise ValidationError(_("Chỉ chuyển trường được học sinh đang học."))
    _check_class(to_class, to_institution.pk)
    from_institution_id = learner.institution_id
    _event(
        learner,
        EnrolmentEventKind.TRANSFER_OUT,
        actor=actor,
        on=on,
        reason=reason,
        from_class=learner.current_class,
        other_institution=to_institution,
    )
    EnrolmentEvent.objects.create(
        institution=to_institution,
        learner=learner,
        kind=EnrolmentEventKind.TRANSFER_IN,
        occurred_on=on,
        reason=reason,
        actor=actor,
        grade=to_class.grade if to_class else learner.grade,
        to_class=to_class,
        other_institution_id=from_institution_id,
    )

    # Guardians carry the tenant key too: they move with the learner.
    Guardian.objects.filter(learner=learner).update(institution=to_institution)

    def apply(row: Learner) -> None:
        row.institution = to_institution
        row.current_class = to_class
        if to_class is not None:
            row.grade = to_class.grade
        row.enrolled_on = on

    return _change(learner, actor=actor, action="learner.transfer", reason=reason, apply=apply)


def _leave(kind: str, status: str, action: str):
    @transaction.atomic
    def leave(*, actor, learner: Learner, on: dt.date, reason: str) -> Learner:
        if not reason.strip():
            raise ValidationError({"reason": _("Hãy nhập lý do.")})
        learner = _writable(actor, learner)
        if learner.status != LearnerStatus.STUDYING:
            raise ValidationError(_("Học sinh không còn đang học."))
        _event(learner, kind, actor=actor, on=on, reason=reason, from_class=learner.current_class)

        def apply(row: Learner) -> None:
            row.status = status

        return _change(learner, actor=actor, action=action, reason=reason, apply=apply)

    return leave


learner_withdraw = _leave(EnrolmentEventKind.WITHDRAW, LearnerStatus.WITHDRAWN, "learner.withdraw")
learner_withdraw.__doc__ = "Thôi học: the learner leaves the school on request."
learner_drop_out = _leave(
    EnrolmentEventKind.DROP_OUT, LearnerStatus.DROPPED_OUT, "learner.drop_out"
)
learner_drop_out.__doc__ = "Bỏ học: the learner stopped coming."


@transaction.atomic
def learner_readmit(
    *, actor, learner: Learner, on: dt.date, school_class: SchoolClass | None, reason: str = ""
) -> Learner:
    learner = _writable(actor, learner)
    if learner.status not in (LearnerStatus.WITHDRAWN, LearnerStatus.DROPPED_OUT):
        raise ValidationError(_("Học sinh đang học, không cần nhập học lại."))
    _check_class(school_class, learner.institution_id)
    _event(learner, EnrolmentEventKind.READMIT, actor=actor, on=on, reason=reason,
           to_class=school_class)  # fmt: skip

    def apply(row: Learner) -> None:
        row.status = LearnerStatus.STUDYING
        row.current_class = school_class
        if school_class is not None:
            row.grade = school_class.grade

    return _change(learner, actor=actor, action="learner.readmit", reason=reason, apply=apply)


def _year_end_plan(
    school_class: SchoolClass, target: SchoolClass | None, repeaters: set[int], final_grade: int
) -> dict[int, str]:
    plan = {}
    for learner in school_class.learners.filter(status=LearnerStatus.STUDYING):
        if learner.pk in repeaters:
            plan[learner.pk] = EnrolmentEventKind.REPEAT
        elif school_class.grade >= final_grade:
            plan[learner.pk] = EnrolmentEventKind.COMPLETE_LEVEL
        else:
            plan[learner.pk] = EnrolmentEventKind.PROMOTE
    return plan


@transaction.atomic
def class_promote(
    *,
    actor,
    school_class: SchoolClass,
    next_class: SchoolClass | None,
    repeat_class: SchoolClass | None = None,
    repeater_ids: set[int] | frozenset[int] = frozenset(),
    on: dt.date | None = None,
    reason: str = "",
    dry_run: bool = False,
) -> dict[str, int]:
    """Year-end promotion of a whole class (lên lớp hàng loạt).

    With ``dry_run`` everything is checked and the counts returned, nothing written.

    Learners in ``repeater_ids`` repeat the grade (lưu ban) in ``repeat_class``; in the
    last grade of the institution the others complete the level; everyone else moves to
    ``next_class`` of the next school year. Returns the counts by event kind."""
    scope = scope_for(actor)
    require(scope.manages(school_class.institution_id))
    on = on or dt.date.today()
    institution = school_class.institution
    final_grade = institution.grade_to
    for target, grade in ((next_class, school_class.grade + 1), (repeat_class, school_class.grade)):
        if target is None:
            continue
        _check_class(target, institution.pk)
        if target.grade != grade:
            raise ValidationError(_("Lớp %(name)s không thuộc khối %(grade)s.")
                                  % {"name": target.name, "grade": grade})  # fmt: skip
        if target.school_year.starts_on <= school_class.school_year.starts_on:
            raise ValidationError(_("Lớp đích phải thuộc năm học sau."))
    plan = _year_end_plan(school_class, next_class, set(repeater_ids), final_grade)
    if any(k == EnrolmentEventKind.PROMOTE for k in plan.values()) and next_class is None:
        raise ValidationError({"next_class": _("Hãy chọn lớp lên cho học sinh được lên lớp.")})
    if any(k == EnrolmentEventKind.REPEAT for k in plan.values()) and repeat_class is None:
        raise ValidationError({"repeat_class": _("Hãy chọn lớp cho học sinh lưu ban.")})
    if dry_run:
        preview: dict[str, int] = {}
        for kind in plan.values():
            preview[kind] = preview.get(kind, 0) + 1
        return preview
    counts: dict[str, int] = {}
    learners = Learner.objects.select_for_update().filter(pk__in=list(plan))
    for learner in learners:
        kind = plan[learner.pk]
        counts[kind] = counts.get(kind, 0) + 1
        target = {
            EnrolmentEventKind.PROMOTE: next_class,
            EnrolmentEventKind.REPEAT: repeat_class,
            EnrolmentEventKind.COMPLETE_LEVEL: None,
        }[kind]
        _event(learner, kind, actor=actor, on=on, reason=reason, from_class=school_class,
               to_class=target, school_year=school_class.school_year)  # fmt: skip

        def apply(row: Learner, kind=kind, target=target) -> None:
            row.current_class = target
            if target is not None:
                row.grade = target.grade
            if kind == EnrolmentEventKind.COMPLETE_LEVEL:
                row.status = LearnerStatus.COMPLETED

        _change(learner, actor=actor, action=f"learner.{kind}", reason=reason, apply=apply)
    return counts


GUARDIAN_FIELDS = ("relationship", "full_name", "phone", "email", "occupation", "year_of_birth")


@transaction.atomic
def guardian_save(
    *, actor, learner: Learner, fields: dict[str, Any], guardian: Guardian | None = None
) -> Guardian:
    require(scope_for(actor).manages(learner.institution_id))
    before = model_snapshot(guardian) if guardian else None
    guardian = guardian or Guardian(learner=learner, institution_id=learner.institution_id)
    if guardian.learner_id != learner.pk:
        raise ValidationError(_("Phụ huynh không thuộc học sinh này."))
    for name, value in fields.items():
        if name not in GUARDIAN_FIELDS:
            raise ValidationError({name: _("Trường thông tin không được phép sửa.")})
        setattr(guardian, name, value)
    guardian.full_name = normalise_name(guardian.full_name)
    guardian.full_clean()
    guardian.save()
    audit_record(actor=actor, action="guardian.save", instance=guardian, before=before,
                 after=model_snapshot(guardian))  # fmt: skip
    return guardian
