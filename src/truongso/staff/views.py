"""Staff pages: list, record, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from truongso.accounts.access import can_read_full_staff_record, scope_for
from truongso.staff import selectors, services
from truongso.staff.forms import StaffCreateForm, StaffFilterForm, StaffForm
from truongso.web.shortcuts import add_service_errors, get_or_404, paginate


@login_required
def staff_list(request):
    form = StaffFilterForm(request.GET or None, actor=request.user)
    page = paginate(request, selectors.staff_list(actor=request.user, **form.selector_kwargs()))
    scope = scope_for(request.user)
    return render(
        request,
        "staff/list.html",
        {
            "form": form,
            "page_obj": page,
            "total": page.paginator.count,
            "can_create": bool(scope.managed_institution_ids),
        },
    )


@login_required
def staff_detail(request, pk: int):
    member = get_or_404(selectors.staff_get, actor=request.user, pk=pk)
    scope = scope_for(request.user)
    manages = scope.manages(member.institution_id)
    return render(
        request,
        "staff/detail.html",
        {
            "member": member,
            "manages": manages,
            # Colleagues see name, position and subjects; the school and offices see all.
            "full_record": can_read_full_staff_record(scope, member.institution_id),
            "homeroom_classes": member.homeroom_classes.select_related("school_year"),
        },
    )


@login_required
def staff_create(request):
    scope = scope_for(request.user)
    if not scope.managed_institution_ids:
        raise PermissionDenied
    form = StaffCreateForm(
        request.POST or None, actor=request.user, managed_ids=scope.managed_institution_ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_create(
                actor=request.user,
                institution=form.cleaned_data["institution"],
                fields=form.service_fields(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": member.full_name})
            return redirect("staff:detail", pk=member.pk)
    return render(request, "staff/form.html", {"form": form, "member": None})


@login_required
def staff_edit(request, pk: int):
    member = get_or_404(selectors.staff_get, actor=request.user, pk=pk, write=True)
    form = StaffForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.service_fields().items() if k in form.changed_data}
        if not fields:
            messages.info(request, _("Không có thông tin nào thay đổi."))
            return redirect("staff:detail", pk=pk)
        try:
            services.staff_update(
                actor=request.user,
                member=get_or_404(selectors.staff_get, actor=request.user, pk=pk, write=True),
                fields=fields,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu hồ sơ cán bộ, giáo viên."))
            return redirect("staff:detail", pk=pk)
    return render(request, "staff/form.html", {"form": form, "member": member})
