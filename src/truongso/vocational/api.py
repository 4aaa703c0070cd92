"""API endpoints of the vocational app, mounted under /api/v1/vocational/: programmes,
their modules and a learner's transcript, all scoped to the caller."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from truongso.assessment.rules.common import Incomplete
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404
from truongso.core.api_pagination import CursorPagination
from truongso.vocational import selectors
from truongso.vocational.messages import graduation_text

router = Router(tags=["vocational"])

PROGRAMME_ORDER = ("code", "pk")
MODULE_ORDER = ("semester", "code", "pk")


class ProgrammeOut(Schema):
    id: int
    institution_id: int
    code: str
    name: str
    name_en: str
    level: str
    mode: str
    duration_semesters: int
    required_credits: int
    rule_set: str
    module_count: int

    @staticmethod
    def resolve_rule_set(obj) -> str:
        return obj.rule_set.label


class ModuleOut(Schema):
    id: int
    code: str
    name: str
    credits: int
    theory_hours: int
    practice_hours: int
    semester: int
    compulsory: bool


class AttemptOut(Schema):
    module: str
    credits: int
    semester: int
    attempt: int
    score: Decimal | None
    letter: str
    points: Decimal | None
    rule_set: str


class SemesterOut(Schema):
    semester: int
    average: Decimal | None
    cumulative: Decimal | None
    modules: list[AttemptOut]


class TranscriptOut(Schema):
    learner_id: int
    cohort_id: int
    programme_id: int
    mode: str
    rule_set: str
    semesters: list[SemesterOut]
    cumulative: Decimal | None
    classification: str | None
    base_classification: str | None
    downgrades: list[str]
    retaken_modules: int
    earned_credits: int
    required_credits: int
    eligible: bool
    incomplete: bool
    missing: list[str]
    status: str


@router.get(
    "/programmes",
    response={200: list[ProgrammeOut], 422: ValidationErrorOut},
    summary="Vocational programmes I may read",
)
@paginate(CursorPagination, ordering=PROGRAMME_ORDER)
def programmes(request, institution: int | None = None):
    return selectors.programme_list(actor=request.auth, institution_id=institution)


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeOut, 404: ErrorOut},
    summary="One programme",
)
def programme(request, programme_id: int):
    found = get_or_404(selectors.programme_get, actor=request.auth, pk=programme_id)
    return selectors.programme_list(actor=request.auth).get(pk=found.pk)


@router.get(
    "/programmes/{programme_id}/modules",
    response={200: list[ModuleOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="The modules of a programme",
)
@paginate(CursorPagination, ordering=MODULE_ORDER)
def modules(request, programme_id: int):
    found = get_or_404(selectors.programme_get, actor=request.auth, pk=programme_id)
    return selectors.programme_modules(actor=request.auth, programme=found)


def _value(result) -> Decimal | None:
    return None if isinstance(result, Incomplete) else result.value


@router.get(
    "/cohorts/{cohort_id}/learners/{learner_id}/transcript",
    response={200: TranscriptOut, 404: ErrorOut},
    summary="A learner's transcript: semesters, GPA, classification, graduation",
)
def transcript(request, cohort_id: int, learner_id: int):
    cohort = get_or_404(selectors.cohort_get, actor=request.auth, pk=cohort_id)
    learner = get_or_404(
        selectors.cohort_learner_get, actor=request.auth, cohort=cohort, pk=learner_id
    )
    t = selectors.learner_transcript(actor=request.auth, cohort=cohort, learner=learner)
    classified = not isinstance(t.classification, Incomplete)
    return {
        "learner_id": learner.pk,
        "cohort_id": cohort.pk,
        "programme_id": cohort.programme_id,
        "mode": t.programme.mode,
        "rule_set": t.rules.info.label,
        "semesters": [
            {
                "semester": s.number,
                "average": s.average_value,
                "cumulative": s.cumulative_value,
                "modules": [
                    {
                        "module": e.module.code,
                        "credits": e.module.credits,
                        "semester": e.semester,
                        "attempt": e.attempt,
                        "score": e.score,
                        "letter": e.letter,
                        "points": e.points,
                        "rule_set": e.rule_set_label,
                    }
                    for e in s.enrolments
                ],  # fmt: skip
            }
            for s in t.semesters
        ],
        "cumulative": _value(t.cumulative),
        "classification": t.classification.level.value if classified else None,
        "base_classification": t.classification.base_level.value if classified else None,
        "downgrades": list(t.classification.downgrades) if classified else [],
        "retaken_modules": t.retaken,
        "earned_credits": t.earned_credits,
        "required_credits": t.programme.required_credits,
        "eligible": t.eligible,
        "incomplete": t.incomplete,
        "missing": t.missing,
        "status": graduation_text(t),
    }
