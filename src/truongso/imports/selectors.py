"""Reads for imports: jobs and their problems (only for users who manage the job's
institution), and the records an import is checked against."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from truongso.academics.models import SchoolClass
from truongso.academics.selectors import class_list, current_school_year
from truongso.accounts.access import scope_for
from truongso.imports.models import ImportJob, ImportProblem
from truongso.learners.models import Guardian, Learner
from truongso.learners.selectors import learner_list
from truongso.staff.models import StaffMember
from truongso.staff.selectors import staff_list
from truongso.units.models import Institution
from truongso.units.selectors import institution_list


def import_institutions(*, actor) -> QuerySet[Institution]:
    """The institutions the actor may import into: those they manage (principals and
    school staff). Offices and teachers get none."""
    scope = scope_for(actor)
    return institution_list(actor=actor).filter(pk__in=scope.managed_institution_ids)


def import_job_list(*, actor) -> QuerySet[ImportJob]:
    scope = scope_for(actor)
    return (
        ImportJob.objects.filter(institution_id__in=scope.managed_institution_ids)
        .select_related("institution", "created_by")
        .order_by("-created_at", "-id")
    )


def import_job_get(*, actor, pk: int) -> ImportJob:
    """One job of an institution the actor manages; ImportJob.DoesNotExist otherwise."""
    return import_job_list(actor=actor).get(pk=pk)


def import_problem_list(*, actor, job: ImportJob, severity: str | None = None):
    import_job_get(actor=actor, pk=job.pk)
    qs = ImportProblem.objects.filter(job=job, institution_id=job.institution_id)
    if severity:
        qs = qs.filter(severity=severity)
    return qs.order_by("id")


# --- What an import is checked against ---------------------------------------------------


def current_classes(*, actor, institution: Institution) -> list[SchoolClass]:
    year = current_school_year()
    if year is None:
        return []
    return list(class_list(actor=actor, institution_id=institution.pk, school_year=year))


LEARNER_VALUES = (
    "id", "education_id", "full_name", "search_name", "date_of_birth", "sex", "personal_id",
    "ethnicity_code", "nationality", "address", "place_of_birth", "disability",
    "current_class_id",
)  # fmt: skip


def institution_learners(*, actor, institution: Institution):
    """Every learner record of the institution (any status), as tuples of LEARNER_VALUES."""
    return (
        learner_list(actor=actor, institution_id=institution.pk)
        .order_by()
        .values_list(*LEARNER_VALUES)
    )


def institution_guardians(*, actor, institution: Institution):
    """(learner id, relationship, guardian id, name, phone) of the institution's learners."""
    learners = learner_list(actor=actor, institution_id=institution.pk).order_by().values("pk")
    return (
        Guardian.objects.filter(institution_id=institution.pk, learner_id__in=learners)
        .order_by("learner_id", "id")
        .values_list("learner_id", "relationship", "id", "full_name", "phone")
    )


STAFF_VALUES = (
    "id", "education_id", "full_name", "search_name", "date_of_birth", "sex", "personal_id",
    "ethnicity_code", "nationality", "position", "qualification", "major", "employment_status",
    "hired_on", "phone", "email", "address",
)  # fmt: skip


def institution_staff(*, actor, institution: Institution):
    return (
        staff_list(actor=actor, institution_id=institution.pk).order_by().values_list(*STAFF_VALUES)
    )


def numbers_used_elsewhere(
    model: type[Learner] | type[StaffMember],
    *,
    institution: Institution,
    personal_ids: set[str],
    education_ids: set[str],
) -> tuple[set[str], set[str]]:
    """Which of these numbers belong to a record of another institution.

    Deliberately unscoped: identification numbers are unique nationwide, so an import must
    know whether one is taken. Only the numbers themselves come back, never whose they are.
    """
    return (
        _taken(model, "personal_id", institution.pk, personal_ids),
        _taken(model, "education_id", institution.pk, education_ids),
    )


# From this many new records on, the check of their personal IDs joins by hash.
HASH_JOIN_FROM = 20_000


def personal_ids_taken_by_others(
    model: type[Learner] | type[StaffMember], *, institution: Institution, ids: list[int]
) -> dict[int, str]:
    """Of the records ``ids`` of ``institution`` (just written by an import, in its
    transaction), those whose personal ID a record of another institution also has:
    primary key → personal ID.

    Deliberately unscoped, as ``numbers_used_elsewhere``. The new records are found in the
    table by institution and id range (one join, which the planner runs as a hash join
    when many rows are new) rather than sent as a list of numbers.
    """
    if not ids:
        return {}
    table = model._meta.db_table
    wanted = set(ids)
    many = connection.vendor == "postgresql" and len(ids) >= HASH_JOIN_FROM
    with connection.cursor() as cursor:
        if many:
            # Just written, the rows have no statistics yet, and the planner would probe
            # the index once per new row; a hash join reads the others once instead.
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"SELECT n.id, n.personal_id FROM {table} n "  # noqa: S608 - names from code
            f"WHERE n.institution_id = %s AND n.id BETWEEN %s AND %s AND n.personal_id <> '' "
            f"AND EXISTS (SELECT 1 FROM {table} o "
            f"WHERE o.personal_id = n.personal_id AND o.institution_id <> %s)",
            [institution.pk, min(ids), max(ids), institution.pk],
        )
        found = {pk: pid for pk, pid in cursor.fetchall() if pk in wanted}
        if many:
            cursor.execute("SET LOCAL enable_nestloop = on")
        return found


def _taken(model, column: str, institution_id: int, values: set[str]) -> set[str]:
    if not values:
        return set()
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of placeholders.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT {column} FROM {model._meta.db_table} "  # noqa: S608 - names from code
                f"WHERE {column} = ANY(%s) AND institution_id <> %s",
                [list(values), institution_id],
            )
            return {row[0] for row in cursor.fetchall()}
    others = model.objects.exclude(institution_id=institution_id)
    return set(others.filter(**{f"{column}__in": values}).values_list(column, flat=True))
