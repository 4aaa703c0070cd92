"""Writes of the primary gradebook (Circular 27/2020): a subject's rating or periodic
test score at a point of the year, a quality's or competency's rating, the class's
nomination, comments; and the end-of-year outcome and award computed from them.

As in the secondary gradebook: the homeroom teacher or the school's managers write;
after the term of the point is closed, only the managers with a reason; each write
carries the row's version, is audited and recomputes the learner's result.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass
from truongso.accounts.access import require
from truongso.assessment.messages import problem_text
from truongso.assessment.models import PrimaryQualityEntry, PrimarySubjectEntry, PrimaryYearResult
from truongso.assessment.rules import primary_gradebook as rules_primary
from truongso.assessment.rules.common import InvalidInput
from truongso.assessment.rules.labels import QualityRating, SubjectRating
from truongso.assessment.selectors.gradebook import can_read_class
from truongso.assessment.selectors.primary import PrimaryBook, primary_book_of
from truongso.assessment.services.gradebook import (
    EditConflict,
    Saved,
    _closed_reason,
    _create,
    _learner,
    _locked_row,
)
from truongso.assessment.services.results import missing_json
from truongso.audit.services import audit_record, model_snapshot
from truongso.learners.models import Learner

TERM_OF = {rules_primary.MID_1: 1, rules_primary.END_1: 1, rules_primary.MID_2: 2,
           rules_primary.END_2: 2}  # fmt: skip


def _bad(field: str, error: InvalidInput) -> ValidationError:
    return ValidationError({field: problem_text(error.code, error.details)}, code=error.code)


@transaction.atomic
def primary_cell_set(
    *,
    actor,
    school_class: SchoolClass,
    learner: Learner | int,
    kind: str,
    value: Any,
    version: int,
    period: str = "",
    subject_code: str = "",
    quality: str = "",
    reason: str = "",
) -> Saved:
    """Set one cell of a primary class's gradebook for ``learner``: ``kind`` is
    ``rating`` or ``test`` (of ``subject_code`` at ``period``: mid_1, end_1, mid_2,
    end_2), ``quality`` (``quality`` code at end_1 or end_2), ``nominated`` (the
    class's nomination for the Tiêu biểu award, a yes/no) or ``comment`` (of the
    subject, or of the learner without one). Blank clears the cell.

    Raises PermissionDenied, ValidationError naming the field, or EditConflict."""
    require(can_read_class(actor, school_class))
    learner = _learner(school_class, learner)
    book = primary_book_of(school_class)
    field = rules_primary.cell_name(kind, period, subject_code or quality)
    subjects = {s.code: s for s in book.subjects}
    if kind in (rules_primary.RATING, rules_primary.TEST) or (
        kind == rules_primary.COMMENT and subject_code
    ):
        item = subjects.get(subject_code)
        if item is None:
            message = _("Lớp %(name)s không học môn “%(subject)s”.")
            raise ValidationError(
                {field: message % {"name": school_class.name, "subject": subject_code}}
            )
        allowed = item.test_periods if kind == rules_primary.TEST else rules_primary.PERIODS
        if kind != rules_primary.COMMENT and period not in allowed:
            message = _("Môn %(subject)s không có bài kiểm tra định kỳ vào thời điểm này.")
            raise ValidationError({field: message % {"subject": item.subject.name}})
        model, key = PrimarySubjectEntry, {"subject": item.subject}
    elif kind in (rules_primary.QUALITY, rules_primary.NOMINATED, rules_primary.COMMENT):
        if kind == rules_primary.QUALITY and (
            quality not in rules_primary.QUALITIES or period not in rules_primary.QUALITY_PERIODS
        ):
            raise ValidationError({field: _("Không có ô “%(field)s”.") % {"field": field}})
        model, key = PrimaryQualityEntry, {}
    else:
        raise ValidationError({field: _("Không có ô “%(field)s”.") % {"field": field}})
    try:
        parsed = _parse(book, kind, value)
    except InvalidInput as error:
        raise _bad(field, error)
    term = book.terms.get(TERM_OF.get(period, 2))
    closed_reason = _closed_reason(actor, school_class, term, reason) if term else None

    key |= {"learner": learner, "school_year_id": school_class.school_year_id}
    row = _locked_row(model, **key)
    stored = _get(row, kind, period, quality)
    if stored == parsed:
        return Saved(row, field, parsed, changed=False)
    stored_version = row.version if row is not None else 0
    if version != stored_version:
        raise EditConflict(field=field, stored=stored, attempted=parsed,
                           stored_version=stored_version, row=row)  # fmt: skip
    names = [f.name for f in model._meta.fields if f.name in (
        "ratings", "tests", "nominated", "comment", "version")]  # fmt: skip
    before = None if row is None else model_snapshot(row, names)
    if row is None:
        row = _create(model, **key, institution_id=school_class.institution_id,
                      school_class=school_class, version=0, updated_by=actor)  # fmt: skip
        if row is None:
            raise EditConflict(field=field, stored=None, attempted=parsed, stored_version=1,
                               row=None)  # fmt: skip
    _put(row, kind, period, quality, parsed)
    row.version += 1
    row.updated_by = actor
    row.school_class = school_class
    row.save()
    audit_record(actor=actor, action="primary.set", instance=row, before=before,
                 after=model_snapshot(row, names), reason=closed_reason or "")  # fmt: skip
    primary_results_recompute(book=book, learner_ids=[learner.pk])
    return Saved(row, field, parsed, changed=True)


def _parse(book: PrimaryBook, kind: str, value: Any) -> Any:
    if kind == rules_primary.COMMENT:
        return " ".join(str(value or "").split())[:500]
    if kind == rules_primary.NOMINATED:
        return str(value or "").strip().lower() in ("1", "true", "on", "yes", "có", "x")
    parsed = rules_primary.parse_cell(book.rules, kind, value)
    if parsed is None:
        return None
    return str(parsed) if kind == rules_primary.TEST else parsed.value


def _get(row, kind: str, period: str, quality: str) -> Any:
    if kind == rules_primary.COMMENT:
        return row.comment if row is not None else ""
    if kind == rules_primary.NOMINATED:
        return row.nominated if row is not None else False
    if row is None:
        return None
    if kind == rules_primary.QUALITY:
        return (row.ratings.get(quality) or {}).get(period)
    return (row.ratings if kind == rules_primary.RATING else row.tests).get(period)


def _put(row, kind: str, period: str, quality: str, value: Any) -> None:
    if kind in (rules_primary.COMMENT, rules_primary.NOMINATED):
        setattr(row, kind, value)
        return
    if kind == rules_primary.QUALITY:
        ratings = dict(row.ratings.get(quality) or {})
        target, holder = ratings, (row.ratings, quality)
    else:
        target = dict(row.ratings if kind == rules_primary.RATING else row.tests)
        holder = None
    if value is None:
        target.pop(period, None)
    else:
        target[period] = value
    if holder is not None:
        data = dict(holder[0])
        data[quality] = target
        row.ratings = data
    elif kind == rules_primary.RATING:
        row.ratings = target
    else:
        row.tests = target


def primary_results_recompute(*, book: PrimaryBook, learner_ids=None) -> int:
    """Compute and store the end-of-year outcome and award of the class's learners
    (all, or ``learner_ids``) with the rule set in force. Returns the rows written."""
    from decimal import Decimal

    from truongso.assessment.selectors.primary import primary_rows

    school_class = book.school_class
    rows = primary_rows(book)
    if learner_ids is not None:
        wanted = set(learner_ids)
        rows = [r for r in rows if r.learner.pk in wanted]
    codes = [s.code for s in book.subjects]
    written = 0
    now = timezone.now()
    for row in rows:
        data = rules_primary.PrimaryLearnerData(
            ratings={c: {p: SubjectRating(v) for p, v in e.ratings.items()}
                     for c, e in row.subjects.items()},
            tests={c: {p: Decimal(v) for p, v in e.tests.items()} for c, e in row.subjects.items()},
            qualities={q: {p: QualityRating(v) for p, v in by.items()}
                       for q, by in (row.qualities.ratings if row.qualities else {}).items()},
            nominated=bool(row.qualities and row.qualities.nominated),
        )  # fmt: skip
        outcome = rules_primary.primary_year_outcome(book.rules, subjects=codes,
                                                     tested=book.tested, data=data)  # fmt: skip
        values = {
            "outcome": outcome.outcome.value if outcome.outcome else "",
            "award": outcome.award.value if outcome.award else "",
            "missing": missing_json(outcome.missing),
            "rule_set": outcome.rule_set,
            "school_class": school_class,
            "institution_id": school_class.institution_id,
        }
        stored = row.result
        if stored is not None and all(
            getattr(stored, k) == v for k, v in values.items() if k != "school_class"
        ) and stored.school_class_id == school_class.pk:  # fmt: skip
            continue
        PrimaryYearResult.objects.update_or_create(
            learner=row.learner, school_year_id=school_class.school_year_id,
            defaults={**values, "computed_at": now},
        )  # fmt: skip
        written += 1
    return written
