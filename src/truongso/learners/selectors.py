"""Reads for learners, always scoped to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet, Value
from django.db.models.functions import Concat

from truongso.accounts.access import learners_q, school_rows_q, scope_for
from truongso.audit.models import AuditEntry
from truongso.core.rules.text import fold
from truongso.learners.models import EnrolmentEvent, Guardian, Learner


def learner_list(
    *,
    actor,
    query: str = "",
    institution_id: int | None = None,
    class_id: int | None = None,
    grade: int | None = None,
    status: str | None = None,
    sex: str | None = None,
    personal_id_status: str | None = None,
) -> QuerySet[Learner]:
    """Learners the actor may read. ``query`` matches the name without diacritics or
    case ("nguyen van an" finds "Nguyễn Văn An"), or an identifier exactly."""
    qs = Learner.objects.filter(learners_q(scope_for(actor)))
    if query:
        q = query.strip()
        if q.isdigit():
            qs = qs.filter(education_id=q) | qs.filter(personal_id=q)
        else:
            qs = qs.filter(search_name__contains=fold(q))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if class_id:
        qs = qs.filter(current_class_id=class_id)
    if grade is not None:
        qs = qs.filter(grade=grade)
    if status:
        qs = qs.filter(status=status)
    if sex:
        qs = qs.filter(sex=sex)
    if personal_id_status:
        qs = qs.filter(personal_id_status=personal_id_status)
    qs = qs.select_related("institution", "current_class")
    if query and not query.strip().isdigit():
        # Sorting by an expression rather than the column keeps PostgreSQL from walking
        # the whole search_name index in order to find 25 rows matching '%query%': it
        # uses the trigram index to find the matches, then sorts only those.
        return qs.order_by(Concat("search_name", Value("")), "pk")
    return qs.order_by("search_name", "pk")


def learner_get(*, actor, pk: int, write: bool = False) -> Learner:
    """One learner the actor may read (or change); Learner.DoesNotExist otherwise."""
    return (
        Learner.objects.filter(learners_q(scope_for(actor), write=write))
        .select_related("institution", "current_class", "current_class__school_year")
        .get(pk=pk)
    )


def learner_can_edit(*, actor, learner: Learner) -> bool:
    return Learner.objects.filter(learners_q(scope_for(actor), write=True), pk=learner.pk).exists()


def learner_events(*, actor, learner: Learner) -> QuerySet[EnrolmentEvent]:
    """The learner's enrolment history (the learner must be readable by the actor)."""
    learner_get(actor=actor, pk=learner.pk)
    return (
        EnrolmentEvent.objects.filter(learner=learner)
        .select_related("from_class", "to_class", "other_institution", "institution", "actor")
        .order_by("occurred_on", "id")
    )


def learner_history(*, actor, learner: Learner) -> QuerySet[AuditEntry]:
    """The audit history of a learner record and its guardians."""
    learner_get(actor=actor, pk=learner.pk)
    guardian_ids = [str(pk) for pk in learner.guardians.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(object_type="learners.learner", object_id=str(learner.pk))
    if guardian_ids:
        entries = entries | AuditEntry.objects.filter(
            object_type="learners.guardian", object_id__in=guardian_ids
        )
    # A learner admitted by an import: the import job's entry says who wrote the file's
    # rows, when, why, and which file (its SHA-256); the record's values are the file's.
    jobs = [
        str(pk)
        for pk in learner.events.filter(import_job_id__isnull=False).values_list(
            "import_job_id", flat=True
        )
    ]
    if jobs:
        entries = entries | AuditEntry.objects.filter(
            object_type="imports.importjob", object_id__in=jobs, action="import.commit"
        )
    return entries.select_related("actor").order_by("-at", "-id")


def school_events(*, actor, institution_id: int | None = None) -> QuerySet[EnrolmentEvent]:
    qs = EnrolmentEvent.objects.filter(school_rows_q(scope_for(actor)))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs.select_related("learner").order_by("-occurred_on", "-id")


def learner_guardians(*, actor, learner: Learner) -> QuerySet[Guardian]:
    """The guardians of a learner the actor may read."""
    learner_get(actor=actor, pk=learner.pk)
    return Guardian.objects.filter(learner=learner).order_by("relationship", "pk")
