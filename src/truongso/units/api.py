"""API: administrative units (read-only) and institutions."""

from typing import Any

from django.urls import reverse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404, reference
from truongso.core.api_pagination import CursorPagination
from truongso.imports import oneroster
from truongso.imports.oneroster_views import zip_response
from truongso.units.schemas import (
    InstitutionCreateIn,
    InstitutionFilter,
    InstitutionOut,
    InstitutionUpdateIn,
    MapFeatureCollection,
    MapFilter,
    OneRosterFilter,
    UnitFilter,
    UnitOut,
)
from truongso.units.selectors import (
    institution_get,
    institution_list,
    institution_map_geojson,
    unit_get,
    unit_list,
)
from truongso.units.services import institution_create, institution_update

router = Router()

UNIT_ORDER = ("level", "code", "pk")
INSTITUTION_ORDER = ("name", "pk")


@router.get("/units", response=list[UnitOut], tags=["units"], summary="Administrative units")
@paginate(CursorPagination, ordering=UNIT_ORDER)
def units(request, filters: Query[UnitFilter]):
    return unit_list(on=filters.on, level=filters.level, parent_id=filters.parent, query=filters.q)


@router.get(
    "/units/{unit_id}", response={200: UnitOut, 404: ErrorOut}, tags=["units"], summary="One unit"
)
def unit(request, unit_id: int):
    return get_or_404(unit_get, pk=unit_id)


@router.get(
    "/units/{unit_id}/children",
    response={200: list[UnitOut], 404: ErrorOut},
    tags=["units"],
    summary="The units directly under a unit",
)
@paginate(CursorPagination, ordering=UNIT_ORDER)
def unit_children(request, unit_id: int, filters: Query[UnitFilter]):
    parent = get_or_404(unit_get, pk=unit_id)
    return unit_list(on=filters.on, level=filters.level, parent_id=parent.pk, query=filters.q)


@router.get(
    "/institutions",
    response={200: list[InstitutionOut], 422: ValidationErrorOut},
    tags=["institutions"],
    summary="Institutions I may read",
)
@paginate(CursorPagination, ordering=INSTITUTION_ORDER)
def institutions(request, filters: Query[InstitutionFilter]):
    unit = reference("unit", unit_get, pk=filters.unit) if filters.unit is not None else None
    return institution_list(
        actor=request.auth,
        query=filters.q,
        kind=filters.kind,
        ownership=filters.ownership,
        unit=unit,
    )


@router.get(
    "/institutions/map",
    response={200: MapFeatureCollection, 422: ValidationErrorOut},
    tags=["institutions"],
    summary="Map of the institutions I may read (GeoJSON)",
)
def institution_map(request, filters: Query[MapFilter]):
    province = (
        reference("province", unit_get, pk=filters.province)
        if filters.province is not None
        else None
    )
    return institution_map_geojson(
        actor=request.auth,
        url_for=lambda i: request.build_absolute_uri(
            reverse("units:institution_detail", args=[i.pk])
        ),
        kind=filters.kind,
        ownership=filters.ownership,
        province=province,
    )


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, 404: ErrorOut},
    tags=["institutions"],
    summary="One institution",
)
def institution(request, institution_id: int):
    return get_or_404(institution_get, actor=request.auth, pk=institution_id)


@router.get(
    "/institutions/{institution_id}/oneroster",
    response={403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    tags=["institutions"],
    summary="OneRoster 1.2 CSV export of an institution (zip)",
    description=(
        "A zip of the OneRoster 1.2 CSV files (manifest, orgs, academicSessions, courses, "
        "classes, users, roles, enrollments, demographics) of one school year. For the "
        "institution's principal and school staff and the offices above it; audited."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "The zip file.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def institution_oneroster(request, institution_id: int, filters: Query[OneRosterFilter]):
    institution = get_or_404(institution_get, actor=request.auth, pk=institution_id)
    year = reference("year", oneroster.school_year_by_start, start_year=filters.year)
    export = oneroster.oneroster_export(
        actor=request.auth,
        school_year=year,
        institutions=[institution],
        demographics=filters.demographics,
    )
    return zip_response(export)


def _institution_fields(data: dict[str, Any]) -> dict[str, Any]:
    for name in ("commune", "managing_unit"):
        if data.get(name) is not None:
            data[name] = reference(name, unit_get, pk=data[name])
    return data


@router.post(
    "/institutions",
    response={201: InstitutionOut, 403: ErrorOut, 422: ValidationErrorOut},
    tags=["institutions"],
    summary="Create an institution (education offices)",
)
def institution_new(request, payload: InstitutionCreateIn):
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    created = institution_create(
        actor=request.auth, fields=_institution_fields(data), reason=reason
    )
    return Status(201, institution_get(actor=request.auth, pk=created.pk))


@router.patch(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    tags=["institutions"],
    summary="Change an institution",
)
def institution_change(request, institution_id: int, payload: InstitutionUpdateIn):
    current = get_or_404(institution_get, actor=request.auth, pk=institution_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    institution_update(
        actor=request.auth, institution=current, fields=_institution_fields(data), reason=reason
    )
    return institution_get(actor=request.auth, pk=institution_id)
