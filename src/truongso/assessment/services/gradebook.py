"""Writes of the gradebook: a cell of the sổ điểm (``score_set``), conduct
(``conduct_set``), days absent (``absences_set``), the comment phrase bank.

Each write:

- checks who writes: the teacher assigned to the class and subject or the school's
  managers for scores; the homeroom teacher or the managers for conduct and absences;
  after the term is closed, only the managers, and only with a reason;
- validates the value with the rule set in force for the class;
- carries the ``version`` of the row its author saw: when the stored version differs
  (someone else saved in between) nothing is written and ``EditConflict`` returns both
  the stored and the attempted value;
- is audited (before, after, reason) and recomputes the results that depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass, Subject, Term
from truongso.accounts.access import require, scope_for
from truongso.assessment.messages import cell_error_text
from truongso.assessment.models import (
    AbsenceRecord,
    CommentPhrase,
    ConductRating,
    ScoreEntry,
)
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.rules.common import InvalidInput
from truongso.assessment.rules.labels import Level, Pass, parse_label
from truongso.assessment.selectors.gradebook import (
    ClassContext,
    can_read_class,
    can_write_scores,
    class_context,
    learner_in_class,
    manages,
    term_closure_get,
)
from truongso.assessment.services.results import RecomputeSummary, results_recompute
from truongso.audit.services import audit_record, model_snapshot
from truongso.learners.models import Learner


class EditConflict(Exception):
    """Someone saved the row after its author read it: nothing was written.

    ``stored`` is the value now stored in the cell, ``attempted`` the one refused,
    ``stored_version`` the row's version now (send it back to overwrite deliberately).
    """

    def __init__(
        self, *, field: str, stored: Any, attempted: Any, stored_version: int, row: Any
    ) -> None:
        super().__init__(field)
        self.field = field
        self.stored = stored
        self.attempted = attempted
        self.stored_version = stored_version
        self.updated_by = getattr(row, "updated_by", None)
        self.updated_at = getattr(row, "updated_at", None)


@dataclass
class Saved:
    """A saved cell: the row, the value as stored, whether anything changed, and what
    the recomputation wrote."""

    row: Any
    field: str
    value: Any
    changed: bool
    recomputed: RecomputeSummary | None = None


def _check_term(school_class: SchoolClass, term: Term) -> None:
    if term.school_year_id != school_class.school_year_id:
        raise ValidationError(
            {"term": _("Học kỳ %(term)s không thuộc năm học %(year)s của lớp %(name)s.")
             % {"term": term, "year": school_class.school_year, "name": school_class.name}}
        )  # fmt: skip


def _closed_reason(actor, school_class: SchoolClass, term: Term, reason: str) -> str | None:
    """After closure: only the school's managers write, and they give a reason
    (returned); None while the term is open."""
    if term_closure_get(school_class, term) is None:
        return None
    if not manages(actor, school_class):
        raise PermissionDenied(_("Học kỳ đã khóa sổ; chỉ Ban giám hiệu sửa được, kèm lý do."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Học kỳ đã khóa sổ: hãy ghi lý do sửa đổi.")}, code="reason_required"
        )
    return reason


def _learner(school_class: SchoolClass, learner: Learner | int) -> Learner:
    learner_id = learner if isinstance(learner, int) else learner.pk
    try:
        return learner_in_class(school_class, learner_id)
    except Learner.DoesNotExist:
        raise ValidationError(
            {"learner": _("Học sinh này không thuộc lớp %(name)s.") % {"name": school_class.name}}
        )


def _locked_row(model, **key) -> Any:
    """The row, locked until the transaction ends (PostgreSQL; SQLite writes one at a
    time anyway)."""
    return model.objects.select_for_update().filter(**key).first()


def _create(model, **values) -> Any:
    """A new row; a concurrent creation of the same row becomes a conflict."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        return None


def _stored(row: Any, field: str) -> Any:
    if row is None:
        return None
    index = rules_gradebook.regular_index(field)
    if index is not None:
        regular = row.regular_scores()
        return regular[index] if index < len(regular) else None
    if field in (rules_gradebook.RATING, *rules_gradebook.RATING_FIELDS):
        return getattr(row, field) or None
    return getattr(row, field)


def _store(row: ScoreEntry, field: str, value: Any, regular_count: int) -> None:
    index = rules_gradebook.regular_index(field)
    if index is not None:
        regular = list(row.regular or [])
        regular += [None] * (regular_count - len(regular))
        regular[index] = None if value is None else str(value)
        while regular and regular[-1] is None:
            regular.pop()
        row.regular = regular
    elif field in rules_gradebook.RATING_FIELDS:
        setattr(row, field, "" if value is None else value.value)
        mid, end = (Pass(r) if r else None for r in (row.mid_term_rating, row.end_of_term_rating))
        # The term's rating, derived (a row entered as one value keeps it until then).
        if mid is not None or end is not None:
            derived = rules_gradebook.comment_term_rating(mid, end)
            row.rating = derived.value if derived is not None else ""
    else:
        setattr(row, field, value)


def _same(a: Any, b: Any) -> bool:
    """Equal cell values; a blank comment is the same as none."""
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a == b
    return (a or None) == (b or None)


SCORE_SNAPSHOT = (
    "regular",
    "mid_term",
    "end_of_term",
    "mid_term_rating",
    "end_of_term_rating",
    "rating",
    "comment",
    "version",
)


@transaction.atomic
def score_set(
    *,
    actor,
    school_class: SchoolClass,
    subject: Subject,
    term: Term,
    learner: Learner | int,
    field: str,
    value: Any,
    version: int,
    reason: str = "",
    context: ClassContext | None = None,
) -> Saved:
    """Set one cell of the gradebook of ``school_class`` and ``subject`` in ``term``
    for ``learner``: ``field`` is ``regular_1`` … ``regular_n``, ``mid_term``,
    ``end_of_term`` (scores 0–10 with one decimal), ``mid_term_rating`` and
    ``end_of_term_rating`` (Đạt/Chưa đạt, for a subject assessed by comment; the term's
    rating is derived from them) or ``comment``. Blank clears the cell.

    ``version`` is the row's version the writer saw (0 for a row never saved).
    Raises PermissionDenied, ValidationError naming the field, or EditConflict.
    ``context`` (the class's rule set, subjects, terms) is read when not given.
    """
    require(can_write_scores(actor, school_class, subject.pk))
    _check_term(school_class, term)
    learner = _learner(school_class, learner)
    if context is None or context.school_class.pk != school_class.pk:
        context = class_context(school_class)
    rules = context.rules
    spec = context.subject(subject.pk)
    if spec is None:
        raise ValidationError({"subject": _("Lớp %(name)s không học môn %(subject)s.")
                               % {"name": school_class.name, "subject": subject.name}})  # fmt: skip
    try:
        parsed = rules_gradebook.parse_cell(
            rules, scored=spec.scored, regular_count=spec.regular_count, name=field, value=value
        )
    except InvalidInput as error:
        raise ValidationError({field: cell_error_text(error, scored=spec.scored)}, code=error.code)
    if not context.takes(learner.pk, subject.pk):
        message = _("%(learner)s không học môn lựa chọn %(subject)s.")
        raise ValidationError(
            {"learner": message % {"learner": learner.full_name, "subject": subject.name}}
        )
    closed_reason = _closed_reason(actor, school_class, term, reason)

    key = {"learner": learner, "subject": subject, "term": term}
    row = _locked_row(ScoreEntry, **key)
    stored_version = row.version if row is not None else 0
    if _same(_stored(row, field), parsed):
        return Saved(row, field, parsed, changed=False)  # nothing to overwrite
    if version != stored_version:
        raise EditConflict(field=field, stored=_stored(row, field), attempted=parsed,
                           stored_version=stored_version, row=row)  # fmt: skip
    before = None if row is None else model_snapshot(row, SCORE_SNAPSHOT)
    if row is None:
        row = _create(ScoreEntry, **key, institution_id=school_class.institution_id,
                      school_class=school_class, version=0, updated_by=actor)  # fmt: skip
        if row is None:
            row = _locked_row(ScoreEntry, **key)
            raise EditConflict(field=field, stored=_stored(row, field), attempted=parsed,
                               stored_version=row.version, row=row)  # fmt: skip
    _store(row, field, parsed, spec.regular_count)
    row.version += 1
    row.updated_by = actor
    row.school_class = school_class
    row.save()
    audit_record(actor=actor, action="score.set", instance=row, before=before,
                 after=model_snapshot(row, SCORE_SNAPSHOT), reason=closed_reason or "")  # fmt: skip
    summary = results_recompute(school_class=school_class, term=term, learner_ids=[learner.pk],
                                actor=actor, audit_reason=closed_reason,
                                context=context)  # fmt: skip
    return Saved(row, field, parsed, changed=True, recomputed=summary)


def _homeroom_write(actor, school_class: SchoolClass, term: Term, learner, reason: str):
    require(can_read_class(actor, school_class))
    _check_term(school_class, term)
    learner = _learner(school_class, learner)
    context = class_context(school_class)  # no gradebook without a rule set
    return learner, _closed_reason(actor, school_class, term, reason), context


def _homeroom_save(actor, model, key, values, version, school_class, term, learner_id,
                   closed_reason, action, field, context) -> Saved:  # fmt: skip
    row = _locked_row(model, **key)
    stored_version = row.version if row is not None else 0
    stored = {name: getattr(row, name) for name in values} if row is not None else None
    if stored == values or (row is None and not any(values.values())):
        return Saved(row, field, values, changed=False)  # nothing to overwrite
    if version != stored_version:
        raise EditConflict(field=field, stored=stored, attempted=values,
                           stored_version=stored_version, row=row)  # fmt: skip
    before = None if row is None else model_snapshot(row, [*values, "version"])
    if row is None:
        row = _create(model, **key, institution_id=school_class.institution_id,
                      school_class=school_class, version=0, updated_by=actor)  # fmt: skip
        if row is None:
            row = _locked_row(model, **key)
            raise EditConflict(field=field, stored={n: getattr(row, n) for n in values},
                               attempted=values, stored_version=row.version, row=row)  # fmt: skip
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_by = actor
    row.school_class = school_class
    row.save()
    after = model_snapshot(row, [*values, "version"])
    audit_record(actor=actor, action=action, instance=row, before=before, after=after,
                 reason=closed_reason or "")  # fmt: skip
    summary = results_recompute(school_class=school_class, term=term, learner_ids=[learner_id],
                                actor=actor, audit_reason=closed_reason,
                                context=context)  # fmt: skip
    return Saved(row, field, values, changed=True, recomputed=summary)


@transaction.atomic
def conduct_set(
    *,
    actor,
    school_class: SchoolClass,
    term: Term,
    learner: Learner | int,
    level: Any,
    version: int,
    comment: str | None = None,
    reason: str = "",
) -> Saved:
    """Set a learner's conduct (kết quả rèn luyện: Tốt, Khá, Đạt, Chưa đạt; blank
    clears it) for a term: the homeroom teacher of the class or the school's
    managers. ``version`` as for score_set."""
    learner, closed_reason, context = _homeroom_write(actor, school_class, term, learner, reason)
    text = "" if level is None else str(level).strip()
    try:
        code = parse_label(Level, text).value if text else ""
    except InvalidInput as error:
        raise ValidationError({"level": cell_error_text(error, scored=False, conduct=True)})
    values = {"level": code}
    if comment is not None:
        comment = " ".join(comment.split())
        if len(comment) > rules_gradebook.COMMENT_MAX_LENGTH:
            raise ValidationError({"comment": _("Nhận xét dài quá %(n)s ký tự.")
                                   % {"n": rules_gradebook.COMMENT_MAX_LENGTH}})  # fmt: skip
        values["comment"] = comment
    return _homeroom_save(actor, ConductRating, {"learner": learner, "term": term}, values,
                          version, school_class, term, learner.pk, closed_reason,
                          "conduct.set", "level", context)  # fmt: skip


def _days(value: Any, field: str) -> int:
    text = "" if value is None else str(value).strip()
    if not text:
        return 0
    if not text.isdigit() or int(text) > 200:
        raise ValidationError(
            {field: _("Số ngày nghỉ “%(value)s” phải là một số nguyên từ 0 đến 200.")
             % {"value": text}}
        )  # fmt: skip
    return int(text)


@transaction.atomic
def absences_set(
    *,
    actor,
    school_class: SchoolClass,
    term: Term,
    learner: Learner | int,
    days_excused: Any,
    days_unexcused: Any,
    version: int,
    reason: str = "",
) -> Saved:
    """Set the days a learner was absent in a term, excused and not (blank is 0): the
    homeroom teacher of the class or the school's managers. ``version`` as for
    score_set. In a term in which the class took attendance the days absent are counted
    from it and cannot be typed in (ValidationError)."""
    from truongso.attendance.selectors import attendance_term_ids

    learner, closed_reason, context = _homeroom_write(actor, school_class, term, learner, reason)
    if attendance_term_ids(school_class, [term]):
        raise ValidationError(
            {"days_excused": _("Lớp %(name)s điểm danh hằng ngày trong %(term)s: số ngày nghỉ "
                               "được tính từ điểm danh, không nhập tay.")
             % {"name": school_class.name, "term": term}}
        )  # fmt: skip
    values = {
        "days_excused": _days(days_excused, "days_excused"),
        "days_unexcused": _days(days_unexcused, "days_unexcused"),
    }
    return _homeroom_save(actor, AbsenceRecord, {"learner": learner, "term": term}, values,
                          version, school_class, term, learner.pk, closed_reason,
                          "absences.set", "days_excused", context)  # fmt: skip


# --- comment phrases --------------------------------------------------------------


def _may_edit_phrases(actor, institution_id: int) -> bool:
    scope = scope_for(actor)
    return institution_id in scope.managed_institution_ids | scope.teacher_institution_ids


@transaction.atomic
def comment_phrase_add(
    *, actor, institution_id: int, subject: Subject | None, text: str
) -> CommentPhrase:
    """Add a comment to the school's bank, for one subject or (``subject`` None) for
    every subject: a teacher or manager of the school. The same text twice is kept
    once."""
    require(_may_edit_phrases(actor, institution_id))
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung nhận xét.")})
    if len(text) > 300:
        raise ValidationError({"text": _("Nhận xét dài quá 300 ký tự.")})
    existing = CommentPhrase.objects.filter(
        institution_id=institution_id, subject=subject, text=text
    ).first()
    if existing is not None:
        return existing
    phrase = CommentPhrase.objects.create(
        institution_id=institution_id, subject=subject, text=text, created_by=actor
    )
    audit_record(actor=actor, action="comment_phrase.add", instance=phrase, before=None,
                 after=model_snapshot(phrase))  # fmt: skip
    return phrase


@transaction.atomic
def comment_phrase_delete(*, actor, phrase: CommentPhrase) -> None:
    """Remove a comment from the bank (comments already written keep their text)."""
    require(_may_edit_phrases(actor, phrase.institution_id))
    audit_record(actor=actor, action="comment_phrase.delete", instance=phrase,
                 before=model_snapshot(phrase), after=None)  # fmt: skip
    phrase.delete()


__all__ = [
    "EditConflict",
    "Saved",
    "absences_set",
    "comment_phrase_add",
    "comment_phrase_delete",
    "conduct_set",
    "score_set",
]
