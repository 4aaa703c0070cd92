"""Reads for units and institutions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import QuerySet

from truongso.accounts.access import institutions_q, scope_for
from truongso.core.rules.text import fold
from truongso.units.models import AdministrativeUnit, Institution
from truongso.units.rules import map as map_rules


def unit_children(*, parent: AdministrativeUnit | None, on: dt.date | None = None):
    """Units under ``parent`` (the provinces under the country when None) in force on a day."""
    day = on or dt.date.today()
    qs = AdministrativeUnit.objects.in_force_on(day)
    if parent is None:
        return qs.filter(level="province").order_by("name")
    return qs.filter(parent=parent).order_by("name")


def unit_ancestors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    by_id = AdministrativeUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_search(*, query: str, on: dt.date | None = None, level: str | None = None):
    qs = AdministrativeUnit.objects.in_force_on(on or dt.date.today())
    if level:
        qs = qs.filter(level=level)
    folded = fold(query)
    if folded:
        qs = qs.filter(search_name__contains=folded)
    return qs.order_by("level", "name")


def institution_list(
    *,
    actor,
    query: str = "",
    kind: str | None = None,
    ownership: str | None = None,
    unit: AdministrativeUnit | None = None,
) -> QuerySet[Institution]:
    qs = Institution.objects.filter(institutions_q(scope_for(actor))).select_related(
        "commune", "province"
    )
    if query:
        qs = qs.filter(search_name__contains=fold(query))
    if kind:
        qs = qs.filter(kind=kind)
    if ownership:
        qs = qs.filter(ownership=ownership)
    if unit is not None:
        if unit.level == "province":
            qs = qs.filter(province=unit)
        elif unit.level != "country":
            qs = qs.filter(commune__path__startswith=unit.path)
    return qs.order_by("name", "pk")


def institution_get(*, actor, pk: int, write: bool = False) -> Institution:
    """One institution the actor may read (or change): Institution.DoesNotExist otherwise."""
    return (
        Institution.objects.filter(institutions_q(scope_for(actor), write=write))
        .select_related("commune", "province", "managing_unit")
        .get(pk=pk)
    )


def unit_list(
    *,
    on: dt.date | None = None,
    level: str | None = None,
    parent_id: int | None = None,
    query: str = "",
) -> QuerySet[AdministrativeUnit]:
    """Units in force on a day (today by default), narrowed by level, parent and name."""
    qs = AdministrativeUnit.objects.in_force_on(on or dt.date.today())
    if level:
        qs = qs.filter(level=level)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    folded = fold(query)
    if folded:
        qs = qs.filter(search_name__contains=folded)
    return qs.order_by("level", "code", "pk")


def unit_get(*, pk: int) -> AdministrativeUnit:
    """One unit (units are public reference data); AdministrativeUnit.DoesNotExist otherwise."""
    return AdministrativeUnit.objects.get(pk=pk)


def institution_directory_get(*, pk: int) -> Institution:
    """Any active institution, as the national directory names it: for choosing the
    destination of a transfer, which the sending school cannot otherwise read.
    Institution.DoesNotExist otherwise."""
    return Institution.objects.filter(is_active=True).get(pk=pk)


def institution_by_code(*, code: str) -> Institution:
    """An active institution found by its education identifier, from the public directory
    (a school transferring a learner names the receiving school this way).
    Institution.DoesNotExist when there is none."""
    return Institution.objects.only("pk", "code", "name", "province_id").get(
        code=(code or "").strip(), is_active=True
    )


# What the map needs of an institution (no contact details, no address).
MAP_FIELDS = ("pk", "code", "name", "kind", "ownership", "latitude", "longitude", "province_id")


def institution_map(
    *,
    actor,
    kind: str | None = None,
    ownership: str | None = None,
    province: AdministrativeUnit | None = None,
) -> tuple[list[Institution], list[Institution]]:
    """The active institutions the actor may read, for the map: those with coordinates
    and those without (which the map lists instead of dropping them)."""
    qs = (
        institution_list(actor=actor, kind=kind, ownership=ownership, unit=province)
        .filter(is_active=True)
        .select_related(None)
        .only(*MAP_FIELDS)
    )
    located: list[Institution] = []
    unlocated: list[Institution] = []
    for institution in qs.iterator(chunk_size=2000):
        if institution.latitude is None or institution.longitude is None:
            unlocated.append(institution)
        else:
            located.append(institution)
    return located, unlocated


def institution_map_geojson(
    *,
    actor,
    url_for: Callable[[Institution], str],
    kind: str | None = None,
    ownership: str | None = None,
    province: AdministrativeUnit | None = None,
) -> dict:
    """GeoJSON FeatureCollection of ``institution_map``; ``url_for`` gives the URL of an
    institution's page. Those without coordinates are in the member ``unlocated``."""
    located, unlocated = institution_map(
        actor=actor, kind=kind, ownership=ownership, province=province
    )

    def properties(i: Institution) -> dict:
        return {
            "id": i.pk, "code": i.code, "name": i.name, "kind": i.kind,
            "kind_label": str(i.get_kind_display()), "ownership": i.ownership,
            "ownership_label": str(i.get_ownership_display()), "url": url_for(i),
        }  # fmt: skip

    return map_rules.feature_collection(
        (
            map_rules.feature(
                id=i.pk, longitude=i.longitude, latitude=i.latitude, properties=properties(i)
            )
            for i in located
        ),
        unlocated=[properties(i) for i in unlocated],
    )
