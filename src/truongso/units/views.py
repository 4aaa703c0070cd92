"""Unit browser (the tree in force on a date) and institution pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from truongso.accounts.access import scope_for
from truongso.units import selectors, services
from truongso.units.forms import DateFilterForm, InstitutionFilterForm, InstitutionForm
from truongso.units.models import AdministrativeUnit, Institution
from truongso.web.shortcuts import add_service_errors, get_or_404, paginate


def _unit(unit_id: int) -> AdministrativeUnit:
    # Administrative units are public reference data, not school records.
    unit = AdministrativeUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


@login_required
def browser(request, unit_id: int | None = None):
    form = DateFilterForm(request.GET or None)
    on = dt.date.today()
    if form.is_valid() and form.cleaned_data.get("on"):
        on = form.cleaned_data["on"]
    unit = _unit(unit_id) if unit_id else None
    children = list(selectors.unit_children(parent=unit, on=on))
    institutions = selectors.institution_list(actor=request.user)
    counts: dict[int, int] = {}
    if children and children[0].level == "province":
        counts = dict(
            institutions.order_by().values("province_id").annotate(n=Count("pk"))
            .values_list("province_id", "n")
        )  # fmt: skip
    elif children and children[0].level == "commune":
        counts = dict(
            institutions.order_by().values("commune_id").annotate(n=Count("pk"))
            .values_list("commune_id", "n")
        )  # fmt: skip
    context = {
        "form": form,
        "on": on,
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit)[:-1] if unit else [],
        "children": [{"unit": c, "institutions": counts.get(c.pk)} for c in children],
        "show_counts": bool(counts) or bool(children and children[0].level != "district"),
        "in_force": unit.is_in_force_on(on) if unit else True,
    }
    return render(request, "units/browser.html", context)


@login_required
def institution_list(request):
    form = InstitutionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = _unit(filters["unit"]) if filters.get("unit") else None
    qs = selectors.institution_list(
        actor=request.user,
        query=filters.get("q", ""),
        kind=filters.get("kind") or None,
        ownership=filters.get("ownership") or None,
        unit=unit,
    )
    page = paginate(request, qs)
    return render(
        request,
        "units/institution_list.html",
        {"form": form, "page_obj": page, "unit": unit, "total": page.paginator.count},
    )


@login_required
def institution_detail(request, pk: int):
    institution = get_or_404(selectors.institution_get, actor=request.user, pk=pk)
    scope = scope_for(request.user)
    try:
        selectors.institution_get(actor=request.user, pk=pk, write=True)
        can_edit = True
    except Institution.DoesNotExist:
        can_edit = False
    return render(
        request,
        "units/institution_detail.html",
        {"institution": institution, "can_edit": can_edit, "manages": scope.manages(pk)},
    )


@login_required
def institution_edit(request, pk: int):
    institution = get_or_404(selectors.institution_get, actor=request.user, pk=pk, write=True)
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "reason"}
        fresh = get_or_404(selectors.institution_get, actor=request.user, pk=pk, write=True)
        try:
            services.institution_update(
                actor=request.user,
                institution=fresh,
                fields=fields,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin cơ sở giáo dục."))
            return redirect("units:institution_detail", pk=pk)
    return render(
        request, "units/institution_edit.html", {"form": form, "institution": institution}
    )
