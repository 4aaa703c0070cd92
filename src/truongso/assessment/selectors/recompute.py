"""Reading a batch of classes for the bulk recompute (services/recompute_all.py) in a
few queries a batch instead of some fifteen a class: the same class contexts as
``class_context``, the same learners as ``class_learners`` and the same gradebook rows
as ``results._learner_rows``, read for every class of the batch at once.

Each function here is checked against its per-class counterpart in
tests/assessment/test_recompute_read.py. Callers check access first (the bulk
recompute runs for the institutions ``recompute_all_institutions`` allows).
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Iterable
from typing import Any

from django.db import connection

from truongso.academics.models import CurriculumSubject, SchoolClass, TeachingAssignment
from truongso.assessment.models import (
    AbsenceRecord,
    ConductRating,
    ElectiveChoice,
    ScoreEntry,
    SummerReassessment,
)
from truongso.assessment.rules import secondary
from truongso.assessment.selectors.gradebook import (
    ELECTIVE_GRADES,
    ClassContext,
    ClassSubject,
    GradebookUnavailable,
    class_rules,
    class_terms,
)
from truongso.attendance.models import AttendanceDay
from truongso.attendance.selectors import term_absences
from truongso.learners.models import Learner, LearnerStatus


def of_learners(queryset, learner_ids: list[int]):
    """``queryset`` of the rows of ``learner_ids``: on PostgreSQL with the ids as one
    array parameter (``= ANY(%s)``), which keeps a batch of 20,000 learners from
    becoming 20,000 placeholders to build, send and parse; ``__in`` elsewhere."""
    if connection.vendor != "postgresql":
        return queryset.filter(learner_id__in=learner_ids)
    meta = queryset.model._meta
    where = f'"{meta.db_table}"."{meta.get_field("learner").column}" = ANY(%s::bigint[])'
    return queryset.extra(where=[where], params=[id_array(learner_ids)])  # noqa: S610


def id_array(ids: Iterable[int]) -> str:
    """Integer ids as PostgreSQL array text (``{1,2,3}``), much quicker to send than a
    list adapted value by value."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


# --- class contexts -----------------------------------------------------------------------


def class_contexts(classes: list[SchoolClass]) -> tuple[dict[int, ClassContext], int]:
    """``class_context`` of each class (with ``institution`` and ``school_year``
    loaded), read for the whole batch: the rule set in force once per level, school
    year and grade; the curriculum once per grade; the teaching assignments and the
    elective choices of every class in one query each. Returns the contexts of the
    classes with a sổ điểm and how many have none (GradebookUnavailable)."""
    ids = [c.pk for c in classes]
    rules_of: dict[tuple, Any] = {}
    terms_of: dict[int, Any] = {}
    curriculum: dict[int, list[CurriculumSubject]] = {}
    assignments: dict[tuple[int, int], tuple[str, int | None]] = {}
    taught: dict[int, list[int]] = {}
    for class_id, subject_id, name, user_id in TeachingAssignment.objects.filter(
        school_class_id__in=ids
    ).values_list("school_class_id", "subject_id", "staff_member__full_name",
                  "staff_member__user_id"):  # fmt: skip
        assignments[(class_id, subject_id)] = (name, user_id)
        taught.setdefault(class_id, []).append(subject_id)
    choices: dict[int, dict[int, set[int]]] = {}
    year_of = {c.pk: c.school_year_id for c in classes}
    for class_id, year_id, learner_id, subject_id in ElectiveChoice.objects.filter(
        school_class_id__in=ids
    ).values_list("school_class_id", "school_year_id", "learner_id", "subject_id"):
        if year_id == year_of[class_id]:
            choices.setdefault(class_id, {}).setdefault(learner_id, set()).add(subject_id)
    contexts: dict[int, ClassContext] = {}
    unavailable = 0
    for school_class in classes:
        key = (school_class.institution.kind, school_class.school_year_id, school_class.grade)
        if key not in rules_of:
            try:
                rules_of[key] = class_rules(school_class)
            except GradebookUnavailable:
                rules_of[key] = None
        if rules_of[key] is None:
            unavailable += 1
            continue
        rule_set, rules = rules_of[key]
        if school_class.school_year_id not in terms_of:
            terms_of[school_class.school_year_id] = class_terms(school_class)
        terms = terms_of[school_class.school_year_id]
        grade = school_class.grade
        if grade not in curriculum:
            curriculum[grade] = list(
                CurriculumSubject.objects.filter(
                    grade=grade, assessment_mode__in=("scored", "comment")
                ).select_related("subject").order_by("order")
            )  # fmt: skip
        electives = {k: frozenset(v) for k, v in choices.get(school_class.pk, {}).items()}
        chosen = frozenset().union(*electives.values()) if electives else frozenset()
        if grade < min(ELECTIVE_GRADES):
            chosen = frozenset()
        subjects = []
        for row in curriculum[grade]:
            assigned = (school_class.pk, row.subject_id) in assignments
            if row.is_elective and not assigned and row.subject_id not in chosen:
                continue
            scored = row.assessment_mode == "scored"
            teacher = assignments.get((school_class.pk, row.subject_id), ("", None))
            subjects.append(ClassSubject(
                subject=row.subject, scored=scored, periods_per_year=row.periods_per_year,
                regular_count=secondary.regular_count(rules, row.periods_per_year)
                if scored else 0,
                teacher_name=teacher[0] if assigned else "",
                teacher_user_id=teacher[1] if assigned else None,
            ))  # fmt: skip
        if grade < min(ELECTIVE_GRADES):
            contexts[school_class.pk] = ClassContext(school_class, rule_set, rules, subjects,
                                                     terms)  # fmt: skip
            continue
        elective_ids = frozenset(r.subject_id for r in curriculum_electives(grade))
        assigned_ids = frozenset(s for s in taught.get(school_class.pk, ()) if s in elective_ids)
        contexts[school_class.pk] = ClassContext(
            school_class, rule_set, rules, subjects, terms, electives, elective_ids, assigned_ids
        )
    return contexts, unavailable


_ELECTIVES: dict[int, list[CurriculumSubject]] = {}


def curriculum_electives(grade: int) -> list[CurriculumSubject]:
    """The elective subjects of a grade (any assessment mode), read once a process."""
    if grade not in _ELECTIVES:
        _ELECTIVES[grade] = list(CurriculumSubject.objects.filter(grade=grade, is_elective=True))
    return _ELECTIVES[grade]


# --- learners -----------------------------------------------------------------------------


def class_learner_ids(classes: list[SchoolClass]) -> dict[int, list[int]]:
    """The learners of each class's gradebook (as ``class_learners``: studying in it
    now, or with scores entered in it), in id order."""
    ids = [c.pk for c in classes]
    out: dict[int, set[int]] = {pk: set() for pk in ids}
    for class_id, learner_id in Learner.objects.filter(
        current_class_id__in=ids, status=LearnerStatus.STUDYING
    ).values_list("current_class_id", "pk"):
        out[class_id].add(learner_id)
    for class_id, learner_id in (
        ScoreEntry.objects.filter(school_class_id__in=ids)
        .order_by()
        .values_list("school_class_id", "learner_id")
        .distinct()
    ):
        out[class_id].add(learner_id)
    return {pk: sorted(learners) for pk, learners in out.items()}


# --- gradebook rows -------------------------------------------------------------------------


def attendance_terms(classes: Iterable[SchoolClass], terms) -> dict[int, frozenset[int]]:
    """Class id → the terms (ids, of ``terms``) in which it took attendance on at least
    one day (as ``attendance.selectors.attendance_term_ids``), one query a term."""
    ids = [c.pk for c in classes]
    out: dict[int, set[int]] = {pk: set() for pk in ids}
    for term in terms:
        for class_id in (
            AttendanceDay.objects.filter(
                school_class_id__in=ids, date__gte=term.starts_on, date__lte=term.ends_on
            )
            .order_by()
            .values_list("school_class_id", flat=True)
            .distinct()
        ):
            out[class_id].add(term.pk)
    return {pk: frozenset(v) for pk, v in out.items()}


def _score_rows(learner_ids: list[int], term_ids: list[int]):
    """(learner, (subject, term, regular, mid-term, end-of-term, rating, mid-term rating,
    end-of-term rating)) of the learners in the terms: one query, without the ORM's
    per-row conversions on PostgreSQL (the regular scores are JSON text there)."""
    columns = ("learner_id", "subject_id", "term_id", "regular", "mid_term", "end_of_term",
               "rating", "mid_term_rating", "end_of_term_rating")  # fmt: skip
    if connection.vendor != "postgresql":
        for row in ScoreEntry.objects.filter(
            learner_id__in=learner_ids, term_id__in=term_ids
        ).values_list(*columns):
            yield row[0], row[1:]
        return
    from psycopg import sql

    field = ScoreEntry._meta.get_field
    query = sql.SQL(
        "SELECT {} FROM {} WHERE {} = ANY(%s::bigint[]) AND {} = ANY(%s::bigint[])"
    ).format(
        sql.SQL(", ").join(sql.Identifier(field(c.removesuffix("_id")).column) for c in columns),
        sql.Identifier(ScoreEntry._meta.db_table),
        sql.Identifier(field("learner").column),
        sql.Identifier(field("term").column),
    )
    parse = _json
    with connection.cursor() as cursor:
        cursor.execute(query, [id_array(learner_ids), id_array(term_ids)])
        for row in cursor.fetchall():
            regular = row[3]
            yield row[0], (row[1], row[2], None if regular is None else parse(regular), row[4],
                           row[5], row[6], row[7], row[8])  # fmt: skip


_SCAN = json.scanner.c_make_scanner(json.JSONDecoder())  # type: ignore[attr-defined]


def _json(text: str) -> Any:
    """``json.loads(text)`` for PostgreSQL's jsonb output, by the C scanner directly
    (several times faster than ``json.loads`` on short lists); ``json.loads`` for
    anything it does not read whole."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def learner_rows(owner: dict[int, ClassContext], raw_type) -> dict[int, Any]:
    """Each learner's gradebook rows (``raw_type``, ``results._Raw``) for the class
    context they are computed in, as ``results._learner_rows`` reads them for that
    class: scores of the class's subjects in the year's terms (whichever class they
    were entered in), conduct, days absent (counted from attendance in the terms the
    class took it, typed in otherwise), what was entered after the summer."""
    if not owner:
        return {}
    raw = {pk: raw_type() for pk in owner}
    learner_ids = list(owner)
    any_context = next(iter(owner.values()))
    terms = list(any_context.terms.values())
    term_ids = [t.pk for t in terms]
    year_id = any_context.school_class.school_year_id
    subject_sets: dict[int, frozenset[int]] = {}
    for context in owner.values():
        if context.school_class.pk not in subject_sets:
            subject_sets[context.school_class.pk] = frozenset(
                s.subject.pk for s in context.subjects
            )
    class_of = {pk: context.school_class.pk for pk, context in owner.items()}
    target = {pk: (raw[pk].scores, subject_sets[class_of[pk]]) for pk in learner_ids}
    for learner_id, row in _score_rows(learner_ids, term_ids):
        scores, allowed = target[learner_id]
        if row[0] in allowed:
            scores.append(row)
    for learner_id, retests, conduct in of_learners(
        SummerReassessment.objects.filter(school_year_id=year_id), learner_ids
    ).values_list("learner_id", "retests", "conduct"):
        raw[learner_id].summer = (tuple(sorted((retests or {}).items())), conduct)
    for learner_id, *row in of_learners(
        ConductRating.objects.filter(term_id__in=term_ids), learner_ids
    ).values_list("learner_id", "term_id", "level"):
        raw[learner_id].conduct.append(tuple(row))
    classes = {context.school_class.pk: context.school_class for context in owner.values()}
    taken = attendance_terms(classes.values(), terms)
    for learner_id, *row in of_learners(
        AbsenceRecord.objects.filter(term_id__in=term_ids), learner_ids
    ).values_list("learner_id", "term_id", "days_excused", "days_unexcused"):
        if row[0] not in taken[class_of[learner_id]]:
            raw[learner_id].days.append(tuple(row))
    groups: dict[frozenset[int], list[int]] = {}
    for learner_id, class_id in class_of.items():
        if taken[class_id]:
            groups.setdefault(taken[class_id], []).append(learner_id)
    for term_set, members in groups.items():
        counted = term_absences(members, [t for t in terms if t.pk in term_set])
        for (learner_id, term_id), (excused, unexcused) in counted.items():
            raw[learner_id].days.append((term_id, excused, unexcused))
    return raw
