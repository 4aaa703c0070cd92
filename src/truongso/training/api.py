"""API endpoints of the training app, mounted under /api/v1/training/: training records,
appraisals and the staff summary, scoped like the pages."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from truongso.academics.models import SchoolYear
from truongso.academics.selectors import current_school_year
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404, reference
from truongso.core.api_pagination import CursorPagination
from truongso.training import selectors, services

router = Router(tags=["training"])


class RecordOut(Schema):
    id: int
    institution_id: int
    staff_member_id: int
    staff_member_name: str = Field(..., alias="staff_member.full_name")
    course: str
    provider: str
    starts_on: dt.date
    ends_on: dt.date
    hours: int
    certificate_number: str
    digital_skills: bool
    digital_materials: bool
    professional: bool
    political: bool
    management: bool
    note: str
    version: int


class _RecordFields(Schema):
    model_config = ConfigDict(extra="forbid")
    provider: str = ""
    hours: int = 0
    certificate_number: str = ""
    digital_skills: bool = False
    digital_materials: bool = False
    professional: bool = False
    political: bool = False
    management: bool = False
    note: str = ""


class RecordIn(_RecordFields):
    staff_member: int
    course: str
    starts_on: dt.date
    ends_on: dt.date


class RecordPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    course: str | None = None
    provider: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    hours: int | None = None
    certificate_number: str | None = None
    digital_skills: bool | None = None
    digital_materials: bool | None = None
    professional: bool | None = None
    political: bool | None = None
    management: bool | None = None
    note: str | None = None
    reason: str = ""


class RecordFilter(Schema):
    q: str = Field("", description="Part of the staff member's name; diacritics ignored.")
    institution: int | None = None
    staff_member: int | None = None
    kind: str = Field("", description="digital_skills, digital_materials, professional, "
                      "political or management")  # fmt: skip
    school_year: str = Field("", description="e.g. 2025-2026 (by start date)")


class AppraisalOut(Schema):
    id: int
    staff_member_id: int
    school_year: str = Field(..., alias="school_year.name")
    professional_standard: str
    official_rating: str
    appraised_on: dt.date | None
    note: str


class AppraisalIn(Schema):
    model_config = ConfigDict(extra="forbid")
    staff_member: int
    school_year: str
    professional_standard: str = ""
    official_rating: str = ""
    appraised_on: dt.date | None = None
    note: str = ""
    reason: str = ""


class SummaryRowOut(Schema):
    institution_id: int | None
    staff: int
    teachers: int
    learners: int
    classes: int
    teachers_digital_skills: int
    teachers_digital_materials: int
    digital_skills_share: Decimal | None
    digital_materials_share: Decimal | None
    learners_per_staff: Decimal | None
    teachers_per_class: Decimal | None
    hours: int


def _year(name: str) -> SchoolYear | None:
    if not name:
        return None
    return SchoolYear.objects.filter(name=name).first()


@router.get("/records", response={200: list[RecordOut], 422: ValidationErrorOut},
            summary="Training records I may read")  # fmt: skip
@paginate(CursorPagination, ordering=("-starts_on", "-pk"))
def records(request, filters: Query[RecordFilter]):
    return selectors.training_records(
        actor=request.auth, institution_id=filters.institution,
        staff_member_id=filters.staff_member, query=filters.q, kind=filters.kind,
        school_year=_year(filters.school_year),
    )  # fmt: skip


@router.get("/records/{record_id}", response={200: RecordOut, 404: ErrorOut},
            summary="One training record")  # fmt: skip
def record(request, record_id: int):
    return get_or_404(selectors.training_record_get, actor=request.auth, pk=record_id)


@router.post("/records", response={201: RecordOut, 403: ErrorOut, 422: ValidationErrorOut},
             summary="Add a training record")  # fmt: skip
def record_new(request, payload: RecordIn):
    data = payload.dict()
    member = reference("staff_member", selectors.staff_member_get, actor=request.auth,
                       pk=data.pop("staff_member"))  # fmt: skip
    created = services.training_record_create(actor=request.auth, staff_member=member, fields=data)
    return Status(201, selectors.training_record_get(actor=request.auth, pk=created.pk))


@router.patch("/records/{record_id}",
              response={200: RecordOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
              summary="Change a training record")  # fmt: skip
def record_change(request, record_id: int, payload: RecordPatch):
    current = get_or_404(selectors.training_record_get, actor=request.auth, pk=record_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    services.training_record_update(actor=request.auth, record=current, fields=data, reason=reason)
    return selectors.training_record_get(actor=request.auth, pk=record_id)


@router.delete("/records/{record_id}", response={204: None, 403: ErrorOut, 404: ErrorOut},
               summary="Remove a training record")  # fmt: skip
def record_delete(request, record_id: int, reason: str = ""):
    current = get_or_404(selectors.training_record_get, actor=request.auth, pk=record_id)
    services.training_record_delete(actor=request.auth, record=current, reason=reason)
    return Status(204, None)


@router.get("/appraisals", response={200: list[AppraisalOut], 422: ValidationErrorOut},
            summary="Staff appraisals I may read")  # fmt: skip
@paginate(CursorPagination, ordering=("pk",))
def appraisal_list(request, institution: int | None = None, school_year: str = ""):
    return selectors.appraisals(actor=request.auth, institution_id=institution,
                                school_year=_year(school_year)).order_by("pk")  # fmt: skip


@router.put("/appraisals",
            response={200: AppraisalOut, 204: None, 403: ErrorOut, 422: ValidationErrorOut},
            summary="Set a staff member's appraisal for a school year")  # fmt: skip
def appraisal_set(request, payload: AppraisalIn):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    member = reference("staff_member", selectors.staff_member_get, actor=request.auth,
                       pk=payload.staff_member)  # fmt: skip
    year = _year(payload.school_year)
    if year is None:
        raise ValidationError({"school_year": _("Không có năm học %(name)s.")
                               % {"name": payload.school_year}})  # fmt: skip
    row = services.staff_appraisal_set(
        actor=request.auth, staff_member=member, school_year=year,
        professional_standard=payload.professional_standard,
        official_rating=payload.official_rating, appraised_on=payload.appraised_on,
        note=payload.note, reason=payload.reason,
    )  # fmt: skip
    return row if row is not None else Status(204, None)


@router.get("/summary", response={200: list[SummaryRowOut]},
            summary="Shares and ratios per school, then the total")  # fmt: skip
def summary(request, school_year: str = ""):
    year = _year(school_year) or current_school_year()
    rows, total = selectors.staff_summary(actor=request.auth, school_year=year)
    out = []
    for r in [*rows, total]:
        out.append({
            "institution_id": r.institution.pk if r.institution else None,
            **{name: getattr(r, name) for name in SummaryRowOut.model_fields
               if name != "institution_id"},
        })  # fmt: skip
    return out
