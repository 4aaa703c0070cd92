"""Reads for staff, scoped to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet

from truongso.accounts.access import scope_for, staff_q
from truongso.core.rules.text import fold
from truongso.staff.models import StaffMember


def staff_list(
    *,
    actor,
    query: str = "",
    institution_id: int | None = None,
    position: str | None = None,
    employment_status: str | None = None,
    qualification: str | None = None,
) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.filter(staff_q(scope_for(actor)))
    if query:
        qs = qs.filter(search_name__contains=fold(query))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if position:
        qs = qs.filter(position=position)
    if employment_status:
        qs = qs.filter(employment_status=employment_status)
    if qualification:
        qs = qs.filter(qualification=qualification)
    return qs.select_related("institution").order_by("search_name", "pk")


def staff_get(*, actor, pk: int, write: bool = False) -> StaffMember:
    return (
        StaffMember.objects.filter(staff_q(scope_for(actor), write=write))
        .select_related("institution", "user")
        .prefetch_related("subjects")
        .get(pk=pk)
    )
