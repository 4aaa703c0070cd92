"""The principal closes a term (khóa sổ học kỳ) for the school or one class, and may
reopen it. After closure a change to the gradebook needs a reason, is made by the
school's managers, is audited and recomputes what depends on it (services.gradebook).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass, Term
from truongso.accounts.access import require
from truongso.assessment.models import TermClosure
from truongso.assessment.selectors.gradebook import (
    GradebookUnavailable,
    class_context,
    is_principal,
)
from truongso.assessment.services.results import results_recompute
from truongso.audit.services import audit_record, model_snapshot
from truongso.units.models import Institution


def _classes(institution: Institution, term: Term, school_class: SchoolClass | None):
    if school_class is not None:
        return [school_class]
    return list(
        SchoolClass.objects.filter(institution=institution, school_year_id=term.school_year_id)
        .select_related("institution", "school_year")
        .order_by("grade", "name")
    )


def _recompute_on_commit(classes: list[SchoolClass], term: Term) -> None:
    """Recompute the closed classes' results; a whole school in the background."""
    if len(classes) == 1:
        # Read the class's context first: an error inside results_recompute's
        # transaction (it runs without a savepoint) would roll back the closure too.
        try:
            context = class_context(classes[0])
        except GradebookUnavailable:  # no sổ điểm of Circular 22 (primary): nothing to compute
            return
        results_recompute(school_class=classes[0], term=term, context=context)
        return
    from truongso.assessment.tasks import results_recompute_task

    for school_class in classes:
        transaction.on_commit(
            lambda pk=school_class.pk: results_recompute_task.enqueue(pk, term.pk)
        )


@transaction.atomic
def term_close(
    *,
    actor,
    institution: Institution,
    term: Term,
    school_class: SchoolClass | None = None,
    note: str = "",
) -> TermClosure:
    """Close ``term`` for the whole institution or for ``school_class``: only the
    principal. The results of the classes closed are recomputed (in the background
    for a whole school)."""
    require(is_principal(actor, institution.pk))
    if school_class is not None and school_class.institution_id != institution.pk:
        raise ValidationError({"school_class": _("Lớp không thuộc trường này.")})
    if school_class is not None and school_class.school_year_id != term.school_year_id:
        raise ValidationError({"term": _("Học kỳ không thuộc năm học của lớp.")})
    existing = TermClosure.objects.filter(institution=institution, term=term).filter(
        Q(school_class__isnull=True) | Q(school_class=school_class)
    )
    if school_class is None:
        existing = existing.filter(school_class__isnull=True)
    if existing.exists():
        raise ValidationError(
            _("Học kỳ %(term)s đã khóa sổ rồi.") % {"term": term}, code="already_closed"
        )
    closure = TermClosure.objects.create(
        institution=institution, term=term, school_class=school_class, closed_by=actor,
        note=" ".join(note.split())[:500],
    )  # fmt: skip
    if school_class is None:
        # The school's closure covers every class: their own closures are folded in.
        TermClosure.objects.filter(
            institution=institution, term=term, school_class__isnull=False
        ).delete()
    audit_record(actor=actor, action="term.close", instance=closure, before=None,
                 after=model_snapshot(closure), reason=closure.note)  # fmt: skip
    _recompute_on_commit(_classes(institution, term, school_class), term)
    return closure


@transaction.atomic
def term_reopen(*, actor, closure: TermClosure, reason: str) -> None:
    """Reopen a closed term (the principal, with a reason)."""
    require(is_principal(actor, closure.institution_id))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại sổ điểm.")})
    audit_record(actor=actor, action="term.reopen", instance=closure,
                 before=model_snapshot(closure), after=None, reason=reason)  # fmt: skip
    closure.delete()
