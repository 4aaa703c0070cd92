"""API of the statistics, mounted under /api/v1/statistics/: rounds, the reports the
caller may read with their figures, and a report as a DHIS2 dataValueSet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from truongso.accounts.access import scope_for
from truongso.core.api_errors import ErrorOut, get_or_404
from truongso.core.api_pagination import CursorPagination
from truongso.stats import exports, selectors

router = Router(tags=["stats"])


class RoundOut(Schema):
    id: int
    form: str
    school_year: str
    cutoff: dt.date
    deadline: dt.date | None

    @staticmethod
    def resolve_school_year(obj) -> str:
        return str(obj.school_year)


class ReportOut(Schema):
    id: int
    round_id: int
    institution_id: int | None
    unit_id: int | None
    owner: str
    version: int
    status: str
    is_current: bool
    values: dict[str, dict[str, Any]]
    manual: dict[str, Any]

    @staticmethod
    def resolve_round_id(obj) -> int:
        return obj.report_round_id

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner_name


def _reader(request):
    if not selectors.may_read_stats(scope_for(request.user)):
        raise PermissionDenied


@router.get("/rounds", response=list[RoundOut], summary="Reporting rounds")
@paginate(CursorPagination, ordering=("-cutoff", "pk"))
def rounds(request):
    _reader(request)
    return selectors.round_list()


@router.get("/reports", response=list[ReportOut], summary="Reports the caller may read")
@paginate(CursorPagination, ordering=("pk",))
def reports(request, round_id: int | None = None):
    _reader(request)
    rnd = get_or_404(selectors.round_get, pk=round_id) if round_id else None
    return selectors.report_list(actor=request.user, report_round=rnd).order_by("pk")


@router.get("/reports/{report_id}", response={200: ReportOut, 404: ErrorOut}, summary="One report")
def report(request, report_id: int):
    _reader(request)
    return get_or_404(selectors.report_get, actor=request.user, pk=report_id)


@router.get(
    "/reports/{report_id}/dhis2",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="A report as a DHIS2 dataValueSet (import with idScheme=CODE)",
)
def report_dhis2(request, report_id: int):
    _reader(request)
    return exports.report_data_value_set(
        get_or_404(selectors.report_get, actor=request.user, pk=report_id)
    )
