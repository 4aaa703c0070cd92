"""Reads for classes, subjects and school years."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from truongso.academics.models import (
    CurriculumSubject,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
)
from truongso.accounts.access import classes_q, scope_for
from truongso.learners.models import LearnerStatus


def current_school_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.first()


def class_list(
    *,
    actor,
    institution_id: int | None = None,
    school_year: SchoolYear | None = None,
    grade: int | None = None,
) -> QuerySet[SchoolClass]:
    qs = SchoolClass.objects.filter(classes_q(scope_for(actor)))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if grade is not None:
        qs = qs.filter(grade=grade)
    return (
        qs.select_related("institution", "school_year", "homeroom_teacher")
        .annotate(
            learner_count=Count("learners", filter=Q(learners__status=LearnerStatus.STUDYING))
        )
        .order_by("institution__name", "-school_year__starts_on", "grade", "name")
    )


def class_get(*, actor, pk: int, write: bool = False) -> SchoolClass:
    return (
        SchoolClass.objects.filter(classes_q(scope_for(actor), write=write))
        .select_related("institution", "school_year", "homeroom_teacher")
        .get(pk=pk)
    )


def class_roster(*, actor, school_class: SchoolClass):
    from truongso.learners.selectors import learner_list

    return learner_list(actor=actor, class_id=school_class.pk, status=LearnerStatus.STUDYING)


def class_assignments(*, actor, school_class: SchoolClass) -> QuerySet[TeachingAssignment]:
    class_get(actor=actor, pk=school_class.pk)
    return (
        TeachingAssignment.objects.filter(school_class=school_class)
        .select_related("subject", "staff_member")
        .order_by("subject__code")
    )


def grade_subjects(*, grade: int, curriculum: str = "GDPT2018") -> QuerySet[CurriculumSubject]:
    return (
        CurriculumSubject.objects.filter(curriculum=curriculum, grade=grade)
        .select_related("subject")
        .order_by("order")
    )


def school_year_get(*, name: str) -> SchoolYear:
    """The school year named like "2025-2026"; SchoolYear.DoesNotExist otherwise."""
    return SchoolYear.objects.get(name=name)


def subjects_by_code(codes: list[str]) -> dict[str, Subject]:
    """The subjects among ``codes``, by code (unknown codes are absent)."""
    return {s.code: s for s in Subject.objects.filter(code__in=codes)}
