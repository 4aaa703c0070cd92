"""Computing and storing the results of a class from its gradebook with the rule
engines: subject averages per term and year, learning and conduct results, promotion
and awards, each row naming the rule set (and version) it came from.

Results are derived data: recomputing can never change what was entered, so it needs
no permission of its own. Every service that changes the gradebook calls it for the
learners it touched; the principal's term closure calls it for whole classes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from truongso.academics.models import SchoolClass, Term
from truongso.assessment.models import (
    AbsenceRecord,
    ConductRating,
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
    SummerReassessment,
)
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.rules.common import Missing
from truongso.assessment.rules.labels import Level, Pass
from truongso.assessment.selectors.gradebook import ClassContext, class_context, class_learners
from truongso.attendance.selectors import attendance_term_ids, term_absences
from truongso.audit.services import audit_record, model_snapshot

YEAR = rules_gradebook.YEAR


@dataclass
class RecomputeSummary:
    """What a recomputation did: learners skipped (inputs unchanged), rows created,
    updated and left as they were, and the learners whose results changed."""

    rule_set: str = ""
    skipped: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    learner_ids: set[int] = field(default_factory=set)


def missing_json(items: Iterable[Missing]) -> list[dict[str, Any]]:
    """Missing items as stored: ``{"what", "subject", "term", "count"}``, defaults left
    out."""
    out = []
    for item in items:
        data: dict[str, Any] = {"what": item.what}
        if item.subject:
            data["subject"] = item.subject
        if item.term is not None:
            data["term"] = item.term
        if item.count != 1:
            data["count"] = item.count
        out.append(data)
    return out


def missing_from_json(data: Iterable[dict[str, Any]]) -> list[Missing]:
    return [
        Missing(d["what"], d.get("subject", ""), d.get("term"), d.get("count", 1)) for d in data
    ]


def _code(value: Any) -> str:
    return "" if value is None else str(value.value if hasattr(value, "value") else value)


@dataclass
class _Raw:
    """A learner's gradebook rows for the year, as read (subject and term ids)."""

    scores: list[tuple] = field(default_factory=list)
    conduct: list[tuple] = field(default_factory=list)
    days: list[tuple] = field(default_factory=list)
    # (retests as stored, conduct after training) when something was entered
    summer: tuple | None = None


def _learner_rows(learner_ids, context: ClassContext) -> dict[int, _Raw]:
    """Everything the gradebook holds for the learners in the school year (every
    class they were in) for the class's subjects."""
    term_ids = [t.pk for t in context.terms.values()]
    subject_ids = [s.subject.pk for s in context.subjects]
    raw = {pk: _Raw() for pk in learner_ids}
    for learner_id, *row in ScoreEntry.objects.filter(
        learner_id__in=learner_ids, term_id__in=term_ids, subject_id__in=subject_ids
    ).values_list("learner_id", "subject_id", "term_id", "regular", "mid_term", "end_of_term",
                  "rating", "mid_term_rating", "end_of_term_rating"):  # fmt: skip
        raw[learner_id].scores.append(tuple(row))
    for learner_id, retests, conduct in SummerReassessment.objects.filter(
        learner_id__in=learner_ids, school_year_id=context.school_class.school_year_id
    ).values_list("learner_id", "retests", "conduct"):
        raw[learner_id].summer = (tuple(sorted((retests or {}).items())), conduct)
    for learner_id, *row in ConductRating.objects.filter(
        learner_id__in=learner_ids, term_id__in=term_ids
    ).values_list("learner_id", "term_id", "level"):
        raw[learner_id].conduct.append(tuple(row))
    # Days absent: counted from attendance in the terms the class took it, typed in
    # (AbsenceRecord) in the others. See docs/gradebook.md, "Days absent".
    taken = attendance_term_ids(context.school_class, context.terms.values())
    attendance_terms = [t for t in context.terms.values() if t.pk in taken]
    for learner_id, *row in (
        AbsenceRecord.objects.filter(learner_id__in=learner_ids, term_id__in=term_ids)
        .exclude(term_id__in=[t.pk for t in attendance_terms])
        .values_list("learner_id", "term_id", "days_excused", "days_unexcused")
    ):
        raw[learner_id].days.append(tuple(row))
    if attendance_terms:
        counted = term_absences(learner_ids, attendance_terms)
        for (learner_id, term_id), (excused, unexcused) in counted.items():
            raw[learner_id].days.append((term_id, excused, unexcused))
    return raw


def _learner_data(raw: _Raw, context: ClassContext) -> rules_gradebook.LearnerData:
    """A learner's rows as pure data for the rules."""
    codes = {s.subject.pk: s.code for s in context.subjects}
    numbers = {t.pk: n for n, t in context.terms.items()}
    scores = {}
    # (subject, term, regular, mid, end, rating[, mid-term rating, end-of-term rating])
    for subject_id, term_id, regular, mid, end, rating, *ratings in raw.scores:
        mid_rating, end_rating = ratings if ratings else ("", "")
        scores[(codes[subject_id], numbers[term_id])] = rules_gradebook.TermScores(
            regular=tuple(None if v in (None, "") else Decimal(v) for v in regular or ()),
            mid_term=mid,
            end_of_term=end,
            rating=Pass(rating) if rating else None,
            mid_term_rating=Pass(mid_rating) if mid_rating else None,
            end_of_term_rating=Pass(end_rating) if end_rating else None,
        )
    conduct = {numbers[term_id]: Level(level) if level else None for term_id, level in raw.conduct}
    days = {numbers[term_id]: excused + unexcused for term_id, excused, unexcused in raw.days}
    summer = None
    if raw.summer is not None:
        retests, after = raw.summer
        summer = rules_gradebook.SummerData(
            retests={code: summer_value(value) for code, value in retests},
            conduct=Level(after) if after else None,
        )
    return rules_gradebook.LearnerData(scores, conduct, days, summer)


def summer_value(value: str) -> Decimal | Pass:
    """A stored re-test result: a score ("6.5") or Đạt/Chưa đạt ("dat")."""
    return Pass(value) if value in (Pass.PASSED.value, Pass.NOT_PASSED.value) else Decimal(value)


def inputs_digest(context: ClassContext, raw: _Raw, learner_id: int | None = None) -> str:
    """A fingerprint of everything a learner's results are computed from: the rule set
    (and version), the class and its subjects, and the learner's gradebook rows. Equal
    fingerprints mean equal results, so the learner is not recomputed."""
    text = repr((
        context.rule_set.label,
        context.school_class.pk,
        [(s.subject.pk, s.scored, s.periods_per_year) for s in (
            context.subjects if learner_id is None else context.subjects_of(learner_id))],
        sorted(raw.scores),
        sorted(raw.conduct),
        sorted(raw.days),
        raw.summer,
    ))  # fmt: skip
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class _Writer:
    """Creates and updates result rows, touching only those whose values changed.
    Stored rows are read as plain values; model instances are built only to write."""

    def __init__(self, model, key_fields: tuple[str, ...], value_fields: tuple[str, ...]):
        self.model = model
        self.key_fields = key_fields
        self.value_fields = value_fields
        self.existing: dict[tuple, dict[str, Any]] = {}
        self.create: list[Any] = []
        self.update: list[Any] = []
        self.changed: list[tuple[Any, dict | None]] = []
        self.unchanged = 0
        self.touched: set[tuple] = set()

    def load(self, queryset) -> None:
        names = ("pk", *self.key_fields, *self.value_fields, "institution_id", "school_class_id")
        for row in queryset.values(*names):
            self.existing[tuple(row[f] for f in self.key_fields)] = row

    def put(self, key: tuple, values: dict[str, Any], base: dict[str, Any]) -> None:
        self.touched.add(key)
        stored = self.existing.get(key)
        if stored is None:
            row = self.model(**dict(zip(self.key_fields, key, strict=True)), **base, **values)
            self.create.append(row)
            self.changed.append((row, None))
            return
        if all(stored[name] == value for name, value in values.items()) and (
            stored["institution_id"] == base["institution_id"]
            and stored["school_class_id"] == base["school_class_id"]
        ):
            self.unchanged += 1
            return
        before = {name: _plain(stored[name]) for name in self.value_fields}
        row = self.model(pk=stored["pk"], **dict(zip(self.key_fields, key, strict=True)),
                         **base, **values)  # fmt: skip
        self.update.append(row)
        self.changed.append((row, before))

    def save(self, now) -> None:
        for row in self.create + self.update:
            row.computed_at = now
        if self.create:
            self.model.objects.bulk_create(self.create)
        if self.update:
            fields = [*self.value_fields, "school_class", "institution", "computed_at"]
            self.model.objects.bulk_update(self.update, fields)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


SUBJECT_FIELDS = ("average", "rating", "missing", "rule_set")
TERM_FIELDS = ("learning", "learning_base", "conduct", "days_absent", "missing", "rule_set")
YEAR_FIELDS = (*TERM_FIELDS, "promotion", "promotion_reason", "retest_subjects", "award",
               "summer_outcome", "summer_subjects", "summer_learning", "summer_conduct",
               "summer_missing", "inputs_digest")  # fmt: skip


def results_recompute(
    *,
    school_class: SchoolClass,
    term: Term | None = None,
    learner_ids: Iterable[int] | None = None,
    actor: Any = None,
    audit_reason: str | None = None,
    context: ClassContext | None = None,
    force: bool = False,
) -> RecomputeSummary:
    """Compute and store the results of the class's learners (all of them, or
    ``learner_ids``) with the rule set in force for the class: each subject's term and
    year results, each term's and the year's learning and conduct results, promotion
    and award.

    ``term`` names the term whose gradebook changed (None: any). The year depends on
    both terms, so every result of the learner for the year is compared; only rows
    whose values changed are written, and a learner whose inputs did not change since
    the last computation (same fingerprint, rule set and subjects) is skipped unless
    ``force``.

    With ``audit_reason`` (a change after the term was closed) every result that
    changed is recorded in the audit log with that reason and ``actor``. ``context``
    (the class's rule set, subjects and terms) is read when not given.
    """
    # Inside a service's transaction no savepoint is needed: any error rolls back all.
    with transaction.atomic(savepoint=False):
        return _recompute(school_class, term, learner_ids, actor, audit_reason, context, force)


def _recompute(school_class, term, learner_ids, actor, audit_reason, context, force):
    context = context or class_context(school_class)
    if term is not None and term.school_year_id != school_class.school_year_id:
        raise ValueError("term of another school year")
    rules = context.rules
    label = context.rule_set.label
    subject_ids = {s.code: s.subject.pk for s in context.subjects}
    if learner_ids is None:
        ids = [learner.pk for learner in class_learners(school_class)]
    else:
        ids = list(learner_ids)
    summary = RecomputeSummary(rule_set=label)
    if not ids:
        return summary
    year_id = school_class.school_year_id
    terms = context.terms
    rows = _learner_rows(ids, context)
    digests = {pk: inputs_digest(context, rows[pk], pk) for pk in ids}
    year_rows = _Writer(LearnerYearResult, ("learner_id",), YEAR_FIELDS)
    year_rows.load(LearnerYearResult.objects.filter(learner_id__in=ids, school_year_id=year_id))
    if not force:
        stored = {key[0]: row["inputs_digest"] for key, row in year_rows.existing.items()}
        ids = [pk for pk in ids if stored.get(pk) != digests[pk]]
        summary.skipped = len(digests) - len(ids)

    subject_rows = _Writer(SubjectResult, ("learner_id", "subject_id", "period"), SUBJECT_FIELDS)
    term_rows = _Writer(LearnerTermResult, ("learner_id", "term_id"), TERM_FIELDS)
    if ids:
        subject_rows.load(SubjectResult.objects.filter(learner_id__in=ids, school_year_id=year_id))
        term_rows.load(
            LearnerTermResult.objects.filter(
                learner_id__in=ids, term_id__in=[t.pk for t in terms.values()]
            )
        )

    base = {
        "institution_id": school_class.institution_id,
        "school_class_id": school_class.pk,
        "school_year_id": year_id,
    }
    for learner_id in ids:
        data = _learner_data(rows[learner_id], context)
        specs = [s.spec for s in context.subjects_of(learner_id)]
        outcome = rules_gradebook.learner_outcome(rules, specs, data)
        for (code, period), result in outcome.subjects.items():
            subject_rows.put(
                (learner_id, subject_ids[code], period),
                {
                    "average": result.average,
                    "rating": _code(result.rating),
                    "missing": missing_json(result.missing),
                    "rule_set": label,
                },
                base,
            )
        for period, result in outcome.periods.items():
            values = {
                "learning": _code(result.learning),
                "learning_base": _code(result.learning_base),
                "conduct": _code(result.conduct),
                "days_absent": result.days_absent,
                "missing": missing_json(result.missing),
                "rule_set": label,
            }
            if period == YEAR:
                values |= {
                    "promotion": _code(result.promotion),
                    "promotion_reason": result.promotion_reason,
                    "retest_subjects": list(result.retest_subjects),
                    "award": _code(result.award),
                    "summer_outcome": _code(result.summer_outcome),
                    "summer_subjects": list(result.summer_subjects),
                    "summer_learning": _code(result.summer_learning),
                    "summer_conduct": _code(result.summer_conduct),
                    "summer_missing": missing_json(result.summer_missing),
                    "inputs_digest": digests[learner_id],
                }
                year_rows.put((learner_id,), values, base)
            elif period in terms:
                term_rows.put((learner_id, terms[period].pk), values, base)

    # Results of subjects a learner no longer takes (an elective changed) are removed.
    computed = set(ids)
    stale = [row["pk"] for key, row in subject_rows.existing.items()
             if key not in subject_rows.touched and key[0] in computed]  # fmt: skip
    if stale:
        SubjectResult.objects.filter(pk__in=stale).delete()
    now = timezone.now()
    for writer in (subject_rows, term_rows, year_rows):
        writer.save(now)
        summary.created += len(writer.create)
        summary.updated += len(writer.update)
        summary.unchanged += writer.unchanged
        summary.learner_ids.update(row.learner_id for row, _before in writer.changed)
        if audit_reason is not None:
            for row, before in writer.changed:
                audit_record(
                    actor=actor,
                    action="result.recompute",
                    instance=row,
                    before=before,
                    after=model_snapshot(row, writer.value_fields),
                    reason=audit_reason,
                )
    return summary
