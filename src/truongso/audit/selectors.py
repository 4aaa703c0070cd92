"""Reads of the audit log, scoped: a user reads the history of a record only when they
may read the record itself, and a school's recent changes only when they manage it."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from truongso.accounts.access import school_rows_q, scope_for
from truongso.audit.models import AuditEntry

# The record types with a history page, by their name in URLs.
RECORD_TYPES = {
    "learner": "learners.learner",
    "staff": "staff.staffmember",
    "class": "academics.schoolclass",
    "institution": "units.institution",
}


def record_get(*, actor, record_type: str, object_id: int) -> models.Model:
    """The record if the actor may read its history; DoesNotExist otherwise."""
    if record_type == "learner":
        from truongso.learners.selectors import learner_get

        return learner_get(actor=actor, pk=object_id)
    if record_type == "staff":
        from truongso.staff.models import StaffMember

        # Colleagues may see the staff list, but only the school and offices the history.
        return StaffMember.objects.filter(school_rows_q(scope_for(actor))).get(pk=object_id)
    if record_type == "class":
        from truongso.academics.selectors import class_get

        return class_get(actor=actor, pk=object_id)
    if record_type == "institution":
        from truongso.units.selectors import institution_get

        return institution_get(actor=actor, pk=object_id)
    raise AuditEntry.DoesNotExist


def record_history(*, actor, record_type: str, object_id: int) -> tuple[models.Model, QuerySet]:
    """The record and its audit entries, newest first (a learner's include its guardians)."""
    record = record_get(actor=actor, record_type=record_type, object_id=object_id)
    if record_type == "learner":
        from truongso.learners.selectors import learner_history

        return record, learner_history(actor=actor, learner=record)
    entries = AuditEntry.objects.filter(
        object_type=RECORD_TYPES[record_type], object_id=str(record.pk)
    )
    return record, entries.select_related("actor").order_by("-at", "-id")


def recent_changes(*, actor, institution_id: int | None = None) -> QuerySet[AuditEntry]:
    """Changes to the records of the institutions the actor manages, newest first."""
    scope = scope_for(actor)
    qs = AuditEntry.objects.filter(institution_id__in=scope.managed_institution_ids)
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs.select_related("actor").order_by("-at", "-id")


def institution_names(ids) -> dict[int, str]:
    """Names of institutions by id (public directory data), for showing history values."""
    from truongso.units.models import Institution

    return dict(Institution.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
