"""API schemas for administrative units and institutions.

Coordinates are JSON numbers (degrees, up to 6 decimals), in and out."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from truongso.units.models import InstitutionKind, Ownership, UnitLevel

UnitLevelValue = Literal[tuple(UnitLevel.values)]  # type: ignore[valid-type]
KindValue = Literal[tuple(InstitutionKind.values)]  # type: ignore[valid-type]
OwnershipValue = Literal[tuple(Ownership.values)]  # type: ignore[valid-type]


class UnitRef(Schema):
    id: int
    code: str
    name: str
    level: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    parent_id: int | None
    path: str = Field(description="Ids from the root, e.g. /1/2/35/: descendants share it.")
    valid_from: dt.date | None
    valid_to: dt.date | None
    latitude: float | None
    longitude: float | None


class UnitFilter(Schema):
    level: UnitLevelValue | None = None
    parent: int | None = Field(None, description="Only the units directly under this one.")
    on: dt.date | None = Field(None, description="Units in force on this day (default today).")
    q: str = Field("", description="Part of the name; diacritics and case are ignored.")


class InstitutionRef(Schema):
    id: int
    code: str
    name: str


class InstitutionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    grade_from: int
    grade_to: int
    ownership: str
    commune: UnitRef
    province: UnitRef
    managing_unit_id: int
    address: str
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    website: str
    is_active: bool
    updated_at: dt.datetime


class InstitutionFilter(Schema):
    q: str = Field("", description="Part of the name; diacritics and case are ignored.")
    kind: KindValue | None = None
    ownership: OwnershipValue | None = None
    unit: int | None = Field(None, description="Institutions in this unit's subtree.")


class _InstitutionFields(Schema):
    model_config = ConfigDict(extra="forbid")

    grade_from: int | None = None
    grade_to: int | None = None
    ownership: OwnershipValue | None = None
    address: str | None = None
    latitude: decimal.Decimal | None = None
    longitude: decimal.Decimal | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    is_active: bool | None = None
    reason: str = ""


class InstitutionCreateIn(_InstitutionFields):
    code: str
    name: str
    kind: KindValue
    commune: int = Field(description="Id of the commune-level unit the institution is in.")
    managing_unit: int = Field(description="Id of the unit whose education office manages it.")


class InstitutionUpdateIn(_InstitutionFields):
    code: str | None = None
    name: str | None = None
    kind: KindValue | None = None
    commune: int | None = None
    managing_unit: int | None = None


class MapFilter(Schema):
    kind: KindValue | None = None
    ownership: OwnershipValue | None = None
    province: int | None = Field(None, description="Only the institutions of this province.")


class MapInstitutionProperties(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    ownership: str
    ownership_label: str
    url: str = Field(description="The institution's page.")


class MapPoint(Schema):
    type: Literal["Point"]
    coordinates: list[float] = Field(description="Longitude, then latitude (RFC 7946).")


class MapFeature(Schema):
    type: Literal["Feature"]
    id: int
    geometry: MapPoint
    properties: MapInstitutionProperties


class MapUnlocated(Schema):
    count: int
    institutions: list[MapInstitutionProperties]


class MapFeatureCollection(Schema):
    """GeoJSON of the active institutions I may read; those without coordinates are
    counted and listed in ``unlocated`` instead of being dropped."""

    type: Literal["FeatureCollection"]
    features: list[MapFeature]
    unlocated: MapUnlocated


class OneRosterFilter(Schema):
    year: int = Field(description="The year the school year starts: 2025 for 2025-2026.")
    demographics: bool = Field(True, description="Include demographics.csv (sex, birth date).")
