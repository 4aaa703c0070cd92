"""Who may open which gradebook (sổ điểm), and what it shows.

Access, on top of ``accounts.access.scope_for``:

- a teacher opens the gradebook of a class and subject they are assigned to
  (academics.TeachingAssignment) and writes in it;
- the homeroom teacher reads every subject of their class, and sets conduct and
  absences;
- the school's managers (principal, school staff) read and write every gradebook of
  their school; only the principal closes a term;
- everyone else gets "does not exist" (a 404 page), so nobody learns what exists.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.academics.models import (
    CurriculumSubject,
    SchoolClass,
    Subject,
    TeachingAssignment,
    Term,
)
from truongso.accounts.access import scope_for
from truongso.assessment.models import (
    AbsenceRecord,
    CommentPhrase,
    ConductRating,
    Period,
    RuleSet,
    ScoreEntry,
    SubjectResult,
    TermClosure,
)
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.rules import secondary
from truongso.assessment.rules.parameters import ENGINE_SECONDARY, SecondaryRules, rules_from_stored
from truongso.assessment.selectors.rule_sets import RuleSetNotInForce, rule_set_in_force
from truongso.learners.models import Learner, LearnerStatus

# Grades of upper secondary, where learners choose elective subjects (2018 curriculum).
ELECTIVE_GRADES = (10, 11, 12)


class GradebookUnavailable(ValidationError):
    """The class has no gradebook here: no secondary rule set applies to it."""


# --- rule sets --------------------------------------------------------------------

_RULES_CACHE: dict[tuple[str, str], SecondaryRules] = {}


def rules_of(rule_set: RuleSet) -> Any:
    """The pure rules of a stored rule set, parsed once per version and parameters."""
    key = (rule_set.label, json.dumps(rule_set.parameters, sort_keys=True))
    rules = _RULES_CACHE.get(key)
    if rules is None:
        rules = rules_from_stored(
            code=rule_set.code,
            version=rule_set.version,
            regulation=rule_set.regulation,
            education_level=rule_set.education_level,
            first_school_year=rule_set.first_school_year,
            parameters=rule_set.parameters,
        )
        if len(_RULES_CACHE) > 64:
            _RULES_CACHE.clear()
        _RULES_CACHE[key] = rules
    return rules


def class_rules(school_class: SchoolClass) -> tuple[RuleSet, SecondaryRules]:
    """The rule set in force for the class (its school's level, school year and grade)
    and its rules. Raises GradebookUnavailable with a clear message when there is none
    or when it is not the secondary one (primary and vocational have no sổ điểm here)."""
    try:
        row = rule_set_in_force(
            education_level=school_class.institution.kind,
            school_year=school_class.school_year,
            grade=school_class.grade,
        )
    except RuleSetNotInForce as error:
        raise GradebookUnavailable(error.messages[0], code="not_in_force")
    rules = rules_of(row)
    if rules.engine != ENGINE_SECONDARY:
        raise GradebookUnavailable(
            _(
                "Sổ điểm theo Thông tư 22/2021 chỉ dùng cho trung học cơ sở, trung học phổ "
                "thông và giáo dục thường xuyên; lớp %(name)s theo %(regulation)s."
            )
            % {"name": school_class.name, "regulation": row.regulation},
            code="not_secondary",
        )
    return row, rules


# --- subjects of a class ----------------------------------------------------------


@dataclass(frozen=True)
class ClassSubject:
    """A subject of a class's gradebook: how it is assessed, how many regular scores a
    term needs, who teaches it."""

    subject: Subject
    scored: bool
    periods_per_year: int
    regular_count: int
    teacher_name: str
    teacher_user_id: int | None

    @property
    def code(self) -> str:
        return self.subject.code

    @property
    def spec(self) -> rules_gradebook.SubjectSpec:
        return rules_gradebook.SubjectSpec(self.code, self.scored, self.periods_per_year)

    @property
    def fields(self) -> tuple[str, ...]:
        return rules_gradebook.cell_fields(scored=self.scored, regular_count=self.regular_count)


def class_subjects(
    school_class: SchoolClass, rules: SecondaryRules, chosen: frozenset[int] = frozenset()
) -> list[ClassSubject]:
    """The subjects of the class: every compulsory subject of its grade in the 2018
    curriculum, and the elective subjects the class is taught (a teaching assignment)
    or one of its learners chose (``chosen``, subject ids), in curriculum order.
    One query (``_subjects_sql``): each subject with its teacher in the class (at most
    one teaching assignment per class and subject)."""
    subject_fields = [f.attname for f in Subject._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(_subjects_sql(), [school_class.pk, school_class.grade, "scored", "comment"])
        read = cursor.fetchall()
    width = len(subject_fields)
    subjects = []
    for row in read:
        periods, mode, elective, teacher_name, teacher_user_id, assignment_id = row[width:]
        subject = Subject.from_db(connection.alias, subject_fields, row[:width])
        if elective and assignment_id is None and subject.pk not in chosen:
            continue
        scored = mode == "scored"
        subjects.append(
            ClassSubject(
                subject=subject,
                scored=scored,
                periods_per_year=periods,
                regular_count=secondary.regular_count(rules, periods) if scored else 0,
                teacher_name=teacher_name if assignment_id is not None else "",
                teacher_user_id=teacher_user_id if assignment_id is not None else None,
            )
        )
    return subjects


@functools.cache
def _subjects_sql() -> str:
    """The SQL of class_subjects (standard; names from the models, values parameters)."""
    from truongso.staff.models import StaffMember

    columns = ", ".join(f"s.{f.column}" for f in Subject._meta.concrete_fields)
    order = connection.ops.quote_name("order")
    return (
        f"SELECT {columns}, c.periods_per_year, c.assessment_mode, c.is_elective, "  # noqa: S608 - names from code
        "t.full_name, t.user_id, a.id "
        f"FROM {CurriculumSubject._meta.db_table} c "
        f"JOIN {Subject._meta.db_table} s ON s.id = c.subject_id "
        f"LEFT JOIN {TeachingAssignment._meta.db_table} a "
        "ON a.subject_id = c.subject_id AND a.school_class_id = %s "
        f"LEFT JOIN {StaffMember._meta.db_table} t ON t.id = a.staff_member_id "
        f"WHERE c.grade = %s AND c.assessment_mode IN (%s, %s) ORDER BY c.{order}"
    )


@dataclass(frozen=True)
class ClassContext:
    """What every computation on a class's gradebook needs, read once: the rule set in
    force and its rules, the class's subjects and the terms of its school year."""

    school_class: SchoolClass
    rule_set: RuleSet
    rules: SecondaryRules
    subjects: list[ClassSubject]
    terms: dict[int, Term]
    # Upper secondary: learner id → the elective subjects (ids) they chose this year.
    electives: dict[int, frozenset[int]] = field(default_factory=dict)
    # The elective subjects of the class's grade (ids), and those the class is taught.
    elective_ids: frozenset[int] = frozenset()
    assigned_ids: frozenset[int] = frozenset()

    def subject(self, subject_id: int) -> ClassSubject | None:
        return next((s for s in self.subjects if s.subject.pk == subject_id), None)

    def subjects_of(self, learner_id: int) -> list[ClassSubject]:
        """A learner's own subjects: the compulsory ones and, when they chose their
        electives, those; otherwise the electives the class is taught."""
        chosen = self.electives.get(learner_id)
        if chosen is None:
            wanted = self.assigned_ids
        else:
            wanted = chosen
        return [
            s for s in self.subjects if s.subject.pk not in self.elective_ids
            or s.subject.pk in wanted
        ]  # fmt: skip

    def takes(self, learner_id: int, subject_id: int) -> bool:
        return any(s.subject.pk == subject_id for s in self.subjects_of(learner_id))


def elective_choices_of_class(school_class: SchoolClass) -> dict[int, frozenset[int]]:
    """Learner id → the elective subjects they chose for the class's school year
    (learners of the class with any choice recorded). Callers check access first."""
    from truongso.assessment.models import ElectiveChoice

    out: dict[int, set[int]] = {}
    for learner_id, subject_id in ElectiveChoice.objects.filter(
        school_class=school_class, school_year_id=school_class.school_year_id
    ).values_list("learner_id", "subject_id"):
        out.setdefault(learner_id, set()).add(subject_id)
    return {k: frozenset(v) for k, v in out.items()}


def class_context(school_class: SchoolClass) -> ClassContext:
    rule_set, rules = class_rules(school_class)
    terms = class_terms(school_class)
    if school_class.grade < min(ELECTIVE_GRADES):  # no elective subjects below grade 10
        subjects = class_subjects(school_class, rules)
        return ClassContext(school_class, rule_set, rules, subjects, terms)
    electives = elective_choices_of_class(school_class)
    chosen = frozenset().union(*electives.values()) if electives else frozenset()
    subjects = class_subjects(school_class, rules, chosen)
    elective_ids = frozenset(
        CurriculumSubject.objects.filter(grade=school_class.grade, is_elective=True).values_list(
            "subject_id", flat=True
        )
    )
    assigned = frozenset(
        TeachingAssignment.objects.filter(
            school_class=school_class, subject_id__in=elective_ids
        ).values_list("subject_id", flat=True)
    )
    return ClassContext(school_class, rule_set, rules, subjects, terms, electives, elective_ids,
                        assigned)  # fmt: skip


# --- access -----------------------------------------------------------------------


def is_principal(actor, institution_id: int) -> bool:
    """Whether ``actor`` is the principal of the institution today (accounts.access)."""
    return institution_id in scope_for(actor).principal_institution_ids


def manages(actor, school_class: SchoolClass) -> bool:
    """The school's managers (principal, school staff) of the class's school."""
    return scope_for(actor).manages(school_class.institution_id)


def is_homeroom(actor, school_class: SchoolClass) -> bool:
    scope = scope_for(actor)
    return (
        school_class.pk in scope.homeroom_class_ids
        and school_class.institution_id in scope.teacher_institution_ids
    )


def teaches(actor, school_class: SchoolClass, subject_id: int) -> bool:
    """``actor`` is the teacher assigned to this class and subject."""
    scope = scope_for(actor)
    if school_class.institution_id not in scope.teacher_institution_ids:
        return False
    return TeachingAssignment.objects.filter(
        school_class=school_class, subject_id=subject_id, staff_member__user=actor
    ).exists()


def can_write_scores(actor, school_class: SchoolClass, subject_id: int) -> bool:
    return manages(actor, school_class) or teaches(actor, school_class, subject_id)


def can_read_class(actor, school_class: SchoolClass) -> bool:
    """Every subject and the results of the class: its homeroom teacher and managers."""
    return manages(actor, school_class) or is_homeroom(actor, school_class)


def _class(pk: int) -> SchoolClass:
    return SchoolClass.objects.select_related("institution", "school_year", "homeroom_teacher").get(
        pk=pk
    )


@dataclass(frozen=True)
class ClassGradebooks:
    """The gradebooks of a class the actor may open: ``subjects`` with ``writable``."""

    school_class: SchoolClass
    subjects: list[tuple[ClassSubject, bool]]
    rule_set: RuleSet
    rules: SecondaryRules
    reads_class: bool
    homeroom: bool
    principal: bool


def gradebook_class_get(*, actor, pk: int) -> ClassGradebooks:
    """The class's gradebooks ``actor`` may open; SchoolClass.DoesNotExist when none
    (another teacher's class, another school). GradebookUnavailable when the class
    has no sổ điểm (no secondary rule set)."""
    school_class = _class(pk)
    reads_class = can_read_class(actor, school_class)
    scope = scope_for(actor)
    if not reads_class and school_class.pk not in scope.taught_class_ids:
        raise SchoolClass.DoesNotExist
    rule_set, rules = class_rules(school_class)
    mine = set()
    if school_class.institution_id in scope.teacher_institution_ids:
        mine = set(
            TeachingAssignment.objects.filter(
                school_class=school_class, staff_member__user=actor
            ).values_list("subject_id", flat=True)
        )
    manager = manages(actor, school_class)
    subjects = [
        (s, manager or s.subject.pk in mine)
        for s in class_subjects(school_class, rules)
        if reads_class or s.subject.pk in mine
    ]
    if not subjects:
        raise SchoolClass.DoesNotExist
    return ClassGradebooks(
        school_class=school_class,
        subjects=subjects,
        rule_set=rule_set,
        rules=rules,
        reads_class=reads_class,
        homeroom=is_homeroom(actor, school_class),
        principal=is_principal(actor, school_class.institution_id),
    )


@dataclass(frozen=True)
class Gradebook:
    """One class and subject's gradebook as ``actor`` may see it, with the class's
    context (rule set, subjects, terms) read once."""

    school_class: SchoolClass
    subject: ClassSubject
    can_write: bool
    manager: bool
    context: ClassContext

    @property
    def rule_set(self) -> RuleSet:
        return self.context.rule_set

    @property
    def rules(self) -> SecondaryRules:
        return self.context.rules


def gradebook_get(*, actor, class_pk: int, subject_code: str) -> Gradebook:
    """The gradebook of a class and subject: written by its assigned teacher and the
    school's managers, read by the homeroom teacher; ObjectDoesNotExist for anyone
    else (and for a subject the class does not have).

    The access decision is made from the actor's scope (computed once per request) and
    the class's subjects with their teachers, which the gradebook reads anyway."""
    school_class = _class(class_pk)
    scope = scope_for(actor)
    institution_id = school_class.institution_id
    manager = scope.manages(institution_id)
    teacher = institution_id in scope.teacher_institution_ids
    homeroom = teacher and school_class.pk in scope.homeroom_class_ids
    if not (manager or (teacher and school_class.pk in scope.taught_class_ids)):
        raise SchoolClass.DoesNotExist  # not the school's, and no class of this teacher
    try:
        context = class_context(school_class)
    except GradebookUnavailable:
        if manager or homeroom or _teaches_code(actor, school_class, subject_code):
            raise
        raise SchoolClass.DoesNotExist
    item = next((s for s in context.subjects if s.code == subject_code), None)
    if item is None:
        raise Subject.DoesNotExist
    writes = manager or (teacher and item.teacher_user_id == actor.pk)
    if not writes and not homeroom:
        raise SchoolClass.DoesNotExist
    return Gradebook(school_class, item, writes, manager, context)


def _teaches_code(actor, school_class: SchoolClass, subject_code: str) -> bool:
    subject = Subject.objects.filter(code=subject_code).first()
    return subject is not None and teaches(actor, school_class, subject.pk)


def homeroom_class_get(*, actor, pk: int) -> SchoolClass:
    """A class whose conduct and absences ``actor`` sets: its homeroom teacher or the
    school's managers. SchoolClass.DoesNotExist otherwise."""
    school_class = _class(pk)
    if not can_read_class(actor, school_class):
        raise SchoolClass.DoesNotExist
    return school_class


# --- terms and closure ------------------------------------------------------------


def class_terms(school_class: SchoolClass) -> dict[int, Term]:
    """The terms of the class's school year by number, in order (one school year: no
    join to order by it, as the default ordering would)."""
    terms = Term.objects.filter(school_year_id=school_class.school_year_id).order_by("number")
    return {t.number: t for t in terms}


def current_term_number(terms: dict[int, Term], today: dt.date | None = None) -> int:
    """The term that holds ``today`` (term II after it ends, term I before it starts)."""
    today = today or timezone.localdate()
    second = terms.get(2)
    if second is not None and today >= second.starts_on:
        return 2
    return 1


def term_closure_get(school_class: SchoolClass, term: Term) -> TermClosure | None:
    """The closure that covers the class in the term (its school's or its own). Most
    terms are open: a plain probe answers that, and only a closed term is read."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {TermClosure._meta.db_table} WHERE term_id = %s "  # noqa: S608 - names from code
            "AND institution_id = %s AND (school_class_id IS NULL OR school_class_id = %s)",
            [term.pk, school_class.institution_id, school_class.pk],
        )
        if cursor.fetchone() is None:
            return None
    return (
        TermClosure.objects.filter(term=term, institution_id=school_class.institution_id)
        .filter(Q(school_class__isnull=True) | Q(school_class=school_class))
        .select_related("closed_by")
        .order_by("school_class_id")
        .first()
    )


def term_closures(*, actor, institution_id: int, term: Term) -> list[TermClosure]:
    """The closures of a school in a term (its managers and teachers see them)."""
    scope = scope_for(actor)
    if institution_id not in scope.managed_institution_ids | scope.teacher_institution_ids:
        return []
    return list(
        TermClosure.objects.filter(institution_id=institution_id, term=term).select_related(
            "school_class", "closed_by"
        )
    )


# --- rows -------------------------------------------------------------------------


def class_learners(school_class: SchoolClass) -> list[Learner]:
    """The learners of a class's gradebook, in class-list order (given name first):
    those studying in it now and those with scores entered in it this school year
    (who moved away since). Callers check access to the class first."""
    entered = ScoreEntry.objects.filter(school_class=school_class).values("learner_id")
    learners = Learner.objects.filter(
        Q(current_class=school_class, status=LearnerStatus.STUDYING) | Q(pk__in=entered)
    ).only("id", "full_name", "date_of_birth", "sex", "status", "current_class_id",
           "institution_id")  # fmt: skip
    return sorted(learners, key=lambda learner: rules_gradebook.learner_sort_key(learner.full_name))


@dataclass(frozen=True, slots=True)
class GridLearner:
    """The few fields of a learner that a gradebook row shows and saves with."""

    pk: int
    full_name: str
    current_class_id: int | None
    status: str


@dataclass(frozen=True, slots=True)
class StoredResult:
    """A stored subject result as the gradebook shows it (average or rating, and what
    is missing while incomplete, as stored)."""

    average: Decimal | None
    rating: str
    missing: Any


@dataclass
class GradebookRow:
    """One learner's row: the entered cells (as stored), the row's version, the term
    average (or Đạt/Chưa đạt) and, in term II, the year's, and what is missing."""

    learner: GridLearner
    version: int
    cells: dict[str, Any]
    term_result: StoredResult | None
    year_result: StoredResult | None
    current: bool

    @property
    def entry_values(self) -> list[tuple[str, Any]]:
        return list(self.cells.items())


def entry_cells(entry: ScoreEntry | None, fields: tuple[str, ...]) -> dict[str, Any]:
    """The value of each cell of a row as stored (None or "" when empty)."""
    cells: dict[str, Any] = {}
    regular = entry.regular_scores() if entry is not None else []
    for name in fields:
        index = rules_gradebook.regular_index(name)
        if index is not None:
            cells[name] = regular[index] if index < len(regular) else None
        elif entry is None:
            cells[name] = "" if name == rules_gradebook.COMMENT else None
        elif name in (rules_gradebook.RATING, *rules_gradebook.RATING_FIELDS):
            cells[name] = getattr(entry, name) or None
        else:
            cells[name] = getattr(entry, name)
    return cells


# The columns of a gradebook row read with its learner (ScoreEntry through "entry").
_ENTRY_COLUMNS = ("regular", "mid_term", "end_of_term", "mid_term_rating",
                  "end_of_term_rating", "rating", "comment")  # fmt: skip


def _stored_cells(stored: dict[str, Any] | None, fields: tuple[str, ...]) -> dict[str, Any]:
    """As ``entry_cells``, from the columns of a row read as plain values."""
    if stored is None:
        return {name: "" if name == rules_gradebook.COMMENT else None for name in fields}
    cells: dict[str, Any] = {}
    regular = [None if v in (None, "") else Decimal(v) for v in stored["regular"] or []]
    for name in fields:
        index = rules_gradebook.regular_index(name)
        if index is not None:
            cells[name] = regular[index] if index < len(regular) else None
        elif name in (rules_gradebook.RATING, *rules_gradebook.RATING_FIELDS):
            cells[name] = stored[name] or None
        else:
            cells[name] = stored[name]
    return cells


def gradebook_rows(*, gradebook: Gradebook, term: Term) -> list[GradebookRow]:
    """The rows of a gradebook for a term (``gradebook`` comes from gradebook_get, which
    checked access), in class-list order: the class's learners (those studying in it
    and those with scores entered in it, as ``class_learners``), each with their row of
    the subject and term and their stored results of the subject for the term and the
    year. One query (``_rows_sql``)."""
    school_class = gradebook.school_class
    subject_id = gradebook.subject.subject.pk
    year_id = school_class.school_year_id
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(), [
            subject_id, term.pk, subject_id, year_id, term.number, subject_id, year_id,
            Period.YEAR.value, school_class.pk, LearnerStatus.STUDYING.value, school_class.pk,
        ])  # fmt: skip
        read = cursor.fetchall()
    sort_key = rules_gradebook.learner_sort_key
    read.sort(key=lambda values: sort_key(values[1]))
    takes = gradebook.context.takes
    fields = gradebook.subject.fields
    rows = []
    for pk, full_name, class_id, status, entry_id, version, *columns in read:
        # An elective: the learners who take it (and any with scores already entered).
        if entry_id is None and not takes(pk, subject_id):
            continue
        entry, term_result, year_result = columns[:7], columns[7:11], columns[11:]
        stored = None
        if entry_id is not None:
            stored = dict(zip(_ENTRY_COLUMNS, entry, strict=True))
            stored["regular"] = _json(stored["regular"])
            stored["mid_term"] = _decimal(stored["mid_term"])
            stored["end_of_term"] = _decimal(stored["end_of_term"])
        rows.append(
            GradebookRow(
                learner=GridLearner(pk, full_name, class_id, status),
                version=version if entry_id is not None else 0,
                cells=_stored_cells(stored, fields),
                term_result=_result(*term_result),
                year_result=_result(*year_result),
                current=class_id == school_class.pk and status == LearnerStatus.STUDYING,
            )
        )
    return rows


_TENTH = Decimal("0.1")


def _decimal(value: Any) -> Decimal | None:
    """A one-decimal score or average as read by SQL (SQLite gives a float or an int)."""
    return None if value is None else Decimal(str(value)).quantize(_TENTH)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _result(result_id: Any, average: Any, rating: Any, missing: Any) -> StoredResult | None:
    return None if result_id is None else StoredResult(_decimal(average), rating, _json(missing))


@functools.cache
def _rows_sql() -> str:
    """The rows of a gradebook in one query: every learner of the class (studying in it,
    or with scores entered in it) with their row of a subject and term and their
    results of the subject for the term and the year. Standard SQL (SQLite and
    PostgreSQL), in the learners' default order (for ties in the class list); table
    and column names from the models, values as parameters."""
    learners, entries = Learner._meta.db_table, ScoreEntry._meta.db_table
    results = SubjectResult._meta.db_table
    entry = ", ".join(f"e.{name}" for name in _ENTRY_COLUMNS)
    return (
        f"SELECT l.id, l.full_name, l.current_class_id, l.status, e.id, e.version, {entry}, "  # noqa: S608 - names from code
        "t.id, t.average, t.rating, t.missing, y.id, y.average, y.rating, y.missing "
        f"FROM {learners} l "
        f"LEFT JOIN {entries} e ON e.learner_id = l.id AND e.subject_id = %s AND e.term_id = %s "
        f"LEFT JOIN {results} t ON t.learner_id = l.id AND t.subject_id = %s "
        "AND t.school_year_id = %s AND t.period = %s "
        f"LEFT JOIN {results} y ON y.learner_id = l.id AND y.subject_id = %s "
        "AND y.school_year_id = %s AND y.period = %s "
        "WHERE (l.current_class_id = %s AND l.status = %s) "
        f"OR l.id IN (SELECT learner_id FROM {entries} WHERE school_class_id = %s) "
        "ORDER BY l.search_name, l.id"
    )


def subject_results_get(
    *, learner_id: int, subject_id: int, school_year_id: int, periods
) -> dict[int, SubjectResult]:
    """A learner's stored results of a subject by period (after a write that checked
    access)."""
    return {
        r.period: r
        for r in SubjectResult.objects.filter(
            learner_id=learner_id,
            subject_id=subject_id,
            school_year_id=school_year_id,
            period__in=periods,
        )  # fmt: skip
    }


@dataclass
class HomeroomRow:
    learner: Learner
    conduct: ConductRating | None
    absences: AbsenceRecord | None
    # (excused, unexcused) counted from attendance when the class takes it in the term;
    # None when the days absent are typed in.
    counted: tuple[int, int] | None = None


def homeroom_rows(*, actor, school_class: SchoolClass, term: Term) -> list[HomeroomRow]:
    """Conduct and absences of each learner of the class in a term."""
    if not can_read_class(actor, school_class):
        raise SchoolClass.DoesNotExist
    learners = class_learners(school_class)
    ids = [learner.pk for learner in learners]
    conduct = {c.learner_id: c for c in ConductRating.objects.filter(learner_id__in=ids, term=term)}
    absences = {
        a.learner_id: a for a in AbsenceRecord.objects.filter(learner_id__in=ids, term=term)
    }
    from truongso.attendance.selectors import attendance_term_ids, term_absences

    if attendance_term_ids(school_class, [term]):
        counted = term_absences(ids, [term])
        return [
            HomeroomRow(lr, conduct.get(lr.pk), absences.get(lr.pk),
                        counted.get((lr.pk, term.pk), (0, 0)))
            for lr in learners
        ]  # fmt: skip
    return [HomeroomRow(lr, conduct.get(lr.pk), absences.get(lr.pk)) for lr in learners]


def learner_in_class(school_class: SchoolClass, learner_id: int) -> Learner:
    """A learner of the class's gradebook (studying in it, or with scores entered in
    it); Learner.DoesNotExist otherwise."""
    entered = ScoreEntry.objects.filter(school_class=school_class, learner_id=learner_id)
    return Learner.objects.get(
        Q(current_class=school_class, status=LearnerStatus.STUDYING)
        | Q(pk__in=entered.values("learner_id")),
        pk=learner_id,
    )


# --- comment phrases --------------------------------------------------------------


def comment_phrases(*, actor, institution_id: int, subject_id: int | None) -> list[CommentPhrase]:
    """The school's comment phrases for a subject and for every subject; a teacher or
    manager of the school sees them."""
    scope = scope_for(actor)
    if institution_id not in scope.managed_institution_ids | scope.teacher_institution_ids:
        return []
    return list(
        CommentPhrase.objects.filter(institution_id=institution_id).filter(
            Q(subject__isnull=True) | Q(subject_id=subject_id)
        )
    )


def comment_phrase_get(*, actor, pk: int) -> CommentPhrase:
    phrase = CommentPhrase.objects.get(pk=pk)
    scope = scope_for(actor)
    if phrase.institution_id not in scope.managed_institution_ids | scope.teacher_institution_ids:
        raise CommentPhrase.DoesNotExist
    return phrase


def term_closure_by_pk(*, actor, pk: int) -> TermClosure:
    """A closure the actor's school manages; TermClosure.DoesNotExist otherwise."""
    scope = scope_for(actor)
    return TermClosure.objects.select_related("term", "school_class").get(
        pk=pk, institution_id__in=scope.managed_institution_ids
    )
