"""Reads of the stored results: a class's results for a term or the year (with the
counts by level and the promotion lists), and one learner's results for their
guardian."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from truongso.academics.models import CurriculumSubject, SchoolClass, SchoolYear, Subject
from truongso.accounts.access import scope_for
from truongso.assessment.models import (
    LearnerTermResult,
    LearnerYearResult,
    Period,
    Promotion,
    SubjectResult,
)
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.selectors.gradebook import (
    ClassSubject,
    can_read_class,
    class_context,
    class_learners,
)
from truongso.learners.models import Learner
from truongso.learners.selectors import learner_get


@dataclass
class ResultRow:
    learner: Learner
    subjects: dict[str, SubjectResult | None]
    result: LearnerTermResult | LearnerYearResult | None

    @property
    def learning(self) -> str:
        return self.result.learning if self.result else ""


@dataclass
class ClassResults:
    """A class's results for a period (1, 2 or 0 for the year)."""

    school_class: SchoolClass
    period: int
    subjects: list[ClassSubject]
    rows: list[ResultRow]
    learning_counts: dict[str, int]
    conduct_counts: dict[str, int]
    rule_sets: list[str]
    # Year only: learners by promotion decision, and the awards.
    promotion: dict[str, list[ResultRow]] = field(default_factory=dict)
    awards: list[ResultRow] = field(default_factory=list)
    not_decided: list[ResultRow] = field(default_factory=list)
    # Sent to the summer (their ``promotion`` is the re-evaluated decision once known).
    summer: list[ResultRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)


def class_results(*, actor, school_class: SchoolClass, period: int) -> ClassResults:
    """The stored results of the class for ``period``: its homeroom teacher and the
    school's managers read them; SchoolClass.DoesNotExist for anyone else."""
    if not can_read_class(actor, school_class):
        raise SchoolClass.DoesNotExist
    context = class_context(school_class)
    learners = class_learners(school_class)
    ids = [learner.pk for learner in learners]
    subject_rows: dict[tuple[int, str], SubjectResult] = {}
    for row in SubjectResult.objects.filter(
        learner_id__in=ids, school_year_id=school_class.school_year_id, period=period
    ).select_related("subject"):
        subject_rows[(row.learner_id, row.subject.code)] = row
    if period == Period.YEAR:
        learner_rows = LearnerYearResult.objects.filter(
            learner_id__in=ids, school_year_id=school_class.school_year_id
        )
    else:
        term = context.terms.get(period)
        learner_rows = LearnerTermResult.objects.filter(learner_id__in=ids, term=term)
    by_learner = {row.learner_id: row for row in learner_rows}
    rows = [
        ResultRow(
            learner=learner,
            subjects={s.code: subject_rows.get((learner.pk, s.code)) for s in context.subjects},
            result=by_learner.get(learner.pk),
        )
        for learner in learners
    ]
    results = [r.result for r in rows]
    labels = sorted({r.rule_set for r in results if r is not None})
    out = ClassResults(
        school_class=school_class,
        period=period,
        subjects=context.subjects,
        rows=rows,
        learning_counts=rules_gradebook.level_counts(r.learning if r else None for r in results),
        conduct_counts=rules_gradebook.level_counts(r.conduct if r else None for r in results),
        rule_sets=labels,
    )
    if period == Period.YEAR:
        out.promotion = {choice: [] for choice in Promotion.values}
        for row in rows:
            decision = row.result.promotion if row.result else ""
            if decision:
                out.promotion[decision].append(row)
            else:
                out.not_decided.append(row)
            if row.result and row.result.award:
                out.awards.append(row)
            if row.result and row.result.summer_outcome:
                out.summer.append(row)
    return out


def subject_names() -> dict[str, str]:
    """Subject code → name (reference data)."""
    return dict(Subject.objects.values_list("code", "name"))


# --- one learner ------------------------------------------------------------------


@dataclass
class LearnerYear:
    """A learner's results in one school year: each subject's results by period and
    the learner's results by period."""

    school_year: SchoolYear
    school_class: SchoolClass
    subjects: list[tuple[Subject, dict[int, SubjectResult | None]]]
    periods: dict[int, Any]


def learner_results_get(*, actor, pk: int) -> tuple[Learner, list[LearnerYear]]:
    """A learner's results, every school year with results, newest first: for the
    learner's guardians, the school's managers and the learner's homeroom teacher.
    Learner.DoesNotExist for anyone else (another parent, a subject teacher)."""
    learner = learner_get(actor=actor, pk=pk)
    scope = scope_for(actor)
    allowed = (
        learner.pk in scope.guardian_learner_ids
        or scope.manages(learner.institution_id)
        or (
            learner.current_class_id in scope.homeroom_class_ids
            and learner.institution_id in scope.teacher_institution_ids
        )
    )
    if not allowed:
        raise Learner.DoesNotExist
    years = []
    year_rows = {
        r.school_year_id: r
        for r in LearnerYearResult.objects.filter(learner=learner).select_related(
            "school_year", "school_class"
        )
    }
    term_rows: dict[int, dict[int, LearnerTermResult]] = {}
    for row in LearnerTermResult.objects.filter(learner=learner).select_related("term"):
        term_rows.setdefault(row.school_year_id, {})[row.term.number] = row
    subject_rows: dict[int, dict[int, dict[int, SubjectResult]]] = {}
    for row in SubjectResult.objects.filter(learner=learner).select_related("subject"):
        subject_rows.setdefault(row.school_year_id, {}).setdefault(row.subject_id, {})[
            row.period
        ] = row
    for year_id, year_row in sorted(
        year_rows.items(), key=lambda item: item[1].school_year.starts_on, reverse=True
    ):
        school_class = year_row.school_class
        order = {
            c.subject_id: c.order
            for c in CurriculumSubject.objects.filter(grade=school_class.grade)
        }
        by_subject = subject_rows.get(year_id, {})
        subjects = sorted(
            Subject.objects.filter(pk__in=by_subject), key=lambda s: order.get(s.pk, 99)
        )
        years.append(
            LearnerYear(
                school_year=year_row.school_year,
                school_class=school_class,
                subjects=[(s, {p: by_subject[s.pk].get(p) for p in (1, 2, 0)}) for s in subjects],
                periods={**term_rows.get(year_id, {}), 0: year_row},
            )
        )
    return learner, years
