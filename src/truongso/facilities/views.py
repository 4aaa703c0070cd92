"""Facilities pages: thin, the rules live in services, selectors and rules/."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from truongso.accounts.access import scope_for
from truongso.facilities import selectors, services
from truongso.facilities.columns import COLUMNS, TITLES
from truongso.facilities.exports import workbook
from truongso.facilities.files import UnreadableFile, read_rows
from truongso.facilities.forms import (
    PARENTS,
    EquipmentListUploadForm,
    NormForm,
    RecordFilterForm,
    UtilitiesForm,
    record_form,
)
from truongso.facilities.models import NormKind
from truongso.units.models import AdministrativeUnit
from truongso.web.shortcuts import add_service_errors, get_or_404, int_or_none, paginate

STATUS_LABELS = {
    "enough": gettext_lazy("Đủ"),
    "broken": gettext_lazy("Đủ nhưng có thiết bị hỏng"),
    "missing": gettext_lazy("Thiếu"),
    "short": gettext_lazy("Chưa đạt"),
}


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def _kind(kind: str) -> str:
    if kind not in selectors.KINDS:
        raise Http404
    return kind


def _school(request, pk: int, write: bool = False):
    return get_or_404(selectors.facility_school_get, actor=request.user, pk=pk, write=write)


@login_required
def home(request):
    scope = scope_for(request.user)
    if scope.is_office:
        return redirect("facilities:office")
    schools = list(selectors.facility_schools(actor=request.user)[:2])
    if len(schools) == 1:
        return redirect("facilities:school", pk=schools[0].pk)
    if not schools:
        raise PermissionDenied
    page = paginate(request, selectors.facility_schools(actor=request.user))
    return render(request, "facilities/schools.html", {"page_obj": page})


@login_required
def school(request, pk: int):
    institution = _school(request, pk)
    overview = selectors.school_overview(actor=request.user, institution=institution)
    return render(
        request,
        "facilities/school.html",
        {
            "institution": institution,
            "o": overview,
            "kinds": list(TITLES.items()),
            "manages": services.can_manage_facilities(request.user, institution.pk),
        },
    )


def _records(request, institution, kind):
    form = RecordFilterForm(request.GET or None, kind=kind)
    filters = form.selector_kwargs()
    filters["query"] = filters.pop("q", "")
    qs = selectors.facility_list(
        actor=request.user, kind=kind, institution_id=institution.pk, **filters
    )
    return form, qs


@login_required
def records(request, pk: int, kind: str):
    kind = _kind(kind)
    institution = _school(request, pk)
    form, qs = _records(request, institution, kind)
    page = paginate(request, qs)
    columns = COLUMNS[kind]
    rows = [(obj, [(label, get(obj)) for label, get in columns]) for obj in page.object_list]
    return render(
        request,
        "facilities/records.html",
        {
            "institution": institution,
            "kind": kind,
            "title": TITLES[kind],
            "form": form,
            "page_obj": page,
            "total": page.paginator.count,
            "labels": [label for label, _get in columns],
            "rows": rows,
            "manages": services.can_manage_facilities(request.user, institution.pk),
            "query_string": request.GET.urlencode(),
        },
    )


@login_required
def records_xlsx(request, pk: int, kind: str):
    kind = _kind(kind)
    institution = _school(request, pk)
    _form, qs = _records(request, institution, kind)
    columns = COLUMNS[kind]
    content = workbook(
        TITLES[kind],
        [label for label, _get in columns],
        ([get(obj) for _label, get in columns] for obj in qs.iterator(chunk_size=2000)),
        heading=[institution.name],
    )
    return _xlsx(content, f"co-so-vat-chat-{kind}-{institution.code}")


def _list_items(institution):
    """(code, label) of the lines of the lists in force for the school's grades."""
    lines = selectors.current_list_lines()
    low, high = institution.grade_from, institution.grade_to
    return [
        (line.code, f"{line.code} · {line.name} ({_('khối')} {line.grade})")
        for line in lines
        if low <= line.grade <= high
    ]


def _form(request, institution, kind, instance=None):
    parents = None
    if kind in PARENTS:
        parents = selectors.facility_list(
            actor=request.user, kind=PARENTS[kind][1], institution_id=institution.pk, write=True
        )
    return record_form(
        kind,
        data=request.POST or None,
        instance=instance,
        parents=parents,
        list_items=_list_items(institution) if kind == "equipment" else None,
    )


@login_required
def record_new(request, pk: int, kind: str):
    kind = _kind(kind)
    institution = _school(request, pk, write=True)
    form = _form(request, institution, kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_create(
                actor=request.user, kind=kind, institution=institution,
                fields={name: form.cleaned_data[name] for name in services.FIELDS[kind]},
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm."))
            return redirect("facilities:records", pk=institution.pk, kind=kind)
    return render(
        request,
        "facilities/form.html",
        {"institution": institution, "kind": kind, "title": TITLES[kind], "form": form},
    )


@login_required
def record_edit(request, pk: int, kind: str, record: int):
    kind = _kind(kind)
    institution = _school(request, pk, write=True)
    instance = get_or_404(selectors.facility_get, actor=request.user, kind=kind, pk=record,
                          write=True)  # fmt: skip
    if instance.institution_id != institution.pk:
        raise Http404
    if request.method == "POST" and request.POST.get("delete"):
        try:
            services.facility_delete(actor=request.user, instance=instance)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("facilities:record_edit", pk=pk, kind=kind, record=record)
        messages.success(request, _("Đã xoá."))
        return redirect("facilities:records", pk=institution.pk, kind=kind)
    form = _form(request, institution, kind, instance)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.facility_get(actor=request.user, kind=kind, pk=record, write=True)
        try:
            services.facility_update(
                actor=request.user, instance=fresh,
                fields={name: form.cleaned_data[name] for name in services.FIELDS[kind]},
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("facilities:records", pk=institution.pk, kind=kind)
    return render(
        request,
        "facilities/form.html",
        {"institution": institution, "kind": kind, "title": TITLES[kind], "form": form,
         "instance": instance},
    )  # fmt: skip


@login_required
def utilities(request, pk: int):
    institution = _school(request, pk, write=True)
    current = selectors.utilities_get(actor=request.user, institution=institution)
    form = UtilitiesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.utilities_set(
                actor=request.user, institution=institution,
                fields={name: form.cleaned_data[name] for name in services.UTILITY_FIELDS},
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("facilities:school", pk=institution.pk)
    return render(
        request,
        "facilities/form.html",
        {"institution": institution, "title": _("Điện, nước, internet"), "form": form},
    )


def _gap_rows(report):
    for g in report.gaps:
        yield [g.line.code, g.line.name, g.line.grade, g.line.subject_code, g.line.unit,
               g.required, g.good, g.unusable, g.missing, g.to_repair,
               str(STATUS_LABELS[g.status])]  # fmt: skip


def _gap_header():
    return [_("Mã"), _("Thiết bị"), _("Khối"), _("Môn"), _("Đơn vị"), _("Cần có"),
            _("Dùng tốt"), _("Hỏng, cần sửa"), _("Cần mua"), _("Cần sửa"),
            _("Kết quả")]  # fmt: skip


def _norm_label(check) -> str:
    return str(dict(NormKind.choices).get(check.norm.kind, check.norm.kind))


@login_required
def gaps(request, pk: int):
    institution = _school(request, pk)
    report = selectors.school_gap_report(actor=request.user, institution=institution)
    status = request.GET.get("status", "")
    lines = [g for g in report.gaps if not status or g.status == status]
    page = paginate(request, lines)
    return render(
        request,
        "facilities/gaps.html",
        {
            "institution": institution,
            "report": report,
            "page_obj": page,
            "status": status,
            "statuses": [(k, v) for k, v in STATUS_LABELS.items() if k != "short"],
            "labels": STATUS_LABELS,
            "norms": [(_norm_label(c), c) for c in report.norms],
        },
    )


@login_required
def gaps_xlsx(request, pk: int):
    institution = _school(request, pk)
    report = selectors.school_gap_report(actor=request.user, institution=institution)
    return _xlsx(
        workbook(_("Thiết bị thiếu"), _gap_header(), _gap_rows(report),
                 heading=[institution.name]),
        f"thiet-bi-thieu-{institution.code}",
    )  # fmt: skip


@login_required
def norms_xlsx(request, pk: int):
    institution = _school(request, pk)
    report = selectors.school_gap_report(actor=request.user, institution=institution)
    rows = (
        [_norm_label(c), c.norm.value, c.required, c.available, c.shortfall,
         str(STATUS_LABELS[c.status])]
        for c in report.norms
    )  # fmt: skip
    header = [_("Định mức"), _("Giá trị"), _("Cần có"), _("Hiện có"), _("Còn thiếu"),
              _("Kết quả")]  # fmt: skip
    return _xlsx(
        workbook(_("Định mức"), header, rows, heading=[institution.name]),
        f"dinh-muc-{institution.code}",
    )


def _office(request):
    scope = scope_for(request.user)
    if not scope.is_office:
        raise PermissionDenied
    unit = None
    unit_id = int_or_none(request.GET.get("unit"))
    if unit_id:  # administrative units are public reference data
        unit = AdministrativeUnit.objects.filter(pk=unit_id).first()
    return selectors.office_rollup(
        actor=request.user, unit=unit, query=request.GET.get("q", "").strip()
    ), unit


@login_required
def office(request):
    rollup, unit = _office(request)
    page = paginate(request, rollup.rows)
    return render(
        request,
        "facilities/office.html",
        {"rollup": rollup, "page_obj": page, "unit": unit, "q": request.GET.get("q", "")},
    )


@login_required
def office_xlsx(request):
    rollup, _unit = _office(request)
    header = [_("Mã trường"), _("Trường"), _("Phòng học"), _("Nước sạch"), _("Internet"),
              _("Điện lưới"), _("Chỗ vệ sinh"), _("Thiết bị cần có"), _("Thiết bị còn thiếu"),
              _("Cần mua"), _("Cần sửa"), _("Định mức chưa đạt")]  # fmt: skip

    def yes(value):
        return _("Có") if value else _("Không")

    rows = [
        [r.report.institution.code, r.report.institution.name, r.classrooms,
         yes(r.clean_water), yes(r.internet), yes(r.grid_power), r.toilet_places,
         r.report.summary.items_required, r.report.summary.items_short,
         r.report.summary.items_missing, r.report.summary.items_to_repair,
         r.report.norms_short]
        for r in rollup.rows
    ]  # fmt: skip
    s = rollup.summary
    rows.append(["", _("Tổng cộng"), rollup.classrooms, rollup.clean_water, rollup.internet,
                 rollup.grid_power, rollup.toilet_places, s.items_required, s.items_short,
                 s.items_missing, s.items_to_repair, rollup.schools_short_norms])  # fmt: skip
    return _xlsx(workbook(_("Cơ sở vật chất"), header, rows), "co-so-vat-chat-tong-hop")


# --- Reference data: the minimum lists and the norms ---------------------------------------


@login_required
def lists(request):
    page = paginate(request, selectors.equipment_lists())
    return render(
        request,
        "facilities/lists.html",
        {"page_obj": page, "is_admin": services.is_facilities_admin(request.user)},
    )


def _list_items_query(request, pk):
    equipment_list = get_or_404(selectors.equipment_list_get, pk=pk)
    query = request.GET.get("q", "").strip()
    return equipment_list, selectors.equipment_list_items(list_id=pk, query=query), query


@login_required
def list_detail(request, pk: int):
    equipment_list, items, query = _list_items_query(request, pk)
    page = paginate(request, items)
    return render(
        request,
        "facilities/list_detail.html",
        {"equipment_list": equipment_list, "page_obj": page, "q": query},
    )


@login_required
def list_xlsx(request, pk: int):
    equipment_list, items, _query = _list_items_query(request, pk)
    header = [_("Mã"), _("Tên thiết bị"), _("Khối"), _("Môn"), _("Đơn vị"), _("Số lượng"),
              _("Tính theo"), _("Ghi chú")]  # fmt: skip
    rows = (
        [i.code, i.name, i.grade, i.subject_code, i.unit, i.quantity, i.get_per_display(),
         i.note]
        for i in items
    )  # fmt: skip
    heading = [equipment_list.name, equipment_list.legal_source,
               f"v{equipment_list.version}"]  # fmt: skip
    return _xlsx(workbook(_("Danh mục"), header, rows, heading=heading),
                 f"danh-muc-{equipment_list.code}-v{equipment_list.version}")  # fmt: skip


@login_required
def list_upload(request):
    if not services.is_facilities_admin(request.user):
        raise PermissionDenied
    form = EquipmentListUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                loaded = services.equipment_list_load(
                    actor=request.user, rows=read_rows(path, upload.name), source_file=upload.name
                )
            except UnreadableFile as error:
                problems = [str(error)]
            except services.EquipmentListError as error:
                problems = error.messages
        if not problems:
            for item in loaded:
                text = (
                    _("Đã nạp %(name)s, phiên bản %(v)s (%(n)s thiết bị).")
                    if item.created
                    else _("%(name)s không thay đổi (phiên bản %(v)s).")
                )
                messages.success(
                    request,
                    text % {"name": item.equipment_list.name, "v": item.equipment_list.version,
                            "n": item.items},
                )  # fmt: skip
            return redirect("facilities:lists")
    return render(request, "facilities/upload.html", {"form": form, "problems": problems})


@login_required
def norms(request):
    page = paginate(request, selectors.norms_all())
    rows = [(n, dict(NormKind.choices).get(n.kind, n.kind)) for n in page.object_list]
    return render(
        request,
        "facilities/norms.html",
        {"page_obj": page, "rows": rows, "is_admin": services.is_facilities_admin(request.user)},
    )


@login_required
def norms_all_xlsx(request):
    header = [_("Mã"), _("Định mức"), _("Giá trị"), _("Áp dụng cho cấp học"), _("Căn cứ"),
              _("Ghi chú"), _("Đang áp dụng")]  # fmt: skip
    rows = (
        [n.code, n.get_kind_display(), n.value, n.kinds, n.source, n.note,
         _("Có") if n.is_active else _("Không")]
        for n in selectors.norms_all()
    )  # fmt: skip
    return _xlsx(workbook(_("Định mức"), header, rows), "dinh-muc")


@login_required
def norm_edit(request, pk: int):
    if not services.is_facilities_admin(request.user):
        raise PermissionDenied
    norm = get_or_404(selectors.norm_get, pk=pk)
    form = NormForm(request.POST or None, instance=norm)
    if request.method == "POST" and form.is_valid():
        try:
            services.norm_update(
                actor=request.user, norm=selectors.norm_get(pk=pk),
                fields={name: form.cleaned_data[name] for name in services.NORM_FIELDS},
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu định mức %(code)s.") % {"code": norm.code})
            return redirect(reverse("facilities:norms"))
    return render(
        request,
        "facilities/form.html",
        {"title": _("Định mức %(code)s") % {"code": norm.code}, "form": form},
    )
