"""Writes of the vocational app: programmes and modules, cohorts, enrolment in a
semester's modules, module scores, retakes and discipline. Every write checks that
the actor manages the institution, runs in a transaction and is audited.

The letter and 4-point value of a score are derived by the programme's rule set
(``assessment.rules.vocational.module_grade``) and stored with the rule-set version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.assessment.messages import cell_error_text
from truongso.assessment.models import RuleSet
from truongso.assessment.rules.common import InvalidInput, parse_score
from truongso.assessment.rules.parameters import VOCATIONAL, VocationalRules
from truongso.assessment.rules.vocational import ModuleAttempt, module_grade
from truongso.assessment.selectors import RuleSetNotInForce, rule_set_in_force
from truongso.assessment.services.rule_sets import rule_set_rules
from truongso.audit.models import AuditEntry
from truongso.audit.services import audit_bulk, audit_record, model_snapshot
from truongso.learners.models import Learner
from truongso.units.models import InstitutionKind
from truongso.vocational.models import (
    Cohort,
    CohortMember,
    DisciplineLevel,
    DisciplineRecord,
    Module,
    ModuleEnrolment,
    Programme,
    ProgrammeLevel,
)

VOCATIONAL_KINDS = (InstitutionKind.VOCATIONAL_INTERMEDIATE, InstitutionKind.COLLEGE)

PROGRAMME_FIELDS = (
    "code", "name", "name_en", "level", "mode", "duration_semesters", "required_credits",
    "is_active",
)  # fmt: skip
MODULE_FIELDS = (
    "code", "name", "credits", "theory_hours", "practice_hours", "semester", "compulsory",
)  # fmt: skip
SCORE_FIELDS = ["score", "letter", "points", "rule_set_label"]


def _manage(actor, institution_id: int) -> None:
    require(scope_for(actor).manages(institution_id))


def vocational_rules(rule_set: RuleSet) -> VocationalRules:
    """The pure rules of a programme's rule set."""
    rules = rule_set_rules(rule_set)
    if not isinstance(rules, VocationalRules):
        raise ValidationError(
            {"rule_set": _("Bộ quy tắc này không dành cho giáo dục nghề nghiệp.")}
        )
    return rules


def _full_clean(instance, exclude=None) -> None:
    instance.full_clean(exclude=exclude, validate_constraints=True)


def _unknown(fields: dict[str, Any], allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("Trường thông tin không được phép sửa.") for name in unknown}
        )


# --- programmes and modules ------------------------------------------------------


def _check_programme(programme: Programme) -> None:
    kind = programme.institution.kind
    if kind not in VOCATIONAL_KINDS:
        raise ValidationError(
            _("%(name)s không phải trường trung cấp hay cao đẳng; không thể mở chương trình "
              "đào tạo nghề.") % {"name": programme.institution.name}
        )  # fmt: skip
    if programme.level == ProgrammeLevel.COLLEGE and kind != InstitutionKind.COLLEGE:
        raise ValidationError({"level": _("Chỉ trường cao đẳng đào tạo trình độ cao đẳng.")})
    if programme.rule_set.education_level != VOCATIONAL:
        raise ValidationError(
            {"rule_set": _("Bộ quy tắc này không dành cho giáo dục nghề nghiệp.")}
        )
    if not programme.duration_semesters:
        raise ValidationError({"duration_semesters": _("Số học kỳ phải lớn hơn 0.")})
    if not programme.required_credits:
        raise ValidationError({"required_credits": _("Số tín chỉ phải lớn hơn 0.")})


def default_rule_set(on: dt.date | None = None) -> RuleSet:
    """The vocational rule set in force on ``on`` (today)."""
    try:
        return rule_set_in_force(education_level=VOCATIONAL, on_date=on or dt.date.today())
    except RuleSetNotInForce as error:
        raise ValidationError({"rule_set": error.messages})


@transaction.atomic
def programme_create(
    *, actor, institution, fields: dict[str, Any], rule_set: RuleSet | None = None
) -> Programme:
    """Open a programme at ``institution``; its rule set is the vocational one in
    force today unless given."""
    _manage(actor, institution.pk)
    _unknown(fields, PROGRAMME_FIELDS)
    programme = Programme(institution=institution, rule_set=rule_set or default_rule_set(),
                          **fields)  # fmt: skip
    _check_programme(programme)
    _full_clean(programme)
    programme.save()
    audit_record(actor=actor, action="vocational.programme.create", instance=programme,
                 before=None, after=model_snapshot(programme))  # fmt: skip
    return programme


@transaction.atomic
def programme_update(
    *, actor, programme: Programme, fields: dict[str, Any], rule_set: RuleSet | None = None,
    reason: str = "",
) -> Programme:  # fmt: skip
    _manage(actor, programme.institution_id)
    _unknown(fields, PROGRAMME_FIELDS)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = model_snapshot(programme)
    for name, value in fields.items():
        setattr(programme, name, value)
    if rule_set is not None:
        programme.rule_set = rule_set
    _check_programme(programme)
    _full_clean(programme)
    programme.save()
    audit_record(actor=actor, action="vocational.programme.update", instance=programme,
                 before=before, after=model_snapshot(programme), reason=reason)  # fmt: skip
    return programme


def _check_module(module: Module) -> None:
    errors = {}
    if not module.credits:
        errors["credits"] = _("Số tín chỉ phải lớn hơn 0.")
    if not module.semester or module.semester > module.programme.duration_semesters:
        errors["semester"] = _("Học kỳ dự kiến phải từ 1 đến %(n)s.") % {
            "n": module.programme.duration_semesters}  # fmt: skip
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def module_create(*, actor, programme: Programme, fields: dict[str, Any]) -> Module:
    _manage(actor, programme.institution_id)
    _unknown(fields, MODULE_FIELDS)
    module = Module(institution_id=programme.institution_id, programme=programme, **fields)
    _full_clean(module)
    _check_module(module)
    module.save()
    audit_record(actor=actor, action="vocational.module.create", instance=module, before=None,
                 after=model_snapshot(module))  # fmt: skip
    return module


@transaction.atomic
def module_update(*, actor, module: Module, fields: dict[str, Any], reason: str = "") -> Module:
    """Change a module. Its credits count in the results of every learner who took it."""
    _manage(actor, module.institution_id)
    _unknown(fields, MODULE_FIELDS)
    module = (
        Module.objects.select_for_update(of=("self",)).select_related("programme").get(pk=module.pk)
    )
    before = model_snapshot(module)
    for name, value in fields.items():
        setattr(module, name, value)
    _full_clean(module)
    _check_module(module)
    module.save()
    audit_record(actor=actor, action="vocational.module.update", instance=module, before=before,
                 after=model_snapshot(module), reason=reason)  # fmt: skip
    return module


# --- cohorts ---------------------------------------------------------------------


@transaction.atomic
def cohort_create(*, actor, programme: Programme, name: str, start_year: int) -> Cohort:
    _manage(actor, programme.institution_id)
    cohort = Cohort(institution_id=programme.institution_id, programme=programme,
                    name=(name or "").strip(), start_year=start_year)  # fmt: skip
    _full_clean(cohort)
    cohort.save()
    audit_record(actor=actor, action="vocational.cohort.create", instance=cohort, before=None,
                 after=model_snapshot(cohort))  # fmt: skip
    return cohort


@transaction.atomic
def cohort_add_learners(
    *, actor, cohort: Cohort, learners, joined_on: dt.date | None = None
) -> int:
    """Add learners (records of the cohort's institution) to the cohort; those already
    in it are skipped. Returns how many were added."""
    _manage(actor, cohort.institution_id)
    learners = list(learners)
    for learner in learners:
        if learner.institution_id != cohort.institution_id:
            raise ValidationError(
                _("%(name)s không phải người học của trường này.") % {"name": learner.full_name}
            )
    present = set(cohort.members.values_list("learner_id", flat=True))
    added = []
    for learner in learners:
        if learner.pk in present:
            continue
        present.add(learner.pk)
        added.append(CohortMember(institution_id=cohort.institution_id, cohort=cohort,
                                  learner=learner, joined_on=joined_on))  # fmt: skip
    CohortMember.objects.bulk_create(added)
    if added:
        audit_record(actor=actor, action="vocational.cohort.add_learners", instance=cohort,
                     before=None, after={"learners": [m.learner_id for m in added]})  # fmt: skip
    return len(added)


def _semester_bounds(cohort: Cohort, semester: Any) -> int:
    limit = cohort.programme.duration_semesters * 2
    try:
        number = int(semester)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= limit:
        raise ValidationError(
            {"semester": _("Học kỳ phải là số từ 1 đến %(n)s (gấp đôi thời gian khóa học).")
             % {"n": limit}}
        )  # fmt: skip
    return number


@transaction.atomic
def cohort_enrol_semester(
    *, actor, cohort: Cohort, semester: Any, modules: list[Module] | None = None
) -> int:
    """Enrol every learner of the cohort in the modules of ``semester``: the given
    ``modules``, or the programme's compulsory modules planned for that semester.
    A learner who already has an attempt at a module is skipped (a retake goes
    through ``module_retake``). Returns the number of enrolments made."""
    _manage(actor, cohort.institution_id)
    number = _semester_bounds(cohort, semester)
    if modules is None:
        modules = list(cohort.programme.modules.filter(semester=number, compulsory=True))
    for module in modules:
        if module.programme_id != cohort.programme_id:
            raise ValidationError(
                _("Mô-đun %(code)s không thuộc chương trình của lớp.") % {"code": module.code}
            )
    learner_ids = list(cohort.members.values_list("learner_id", flat=True))
    taken = set(
        ModuleEnrolment.objects.filter(learner_id__in=learner_ids, module__in=modules).values_list(
            "learner_id", "module_id"
        )
    )
    rows = [
        ModuleEnrolment(institution_id=cohort.institution_id, cohort=cohort,
                        learner_id=learner_id, module=module, semester=number, attempt=1)
        for module in modules
        for learner_id in learner_ids
        if (learner_id, module.pk) not in taken
    ]  # fmt: skip
    created = ModuleEnrolment.objects.bulk_create(rows)  # ids returned (SQLite, PostgreSQL)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    audit_bulk([
        AuditEntry(actor_id=actor_id, action="vocational.enrolment.create",
                   object_type="vocational.moduleenrolment", object_id=str(row.pk),
                   institution_id=row.institution_id, before=None,
                   after=model_snapshot(row, ["learner", "module", "semester", "attempt"]))
        for row in created
    ])  # fmt: skip
    return len(rows)


@transaction.atomic
def module_retake(*, actor, enrolment: ModuleEnrolment, semester: Any, reason: str = "") -> (
    ModuleEnrolment
):  # fmt: skip
    """Enrol the learner again in the module (học lại): a new attempt in a later
    semester. Only the latest attempt, once scored, can be retaken. Which attempt
    counts in the cumulative GPA is the rule set's ``retake_counts`` (the highest
    score in Circular 04/2022's default parameters); every retaken module counts
    towards the downgrade of the classification."""
    _manage(actor, enrolment.institution_id)
    enrolment = ModuleEnrolment.objects.select_related("cohort__programme", "module").get(
        pk=enrolment.pk
    )
    number = _semester_bounds(enrolment.cohort, semester)
    latest = (
        ModuleEnrolment.objects.select_for_update()
        .filter(learner_id=enrolment.learner_id, module_id=enrolment.module_id)
        .order_by("-attempt")
        .first()
    )
    if latest.pk != enrolment.pk:
        raise ValidationError(
            _("Mô-đun %(code)s đã có lần học %(n)s; chỉ đăng ký học lại từ lần học mới nhất.")
            % {"code": enrolment.module.code, "n": latest.attempt}
        )  # fmt: skip
    if enrolment.score is None:
        raise ValidationError(
            _("Lần học %(n)s mô-đun %(code)s chưa có điểm; chưa thể đăng ký học lại.")
            % {"n": enrolment.attempt, "code": enrolment.module.code}
        )  # fmt: skip
    if number <= enrolment.semester:
        raise ValidationError(
            {"semester": _("Học lại phải ở học kỳ sau học kỳ %(n)s của lần học trước.")
             % {"n": enrolment.semester}}
        )  # fmt: skip
    retake = ModuleEnrolment.objects.create(
        institution_id=enrolment.institution_id, cohort=enrolment.cohort,
        learner_id=enrolment.learner_id, module=enrolment.module, semester=number,
        attempt=enrolment.attempt + 1,
    )  # fmt: skip
    audit_record(actor=actor, action="vocational.enrolment.retake", instance=retake, before=None,
                 after=model_snapshot(retake, ["learner", "module", "semester", "attempt"]),
                 reason=reason)  # fmt: skip
    return retake


# --- scores ----------------------------------------------------------------------


def score_parse(rules: VocationalRules, value: Any) -> Any:
    """A typed score, or None for an empty cell. 0–10 with at most one decimal: more
    decimals are refused rather than rounded, so nothing is changed silently.
    Raises InvalidInput."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    strict = dataclasses.replace(rules.score_scale, round_extra=False)
    return parse_score(value, strict)


@transaction.atomic
def module_scores_record(
    *, actor, cohort: Cohort, module: Module, scores: dict[int, Any], reason: str = ""
) -> int:
    """Record the scores of ``module`` for learners of ``cohort``: ``scores`` maps an
    enrolment id to the typed value ("" clears a score). Every value is checked first;
    if any is wrong nothing is saved and the ValidationError names each bad cell
    (``score_<enrolment id>``) with the learner. Returns the number of scores changed."""
    _manage(actor, cohort.institution_id)
    if module.programme_id != cohort.programme_id:
        raise ValidationError(_("Mô-đun không thuộc chương trình của lớp."))
    rules = vocational_rules(cohort.programme.rule_set)
    enrolments = {
        e.pk: e
        for e in ModuleEnrolment.objects.select_for_update(of=("self",))
        .select_related("learner")
        .filter(cohort=cohort, module=module, pk__in=[int(k) for k in scores])
    }
    errors: dict[str, str] = {}
    wanted = {}
    for key, raw in scores.items():
        enrolment = enrolments.get(int(key))
        field = f"score_{key}"
        if enrolment is None:
            errors[field] = _("Không có đăng ký học mã %(id)s của mô-đun này trong lớp.") % {
                "id": key}  # fmt: skip
            continue
        try:
            wanted[enrolment.pk] = score_parse(rules, raw)
        except InvalidInput as error:
            errors[field] = _("%(name)s (lần học %(n)s): %(message)s") % {
                "name": enrolment.learner.full_name, "n": enrolment.attempt,
                "message": cell_error_text(error, scored=True)}  # fmt: skip
    if errors:
        raise ValidationError(errors)
    changed = 0
    now = timezone.now()
    for pk, score in wanted.items():
        enrolment = enrolments[pk]
        if enrolment.score == score and (score is None or enrolment.rule_set_label):
            continue
        before = model_snapshot(enrolment, SCORE_FIELDS)
        if score is None:
            enrolment.score, enrolment.letter, enrolment.points = None, "", None
            enrolment.rule_set_label = ""
        else:
            grade = module_grade(rules, ModuleAttempt(module.code, module.credits, score))
            enrolment.score, enrolment.letter, enrolment.points = score, grade.letter, grade.points
            enrolment.rule_set_label = grade.rule_set
        enrolment.version += 1
        enrolment.scored_by = actor if getattr(actor, "pk", None) else None
        enrolment.scored_at = now
        enrolment.save(update_fields=[*SCORE_FIELDS, "version", "scored_by", "scored_at"])
        audit_record(actor=actor, action="vocational.score.record", instance=enrolment,
                     before=before, after=model_snapshot(enrolment, SCORE_FIELDS),
                     reason=reason)  # fmt: skip
        changed += 1
    return changed


# --- discipline ------------------------------------------------------------------


@transaction.atomic
def discipline_record(
    *, actor, cohort: Cohort, learner: Learner, level: str, decided_on: dt.date, reason: str
) -> DisciplineRecord:
    """Record a disciplinary decision; from Cảnh cáo (warning) up it downgrades a
    Giỏi or Xuất sắc classification by one level."""
    _manage(actor, cohort.institution_id)
    if not cohort.members.filter(learner=learner).exists():
        raise ValidationError(
            _("%(name)s không thuộc lớp %(cohort)s.") % {"name": learner.full_name,
                                                        "cohort": cohort.name}
        )  # fmt: skip
    if level not in DisciplineLevel.values:
        raise ValidationError({"level": _("Hình thức kỷ luật không hợp lệ.")})
    record = DisciplineRecord(
        institution_id=cohort.institution_id,
        cohort=cohort,
        learner=learner,
        level=level,
        decided_on=decided_on,
        reason=(reason or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _full_clean(record)
    record.save()
    audit_record(actor=actor, action="vocational.discipline.record", instance=record,
                 before=None, after=model_snapshot(record), reason=record.reason)  # fmt: skip
    return record
