"""API: classes and their rosters."""

from typing import Any

from ninja import Query, Router, Status
from ninja.pagination import paginate

from truongso.academics.schemas import ClassCreateIn, ClassFilter, ClassOut, ClassUpdateIn
from truongso.academics.selectors import class_get, class_list, class_roster, school_year_get
from truongso.academics.services import class_create, class_update
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404, reference
from truongso.core.api_pagination import CursorPagination
from truongso.learners.schemas import LearnerOut
from truongso.staff.selectors import staff_get
from truongso.units.selectors import institution_get

router = Router(tags=["classes"])

CLASS_ORDER = ("institution__name", "-school_year__starts_on", "grade", "name", "pk")
ROSTER_ORDER = ("search_name", "pk")


def _class_out(actor, pk: int):
    """A class as the API shows it (with its learner count)."""
    return class_list(actor=actor).get(pk=pk)


def _class_fields(actor, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("school_year") is not None:
        data["school_year"] = reference("school_year", school_year_get, name=data["school_year"])
    if data.get("homeroom_teacher") is not None:
        data["homeroom_teacher"] = reference(
            "homeroom_teacher", staff_get, actor=actor, pk=data["homeroom_teacher"]
        )
    return data


@router.get(
    "/classes",
    response={200: list[ClassOut], 422: ValidationErrorOut},
    summary="Classes I may read",
)
@paginate(CursorPagination, ordering=CLASS_ORDER)
def classes(request, filters: Query[ClassFilter]):
    year = reference("year", school_year_get, name=filters.year) if filters.year else None
    return class_list(
        actor=request.auth,
        institution_id=filters.institution,
        school_year=year,
        grade=filters.grade,
    )


@router.get("/classes/{class_id}", response={200: ClassOut, 404: ErrorOut}, summary="One class")
def school_class(request, class_id: int):
    return get_or_404(_class_out, actor=request.auth, pk=class_id)


@router.get(
    "/classes/{class_id}/roster",
    response={200: list[LearnerOut], 404: ErrorOut},
    summary="The learners studying in a class",
)
@paginate(CursorPagination, ordering=ROSTER_ORDER)
def roster(request, class_id: int):
    found = get_or_404(class_get, actor=request.auth, pk=class_id)
    return class_roster(actor=request.auth, school_class=found)


@router.post(
    "/classes",
    response={201: ClassOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Create a class",
)
def class_new(request, payload: ClassCreateIn):
    data = payload.dict(exclude_unset=True)
    institution = reference(
        "institution", institution_get, actor=request.auth, pk=data.pop("institution")
    )
    created = class_create(
        actor=request.auth, institution=institution, fields=_class_fields(request.auth, data)
    )
    return Status(201, _class_out(request.auth, created.pk))


@router.patch(
    "/classes/{class_id}",
    response={200: ClassOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Change a class",
)
def class_change(request, class_id: int, payload: ClassUpdateIn):
    current = get_or_404(class_get, actor=request.auth, pk=class_id)
    data = _class_fields(request.auth, payload.dict(exclude_unset=True))
    class_update(actor=request.auth, school_class=current, fields=data)
    return _class_out(request.auth, class_id)
