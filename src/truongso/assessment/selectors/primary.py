"""Who opens a primary class's gradebook (Circular 27/2020) and what it shows: the
homeroom teacher (who teaches most subjects of a primary class) and the school's
managers read and write it; everyone else gets "does not exist"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from truongso.academics.models import CurriculumSubject, SchoolClass, Subject, Term
from truongso.assessment.models import (
    PrimaryQualityEntry,
    PrimarySubjectEntry,
    PrimaryYearResult,
    RuleSet,
)
from truongso.assessment.rules import primary_gradebook as rules_primary
from truongso.assessment.rules.parameters import ENGINE_PRIMARY, PrimaryRules
from truongso.assessment.selectors.gradebook import (
    GradebookUnavailable,
    _class,
    can_read_class,
    class_learners,
    class_terms,
    manages,
    rules_of,
)
from truongso.assessment.selectors.rule_sets import RuleSetNotInForce, rule_set_in_force
from truongso.learners.models import Learner

PRIMARY_MODES = ("primary_rating", "primary_tested")


@dataclass(frozen=True)
class PrimarySubject:
    subject: Subject
    test_periods: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.subject.code


@dataclass(frozen=True)
class PrimaryBook:
    school_class: SchoolClass
    rule_set: RuleSet
    rules: PrimaryRules
    subjects: list[PrimarySubject]
    terms: dict[int, Term]
    manager: bool

    @property
    def tested(self) -> list[str]:
        return [s.code for s in self.subjects if rules_primary.END_2 in s.test_periods]


def primary_rules(school_class: SchoolClass) -> tuple[RuleSet, PrimaryRules]:
    """The primary rule set in force for the class; GradebookUnavailable otherwise."""
    try:
        row = rule_set_in_force(education_level=school_class.institution.kind,
                                school_year=school_class.school_year,
                                grade=school_class.grade)  # fmt: skip
    except RuleSetNotInForce as error:
        raise GradebookUnavailable(error.messages[0], code="not_in_force")
    rules = rules_of(row)
    if rules.engine != ENGINE_PRIMARY:
        raise GradebookUnavailable(
            _("Lớp %(name)s không đánh giá theo Thông tư 27/2020/TT-BGDĐT.")
            % {"name": school_class.name}, code="not_primary",
        )  # fmt: skip
    return row, rules


def primary_book_of(school_class: SchoolClass, manager: bool = False) -> PrimaryBook:
    """The class's primary gradebook (callers check access first)."""
    rule_set, rules = primary_rules(school_class)
    subjects = [
        PrimarySubject(row.subject, rules_primary.test_periods(
            row.subject.code, school_class.grade, rules.tested_subjects
        ) if row.assessment_mode == "primary_tested" else ())
        for row in CurriculumSubject.objects.filter(
            grade=school_class.grade, assessment_mode__in=PRIMARY_MODES
        ).select_related("subject").order_by("order")
    ]  # fmt: skip
    return PrimaryBook(school_class, rule_set, rules, subjects, class_terms(school_class), manager)


def primary_book_get(*, actor, pk: int) -> PrimaryBook:
    """A primary class's gradebook: its homeroom teacher and the school's managers;
    SchoolClass.DoesNotExist for anyone else. GradebookUnavailable when the class is
    not assessed by Circular 27/2020."""
    school_class = _class(pk)
    if not can_read_class(actor, school_class):
        raise SchoolClass.DoesNotExist
    return primary_book_of(school_class, manages(actor, school_class))


@dataclass
class PrimaryRow:
    learner: Learner
    subjects: dict[str, PrimarySubjectEntry | None]
    qualities: PrimaryQualityEntry | None
    result: PrimaryYearResult | None

    def version(self, code: str) -> int:
        entry = self.qualities if code == rules_primary.QUALITY else self.subjects.get(code)
        return entry.version if entry else 0

    def value(self, code: str, kind: str, period: str, key: str = "") -> Any:
        if kind == rules_primary.QUALITY:
            ratings = self.qualities.ratings if self.qualities else {}
            return (ratings.get(key) or {}).get(period)
        entry = self.subjects.get(code)
        if entry is None:
            return None
        return (entry.ratings if kind == rules_primary.RATING else entry.tests).get(period)


def primary_rows(book: PrimaryBook) -> list[PrimaryRow]:
    """Each learner's row of a primary gradebook (``book`` from primary_book_get)."""
    school_class = book.school_class
    learners = class_learners(school_class)
    ids = [lr.pk for lr in learners]
    year_id = school_class.school_year_id
    entries: dict[int, dict[str, PrimarySubjectEntry]] = {}
    for entry in PrimarySubjectEntry.objects.filter(
        learner_id__in=ids, school_year_id=year_id
    ).select_related("subject"):
        entries.setdefault(entry.learner_id, {})[entry.subject.code] = entry
    qualities = {
        q.learner_id: q
        for q in PrimaryQualityEntry.objects.filter(learner_id__in=ids, school_year_id=year_id)
    }
    results = {
        r.learner_id: r
        for r in PrimaryYearResult.objects.filter(learner_id__in=ids, school_year_id=year_id)
    }
    return [
        PrimaryRow(lr, entries.get(lr.pk, {}), qualities.get(lr.pk), results.get(lr.pk))
        for lr in learners
    ]
