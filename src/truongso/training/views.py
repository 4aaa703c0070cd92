"""Pages of staff development: thin, the rules live in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolYear
from truongso.academics.selectors import current_school_year
from truongso.accounts.access import scope_for
from truongso.training import exports, selectors, services
from truongso.training.forms import RecordFilterForm, TrainingRecordForm
from truongso.training.models import OfficialRating, ProfessionalStandard
from truongso.units.selectors import institution_get
from truongso.web.shortcuts import add_service_errors, get_or_404, int_or_none, paginate


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _year(request) -> SchoolYear | None:
    pk = int_or_none(request.GET.get("year") or request.POST.get("year"))
    if pk:
        found = SchoolYear.objects.filter(pk=pk).first()
        if found is not None:
            return found
    return current_school_year()


def _school(request, pk: int):
    """A school whose staff records ``request.user`` reads: its managers, its offices."""
    institution = get_or_404(institution_get, actor=request.user, pk=pk)
    scope = scope_for(request.user)
    if not (scope.manages(institution.pk) or scope.is_office):
        raise PermissionDenied
    return institution


@login_required
def home(request):
    scope = scope_for(request.user)
    if scope.is_office:
        return redirect("training:summary")
    if len(scope.managed_institution_ids) == 1:
        return redirect("training:school", pk=next(iter(scope.managed_institution_ids)))
    if scope.managed_institution_ids:
        return redirect("training:summary")
    own = selectors.own_staff_member(actor=request.user)
    if own is not None:
        return redirect("training:staff", pk=own.pk)
    raise PermissionDenied


def _records(request, institution):
    form = RecordFilterForm(request.GET or None)
    records = selectors.training_records(
        actor=request.user, institution_id=institution.pk, **form.selector_kwargs()
    )
    return form, records


@login_required
def school(request, pk: int):
    institution = _school(request, pk)
    form, records = _records(request, institution)
    page = paginate(request, records)
    year = current_school_year()
    rows, _total = selectors.staff_summary(
        actor=request.user, school_year=year, institution_id=institution.pk
    )
    return render(request, "training/school.html", {
        "institution": institution, "form": form, "page_obj": page,
        "total": page.paginator.count, "figures": rows[0] if rows else None, "year": year,
        "manages": scope_for(request.user).manages(institution.pk),
        "staff": selectors.appraisal_rows(actor=request.user, institution=institution,
                                          school_year=year) if year else [],
    })  # fmt: skip


@login_required
def school_xlsx(request, pk: int):
    institution = _school(request, pk)
    _form, records = _records(request, institution)
    return _xlsx(exports.records_workbook(records.iterator()), f"boi-duong-{institution.code}")


@login_required
def staff(request, pk: int):
    member = get_or_404(selectors.staff_member_get, actor=request.user, pk=pk)
    records = selectors.training_records(actor=request.user, staff_member_id=member.pk)
    return render(request, "training/staff.html", {
        "member": member,
        "page_obj": paginate(request, records),
        "appraisals": selectors.appraisals(actor=request.user, staff_member_id=member.pk),
        "manages": scope_for(request.user).manages(member.institution_id),
    })  # fmt: skip


@login_required
def staff_xlsx(request, pk: int):
    member = get_or_404(selectors.staff_member_get, actor=request.user, pk=pk)
    records = selectors.training_records(actor=request.user, staff_member_id=member.pk)
    return _xlsx(exports.records_workbook(records), f"boi-duong-can-bo-{member.pk}")


@login_required
def record_new(request, pk: int):
    member = get_or_404(selectors.staff_member_get, actor=request.user, pk=pk)
    if not scope_for(request.user).manages(member.institution_id):
        raise PermissionDenied
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record_create(actor=request.user, staff_member=member,
                                            fields=form.service_fields())  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm khóa bồi dưỡng cho %(name)s.")
                             % {"name": member.full_name})  # fmt: skip
            return redirect("training:staff", pk=member.pk)
    return render(request, "training/record_form.html", {"form": form, "member": member},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def record_edit(request, pk: int):
    record = get_or_404(selectors.training_record_get, actor=request.user, pk=pk, write=True)
    member = record.staff_member
    form = TrainingRecordForm(request.POST or None, instance=record)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.training_record_delete(actor=request.user, record=record,
                                            reason=request.POST.get("reason", ""))  # fmt: skip
            messages.success(request, _("Đã xóa khóa bồi dưỡng."))
            return redirect("training:staff", pk=member.pk)
        if form.is_valid():
            try:
                services.training_record_update(
                    actor=request.user, record=selectors.training_record_get(
                        actor=request.user, pk=pk, write=True),
                    fields=form.service_fields(), reason=form.cleaned_data.get("reason", ""),
                )  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("training:staff", pk=member.pk)
    return render(request, "training/record_form.html",
                  {"form": form, "member": member, "record": record},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def appraisals(request, pk: int):
    institution = _school(request, pk)
    year = _year(request)
    if year is None:
        raise PermissionDenied
    manages = scope_for(request.user).manages(institution.pk)
    members = list(selectors.appraisal_rows(actor=request.user, institution=institution,
                                            school_year=year))  # fmt: skip
    notes: list[str] = []
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        saved = 0
        for m in members:
            current = m.year_appraisal[0] if m.year_appraisal else None
            standard = request.POST.get(f"s-{m.pk}", "")
            rating = request.POST.get(f"r-{m.pk}", "")
            if (standard, rating) == ((current.professional_standard, current.official_rating)
                                      if current else ("", "")):  # fmt: skip
                continue
            try:
                services.staff_appraisal_set(actor=request.user, staff_member=m,
                                             school_year=year, professional_standard=standard,
                                             official_rating=rating)  # fmt: skip
                saved += 1
            except ValidationError as error:
                notes.append(f"{m.full_name}: {' '.join(error.messages)}")
        if not notes:
            messages.success(request, _("Đã lưu %(n)s thay đổi.") % {"n": saved})
            return redirect(f"{reverse('training:appraisals', args=[pk])}?year={year.pk}")
        members = list(selectors.appraisal_rows(actor=request.user, institution=institution,
                                                school_year=year))  # fmt: skip
    return render(request, "training/appraisals.html", {
        "institution": institution, "year": year, "manages": manages, "notes": notes,
        "rows": [(m, m.year_appraisal[0] if m.year_appraisal else None) for m in members],
        "years": SchoolYear.objects.order_by("-starts_on"),
        "standards": ProfessionalStandard.choices, "ratings": OfficialRating.choices,
    }, status=400 if notes else 200)  # fmt: skip


@login_required
def appraisals_xlsx(request, pk: int):
    institution = _school(request, pk)
    year = _year(request)
    if year is None:
        raise PermissionDenied
    members = selectors.appraisal_rows(actor=request.user, institution=institution,
                                       school_year=year)  # fmt: skip
    return _xlsx(exports.appraisals_workbook(institution, year, members),
                 f"danh-gia-can-bo-{institution.code}-{year.name}")  # fmt: skip


def _summary(request):
    scope = scope_for(request.user)
    if not (scope.is_office or scope.managed_institution_ids):
        raise PermissionDenied
    year = _year(request)
    rows, total = selectors.staff_summary(actor=request.user, school_year=year)
    return year, rows, total


@login_required
def summary(request):
    year, rows, total = _summary(request)
    page = paginate(request, rows)
    return render(request, "training/summary.html", {
        "year": year, "page_obj": page, "total": total,
        "years": SchoolYear.objects.order_by("-starts_on"),
    })  # fmt: skip


@login_required
def summary_xlsx(request):
    year, rows, total = _summary(request)
    return _xlsx(exports.summary_workbook(year, rows, total), f"boi-duong-tong-hop-{year}")
