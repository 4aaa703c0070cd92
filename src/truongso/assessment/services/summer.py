"""After the school year (Circular 22/2021): the results of the summer re-tests (kiểm
tra lại) and the conduct re-evaluated after summer training (rèn luyện trong hè) of
the learners sent to the summer, and the decision re-evaluated from them.

Written by the class's homeroom teacher or the school's managers; once term II is
closed, only by the managers and with a reason, as every change after closure.
The re-evaluated decision is computed by ``results_recompute`` (the rule engine's
``promotion_reevaluate``) and stored with the year's results and the rule set.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass
from truongso.accounts.access import require
from truongso.assessment.messages import cell_error_text
from truongso.assessment.models import LearnerYearResult, Promotion, SummerReassessment
from truongso.assessment.rules.common import InvalidInput, parse_score
from truongso.assessment.rules.labels import Level, Pass, parse_label
from truongso.assessment.selectors.gradebook import can_read_class, class_context
from truongso.assessment.services.gradebook import (
    EditConflict,
    Saved,
    _closed_reason,
    _create,
    _learner,
    _locked_row,
)
from truongso.assessment.services.results import results_recompute
from truongso.audit.services import audit_record, model_snapshot
from truongso.learners.models import Learner

SUMMER_SNAPSHOT = ("retests", "conduct", "comment", "version")


def _retest_value(rules, scored: bool, subject_name: str, text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        if scored:
            scale = replace(rules.score_scale, round_extra=False)
            return str(parse_score(text, scale))
        return parse_label(Pass, text).value
    except InvalidInput as error:
        message = cell_error_text(error, scored=scored)
        raise ValidationError({f"retest_{subject_name}": f"{subject_name}: {message}"})


@transaction.atomic
def summer_result_set(
    *,
    actor,
    school_class: SchoolClass,
    learner: Learner | int,
    retests: dict[str, Any] | None = None,
    conduct: Any = None,
    comment: str | None = None,
    version: int,
    reason: str = "",
) -> Saved:
    """Set what the summer gave for a learner sent to it: ``retests`` maps subject
    codes to the re-test result (a score 0–10 with one decimal, or Đạt/Chưa đạt for
    a subject assessed by comment; blank clears it), ``conduct`` the conduct after
    summer training (Tốt, Khá, Đạt, Chưa đạt). Subjects left out keep their value.

    Raises PermissionDenied, ValidationError naming the field (a learner not sent to
    the summer, a subject not to re-test, a bad value, no reason after closure) or
    EditConflict (``version`` as for score_set)."""
    require(can_read_class(actor, school_class))
    learner = _learner(school_class, learner)
    context = class_context(school_class)
    year = LearnerYearResult.objects.filter(
        learner=learner, school_year_id=school_class.school_year_id
    ).first()
    if year is None or not year.summer_outcome:
        raise ValidationError(
            {"learner": _("%(learner)s không phải kiểm tra lại hay rèn luyện trong hè.")
             % {"learner": learner.full_name}}
        )  # fmt: skip
    subjects = {s.code: s for s in context.subjects}
    values: dict[str, Any] = {}
    row = _locked_row(SummerReassessment, learner=learner,
                      school_year_id=school_class.school_year_id)  # fmt: skip
    stored_retests = dict(row.retests) if row is not None else {}
    new_retests = dict(stored_retests)
    for code, text in (retests or {}).items():
        if code not in year.summer_subjects or code not in subjects:
            name = subjects[code].subject.name if code in subjects else code
            raise ValidationError(
                {f"retest_{code}": _("%(learner)s không phải kiểm tra lại môn %(subject)s.")
                 % {"learner": learner.full_name, "subject": name}}
            )  # fmt: skip
        item = subjects[code]
        value = _retest_value(context.rules, item.scored, item.subject.name, text)
        if value is None:
            new_retests.pop(code, None)
        else:
            new_retests[code] = value
    values["retests"] = new_retests
    stored_conduct = row.conduct if row is not None else ""
    values["conduct"] = stored_conduct
    if conduct is not None:
        text = str(conduct).strip()
        if text and year.summer_outcome != Promotion.CONDUCT_TRAINING:
            raise ValidationError(
                {"conduct": _("%(learner)s không phải rèn luyện trong hè.")
                 % {"learner": learner.full_name}}
            )  # fmt: skip
        try:
            values["conduct"] = parse_label(Level, text).value if text else ""
        except InvalidInput as error:
            raise ValidationError({"conduct": cell_error_text(error, scored=False, conduct=True)})
    if comment is not None:
        values["comment"] = " ".join(comment.split())[:500]
    term = context.terms.get(2)
    closed_reason = _closed_reason(actor, school_class, term, reason) if term else None

    stored_version = row.version if row is not None else 0
    stored = None if row is None else {name: getattr(row, name) for name in values}
    empty = not values["retests"] and not values["conduct"] and not values.get("comment")
    if stored == values or (row is None and empty):
        return Saved(row, "summer", values, changed=False)
    if version != stored_version:
        raise EditConflict(field="summer", stored=stored, attempted=values,
                           stored_version=stored_version, row=row)  # fmt: skip
    before = None if row is None else model_snapshot(row, SUMMER_SNAPSHOT)
    if row is None:
        row = _create(SummerReassessment, learner=learner,
                      school_year_id=school_class.school_year_id,
                      institution_id=school_class.institution_id, school_class=school_class,
                      version=0, updated_by=actor)  # fmt: skip
        if row is None:
            raise EditConflict(field="summer", stored=None, attempted=values, stored_version=1,
                               row=None)  # fmt: skip
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_by = actor
    row.school_class = school_class
    row.save()
    after = model_snapshot(row, SUMMER_SNAPSHOT)
    audit_record(actor=actor, action="summer.set", instance=row, before=before, after=after,
                 reason=closed_reason or "")  # fmt: skip
    summary = results_recompute(school_class=school_class, term=term, learner_ids=[learner.pk],
                                actor=actor, audit_reason=closed_reason,
                                context=context)  # fmt: skip
    return Saved(row, "summer", values, changed=True, recomputed=summary)
