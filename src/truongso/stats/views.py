"""Pages of the statistical reports and the operations dashboard (thin: services and
selectors decide)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from truongso.academics.models import SchoolYear
from truongso.accounts.access import scope_for
from truongso.stats import charts, dashboard, exports, selectors, services
from truongso.stats.layout import state_label, tables
from truongso.stats.messages import problem_text
from truongso.stats.models import ReportForm, ReportStatus
from truongso.stats.rules.cells import from_json
from truongso.units.selectors import institution_get, unit_get
from truongso.web.shortcuts import date_or_none, get_or_404, int_or_none, paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request):
    scope = scope_for(request.user)
    if not selectors.may_read_stats(scope):
        raise PermissionDenied
    return scope


def _unit_for(request, scope, pk=None):
    """The unit asked for (which the office must oversee), else the office's own."""
    if pk is None:
        unit = selectors.unit_of_actor(request.user)
        if unit is None:
            raise PermissionDenied
        return unit
    unit = get_or_404(unit_get, pk=pk)
    if not (scope.is_office and selectors.covers_unit(scope, unit)):
        raise Http404
    return unit


def _school_institutions(request, scope):
    return [
        get_or_404(institution_get, actor=request.user, pk=pk)
        for pk in sorted(scope.managed_institution_ids)
    ]


@login_required
def home(request):
    scope = _reader(request)
    page = paginate(request, selectors.round_list())
    schools = _school_institutions(request, scope) if not scope.is_office else []
    rows = []
    for rnd in page.object_list:
        mine = [
            (
                school,
                selectors.school_report_current(
                    actor=request.user, institution=school, report_round=rnd
                ),
            )  # fmt: skip
            for school in schools
        ]
        rows.append((rnd, mine))
    return render(request, "stats/home.html", {
        "page_obj": page, "rows": rows, "is_office": scope.is_office,
        "forms": ReportForm.choices,
        "years": SchoolYear.objects.order_by("-starts_on")[:6],
        "unit": selectors.unit_of_actor(request.user) if scope.is_office else None,
    })  # fmt: skip


@login_required
@require_POST
def round_open(request):
    _reader(request)
    year = SchoolYear.objects.filter(pk=int_or_none(request.POST.get("school_year"))).first()
    cutoff = date_or_none(request.POST.get("cutoff"))
    if year is None or cutoff is None:
        messages.error(request, _("Cần chọn năm học và ngày chốt số liệu."))
        return redirect("stats:home")
    try:
        services.round_open(actor=request.user, form=request.POST.get("form", ""),
                            school_year=year, cutoff=cutoff,
                            deadline=date_or_none(request.POST.get("deadline")))  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã mở kỳ báo cáo."))
    return redirect("stats:home")


@login_required
def round_detail(request, pk: int):
    """Completeness of a round in a unit, the unit's own report, the drill-down."""
    scope = _reader(request)
    rnd = get_or_404(selectors.round_get, pk=pk)
    if not scope.is_office:
        raise PermissionDenied
    unit = _unit_for(request, scope, int_or_none(request.GET.get("unit")))
    data = selectors.completeness(actor=request.user, report_round=rnd, unit=unit)
    page = paginate(request, data["schools"])
    unit_report = selectors.unit_report_current(actor=request.user, unit=unit, report_round=rnd)
    return render(request, "stats/round.html", {
        "round": rnd, "unit": unit, "data": data, "page_obj": page,
        "states": [(s, state_label(s)) for s in ("none", *ReportStatus.values)],
        "unit_report": unit_report,
        "can_prepare_unit": unit.level != "country" and unit.is_in_force_on(rnd.cutoff),
        "state_label": state_label,
    })  # fmt: skip


@login_required
def completeness_xlsx(request, pk: int):
    scope = _reader(request)
    rnd = get_or_404(selectors.round_get, pk=pk)
    if not scope.is_office:
        raise PermissionDenied
    unit = _unit_for(request, scope, int_or_none(request.GET.get("unit")))
    data = selectors.completeness(actor=request.user, report_round=rnd, unit=unit)
    return _download(exports.completeness_workbook(rnd, unit, data), XLSX,
                     f"tien-do-{rnd.form}-{rnd.school_year}-{unit.code}.xlsx")  # fmt: skip


@login_required
@require_POST
def report_prepare(request, pk: int):
    _reader(request)
    rnd = get_or_404(selectors.round_get, pk=pk)
    try:
        if request.POST.get("unit"):
            unit = get_or_404(unit_get, pk=int_or_none(request.POST.get("unit")))
            report = services.unit_report_prepare(actor=request.user, unit=unit, report_round=rnd)
        else:
            institution = get_or_404(institution_get, actor=request.user,
                                     pk=int_or_none(request.POST.get("institution")))  # fmt: skip
            report = services.report_prepare(actor=request.user, institution=institution,
                                             report_round=rnd)  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("stats:home")
    messages.success(request, _("Đã lập báo cáo từ số liệu chốt ngày %(day)s.")
                     % {"day": rnd.cutoff.strftime("%d/%m/%Y")})  # fmt: skip
    return redirect("stats:report", report.pk)


@login_required
def report_detail(request, pk: int):
    _reader(request)
    report = get_or_404(selectors.report_get, actor=request.user, pk=pk)
    kind = report.institution.kind if report.institution_id else None
    indicators = selectors.indicators_for(form=report.report_round.form, kind=kind)
    figures = from_json(report.values)
    snapshot_codes = set((report.snapshot.values if report.snapshot else {}).keys())
    manual_fields = [
        (i, report.manual.get(i.code, ""))
        for i in indicators
        if i.is_manual and i.code not in snapshot_codes and report.institution_id
    ]
    return render(request, "stats/report.html", {
        "report": report,
        "tables": tables(indicators, figures, report.manual),
        "problems": [(p["severity"], problem_text(p)) for p in report.problems],
        "manual_fields": manual_fields,
        "can_edit": report.status == ReportStatus.DRAFT and report.is_current
        and services.can_submit(request.user, report),
        "can_decide": report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        and report.is_current and services.can_decide(request.user, report),
        "versions": selectors.report_versions(actor=request.user, report=report),
    })  # fmt: skip


def _act(request, pk: int, action):
    _reader(request)
    report = get_or_404(selectors.report_get, actor=request.user, pk=pk)
    try:
        action(report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("stats:report", report.pk)


@login_required
@require_POST
def report_manual(request, pk: int):
    def act(report):
        values = {k[2:]: v for k, v in request.POST.items() if k.startswith("m_")}
        services.report_manual_set(actor=request.user, report=report, values=values)
        messages.success(request, _("Đã lưu số liệu nhập tay."))

    return _act(request, pk, act)


@login_required
@require_POST
def report_submit(request, pk: int):
    def act(report):
        services.report_submit(actor=request.user, report=report)
        messages.success(request, _("Đã nộp báo cáo."))

    return _act(request, pk, act)


@login_required
@require_POST
def report_approve(request, pk: int):
    def act(report):
        services.report_approve(actor=request.user, report=report)
        messages.success(request, _("Đã duyệt báo cáo."))

    return _act(request, pk, act)


@login_required
@require_POST
def report_return(request, pk: int):
    def act(report):
        services.report_return(actor=request.user, report=report,
                               reason=request.POST.get("reason", ""))  # fmt: skip
        messages.success(request, _("Đã trả lại báo cáo."))

    return _act(request, pk, act)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_xlsx(request, pk: int):
    _reader(request)
    report = get_or_404(selectors.report_get, actor=request.user, pk=pk)
    return _download(exports.report_workbook(report), XLSX,
                     f"bao-cao-{report.pk}-v{report.version}.xlsx")  # fmt: skip


@login_required
def report_dhis2(request, pk: int):
    _reader(request)
    report = get_or_404(selectors.report_get, actor=request.user, pk=pk)
    response = JsonResponse(exports.report_data_value_set(report), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="dhis2-{report.pk}.json"'
    return response


@login_required
def dashboard_view(request):
    scope = _reader(request)
    form = request.GET.get("form") if request.GET.get("form") in ReportForm.values else "boy"
    rounds = list(selectors.round_list().filter(form=form))
    rnd = next((r for r in rounds if r.pk == int_or_none(request.GET.get("round"))), None)
    rnd = rnd or (rounds[0] if rounds else None)
    institution = unit = None
    if request.GET.get("institution"):
        institution = get_or_404(institution_get, actor=request.user,
                                 pk=int_or_none(request.GET.get("institution")))  # fmt: skip
        if not (scope.manages(institution.pk) or scope.is_office):
            raise PermissionDenied
        board = dashboard.school_dashboard(actor=request.user, institution=institution,
                                           report_round=rnd)  # fmt: skip
    elif scope.is_office:
        unit = _unit_for(request, scope, int_or_none(request.GET.get("unit")))
        board = dashboard.unit_dashboard(actor=request.user, unit=unit, report_round=rnd)
    else:
        schools = _school_institutions(request, scope)
        return redirect(f"{reverse('stats:dashboard')}?institution={schools[0].pk}")
    parts = paginate(request, board.parts)
    ancestors = []
    if unit is not None or institution is not None:
        from truongso.units.selectors import unit_ancestors

        base = unit if unit is not None else institution.commune
        ancestors = [
            a for a in unit_ancestors(base)
            if (unit is None or a.pk != unit.pk) and selectors.covers_unit(scope, a)
        ]  # fmt: skip
    title = _("Học sinh theo khối")
    return render(request, "stats/dashboard.html", {
        "board": board, "unit": unit, "institution": institution, "rounds": rounds,
        "round": rnd, "form": form, "forms": ReportForm.choices, "page_obj": parts,
        "ancestors": ancestors,
        "grade_chart": charts.bar_chart(title, [(g, n) for g, n in board.grades]),
        "trend_chart": charts.line_chart(
            _("Số học sinh qua các năm"), [(y, m["learners"]) for y, m in board.trend]
        ),
        "targets": [
            (row, charts.target_bar(row["label"], row["value"], row["target_2025"],
                                    row["target_2030"]))  # fmt: skip
            for row in board.programme
        ],
        "programme_source": dashboard.programme()["source"],
    })  # fmt: skip


@login_required
def population_xlsx(request):
    scope = _reader(request)
    if not scope.is_office:
        raise PermissionDenied
    unit = selectors.unit_of_actor(request.user)
    rows = selectors.population_list(unit=unit)
    return _download(exports.population_workbook(rows), XLSX,
                     f"dan-so-{unit.code if unit else 'all'}.xlsx")  # fmt: skip


@login_required
def population(request):
    scope = _reader(request)
    if not scope.is_office:
        raise PermissionDenied
    unit = selectors.unit_of_actor(request.user)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Cần chọn tệp để tải lên.")]
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "upload"
                with open(path, "wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                written, problems = services.population_import(
                    actor=request.user, path=path, name=upload.name
                )
            if not problems:
                messages.success(request, _("Đã ghi %(n)s dòng dân số.") % {"n": written})
                return redirect("stats:population")
    page = paginate(request, selectors.population_list(unit=unit))
    return render(request, "stats/population.html", {"page_obj": page, "problems": problems})
