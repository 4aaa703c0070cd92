"""Each upper secondary learner's elective subjects for a school year (môn học lựa
chọn): set by the class's homeroom teacher or the school's managers, audited. The
gradebook, the results and the report cards then use the learner's own subjects."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.academics.models import CurriculumSubject, SchoolClass
from truongso.accounts.access import require
from truongso.assessment.models import ElectiveChoice
from truongso.assessment.rules import electives as rules_electives
from truongso.assessment.selectors.gradebook import ELECTIVE_GRADES, can_read_class
from truongso.assessment.services.gradebook import _learner
from truongso.assessment.services.results import RecomputeSummary, results_recompute
from truongso.audit.services import audit_record
from truongso.learners.models import Learner


@transaction.atomic
def elective_choices_set(
    *, actor, school_class: SchoolClass, learner: Learner | int, subject_codes: Iterable[str]
) -> RecomputeSummary | None:
    """Set the elective subjects ``learner`` of ``school_class`` studies this school
    year (curriculum codes; none clears the choice and the class's electives apply).
    ValidationError naming the learner when the choice does not fit the curriculum.
    Returns the recomputation of the learner's results (None when nothing changed)."""
    require(can_read_class(actor, school_class))
    learner = _learner(school_class, learner)
    if school_class.grade not in ELECTIVE_GRADES:
        raise ValidationError(
            {"subjects": _("Lớp %(name)s không có môn học lựa chọn.")
             % {"name": school_class.name}}
        )  # fmt: skip
    offered = {
        row.subject.code: row.subject
        for row in CurriculumSubject.objects.filter(
            grade=school_class.grade, is_elective=True
        ).select_related("subject")
    }
    codes = sorted({str(c).strip() for c in subject_codes if str(c).strip()})
    problem = rules_electives.elective_choice_problem(codes, offered)
    if problem is not None:
        code, details = problem
        if code == rules_electives.NOT_ELECTIVE:
            message = _("%(learner)s: “%(subject)s” không phải môn lựa chọn của khối %(grade)s.")
        else:
            message = _("%(learner)s: đã chọn %(count)s môn; mỗi học sinh học đúng %(expected)s "
                        "môn lựa chọn.")  # fmt: skip
        raise ValidationError(
            {"subjects": message % {"learner": learner.full_name, "grade": school_class.grade,
                                    **details}}, code=code,
        )  # fmt: skip
    rows = ElectiveChoice.objects.select_for_update().filter(
        learner=learner, school_year_id=school_class.school_year_id
    )
    before = sorted(rows.values_list("subject__code", flat=True))
    if before == codes and not rows.exclude(school_class=school_class).exists():
        return None
    rows.delete()
    ElectiveChoice.objects.bulk_create(
        ElectiveChoice(institution_id=school_class.institution_id, school_class=school_class,
                       learner=learner, school_year_id=school_class.school_year_id,
                       subject=offered[code], created_by=actor)
        for code in codes
    )  # fmt: skip
    audit_record(actor=actor, action="electives.set", instance=learner,
                 before={"subjects": before}, after={"subjects": codes})  # fmt: skip
    return results_recompute(school_class=school_class, learner_ids=[learner.pk])
