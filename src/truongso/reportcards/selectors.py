"""Reads of report cards, scoped to the acting user (``accounts.access.report_cards_q``):
the school and the offices above it read every card of the school, a homeroom teacher
the cards of their class, a guardian their own children's, nobody else anything.

``class_content`` reads what a class's cards are made of (the stored results of the
gradebook); the services call it after checking access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import translation

from truongso.academics.models import SchoolClass, SchoolYear
from truongso.accounts.access import (
    Scope,
    classes_q,
    institutions_q,
    report_cards_q,
    scope_for,
)
from truongso.assessment.messages import missing_items_text
from truongso.assessment.models import (
    LearnerTermResult,
    LearnerYearResult,
    ScoreEntry,
    SubjectResult,
)
from truongso.assessment.selectors.gradebook import class_context, class_learners
from truongso.assessment.services.results import missing_from_json
from truongso.core.rules.codelists import ethnicity_name
from truongso.credentials.models import ReportCardCredential
from truongso.learners.models import Learner
from truongso.reportcards.models import (
    ReportCard,
    ReportCardCopy,
    ReportCardJob,
    ReportCardStatus,
    ReportCardVersion,
)
from truongso.reportcards.rules.content import FORMAT
from truongso.units.models import Institution

# --- access -----------------------------------------------------------------------


def report_card_list(
    *,
    actor,
    school_year: SchoolYear | None = None,
    school_class_id: int | None = None,
    institution_id: int | None = None,
    status: str | None = None,
    learner_id: int | None = None,
) -> QuerySet[ReportCard]:
    """Report cards the actor may read."""
    qs = ReportCard.objects.filter(report_cards_q(scope_for(actor)))
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if school_class_id:
        qs = qs.filter(school_class_id=school_class_id)
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if status:
        qs = qs.filter(status=status)
    if learner_id:
        qs = qs.filter(learner_id=learner_id)
    return qs.select_related(
        "learner", "school_year", "school_class", "institution", "current_version"
    ).order_by("learner__search_name", "pk")


def _mark_read(card: ReportCard, scope: Scope) -> ReportCard:
    card._read_under = (scope, card.pk)
    return card


def read_under_scope(actor, card: ReportCard) -> bool:
    """Whether ``card`` was read through a scoped selector of this module with the
    actor's own scope (the same ``Scope`` object, computed once per user object): a
    service handed such a card need not read it again to know the actor may read it."""
    marker = getattr(card, "_read_under", None)
    return marker is not None and marker[0] is scope_for(actor) and marker[1] == card.pk


def report_card_get(*, actor, pk: int) -> ReportCard:
    """One report card the actor may read, with everything its page shows;
    ReportCard.DoesNotExist otherwise."""
    scope = scope_for(actor)
    card = (
        ReportCard.objects.filter(report_cards_q(scope))
        .select_related(
            "learner",
            "school_year",
            "school_class",
            "school_class__homeroom_teacher",
            "institution",
            "current_version",
            "approved_version",
            "checked_by",
            "approved_by",
        )  # fmt: skip
        .get(pk=pk)
    )
    return _mark_read(card, scope)


def report_card_for_copy(*, actor, pk: int) -> ReportCard:
    """One report card the actor may read, with only what a copy (a PDF) needs: its
    school year and current version. One query on the card's own table joined to those
    two by primary key (the scope's filter is on the card's own columns for schools,
    teachers and guardians), so it plans and runs in well under a millisecond, where
    ``report_card_get``'s ten-table join takes PostgreSQL milliseconds to plan.
    ReportCard.DoesNotExist otherwise."""
    scope = scope_for(actor)
    card = (
        ReportCard.objects.filter(report_cards_q(scope))
        .select_related("school_year", "current_version")
        .get(pk=pk)
    )
    return _mark_read(card, scope)


def readable_card_ids(*, actor, ids) -> set[int]:
    """Which of the report cards ``ids`` the actor may read (one query)."""
    return set(
        ReportCard.objects.filter(report_cards_q(scope_for(actor)), pk__in=list(ids)).values_list(
            "pk", flat=True
        )
    )


def _require_readable(actor, report_card: ReportCard) -> None:
    """ReportCard.DoesNotExist unless the actor may read the card."""
    if read_under_scope(actor, report_card):
        return
    if not ReportCard.objects.filter(report_cards_q(scope_for(actor)), pk=report_card.pk).exists():
        raise ReportCard.DoesNotExist


def report_card_versions(*, actor, report_card: ReportCard) -> QuerySet[ReportCardVersion]:
    _require_readable(actor, report_card)
    return (
        ReportCardVersion.objects.filter(report_card=report_card)
        .select_related("created_by")
        .order_by("-number")
    )


def report_card_version_get(*, actor, report_card: ReportCard, number: int) -> ReportCardVersion:
    _require_readable(actor, report_card)
    return ReportCardVersion.objects.get(report_card=report_card, number=number)


def version_credential(*, actor, version: ReportCardVersion):
    """The signed credential (học bạ số) of a version the actor may read, or None."""
    if not ReportCard.objects.filter(
        report_cards_q(scope_for(actor)), pk=version.report_card_id
    ).exists():
        raise ReportCard.DoesNotExist
    return (
        ReportCardCredential.objects.filter(version_id=version.pk)
        .only("credential_id", "signed_at", "status", "version_id")
        .first()
    )


def report_card_copies(*, actor, report_card: ReportCard) -> QuerySet[ReportCardCopy]:
    """The copies issued of a card: the school and its offices see them."""
    scope = scope_for(actor)
    if not (scope.manages(report_card.institution_id) or scope.is_office):
        return ReportCardCopy.objects.none()
    _require_readable(actor, report_card)
    return ReportCardCopy.objects.filter(report_card=report_card).select_related(
        "issued_by", "version"
    )


@dataclass(frozen=True)
class CardRights:
    """What the actor may do with a card (the services check again)."""

    refresh: bool
    mark_ready: bool
    approve: bool
    homeroom_remark: bool
    principal_remark: bool
    completion: bool
    issue_copy: bool


def is_homeroom_of(actor, school_class_id: int, institution_id: int) -> bool:
    scope = scope_for(actor)
    return (
        school_class_id in scope.homeroom_class_ids
        and institution_id in scope.teacher_institution_ids
    )


def is_principal_of(actor, institution_id: int) -> bool:
    return institution_id in scope_for(actor).principal_institution_ids


def manages(actor, institution_id: int) -> bool:
    return scope_for(actor).manages(institution_id)


def card_rights(actor, card: ReportCard) -> CardRights:
    manager = manages(actor, card.institution_id)
    homeroom = is_homeroom_of(actor, card.school_class_id, card.institution_id)
    principal = is_principal_of(actor, card.institution_id)
    locked = card.locked
    return CardRights(
        refresh=manager or (homeroom and not locked),
        mark_ready=(manager or homeroom) and card.status == ReportCardStatus.DRAFT,
        approve=principal and card.status == ReportCardStatus.READY,
        homeroom_remark=manager or (homeroom and not locked),
        principal_remark=principal,
        completion=principal and card.school_class.grade == 9,
        issue_copy=manager,
    )


def class_readable(*, actor, pk: int) -> SchoolClass:
    """A class whose report cards the actor reads: the school, its offices, the
    homeroom teacher. SchoolClass.DoesNotExist otherwise (a subject teacher too)."""
    scope = scope_for(actor)
    school_class = (
        SchoolClass.objects.filter(classes_q(scope))
        .select_related("institution", "school_year", "homeroom_teacher")
        .get(pk=pk)
    )
    if scope.manages(school_class.institution_id) or scope.is_office:
        return school_class
    if is_homeroom_of(actor, school_class.pk, school_class.institution_id):
        return school_class
    raise SchoolClass.DoesNotExist


def class_writable(*, actor, pk: int) -> SchoolClass:
    """A class whose report cards the actor generates and marks ready: the school's
    managers and the homeroom teacher."""
    school_class = class_readable(actor=actor, pk=pk)
    if manages(actor, school_class.institution_id) or is_homeroom_of(
        actor, school_class.pk, school_class.institution_id
    ):
        return school_class
    raise SchoolClass.DoesNotExist


@dataclass
class ClassRow:
    learner: Learner
    card: ReportCard | None


def class_rows(*, actor, school_class: SchoolClass) -> list[ClassRow]:
    """The learners of a class (as in its gradebook) with their report card."""
    class_readable(actor=actor, pk=school_class.pk)
    cards = {
        c.learner_id: c
        for c in ReportCard.objects.filter(school_class=school_class).select_related(
            "current_version"
        )
    }
    learners = class_learners(school_class)
    seen = {learner.pk for learner in learners}
    extra = [c.learner for c in cards.values() if c.learner_id not in seen]
    return [ClassRow(lr, cards.get(lr.pk)) for lr in [*learners, *extra]]


@dataclass
class ClassCounts:
    school_class: SchoolClass
    learners: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return max(0, self.learners - sum(self.counts.values()))

    @property
    def by_status(self) -> list[tuple[str, int]]:
        """(label, count) in the order of ReportCardStatus (draft, ready, approved)."""
        return [(label, self.counts.get(value, 0)) for value, label in ReportCardStatus.choices]


def school_class_counts(
    *, actor, institution_id: int, school_year: SchoolYear, homeroom_only: bool = False
) -> list[ClassCounts]:
    """Each class of the school in the year with its learners and its report cards by
    status (a homeroom teacher: their classes only)."""
    scope = scope_for(actor)
    qs = SchoolClass.objects.filter(classes_q(scope), institution_id=institution_id,
                                    school_year=school_year)  # fmt: skip
    if homeroom_only or not (scope.manages(institution_id) or scope.is_office):
        qs = qs.filter(pk__in=scope.homeroom_class_ids)
    classes = list(qs.select_related("homeroom_teacher").order_by("grade", "name"))
    rows = {c.pk: ClassCounts(c) for c in classes}
    for class_id, status, n in (
        ReportCard.objects.filter(school_class_id__in=rows)
        .values("school_class_id", "status")
        .annotate(n=Count("pk"))
        .values_list("school_class_id", "status", "n")
    ):
        rows[class_id].counts[status] = n
    learners: dict[int, set[int]] = {pk: set() for pk in rows}
    for class_id, learner_id in (
        ScoreEntry.objects.filter(school_class_id__in=rows)
        .values_list("school_class_id", "learner_id")
        .distinct()
    ):
        learners[class_id].add(learner_id)
    for class_id, learner_id in Learner.objects.filter(
        current_class_id__in=rows, status="studying"
    ).values_list("current_class_id", "pk"):
        learners[class_id].add(learner_id)
    for pk, row in rows.items():
        row.learners = len(learners[pk])
    return list(rows.values())


def homeroom_classes(*, actor) -> QuerySet[SchoolClass]:
    """The classes the actor leads as homeroom teacher, newest year first."""
    scope = scope_for(actor)
    return (
        SchoolClass.objects.filter(
            pk__in=scope.homeroom_class_ids, institution_id__in=scope.teacher_institution_ids
        )
        .select_related("institution", "school_year")
        .order_by("-school_year__starts_on", "grade", "name")
    )


def guardian_cards(*, actor) -> QuerySet[ReportCard]:
    """A guardian's children's report cards, newest year first."""
    scope = scope_for(actor)
    return (
        ReportCard.objects.filter(learner_id__in=scope.guardian_learner_ids)
        .select_related("learner", "school_year", "school_class", "institution")
        .order_by("learner__search_name", "-school_year__starts_on", "pk")
    )


def institutions_overview(*, actor) -> QuerySet[Institution]:
    """The institutions an office oversees (a school: its own), by name."""
    return Institution.objects.filter(institutions_q(scope_for(actor))).order_by("name", "pk")


def institution_counts(institution_ids: list[int], school_year: SchoolYear) -> dict:
    """{institution id: {status: n}} (for institutions already read through a scoped
    selector)."""
    out: dict[int, dict[str, int]] = {}
    for institution_id, status, n in (
        ReportCard.objects.filter(institution_id__in=institution_ids, school_year=school_year)
        .values("institution_id", "status")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "status", "n")
    ):
        out.setdefault(institution_id, {})[status] = n
    return out


def institution_readable(*, actor, pk: int) -> Institution:
    scope = scope_for(actor)
    institution = Institution.objects.filter(institutions_q(scope)).get(pk=pk)
    if not (scope.manages(institution.pk) or scope.is_office):
        raise Institution.DoesNotExist
    return institution


def school_years() -> list[SchoolYear]:
    """Reference data: every school year, newest first."""
    return list(SchoolYear.objects.order_by("-starts_on"))


def job_get(*, actor, pk: int) -> ReportCardJob:
    """A generation run of a school the actor manages, or one they started."""
    scope = scope_for(actor)
    return ReportCardJob.objects.select_related("institution", "school_class", "school_year").get(
        Q(institution_id__in=scope.managed_institution_ids) | Q(created_by_id=scope.user_id),
        pk=pk,
    )


def jobs_recent(*, actor, institution_id: int) -> QuerySet[ReportCardJob]:
    scope = scope_for(actor)
    return ReportCardJob.objects.filter(
        Q(institution_id__in=scope.managed_institution_ids) | Q(created_by_id=scope.user_id),
        institution_id=institution_id,
    ).select_related("school_class")[:10]


# --- content ----------------------------------------------------------------------


def _term_key(number: int) -> str:
    return f"term_{number}"


def _code(value: Any) -> str | None:
    return value or None


def class_content(school_class: SchoolClass, learner_ids: list[int] | None = None) -> dict:
    """{learner id: content} for the class's learners (all, or ``learner_ids``): what
    their report cards say from the stored results, without remarks, completion and
    workflow (the card adds those). Callers check access first. Raises
    GradebookUnavailable when the class has no sổ điểm."""
    context = class_context(school_class)
    learners = class_learners(school_class)
    if learner_ids is not None:
        wanted = set(learner_ids)
        learners = [lr for lr in learners if lr.pk in wanted]
    ids = [lr.pk for lr in learners]
    if not ids:
        return {}
    learners_full = {
        lr.pk: lr for lr in Learner.objects.filter(pk__in=ids)
    }  # identity fields (class_learners reads only a few)
    year_id = school_class.school_year_id
    term_numbers = {t.pk: n for n, t in context.terms.items()}
    subject_rows: dict[tuple[int, int, int], SubjectResult] = {
        (r.learner_id, r.subject_id, r.period): r
        for r in SubjectResult.objects.filter(learner_id__in=ids, school_year_id=year_id)
    }
    comments: dict[tuple[int, int, int], str] = {}
    for learner_id, subject_id, term_id, comment in ScoreEntry.objects.filter(
        learner_id__in=ids, term_id__in=term_numbers
    ).values_list("learner_id", "subject_id", "term_id", "comment"):
        comments[(learner_id, subject_id, term_numbers[term_id])] = comment
    term_rows = {
        (r.learner_id, term_numbers[r.term_id]): r
        for r in LearnerTermResult.objects.filter(learner_id__in=ids, term_id__in=term_numbers)
    }
    year_rows = {
        r.learner_id: r
        for r in LearnerYearResult.objects.filter(learner_id__in=ids, school_year_id=year_id)
    }
    institution = school_class.institution
    school = {
        "code": institution.code,
        "name": institution.name,
        "province": institution.province.name if institution.province_id else "",
        "commune": institution.commune.name if institution.commune_id else "",
    }
    names = {s.subject.code: s.subject.name for s in context.subjects}
    homeroom = school_class.homeroom_teacher.full_name if school_class.homeroom_teacher else ""
    out = {}
    with translation.override("vi"):
        for learner_id in ids:
            out[learner_id] = _learner_content(
                learners_full[learner_id], school_class, context, school, homeroom, names,
                subject_rows, comments, term_rows, year_rows.get(learner_id),
            )  # fmt: skip
    return out


def _average(row: SubjectResult | None, scored: bool) -> str | None:
    if row is None:
        return None
    if scored:
        return None if row.average is None else str(row.average)
    return _code(row.rating)


def _learner_content(learner, school_class, context, school, homeroom, names, subject_rows,
                     comments, term_rows, year_row) -> dict:  # fmt: skip
    pk = learner.pk
    subjects = []
    rule_sets: set[str] = set()
    for item in context.subjects_of(pk):
        sid = item.subject.pk
        rows = {p: subject_rows.get((pk, sid, p)) for p in (1, 2, 0)}
        rule_sets.update(r.rule_set for r in rows.values() if r is not None and r.rule_set)
        subjects.append(
            {
                "code": item.code,
                "name": item.subject.name,
                "scored": item.scored,
                "term_1": _average(rows[1], item.scored),
                "term_2": _average(rows[2], item.scored),
                "year": _average(rows[0], item.scored),
                "comment_term_1": comments.get((pk, sid, 1), ""),
                "comment_term_2": comments.get((pk, sid, 2), ""),
            }
        )
    periods = {_term_key(n): term_rows.get((pk, n)) for n in (1, 2)}
    periods["year"] = year_row
    rule_sets.update(r.rule_set for r in periods.values() if r is not None and r.rule_set)
    if year_row is None:
        incomplete = ["chưa có kết quả cả năm"]
    else:
        incomplete = missing_items_text(missing_from_json(year_row.missing), names)
    ethnicity = ethnicity_name(learner.ethnicity_code, learner.ethnicity_list) or ""
    return {
        "format": FORMAT,
        "school_year": school_class.school_year.name,
        "learner": {
            "education_id": learner.education_id or "",
            "personal_id": learner.personal_id or "",
            "full_name": learner.full_name,
            "date_of_birth": learner.date_of_birth.isoformat() if learner.date_of_birth else "",
            "sex": learner.sex,
            "ethnicity": ethnicity,
            "place_of_birth": learner.place_of_birth,
        },
        "class": {"name": school_class.name, "grade": school_class.grade},
        "school": school,
        "homeroom_teacher": homeroom,
        "subjects": subjects,
        "conduct": {p: _code(r.conduct) if r else None for p, r in periods.items()},
        "learning": {p: _code(r.learning) if r else None for p, r in periods.items()},
        "learning_adjusted": {
            p: bool(r and r.learning_base and r.learning_base != r.learning)
            for p, r in periods.items()
        },
        "days_absent": {p: r.days_absent if r else None for p, r in periods.items()},
        "promotion": {
            "decision": _code(year_row.promotion) if year_row else None,
            "retest_subjects": [names.get(c, c) for c in (year_row.retest_subjects or [])]
            if year_row
            else [],
        },
        "award": (year_row.award if year_row else "") or "",
        "rule_sets": sorted(rule_sets),
        "incomplete": incomplete,
    }
