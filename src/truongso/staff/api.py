"""API: staff members (cán bộ, giáo viên, nhân viên)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from truongso.academics.selectors import subjects_by_code
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404, reference
from truongso.core.api_pagination import CursorPagination
from truongso.staff.schemas import (
    StaffCreateIn,
    StaffDetailOut,
    StaffFilter,
    StaffOut,
    StaffUpdateIn,
)
from truongso.staff.selectors import staff_get, staff_list
from truongso.staff.services import staff_create, staff_update
from truongso.units.selectors import institution_get

router = Router(tags=["staff"])

STAFF_ORDER = ("search_name", "pk")


def _subjects(data: dict[str, Any]) -> dict[str, Any]:
    codes = data.get("subjects")
    if codes is not None:
        found = subjects_by_code(codes)
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                {"subjects": _("Không có môn học mã %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
        data["subjects"] = [found[code] for code in codes]
    return data


@router.get(
    "/staff", response={200: list[StaffOut], 422: ValidationErrorOut}, summary="Staff I may read"
)
@paginate(CursorPagination, ordering=STAFF_ORDER)
def staff(request, filters: Query[StaffFilter]):
    return staff_list(
        actor=request.auth,
        query=filters.q,
        institution_id=filters.institution,
        position=filters.position,
        employment_status=filters.employment_status,
        qualification=filters.qualification,
    )


@router.get(
    "/staff/{staff_id}", response={200: StaffDetailOut, 404: ErrorOut}, summary="One staff member"
)
def staff_member(request, staff_id: int):
    return get_or_404(staff_get, actor=request.auth, pk=staff_id)


@router.post(
    "/staff",
    response={201: StaffDetailOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Add a staff member",
)
def staff_new(request, payload: StaffCreateIn):
    actor = request.auth
    data = payload.dict(exclude_unset=True)
    institution = reference("institution", institution_get, actor=actor, pk=data.pop("institution"))
    reason = data.pop("reason", "")
    created = staff_create(
        actor=actor, institution=institution, fields=_subjects(data), reason=reason
    )
    return Status(201, staff_get(actor=actor, pk=created.pk))


@router.patch(
    "/staff/{staff_id}",
    response={200: StaffDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Change a staff member's record",
)
def staff_change(request, staff_id: int, payload: StaffUpdateIn):
    actor = request.auth
    current = get_or_404(staff_get, actor=actor, pk=staff_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    staff_update(actor=actor, member=current, fields=_subjects(data), reason=reason)
    return staff_get(actor=actor, pk=staff_id)
