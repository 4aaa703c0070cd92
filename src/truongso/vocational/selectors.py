"""Reads of the vocational app, scoped to the acting user: the institution's managers
and the offices above it read; nobody reads another institution's programmes.

Results (semester and cumulative GPA, classification, graduation) are computed here
from the stored scores with the programme's rule set, through the pure functions of
``assessment.rules.vocational``; nothing computed is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from truongso.accounts.access import school_rows_q, scope_for
from truongso.assessment.messages import label as level_label
from truongso.assessment.messages import missing_items_text
from truongso.assessment.rules import vocational as rules_vocational
from truongso.assessment.rules.common import Incomplete
from truongso.assessment.rules.parameters import VocationalRules
from truongso.learners.models import Learner
from truongso.units.models import Institution
from truongso.vocational.models import (
    WARNING_LEVELS,
    Cohort,
    CohortMember,
    DisciplineRecord,
    Module,
    ModuleEnrolment,
    Programme,
    ProgrammeMode,
)
from truongso.vocational.services import VOCATIONAL_KINDS, vocational_rules


def _q(actor, write: bool = False) -> Q:
    return school_rows_q(scope_for(actor), write=write)


def vocational_institutions(*, actor) -> QuerySet[Institution]:
    """Intermediate schools and colleges the actor may read."""
    scope = scope_for(actor)
    q = Q(pk__in=scope.managed_institution_ids)
    if scope.national:
        q = Q()
    else:
        if scope.province_ids:
            q |= Q(province_id__in=scope.province_ids)
        for path in scope.unit_paths:
            q |= Q(commune__path__startswith=path)
    return Institution.objects.filter(q, kind__in=VOCATIONAL_KINDS).order_by("name", "pk")


def vocational_in_scope(*, actor) -> bool:
    """Whether the actor reads any intermediate school or college (for the menu)."""
    return vocational_institutions(actor=actor).exists()


def programme_list(
    *, actor, institution_id: int | None = None, query: str = ""
) -> QuerySet[Programme]:
    qs = Programme.objects.filter(_q(actor)).select_related("institution", "rule_set")
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if query:
        qs = qs.filter(Q(code__icontains=query.strip()) | Q(name__icontains=query.strip()))
    return qs.annotate(module_count=Count("modules", distinct=True)).order_by(
        "institution__name", "code", "pk"
    )


def programme_get(*, actor, pk: int, write: bool = False) -> Programme:
    """One programme the actor may read (or change); Programme.DoesNotExist otherwise."""
    return (
        Programme.objects.filter(_q(actor, write))
        .select_related("institution", "rule_set")
        .get(pk=pk)
    )


def programme_modules(*, actor, programme: Programme) -> QuerySet[Module]:
    programme_get(actor=actor, pk=programme.pk)
    return Module.objects.filter(programme=programme).order_by("semester", "code", "pk")


def module_get(*, actor, pk: int, write: bool = False) -> Module:
    return Module.objects.filter(_q(actor, write)).select_related("programme").get(pk=pk)


def cohort_list(*, actor, programme: Programme | None = None) -> QuerySet[Cohort]:
    qs = Cohort.objects.filter(_q(actor)).select_related("programme", "institution")
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.annotate(member_count=Count("members", distinct=True)).order_by(
        "-start_year", "name", "pk"
    )


def cohort_get(*, actor, pk: int, write: bool = False) -> Cohort:
    return (
        Cohort.objects.filter(_q(actor, write))
        .select_related("programme", "programme__rule_set", "institution")
        .get(pk=pk)
    )


def cohort_learners(*, actor, cohort: Cohort) -> QuerySet[Learner]:
    cohort_get(actor=actor, pk=cohort.pk)
    return Learner.objects.filter(vocational_memberships__cohort=cohort).order_by(
        "search_name", "pk"
    )


def cohort_learner_get(*, actor, cohort: Cohort, pk: int) -> Learner:
    return cohort_learners(actor=actor, cohort=cohort).get(pk=pk)


def addable_learners(*, actor, cohort: Cohort) -> QuerySet[Learner]:
    """Learners of the institution not yet in the cohort (for the managers)."""
    cohort_get(actor=actor, pk=cohort.pk, write=True)
    return (
        Learner.objects.filter(institution_id=cohort.institution_id)
        .exclude(vocational_memberships__cohort=cohort)
        .order_by("search_name", "pk")
    )


def score_sheet(*, actor, cohort: Cohort, module: Module) -> list[ModuleEnrolment]:
    """Every attempt at ``module`` by learners of ``cohort``, by name then attempt."""
    cohort_get(actor=actor, pk=cohort.pk)
    return list(
        ModuleEnrolment.objects.filter(cohort=cohort, module=module)
        .select_related("learner")
        .order_by("learner__search_name", "learner_id", "attempt")
    )


def enrolment_get(*, actor, cohort: Cohort, pk: int, write: bool = False) -> ModuleEnrolment:
    return (
        ModuleEnrolment.objects.filter(_q(actor, write), cohort=cohort)
        .select_related("module", "learner")
        .get(pk=pk)
    )


def cohort_modules(*, actor, cohort: Cohort) -> list[tuple[Module, int, int]]:
    """The programme's modules with (enrolments, scored) counts in this cohort."""
    cohort_get(actor=actor, pk=cohort.pk)
    counts = {
        row["module_id"]: (row["n"], row["scored"])
        for row in ModuleEnrolment.objects.filter(cohort=cohort)
        .values("module_id")
        .annotate(n=Count("pk"), scored=Count("score"))
    }
    return [
        (module, *counts.get(module.pk, (0, 0)))
        for module in Module.objects.filter(programme_id=cohort.programme_id).order_by(
            "semester", "code", "pk"
        )
    ]


def learner_discipline(*, actor, cohort: Cohort, learner: Learner) -> QuerySet[DisciplineRecord]:
    cohort_get(actor=actor, pk=cohort.pk)
    return DisciplineRecord.objects.filter(cohort=cohort, learner=learner).order_by(
        "decided_on", "pk"
    )


# --- results ---------------------------------------------------------------------


@dataclass
class SemesterResult:
    number: int
    enrolments: list[ModuleEnrolment]
    # credit-based: GPA of the semester and cumulative GPA (4-point);
    # year-based: the semester's and the cumulative average (10-point)
    average: Any
    cumulative: Any
    credits: int

    @property
    def average_value(self) -> Decimal | None:
        return None if isinstance(self.average, Incomplete) else self.average.value

    @property
    def cumulative_value(self) -> Decimal | None:
        return None if isinstance(self.cumulative, Incomplete) else self.cumulative.value


@dataclass
class Transcript:
    """Bảng điểm of one learner in one cohort."""

    cohort: Cohort
    programme: Programme
    learner: Learner
    rules: VocationalRules
    semesters: list[SemesterResult]
    cumulative: Any  # Gpa | ScoreAverage | Incomplete
    classification: Any  # Classification | Incomplete
    graduation: Any  # Graduation | Incomplete
    retaken: int
    discipline_warning: bool
    earned_credits: int
    missing: list[str] = field(default_factory=list)

    @property
    def credit_based(self) -> bool:
        return self.programme.mode == ProgrammeMode.CREDIT

    @property
    def incomplete(self) -> bool:
        return isinstance(self.graduation, Incomplete)

    @property
    def eligible(self) -> bool:
        return not self.incomplete and self.graduation.eligible

    @property
    def level_label(self) -> str:
        if isinstance(self.classification, Incomplete):
            return ""
        return level_label(self.classification.level.value)

    @property
    def cumulative_value(self) -> Decimal | None:
        return None if isinstance(self.cumulative, Incomplete) else self.cumulative.value


def _attempt(enrolment: ModuleEnrolment) -> rules_vocational.ModuleAttempt:
    module = enrolment.module
    return rules_vocational.ModuleAttempt(module.code, module.credits, enrolment.score)


def _average(rules: VocationalRules, mode: str, attempts):
    if mode == ProgrammeMode.CREDIT:
        return rules_vocational.gpa(rules, attempts)
    return rules_vocational.score_average(rules, attempts)


def _cumulative(rules: VocationalRules, mode: str, attempts):
    return _average(rules, mode, rules_vocational.counted_attempts(rules, attempts))


def transcript_compute(
    *,
    programme: Programme,
    rules: VocationalRules,
    cohort: Cohort,
    learner: Learner,
    enrolments: list[ModuleEnrolment],
    discipline_warning: bool,
) -> Transcript:
    """The transcript from already-read rows (``enrolments`` with their modules)."""
    mode = programme.mode
    enrolments = sorted(enrolments, key=lambda e: (e.semester, e.attempt, e.module.code))
    attempts = [_attempt(e) for e in enrolments]
    semesters = []
    for number in sorted({e.semester for e in enrolments}):
        these = [e for e in enrolments if e.semester == number]
        so_far = [_attempt(e) for e in enrolments if e.semester <= number]
        semesters.append(
            SemesterResult(
                number=number,
                enrolments=these,
                average=_average(rules, mode, [_attempt(e) for e in these]),
                cumulative=_cumulative(rules, mode, so_far),
                credits=sum(e.module.credits for e in these),
            )
        )
    cumulative = _cumulative(rules, mode, attempts)
    retaken = rules_vocational.retaken_modules(attempts)
    if mode == ProgrammeMode.CREDIT:
        classification = rules_vocational.credit_classification(
            rules, gpa_value=cumulative, discipline_warning=discipline_warning,
            retaken_modules=retaken,
        )  # fmt: skip
        graduation = rules_vocational.graduation(
            rules, attempts=attempts, required_credits=programme.required_credits
        )
    else:
        classification = (
            cumulative
            if isinstance(cumulative, Incomplete)
            else rules_vocational.year_classification(
                rules, year_average=cumulative.value, discipline_warning=discipline_warning,
                retaken_modules=retaken,
            )
        )  # fmt: skip
        graduation = rules_vocational.year_graduation(
            rules, attempts=attempts, required_credits=programme.required_credits
        )
    counted = rules_vocational.counted_attempts(rules, attempts)
    earned = 0
    for attempt in counted:
        if attempt.score is None:
            continue
        grade = rules_vocational.module_grade(rules, attempt)
        if grade.passed:
            earned += grade.credits
    missing: list[str] = []
    if isinstance(graduation, Incomplete):
        names = {e.module.code: f"{e.module.code} {e.module.name}" for e in enrolments}
        missing = missing_items_text(graduation.missing, names)
    return Transcript(
        cohort=cohort, programme=programme, learner=learner, rules=rules, semesters=semesters,
        cumulative=cumulative, classification=classification, graduation=graduation,
        retaken=retaken, discipline_warning=discipline_warning, earned_credits=earned,
        missing=missing,
    )  # fmt: skip


def _warned(cohort: Cohort, learner_ids) -> set[int]:
    return set(
        DisciplineRecord.objects.filter(
            cohort=cohort, learner_id__in=learner_ids, level__in=WARNING_LEVELS
        ).values_list("learner_id", flat=True)
    )


def learner_transcript(*, actor, cohort: Cohort, learner: Learner) -> Transcript:
    """The transcript of a learner of the cohort (the cohort must be readable)."""
    cohort = cohort_get(actor=actor, pk=cohort.pk)
    learner = cohort_learner_get(actor=actor, cohort=cohort, pk=learner.pk)
    rules = vocational_rules(cohort.programme.rule_set)
    enrolments = list(
        ModuleEnrolment.objects.filter(cohort=cohort, learner=learner).select_related("module")
    )
    return transcript_compute(
        programme=cohort.programme, rules=rules, cohort=cohort, learner=learner,
        enrolments=enrolments, discipline_warning=learner.pk in _warned(cohort, [learner.pk]),
    )  # fmt: skip


def graduation_list(*, actor, cohort: Cohort) -> list[Transcript]:
    """Every learner of the cohort with their results: eligible for graduation, not
    eligible (and why), or incomplete (and what is missing). Read in three queries."""
    cohort = cohort_get(actor=actor, pk=cohort.pk)
    rules = vocational_rules(cohort.programme.rule_set)
    learners = list(cohort_learners(actor=actor, cohort=cohort))
    by_learner: dict[int, list[ModuleEnrolment]] = {lr.pk: [] for lr in learners}
    for enrolment in ModuleEnrolment.objects.filter(cohort=cohort).select_related("module"):
        by_learner.setdefault(enrolment.learner_id, []).append(enrolment)
    warned = _warned(cohort, by_learner)
    return [
        transcript_compute(
            programme=cohort.programme,
            rules=rules,
            cohort=cohort,
            learner=learner,
            enrolments=by_learner[learner.pk],
            discipline_warning=learner.pk in warned,
        )  # fmt: skip
        for learner in learners
    ]


def members_visible(*, actor) -> QuerySet[CohortMember]:
    return CohortMember.objects.filter(_q(actor))
