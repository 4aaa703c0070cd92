"""Reads for the summer (Circular 22/2021): the learners of a class sent to summer
re-tests or summer conduct training, with the subjects to re-test, what was entered
and the re-evaluated decision; and the elective subjects of upper secondary classes."""

from __future__ import annotations

from dataclasses import dataclass

from truongso.academics.models import CurriculumSubject, SchoolClass, Subject
from truongso.assessment.models import (
    ElectiveChoice,
    LearnerYearResult,
    SubjectResult,
    SummerReassessment,
)
from truongso.assessment.selectors.gradebook import (
    ELECTIVE_GRADES,
    ClassSubject,
    can_read_class,
    class_context,
    class_learners,
)
from truongso.learners.models import Learner


@dataclass
class SummerRow:
    """A learner sent to the summer: the year's results (``year``: the decision at
    the end of the year in ``summer_outcome``, the re-evaluated one in ``promotion``),
    the subjects to re-test with their year result, and what was entered."""

    learner: Learner
    year: LearnerYearResult
    subjects: list[tuple[ClassSubject, SubjectResult | None]]
    entered: SummerReassessment | None

    @property
    def version(self) -> int:
        return self.entered.version if self.entered else 0

    def retest(self, code: str) -> str | None:
        return (self.entered.retests or {}).get(code) if self.entered else None

    @property
    def trained(self) -> bool:
        return self.year.summer_outcome == "summer_conduct_training"


def summer_rows(*, actor, school_class: SchoolClass) -> list[SummerRow]:
    """The class's learners sent to the summer, in class-list order: its homeroom
    teacher and the school's managers; SchoolClass.DoesNotExist for anyone else."""
    if not can_read_class(actor, school_class):
        raise SchoolClass.DoesNotExist
    context = class_context(school_class)
    learners = class_learners(school_class)
    ids = [lr.pk for lr in learners]
    year_id = school_class.school_year_id
    years = {
        r.learner_id: r
        for r in LearnerYearResult.objects.filter(learner_id__in=ids, school_year_id=year_id)
        .exclude(summer_outcome="")
    }  # fmt: skip
    entered = {
        r.learner_id: r
        for r in SummerReassessment.objects.filter(learner_id__in=years, school_year_id=year_id)
    }
    results = {
        (r.learner_id, r.subject_id): r
        for r in SubjectResult.objects.filter(
            learner_id__in=years, school_year_id=year_id, period=0
        )  # fmt: skip
    }
    by_code = {s.code: s for s in context.subjects}
    rows = []
    for learner in learners:
        year = years.get(learner.pk)
        if year is None:
            continue
        subjects = [
            (by_code[code], results.get((learner.pk, by_code[code].subject.pk)))
            for code in year.summer_subjects if code in by_code
        ]  # fmt: skip
        rows.append(SummerRow(learner, year, subjects, entered.get(learner.pk)))
    return rows


# --- electives --------------------------------------------------------------------


@dataclass
class ElectiveRow:
    learner: Learner
    chosen: frozenset[int]


@dataclass
class ClassElectives:
    """The elective subjects of an upper secondary class's grade, and each learner's
    choices (empty: the class's electives apply)."""

    school_class: SchoolClass
    subjects: list[Subject]
    assigned: frozenset[int]
    rows: list[ElectiveRow]


def class_electives(*, actor, school_class: SchoolClass) -> ClassElectives:
    """The electives page of a class: its homeroom teacher and the school's managers;
    SchoolClass.DoesNotExist for anyone else, and for a class below grade 10."""
    if not can_read_class(actor, school_class) or school_class.grade not in ELECTIVE_GRADES:
        raise SchoolClass.DoesNotExist
    context = class_context(school_class)
    subjects = [
        row.subject
        for row in CurriculumSubject.objects.filter(grade=school_class.grade, is_elective=True)
        .select_related("subject").order_by("order")
    ]  # fmt: skip
    chosen: dict[int, set[int]] = {}
    for learner_id, subject_id in ElectiveChoice.objects.filter(
        school_class=school_class, school_year_id=school_class.school_year_id
    ).values_list("learner_id", "subject_id"):
        chosen.setdefault(learner_id, set()).add(subject_id)
    rows = [
        ElectiveRow(lr, frozenset(chosen.get(lr.pk, ())))
        for lr in class_learners(school_class)
    ]  # fmt: skip
    return ClassElectives(school_class, subjects, context.assigned_ids, rows)
