"""Pages of report cards: thin, the rules live in the services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from truongso.academics.selectors import current_school_year
from truongso.accounts.access import scope_for
from truongso.reportcards import exports, selectors, services
from truongso.reportcards.models import ReportCardStatus
from truongso.reportcards.pdf import report_card_pdf
from truongso.reportcards.rules.content import AWARDS, LEVELS, PASS, PROMOTION
from truongso.web.shortcuts import get_or_404, int_or_none, paginate


def _year(request):
    years = selectors.school_years()
    wanted = int_or_none(request.GET.get("year"))
    chosen = next((y for y in years if y.pk == wanted), None) or current_school_year()
    return chosen, years


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def home(request):
    scope = scope_for(request.user)
    year, years = _year(request)
    context = {"year": year, "years": years, "schools": [], "homeroom": [], "offices": None}
    if year is not None:
        for institution_id in sorted(scope.managed_institution_ids):
            institution = selectors.institution_readable(actor=request.user, pk=institution_id)
            rows = selectors.school_class_counts(
                actor=request.user, institution_id=institution_id, school_year=year
            )
            context["schools"].append((institution, rows))
    context["homeroom"] = list(selectors.homeroom_classes(actor=request.user))
    if scope.guardian_learner_ids:
        context["children"] = paginate(request, selectors.guardian_cards(actor=request.user))
    if scope.is_office and year is not None:
        page = paginate(request, selectors.institutions_overview(actor=request.user))
        counts = selectors.institution_counts([i.pk for i in page], year)
        context["offices"] = page
        context["office_rows"] = [
            (i, [(label, counts.get(i.pk, {}).get(v, 0)) for v, label in ReportCardStatus.choices])
            for i in page
        ]
    context["statuses"] = ReportCardStatus.choices
    return render(request, "reportcards/home.html", context)


@login_required
def school(request, pk: int):
    institution = get_or_404(selectors.institution_readable, actor=request.user, pk=pk)
    year, years = _year(request)
    if year is None:
        raise Http404
    if request.method == "POST":
        try:
            job = services.report_card_job_start(
                actor=request.user, institution=institution, school_year=year
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            _errors(request, error)
        else:
            return redirect("reportcards:job", job.pk)
    rows = selectors.school_class_counts(
        actor=request.user, institution_id=institution.pk, school_year=year
    )
    return render(
        request,
        "reportcards/school.html",
        {
            "institution": institution,
            "year": year,
            "years": years,
            "rows": rows,
            "statuses": ReportCardStatus.choices,
            "manages": selectors.manages(request.user, institution.pk),
            "jobs": selectors.jobs_recent(actor=request.user, institution_id=institution.pk),
        },
    )


@login_required
@require_GET
def school_xlsx(request, pk: int):
    institution = get_or_404(selectors.institution_readable, actor=request.user, pk=pk)
    year, _years = _year(request)
    if year is None:
        raise Http404
    rows = selectors.school_class_counts(
        actor=request.user, institution_id=institution.pk, school_year=year
    )
    return _xlsx(exports.school_workbook(institution, year, rows), f"hoc-ba-{institution.pk}")


@login_required
def school_class(request, pk: int):
    school_class = get_or_404(selectors.class_readable, actor=request.user, pk=pk)
    if request.method == "POST":
        return _class_post(request, school_class)
    rows = selectors.class_rows(actor=request.user, school_class=school_class)
    scope = scope_for(request.user)
    writer = scope.manages(school_class.institution_id) or selectors.is_homeroom_of(
        request.user, school_class.pk, school_class.institution_id
    )
    counts: dict[str, int] = {}
    for row in rows:
        if row.card is not None:
            counts[row.card.status] = counts.get(row.card.status, 0) + 1
    return render(
        request,
        "reportcards/class.html",
        {
            "school_class": school_class,
            "page_obj": paginate(request, rows, per_page=50),
            "total": len(rows),
            "counts": [(label, counts.get(value, 0)) for value, label in ReportCardStatus.choices],
            "writer": writer,
            "principal": selectors.is_principal_of(request.user, school_class.institution_id),
        },
    )


def _class_post(request, school_class):
    action = request.POST.get("action", "")
    back = reverse("reportcards:class", args=[school_class.pk])
    if action == "generate":
        selectors.class_writable(actor=request.user, pk=school_class.pk)
        try:
            job = services.report_card_job_start(
                actor=request.user, institution=school_class.institution,
                school_year=school_class.school_year, school_class=school_class,
            )  # fmt: skip
        except ValidationError as error:
            _errors(request, error)
            return redirect(back)
        return redirect("reportcards:job", job.pk)
    if action not in ("ready", "approve"):
        messages.error(request, _("Hãy chọn một thao tác."))
        return redirect(back)
    cards = selectors.report_card_list(actor=request.user, school_class_id=school_class.pk)
    if request.POST.get("all") != "1":
        ids = [int_or_none(v) for v in request.POST.getlist("card")]
        cards = cards.filter(pk__in=[i for i in ids if i])
    wanted = ReportCardStatus.DRAFT if action == "ready" else ReportCardStatus.READY
    cards = [c for c in cards if c.status == wanted]
    if not cards:
        messages.error(request, _("Không có học bạ nào ở trạng thái phù hợp để thực hiện."))
        return redirect(back)
    outcome = services.report_cards_bulk(actor=request.user, cards=cards, action=action)
    if outcome.done:
        text = (
            _("Đã đánh dấu %(n)s học bạ là đã kiểm tra.")
            if action == "ready"
            else _("Đã duyệt %(n)s học bạ.")
        )
        messages.success(request, text % {"n": outcome.done})
    for error in outcome.errors[:10]:
        messages.error(request, error)
    return redirect(back)


@login_required
@require_GET
def class_xlsx(request, pk: int):
    school_class = get_or_404(selectors.class_readable, actor=request.user, pk=pk)
    rows = selectors.class_rows(actor=request.user, school_class=school_class)
    return _xlsx(exports.class_workbook(school_class, rows), f"hoc-ba-lop-{school_class.pk}")


def _shown(content: dict) -> dict:
    """Codes of the content as the page shows them."""
    subjects = []
    for s in content.get("subjects", []):
        cells = [s.get(p) for p in ("term_1", "term_2", "year")]
        if not s.get("scored", True):
            cells = [PASS.get(c or "", "") for c in cells]
        subjects.append({**s, "cells": [c or "" for c in cells]})

    def levels(key):
        return [LEVELS.get((content.get(key) or {}).get(p) or "", "") for p in
                ("term_1", "term_2", "year")]  # fmt: skip

    days = content.get("days_absent") or {}
    promotion = content.get("promotion") or {}
    return {
        "subjects": subjects,
        "conduct": levels("conduct"),
        "learning": levels("learning"),
        "days": [
            days.get(p) if days.get(p) is not None else "" for p in ("term_1", "term_2", "year")
        ],  # fmt: skip
        "promotion": PROMOTION.get(promotion.get("decision") or "", ""),
        "retests": promotion.get("retest_subjects") or [],
        "award": AWARDS.get(content.get("award") or "", ""),
    }


@login_required
def detail(request, pk: int):
    card = get_or_404(selectors.report_card_get, actor=request.user, pk=pk)
    if request.method == "POST":
        return _detail_post(request, card)
    versions = list(selectors.report_card_versions(actor=request.user, report_card=card))
    number = int_or_none(request.GET.get("v"))
    version = next((v for v in versions if v.number == number), card.current_version)
    return render(
        request,
        "reportcards/detail.html",
        {
            "card": card,
            "version": version,
            "content": version.content if version else {},
            "shown": _shown(version.content if version else {}),
            "versions": versions,
            "signed": (
                selectors.version_credential(actor=request.user, version=version)
                if version
                else None
            ),
            "rights": selectors.card_rights(request.user, card),
            "copies": selectors.report_card_copies(actor=request.user, report_card=card)[:20],
        },
    )


def _detail_post(request, card):
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    done = {
        "refresh": _("Đã cập nhật học bạ từ sổ điểm."),
        "ready": _("Đã đánh dấu học bạ là đã kiểm tra."),
        "approve": _("Đã duyệt học bạ."),
        "remark_homeroom": _("Đã lưu nhận xét của giáo viên chủ nhiệm."),
        "remark_principal": _("Đã lưu phê duyệt của Hiệu trưởng."),
        "completion": _("Đã ghi kết quả hoàn thành chương trình THCS."),
    }
    try:
        if action == "refresh":
            summary = services.report_card_refresh(actor=request.user, report_card=card,
                                                   reason=reason)  # fmt: skip
            if summary.locked:
                raise ValidationError(_("Học bạ đã được duyệt: hãy ghi lý do sửa đổi."))
        elif action == "ready":
            services.report_card_mark_ready(actor=request.user, report_card=card)
        elif action == "approve":
            services.report_card_approve(actor=request.user, report_card=card)
        elif action in ("remark_homeroom", "remark_principal"):
            services.report_card_set_remark(
                actor=request.user, report_card=card, kind=action.removeprefix("remark_"),
                text=request.POST.get("text", ""), reason=reason,
            )  # fmt: skip
        elif action == "completion":
            value = {"yes": True, "no": False}.get(request.POST.get("completed", ""))
            services.report_card_set_completion(actor=request.user, report_card=card,
                                                completed=value, reason=reason)  # fmt: skip
        elif action == "copy":
            copy = services.report_card_copy_issue(
                actor=request.user, report_card=card, recipient=request.POST.get("recipient", ""),
                purpose=request.POST.get("purpose", ""),
            )  # fmt: skip
            return _pdf_response(copy.version, card, attachment=True)
        else:
            raise ValidationError(_("Hãy chọn một thao tác."))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, done[action])
    return redirect("reportcards:detail", card.pk)


def _pdf_response(version, card, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(report_card_pdf(version), content_type="application/pdf")
    name = f"hoc-ba-{card.learner_id}-{card.school_year.name}-v{version.number}.pdf"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@require_GET
def pdf(request, pk: int):
    """One learner's report card renders at once; every PDF taken is logged."""
    card = get_or_404(selectors.report_card_for_copy, actor=request.user, pk=pk)
    number = int_or_none(request.GET.get("v"))
    version = card.current_version
    if number is not None:
        version = get_or_404(selectors.report_card_version_get, actor=request.user,
                             report_card=card, number=number)  # fmt: skip
    if version is None:
        raise Http404
    services.report_card_copy_issue(actor=request.user, report_card=card, version=version,
                                    purpose=_("Xem, tải về"))  # fmt: skip
    return _pdf_response(version, card, attachment=False)


@login_required
@require_GET
def job(request, pk: int):
    item = get_or_404(selectors.job_get, actor=request.user, pk=pk)
    return render(request, "reportcards/job.html", {"job": item})


@login_required
@require_GET
def job_progress(request, pk: int):
    item = get_or_404(selectors.job_get, actor=request.user, pk=pk)
    return JsonResponse(
        {
            "status": item.status,
            "status_label": item.get_status_display(),
            "rows_done": item.done,
            "rows_total": item.total,
            "percent": item.percent,
            "running": item.is_running,
        }
    )


@login_required
@require_GET
def job_download(request, pk: int):
    item = get_or_404(selectors.job_get, actor=request.user, pk=pk)
    if not item.file:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True,
                        filename=f"hoc-ba-{item.pk}.zip")  # fmt: skip


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
