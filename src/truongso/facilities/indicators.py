"""Figures offered to the statistics (see core/indicators.py), computed from the records.

Facilities rows keep no history: a figure counts the records made on or before the
cut-off date as they are now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from truongso.core.indicators import IndicatorSource
from truongso.facilities.models import Room, RoomType, ToiletBlock, Utilities
from truongso.facilities.rules.equipment_gaps import equipment_gaps, summarise
from truongso.facilities.selectors import (
    classes_by_grade,
    clean_water_ids,
    current_list_lines,
    equipment_held,
)


def _until(qs, cutoff: dt.date):
    return qs.filter(created_at__date__lte=cutoff)


def _rooms_of_type(room_type: str):
    def compute(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
        rows = (
            _until(Room.objects.filter(institution_id__in=list(institution_ids)), cutoff)
            .filter(room_type=room_type)
            .values_list("institution_id")
            .annotate(n=Count("pk"))
        )
        return dict(rows)

    return compute


def _schools_with(field: str):
    def compute(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
        qs = _until(Utilities.objects.filter(institution_id__in=list(institution_ids)), cutoff)
        return dict.fromkeys(qs.filter(**{field: True}).values_list("institution_id", flat=True),
                             1)  # fmt: skip

    return compute


def _clean_water(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
    ids = list(
        _until(
            Utilities.objects.filter(institution_id__in=list(institution_ids)), cutoff
        ).values_list("institution_id", flat=True)
    )
    return dict.fromkeys(clean_water_ids(ids), 1)


def _toilet_places(*fields: str):
    def compute(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
        qs = _until(ToiletBlock.objects.filter(institution_id__in=list(institution_ids)), cutoff)
        totals: dict[int, int] = {}
        for row in qs.values("institution_id").annotate(**{f: Sum(f) for f in fields}):
            totals[row["institution_id"]] = sum(row[f] or 0 for f in fields)
        return totals

    return compute


def _equipment_short(institution_ids: Iterable[int], cutoff: dt.date) -> dict[int, int]:
    """Items of the minimum lists in force still needed in good condition."""
    ids = list(institution_ids)
    lines = current_list_lines()
    grades = classes_by_grade(ids)
    held = equipment_held(ids)
    result = {}
    for pk in ids:
        short = summarise(equipment_gaps(lines, grades.get(pk, {}), held.get(pk, {}))).items_short
        if short:
            result[pk] = short
    return result


ALL_PLACES = ("places_girls", "places_boys", "places_staff", "places_accessible")

INDICATORS = [
    IndicatorSource("facilities.classrooms", _("Số phòng học"), "count",
                    _rooms_of_type(RoomType.CLASSROOM)),
    *[
        IndicatorSource(f"facilities.rooms.{value}", label, "count", _rooms_of_type(value))
        for value, label in RoomType.choices
        if value != RoomType.CLASSROOM
    ],
    IndicatorSource("facilities.schools_clean_water", _("Số trường có nước sạch"), "count",
                    _clean_water),
    IndicatorSource("facilities.schools_internet", _("Số trường có internet"), "count",
                    _schools_with("internet")),
    IndicatorSource("facilities.schools_grid_power", _("Số trường có điện lưới"), "count",
                    _schools_with("grid_power")),
    IndicatorSource("facilities.toilet_places", _("Số chỗ vệ sinh"), "count",
                    _toilet_places(*ALL_PLACES)),
    IndicatorSource("facilities.toilet_places_girls", _("Số chỗ vệ sinh cho học sinh nữ"),
                    "count", _toilet_places("places_girls")),
    IndicatorSource("facilities.toilet_places_boys", _("Số chỗ vệ sinh cho học sinh nam"),
                    "count", _toilet_places("places_boys")),
    IndicatorSource("facilities.toilet_places_accessible",
                    _("Số chỗ vệ sinh cho người khuyết tật"), "count",
                    _toilet_places("places_accessible")),
    IndicatorSource("facilities.handwashing_points", _("Số vòi rửa tay"), "count",
                    _toilet_places("handwashing_points")),
    IndicatorSource("facilities.equipment_items_short",
                    _("Số thiết bị dạy học tối thiểu còn thiếu"), "count", _equipment_short),
]  # fmt: skip
