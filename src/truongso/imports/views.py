"""Import and export pages: upload, dry-run report, commit, progress, past jobs, and the
Excel template and export. Thin: access and work are in selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from truongso.imports import exports, selectors, services
from truongso.imports.forms import CommitForm, ImportStartForm
from truongso.imports.messages import located, problem_message
from truongso.imports.models import ImportKind, Severity
from truongso.imports.workbook_template import template_workbook
from truongso.web.shortcuts import add_service_errors, get_or_404, int_or_none, paginate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _institutions(request):
    institutions = list(selectors.import_institutions(actor=request.user))
    if not institutions:
        raise PermissionDenied
    return institutions


@login_required
def start(request):
    institutions = _institutions(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in ImportKind.values else None
    form = ImportStartForm(
        request.POST or None,
        request.FILES or None,
        institutions=selectors.import_institutions(actor=request.user),
        initial={"kind": kind or ImportKind.LEARNERS},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.import_job_create(
                actor=request.user,
                institution=data["institution"],
                kind=data["kind"],
                upload=data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            services.import_job_check_start(actor=request.user, job=job)
            return redirect("imports:job", pk=job.pk)
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "kinds": ImportKind.choices,
            "institutions": institutions,
        },
    )


@login_required
@require_GET
def template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404
    institutions = _institutions(request)
    wanted = int_or_none(request.GET.get("institution"))
    institution = next((i for i in institutions if i.pk == wanted), institutions[0])
    path = template_workbook(kind=kind, actor=request.user, institution=institution)
    return _xlsx_response(path, exports.file_name(_("mau-nhap"), kind))


def _xlsx_response(path, filename: str) -> FileResponse:
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    path.unlink()  # the open handle keeps the data until the response is sent
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def _problems(request, job):
    severity = request.GET.get("severity")
    severity = severity if severity in Severity.values else None
    page = paginate(
        request,
        selectors.import_problem_list(actor=request.user, job=job, severity=severity),
        per_page=50,
    )
    for problem in page.object_list:
        problem.text = located(
            sheet=problem.sheet,
            row=problem.row,
            column=problem.column,
            message=problem_message(problem.code, problem.params),
        )
    return page, severity


@login_required
def job(request, pk: int):
    item = get_or_404(selectors.import_job_get, actor=request.user, pk=pk)
    page, severity = _problems(request, item)
    return render(
        request,
        "imports/job.html",
        {
            "job": item,
            "page_obj": page,
            "severity": severity,
            "severities": Severity.choices,
            "commit_form": CommitForm() if item.can_commit else None,
            "background": services.runs_in_background(item),
        },
    )


@login_required
@require_POST
def job_commit(request, pk: int):
    item = get_or_404(selectors.import_job_get, actor=request.user, pk=pk)
    form = CommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cách ghi dữ liệu."))
        return redirect("imports:job", pk=pk)
    try:
        item = services.import_job_commit(
            actor=request.user, job=item, mode=form.cleaned_data["mode"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("imports:job", pk=pk)
    if item.status == "done":
        messages.success(
            request,
            _("Đã ghi: %(new)s thêm mới, %(updated)s cập nhật.")
            % {"new": item.written_new, "updated": item.written_updated},
        )
    elif item.failure:
        messages.error(request, item.failure)
    return redirect("imports:job", pk=pk)


@login_required
@require_GET
def job_progress(request, pk: int):
    item = get_or_404(selectors.import_job_get, actor=request.user, pk=pk)
    return JsonResponse(
        {
            "status": item.status,
            "status_label": item.get_status_display(),
            "rows_done": item.rows_done,
            "rows_total": item.rows_total,
            "percent": item.percent,
            "running": item.is_running,
        }
    )


@login_required
@require_GET
def jobs(request):
    _institutions(request)
    page = paginate(request, selectors.import_job_list(actor=request.user))
    return render(request, "imports/jobs.html", {"page_obj": page})


@login_required
@require_GET
def export(request, kind: str):
    if kind not in exports.EXPORTS:
        raise Http404
    path = exports.export_workbook(kind=kind, actor=request.user, params=request.GET)
    return _xlsx_response(path, exports.file_name(_("danh-sach"), kind))
