"""Unit browser (the tree in force on a date) and institution pages."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from truongso.accounts.access import scope_for
from truongso.units import selectors, services
from truongso.units.forms import (
    DateFilterForm,
    InstitutionFilterForm,
    InstitutionForm,
    MapFilterForm,
)
from truongso.units.models import AdministrativeUnit, Institution, InstitutionKind
from truongso.units.rules.map import scatter
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


# The map of institutions ------------------------------------------------------------

MAP_WIDTH, MAP_HEIGHT = 600, 420
UNLOCATED_SHOWN = 200


@functools.cache
def leaflet_available() -> bool:
    """Leaflet is optional: without it (scripts/fetch-assets not run) the server draws
    the points as a picture."""
    return bool(finders.find("vendor/leaflet/leaflet.js"))


def _map_form(request) -> MapFilterForm:
    national = scope_for(request.user).national
    return MapFilterForm(
        request.GET or None,
        provinces=selectors.unit_children(parent=None) if national else None,
    )


@login_required
def institution_map(request):
    form = _map_form(request)
    filters = form.filters()
    located, unlocated = selectors.institution_map(actor=request.user, **filters)
    counts = Counter(i.kind for i in located)
    legend = [
        {"kind": kind, "label": label, "count": counts.get(kind, 0)}
        for kind, label in InstitutionKind.choices
    ]
    drawing = None
    with_leaflet = leaflet_available()
    if not with_leaflet:
        drawing = scatter(
            [(i.longitude, i.latitude, i) for i in located], width=MAP_WIDTH, height=MAP_HEIGHT
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "located_total": len(located),
        "page_obj": paginate(request, located),
        "unlocated": unlocated[:UNLOCATED_SHOWN],
        "unlocated_total": len(unlocated),
        "unlocated_more": max(0, len(unlocated) - UNLOCATED_SHOWN),
        "legend": legend,
        "leaflet": with_leaflet,
        "drawing": drawing,
        "map_width": MAP_WIDTH,
        "map_height": MAP_HEIGHT,
        "geojson_url": f"{reverse('units:map_data')}?{query.urlencode()}",
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "units/map.html", context)


@login_required
def institution_map_data(request):
    """GeoJSON of the institutions on the map, with the same filters as the page."""
    form = _map_form(request)
    filters = form.filters()
    if form.errors:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = selectors.institution_map_geojson(
        actor=request.user,
        url_for=lambda i: reverse("units:institution_detail", args=[i.pk]),
        **filters,
    )
    return JsonResponse(data, content_type="application/geo+json")
