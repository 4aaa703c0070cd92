"""API endpoints of the facilities app, mounted under /api/v1/.

A school's managers read and write their school's records; offices read the schools of
their units. Lists are paginated with a cursor like every list of the API."""

from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema, Status
from ninja.orm import create_schema
from ninja.pagination import paginate

from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404, reference
from truongso.core.api_pagination import CursorPagination
from truongso.facilities import selectors, services
from truongso.facilities.forms import MODELS, PARENTS
from truongso.facilities.models import Utilities

router = Router(tags=["facilities"])

NOT_IN = {"institution", "created_at", "updated_at", "search_name"}


class RecordFilter(Schema):
    institution: int | None = Field(None, description="Only this school's records.")
    q: str = Field("", description="Part of the name (equipment: or its list code).")
    condition: str = ""


class UtilitiesIO(Schema):
    grid_power: bool = False
    internet: bool = False
    internet_mbps: int | None = None
    water_source: str = "none"
    water_treated: bool = False


class UtilitiesOut(UtilitiesIO):
    institution_id: int
    clean_water: bool


class GapLineOut(Schema):
    code: str
    name: str
    grade: int
    subject_code: str
    unit: str
    per: str
    required: int
    good: int
    unusable: int
    missing: int
    to_repair: int
    status: str


class GapSummaryOut(Schema):
    lines: int
    enough: int
    broken: int
    missing: int
    items_required: int
    items_short: int
    items_missing: int
    items_to_repair: int


class NormCheckOut(Schema):
    code: str
    kind: str
    value: Decimal
    required: Decimal
    available: Decimal
    shortfall: Decimal
    status: str


class SchoolGapsOut(Schema):
    institution_id: int
    equipment: list[GapLineOut]
    summary: GapSummaryOut
    norms: list[NormCheckOut]


class RollupRowOut(Schema):
    institution_id: int
    code: str
    name: str
    classrooms: int
    clean_water: bool
    internet: bool
    grid_power: bool
    toilet_places: int
    equipment: GapSummaryOut
    norms_short: int


class RollupOut(Schema):
    schools: list[RollupRowOut]
    total: GapSummaryOut
    classrooms: int
    clean_water: int
    internet: int
    grid_power: int
    toilet_places: int
    schools_short_equipment: int
    schools_short_norms: int


class EquipmentListOut(Schema):
    id: int
    code: str
    version: int
    name: str
    legal_source: str
    effective_on: Any
    is_current: bool


class NormOut(Schema):
    id: int
    code: str
    kind: str
    value: Decimal
    kinds: str
    source: str
    note: str
    is_active: bool


def _summary(s) -> dict:
    return {name: getattr(s, name) for name in GapSummaryOut.model_fields}


def _school(request, pk: int, write: bool = False):
    return get_or_404(selectors.facility_school_get, actor=request.auth, pk=pk, write=write)


def _resolve(actor, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Foreign keys come as ``<name>_id``: ids of records the actor may change (the
    service checks that they belong to the same school)."""
    if kind in PARENTS:
        name, parent_kind = PARENTS[kind]
        pk = data.pop(name, None)
        if pk is not None:
            data[name] = reference(
                f"{name}_id", selectors.facility_get, actor=actor, kind=parent_kind, pk=pk,
                write=True,
            )  # fmt: skip
    return data


def _register(kind: str) -> None:
    model = MODELS[kind]
    fields = services.FIELDS[kind]
    out = create_schema(model, name=f"Facility{model.__name__}Out",
                        fields=["id", "institution", *fields])  # fmt: skip
    create_in = create_schema(model, name=f"Facility{model.__name__}In", fields=fields)
    update_in = create_schema(model, name=f"Facility{model.__name__}Patch", fields=fields,
                              optional_fields="__all__")  # fmt: skip

    class CreateIn(create_in):  # type: ignore[misc, valid-type]
        institution: int

    CreateIn.__name__ = f"Facility{model.__name__}CreateIn"

    @router.get(f"/{kind}", response={200: list[out]}, operation_id=f"facilities_{kind}_list",
                summary=f"Facilities: {kind} I may read")  # fmt: skip
    @paginate(CursorPagination, ordering=("pk",))
    def listing(request, filters: Query[RecordFilter]):
        return selectors.facility_list(
            actor=request.auth, kind=kind, institution_id=filters.institution, query=filters.q,
            condition=filters.condition,
        )  # fmt: skip

    @router.get(f"/{kind}/{{record_id}}", response={200: out, 404: ErrorOut},
                operation_id=f"facilities_{kind}_get",
                summary=f"Facilities: one of {kind}")  # fmt: skip
    def one(request, record_id: int):
        return get_or_404(selectors.facility_get, actor=request.auth, kind=kind, pk=record_id)

    @router.post(f"/{kind}", response={201: out, 403: ErrorOut, 422: ValidationErrorOut},
                 operation_id=f"facilities_{kind}_create",
                 summary=f"Facilities: add to {kind}")  # fmt: skip
    def create(request, payload: CreateIn):
        actor = request.auth
        data = payload.dict()
        institution = reference("institution", selectors.facility_school_get, actor=actor,
                                pk=data.pop("institution"))  # fmt: skip
        data = _resolve(actor, kind, data)
        created = services.facility_create(actor=actor, kind=kind, institution=institution,
                                           fields=data)  # fmt: skip
        return Status(201, created)

    @router.patch(f"/{kind}/{{record_id}}", response={200: out, 403: ErrorOut, 404: ErrorOut,
                  422: ValidationErrorOut}, operation_id=f"facilities_{kind}_update",
                  summary=f"Facilities: change one of {kind}")  # fmt: skip
    def update(request, record_id: int, payload: update_in):  # type: ignore[valid-type]
        actor = request.auth
        current = get_or_404(selectors.facility_get, actor=actor, kind=kind, pk=record_id)
        data = _resolve(actor, kind, payload.dict(exclude_unset=True))
        return services.facility_update(actor=actor, instance=current, fields=data)

    @router.delete(f"/{kind}/{{record_id}}", response={204: None, 403: ErrorOut, 404: ErrorOut,
                   422: ValidationErrorOut}, operation_id=f"facilities_{kind}_delete",
                   summary=f"Facilities: remove one of {kind}")  # fmt: skip
    def delete(request, record_id: int):
        current = get_or_404(selectors.facility_get, actor=request.auth, kind=kind, pk=record_id)
        services.facility_delete(actor=request.auth, instance=current)
        return Status(204, None)


def _utilities_out(u: Utilities) -> dict:
    from truongso.facilities.rules.norms import is_clean_water

    return {
        "institution_id": u.institution_id, "grid_power": u.grid_power, "internet": u.internet,
        "internet_mbps": u.internet_mbps, "water_source": u.water_source,
        "water_treated": u.water_treated,
        "clean_water": is_clean_water(u.water_source, u.water_treated),
    }  # fmt: skip


@router.get("/schools/{institution_id}/utilities", response={200: UtilitiesOut, 404: ErrorOut},
            summary="A school's grid power, internet and water")  # fmt: skip
def utilities(request, institution_id: int):
    institution = _school(request, institution_id)
    return _utilities_out(selectors.utilities_get(actor=request.auth, institution=institution))


@router.put("/schools/{institution_id}/utilities",
            response={200: UtilitiesOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
            summary="Record a school's grid power, internet and water")  # fmt: skip
def utilities_put(request, institution_id: int, payload: UtilitiesIO):
    institution = _school(request, institution_id)
    saved = services.utilities_set(actor=request.auth, institution=institution,
                                   fields=payload.dict())  # fmt: skip
    return _utilities_out(saved)


@router.get("/schools/{institution_id}/gaps", response={200: SchoolGapsOut, 404: ErrorOut},
            summary="A school's gaps against the equipment lists and the norms")  # fmt: skip
def gaps(request, institution_id: int):
    institution = _school(request, institution_id)
    report = selectors.school_gap_report(actor=request.auth, institution=institution)
    return {
        "institution_id": institution.pk,
        "equipment": [
            {"code": g.line.code, "name": g.line.name, "grade": g.line.grade,
             "subject_code": g.line.subject_code, "unit": g.line.unit, "per": g.line.per,
             "required": g.required, "good": g.good, "unusable": g.unusable,
             "missing": g.missing, "to_repair": g.to_repair, "status": g.status}
            for g in report.gaps
        ],
        "summary": _summary(report.summary),
        "norms": [
            {"code": c.norm.code, "kind": c.norm.kind, "value": c.norm.value,
             "required": c.required, "available": c.available, "shortfall": c.shortfall,
             "status": c.status}
            for c in report.norms
        ],
    }  # fmt: skip


@router.get("/rollup", response={200: RollupOut, 403: ErrorOut},
            summary="One row per school I may read, and the totals")  # fmt: skip
def rollup(request, unit: int | None = None, q: str = ""):
    from truongso.units.models import AdministrativeUnit

    place = AdministrativeUnit.objects.filter(pk=unit).first() if unit else None
    r = selectors.office_rollup(actor=request.auth, unit=place, query=q)
    return {
        "schools": [
            {"institution_id": row.report.institution.pk, "code": row.report.institution.code,
             "name": row.report.institution.name, "classrooms": row.classrooms,
             "clean_water": row.clean_water, "internet": row.internet,
             "grid_power": row.grid_power, "toilet_places": row.toilet_places,
             "equipment": _summary(row.report.summary), "norms_short": row.report.norms_short}
            for row in r.rows
        ],
        "total": _summary(r.summary), "classrooms": r.classrooms, "clean_water": r.clean_water,
        "internet": r.internet, "grid_power": r.grid_power, "toilet_places": r.toilet_places,
        "schools_short_equipment": r.schools_short_equipment,
        "schools_short_norms": r.schools_short_norms,
    }  # fmt: skip


@router.get("/equipment-lists", response=list[EquipmentListOut],
            summary="The minimum teaching-equipment lists (every version)")  # fmt: skip
@paginate(CursorPagination, ordering=("pk",))
def equipment_lists(request):
    return selectors.equipment_lists()


@router.get("/norms", response=list[NormOut], summary="The norms for rooms and sanitation")
@paginate(CursorPagination, ordering=("pk",))
def norms(request):
    return selectors.norms_all()


for _kind in selectors.KINDS:
    _register(_kind)
