"""Figures for the home pages, computed from the scoped selectors of each app."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Value, When

from truongso.academics.selectors import class_list, current_school_year
from truongso.accounts.access import scope_for
from truongso.learners.models import LearnerStatus, PersonalIdStatus
from truongso.learners.selectors import learner_list
from truongso.staff.models import ACTIVE_EMPLOYMENT, Position
from truongso.staff.selectors import staff_list
from truongso.units.models import AdministrativeUnit, InstitutionKind
from truongso.units.selectors import institution_list


def teacher_classes(*, actor):
    """The classes a teacher leads or teaches, homeroom classes first."""
    scope = scope_for(actor)
    return (
        class_list(actor=actor)
        .filter(pk__in=scope.taught_class_ids)
        .annotate(
            is_homeroom=Case(
                When(pk__in=scope.homeroom_class_ids, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-is_homeroom", "-school_year__starts_on", "grade", "name")
    )


def learners_by_grade_and_sex(*, actor, institution_id: int | None = None) -> dict:
    """Learners studying now, by grade and sex: rows and totals."""
    rows: dict[int | None, dict] = {}
    qs = learner_list(actor=actor, institution_id=institution_id, status=LearnerStatus.STUDYING)
    for item in qs.order_by().values("grade", "sex").annotate(n=Count("pk")):
        row = rows.setdefault(item["grade"], {"grade": item["grade"], "M": 0, "F": 0, "total": 0})
        row[item["sex"]] = row.get(item["sex"], 0) + item["n"]
        row["total"] += item["n"]
    ordered = sorted(rows.values(), key=lambda r: (r["grade"] is None, r["grade"] or 0))
    totals = {
        "M": sum(r["M"] for r in ordered),
        "F": sum(r["F"] for r in ordered),
        "total": sum(r["total"] for r in ordered),
    }
    return {"rows": ordered, "totals": totals}


def staff_counts(*, actor, institution_id: int | None = None) -> dict:
    """Staff in active employment: total, teachers, by position."""
    qs = staff_list(actor=actor, institution_id=institution_id).filter(
        employment_status__in=ACTIVE_EMPLOYMENT
    )
    labels = dict(Position.choices)
    by_position = [
        {"position": row["position"], "label": labels.get(row["position"], row["position"]),
         "n": row["n"]}
        for row in qs.order_by().values("position").annotate(n=Count("pk")).order_by("position")
    ]  # fmt: skip
    return {
        "total": sum(r["n"] for r in by_position),
        "teachers": sum(r["n"] for r in by_position if r["position"] == Position.TEACHER),
        "by_position": by_position,
    }


def school_summary(*, actor, institution) -> dict:
    year = current_school_year()
    studying = learner_list(
        actor=actor, institution_id=institution.pk, status=LearnerStatus.STUDYING
    )
    return {
        "institution": institution,
        "school_year": year,
        "learners": learners_by_grade_and_sex(actor=actor, institution_id=institution.pk),
        "staff": staff_counts(actor=actor, institution_id=institution.pk),
        "class_count": class_list(
            actor=actor, institution_id=institution.pk, school_year=year
        ).count(),
        "personal_id_warnings": studying.filter(
            personal_id_status=PersonalIdStatus.WARNING
        ).count(),
        "personal_id_missing": studying.filter(personal_id_status=PersonalIdStatus.MISSING).count(),
    }


def office_summary(*, actor) -> dict:
    """Institutions by kind in the office's units, with totals."""
    scope = scope_for(actor)
    institutions = institution_list(actor=actor).filter(is_active=True)
    labels = dict(InstitutionKind.choices)
    by_kind = [
        {"kind": row["kind"], "label": labels.get(row["kind"], row["kind"]), "n": row["n"]}
        for row in institutions.order_by().values("kind").annotate(n=Count("pk")).order_by("kind")
    ]
    if scope.national:
        units = AdministrativeUnit.objects.current().filter(level="province").order_by("name")
    else:
        units = AdministrativeUnit.objects.filter(pk__in=scope.province_ids).order_by("name")
        if scope.unit_paths:
            units = units | AdministrativeUnit.objects.filter(path__in=scope.unit_paths)
    per_unit = dict(
        institutions.order_by()
        .values("province_id")
        .annotate(n=Count("pk"))
        .values_list("province_id", "n")
    )
    return {
        "by_kind": by_kind,
        "institution_total": sum(r["n"] for r in by_kind),
        "learner_total": learner_list(actor=actor, status=LearnerStatus.STUDYING).count(),
        "staff_total": staff_list(actor=actor)
        .filter(employment_status__in=ACTIVE_EMPLOYMENT)
        .count(),
        "units": [
            {
                "unit": u,
                "institutions": per_unit.get(u.pk, 0)
                if u.level == "province"
                else institutions.filter(commune__path__startswith=u.path).count(),
            }
            for u in units
        ],
    }


def guardian_children(*, actor):
    scope = scope_for(actor)
    return learner_list(actor=actor).filter(pk__in=scope.guardian_learner_ids)


def managed_institutions(*, actor):
    scope = scope_for(actor)
    return institution_list(actor=actor).filter(pk__in=scope.managed_institution_ids)
