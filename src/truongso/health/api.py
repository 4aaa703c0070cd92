"""API endpoints of the health app, mounted under /api/v1/health/.

Per-learner health data is scoped like the pages (the nurse and the principal of the
learner's school, the homeroom teacher, the guardians) and every request for it is
logged: a list logs each learner it was asked for."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from truongso.academics.selectors import current_school_year
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404
from truongso.core.api_pagination import CursorPagination
from truongso.health import selectors, services

router = Router(tags=["health"])


class CheckupOut(Schema):
    id: int
    learner: int = Field(alias="learner_id")
    learner_name: str = Field(alias="learner.full_name")
    institution: int = Field(alias="institution_id")
    campaign: int | None = Field(None, alias="campaign_id")
    date: dt.date
    height_cm: Decimal
    weight_kg: Decimal
    bmi: Decimal
    age_months: int | None
    reference: str
    haz: Decimal | None
    baz: Decimal | None
    stature: str
    nutrition: str
    vision_left: str
    vision_right: str
    dental: str
    notes: str


class VaccinationOut(Schema):
    id: int
    learner: int = Field(alias="learner_id")
    vaccine: str
    dose: int
    date: dt.date
    notes: str


class VaccinationIn(Schema):
    vaccine: str
    dose: int = 1
    date: dt.date
    notes: str = ""


class InsuranceCardOut(Schema):
    learner: int = Field(alias="learner_id")
    number: str
    valid_from: dt.date
    valid_to: dt.date


class InsuranceCardIn(Schema):
    number: str
    valid_from: dt.date
    valid_to: dt.date


class CampaignOut(Schema):
    id: int
    institution: int = Field(alias="institution_id")
    school_year: str = Field(alias="school_year.name")
    name: str
    date: dt.date


class CampaignFilter(Schema):
    institution: int | None = None


class RowIn(Schema):
    learner: int
    height: str = ""
    weight: str = ""
    vision_left: str = ""
    vision_right: str = ""
    dental: str = ""
    notes: str = ""


class SheetIn(Schema):
    rows: list[RowIn]


class RowError(Schema):
    learner: int
    column: str
    message: str


class EntryOut(Schema):
    saved: int
    unchanged: int
    skipped: int
    errors: list[RowError]
    warnings: dict[int, list[str]]


class SummaryRow(Schema):
    school_class: int | None
    label: str
    checked: int
    stunted: int
    severely_stunted: int
    thin: int
    severely_thin: int
    overweight: int
    obese: int
    shares: dict[str, Decimal | None]


class SummaryOut(Schema):
    institution: int
    school_year: str
    classes: list[SummaryRow]
    total: SummaryRow


class SummaryFilter(Schema):
    institution: int


def _summary_row(row) -> dict:
    return {
        "school_class": row.school_class.pk if row.school_class else None,
        "label": row.label,
        "checked": row.checked,
        "stunted": row.stunted,
        "severely_stunted": row.severely_stunted,
        "thin": row.thin,
        "severely_thin": row.severely_thin,
        "overweight": row.overweight,
        "obese": row.obese,
        "shares": row.shares,
    }


@router.get(
    "/learners/{learner_id}/checkups",
    response={200: list[CheckupOut], 404: ErrorOut},
    summary="A learner's checkups (logged)",
)
@paginate(CursorPagination, ordering=("date", "pk"))
def learner_checkups(request, learner_id: int):
    return get_or_404(selectors.learner_checkups, actor=request.auth, pk=learner_id)


@router.get(
    "/learners/{learner_id}/vaccinations",
    response={200: list[VaccinationOut], 404: ErrorOut},
    summary="A learner's vaccinations (logged)",
)
@paginate(CursorPagination, ordering=("date", "pk"))
def learner_vaccinations(request, learner_id: int):
    return get_or_404(selectors.learner_vaccinations, actor=request.auth, pk=learner_id)


@router.post(
    "/learners/{learner_id}/vaccinations",
    response={201: VaccinationOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Record a vaccination (the nurse or the principal of the learner's school)",
)
def vaccination_add(request, learner_id: int, payload: VaccinationIn):
    learner = get_or_404(selectors.health_learner, actor=request.auth, pk=learner_id)
    vaccination = services.vaccination_add(actor=request.auth, learner=learner, **payload.dict())
    return Status(201, vaccination)


@router.delete(
    "/learners/{learner_id}/vaccinations/{vaccination_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Remove a vaccination recorded by mistake",
)
def vaccination_delete(request, learner_id: int, vaccination_id: int):
    vaccinations = get_or_404(selectors.learner_vaccinations, actor=request.auth, pk=learner_id)
    vaccination = get_or_404(vaccinations.get, pk=vaccination_id)
    services.vaccination_delete(actor=request.auth, vaccination=vaccination)
    return Status(204, None)


@router.get(
    "/learners/{learner_id}/insurance-card",
    response={200: InsuranceCardOut, 404: ErrorOut},
    summary="A learner's health insurance card (logged)",
)
def insurance_card(request, learner_id: int):
    return get_or_404(selectors.learner_insurance_card, actor=request.auth, pk=learner_id)


@router.put(
    "/learners/{learner_id}/insurance-card",
    response={200: InsuranceCardOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Record or change a learner's health insurance card",
)
def insurance_card_set(request, learner_id: int, payload: InsuranceCardIn):
    learner = get_or_404(selectors.health_learner, actor=request.auth, pk=learner_id)
    return services.insurance_card_set(actor=request.auth, learner=learner, **payload.dict())


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], 422: ValidationErrorOut},
    summary="Checkup campaigns I may see",
)
@paginate(CursorPagination, ordering=("pk",))
def campaigns(request, filters: Query[CampaignFilter]):
    return selectors.campaign_list(actor=request.auth, institution_id=filters.institution)


def _campaign_class(request, campaign_id: int, class_id: int):
    campaign = get_or_404(selectors.campaign_get, actor=request.auth, pk=campaign_id)
    school_class = get_or_404(campaign.classes.select_related("school_year").get, pk=class_id)
    return campaign, school_class


@router.get(
    "/campaigns/{campaign_id}/classes/{class_id}/checkups",
    response={200: list[CheckupOut], 404: ErrorOut},
    summary="The checkups of a class in a campaign (logged)",
)
@paginate(CursorPagination, ordering=("pk",))
def class_checkups(request, campaign_id: int, class_id: int):
    campaign, school_class = _campaign_class(request, campaign_id, class_id)
    qs = selectors.checkups_visible(actor=request.auth).filter(
        campaign=campaign, school_class=school_class
    )
    selectors.log_checkups_viewed(actor=request.auth, checkups=qs, channel="api", what="campaign")
    return qs


@router.post(
    "/campaigns/{campaign_id}/classes/{class_id}/checkups",
    response={200: EntryOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Record the checkups of a class: good rows saved, bad rows reported",
)
def class_checkups_record(request, campaign_id: int, class_id: int, payload: SheetIn):
    campaign, school_class = _campaign_class(request, campaign_id, class_id)
    rows = {row.learner: row.dict(exclude={"learner"}) for row in payload.rows}
    result = services.checkups_record(
        actor=request.auth, campaign=campaign, school_class=school_class, rows=rows
    )
    return {
        "saved": result.saved,
        "unchanged": result.unchanged,
        "skipped": result.skipped,
        "errors": [
            {"learner": learner, "column": column, "message": message}
            for learner, columns in result.errors.items()
            for column, message in columns.items()
        ],
        "warnings": result.warnings,
    }


@router.get(
    "/summary",
    response={200: SummaryOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Stunting, thinness, overweight and obesity of a school, by class",
)
def summary(request, filters: Query[SummaryFilter]):
    institution = get_or_404(
        selectors.institution_for_health, actor=request.auth, pk=filters.institution
    )
    year = current_school_year()
    rows = selectors.school_summary(actor=request.auth, institution=institution, school_year=year)
    return {
        "institution": institution.pk,
        "school_year": year.name,
        "classes": [_summary_row(r) for r in rows[:-1]],
        "total": _summary_row(rows[-1]),
    }
