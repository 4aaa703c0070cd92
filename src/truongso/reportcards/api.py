"""API of report cards, mounted under /api/v1/: lists and details scoped as the pages
(the school and its offices, the homeroom teacher, the learner's guardians), the
versions with their content and digest, and the PDF."""

import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from truongso.academics.models import SchoolYear
from truongso.core.api_errors import ErrorOut, ValidationErrorOut, get_or_404
from truongso.core.api_pagination import CursorPagination
from truongso.reportcards import selectors, services
from truongso.reportcards.pdf import report_card_pdf

router = Router(tags=["reportcards"])


class ReportCardOut(Schema):
    id: int
    learner_id: int
    learner_name: str = Field(..., alias="learner.full_name")
    institution_id: int
    school_year: str = Field(..., alias="school_year.name")
    school_class_id: int
    school_class: str = Field(..., alias="school_class.name")
    status: str
    current_version: int | None = None
    sha256: str | None = None

    @staticmethod
    def resolve_current_version(obj) -> int | None:
        return obj.current_version.number if obj.current_version_id else None

    @staticmethod
    def resolve_sha256(obj) -> str | None:
        return obj.current_version.sha256 if obj.current_version_id else None


class VersionOut(Schema):
    number: int
    status: str
    sha256: str
    reason: str
    created_at: dt.datetime


class VersionDetailOut(VersionOut):
    content: dict[str, Any]


class ReportCardDetailOut(ReportCardOut):
    content: dict[str, Any] | None = None
    approved_version: int | None = None

    @staticmethod
    def resolve_content(obj) -> dict | None:
        return obj.current_version.content if obj.current_version_id else None

    @staticmethod
    def resolve_approved_version(obj) -> int | None:
        return obj.approved_version.number if obj.approved_version_id else None


class ReportCardFilter(Schema):
    school_year: str | None = Field(None, description="e.g. 2025-2026")
    institution: int | None = None
    class_: int | None = Field(None, alias="class")
    status: str | None = None
    learner: int | None = None


@router.get("", response={200: list[ReportCardOut], 422: ValidationErrorOut},
            summary="Report cards I may read")  # fmt: skip
@paginate(CursorPagination, ordering=("pk",))
def report_cards(request, filters: Query[ReportCardFilter]):
    year = None
    if filters.school_year:
        year = SchoolYear.objects.filter(name=filters.school_year).first()
        if year is None:
            return selectors.report_card_list(actor=request.auth).none()
    return selectors.report_card_list(
        actor=request.auth, school_year=year, school_class_id=filters.class_,
        institution_id=filters.institution, status=filters.status, learner_id=filters.learner,
    ).order_by("pk")  # fmt: skip


@router.get("/{card_id}", response={200: ReportCardDetailOut, 404: ErrorOut},
            summary="One report card with its current content")  # fmt: skip
def report_card(request, card_id: int):
    return get_or_404(selectors.report_card_get, actor=request.auth, pk=card_id)


@router.get("/{card_id}/versions", response={200: list[VersionOut], 404: ErrorOut},
            summary="The versions of a report card, newest first")  # fmt: skip
@paginate(CursorPagination, ordering=("-number", "-pk"))
def versions(request, card_id: int):
    card = get_or_404(selectors.report_card_get, actor=request.auth, pk=card_id)
    return selectors.report_card_versions(actor=request.auth, report_card=card)


@router.get("/{card_id}/versions/{number}",
            response={200: VersionDetailOut, 404: ErrorOut},
            summary="One version with its content")  # fmt: skip
def version(request, card_id: int, number: int):
    card = get_or_404(selectors.report_card_get, actor=request.auth, pk=card_id)
    return get_or_404(selectors.report_card_version_get, actor=request.auth, report_card=card,
                      number=number)  # fmt: skip


@router.get("/{card_id}/pdf", response={200: None, 404: ErrorOut},
            summary="The PDF of the current version (or ?version=n); logged as a copy")  # fmt: skip
def pdf(request, card_id: int, version: int | None = None):
    card = get_or_404(selectors.report_card_for_copy, actor=request.auth, pk=card_id)
    row = card.current_version
    if version is not None:
        row = get_or_404(selectors.report_card_version_get, actor=request.auth, report_card=card,
                         number=version)  # fmt: skip
    if row is None:
        return 404, {"detail": "Học bạ chưa có phiên bản nào."}
    services.report_card_copy_issue(actor=request.auth, report_card=card, version=row,
                                    purpose="API")  # fmt: skip
    response = HttpResponse(report_card_pdf(row), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hoc-ba-{card.pk}-v{row.number}.pdf"'
    return response
