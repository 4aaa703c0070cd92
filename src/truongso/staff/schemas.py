"""API schemas for staff members."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from truongso.core.models import Sex
from truongso.staff.models import EmploymentStatus, Position, Qualification
from truongso.units.schemas import InstitutionRef

SexValue = Literal[tuple(Sex.values)]  # type: ignore[valid-type]
PositionValue = Literal[tuple(Position.values)]  # type: ignore[valid-type]
QualificationValue = Literal[tuple(Qualification.values)]  # type: ignore[valid-type]
EmploymentValue = Literal[tuple(EmploymentStatus.values)]  # type: ignore[valid-type]


class StaffOut(Schema):
    id: int
    education_id: str | None
    full_name: str
    date_of_birth: dt.date | None
    sex: str
    personal_id: str
    ethnicity_code: str
    ethnicity_list: str
    nationality: str
    phone: str
    address: str
    email: str
    position: str
    qualification: str
    major: str
    employment_status: str
    hired_on: dt.date | None
    institution: InstitutionRef
    version: int
    updated_at: dt.datetime


class StaffDetailOut(StaffOut):
    subjects: list[str] = Field(description="Codes of the subjects taught.")

    @staticmethod
    def resolve_subjects(obj) -> list[str]:
        return sorted(s.code for s in obj.subjects.all())


class StaffFilter(Schema):
    q: str = Field("", description="Part of the name; diacritics and case are ignored.")
    institution: int | None = None
    position: PositionValue | None = None
    employment_status: EmploymentValue | None = None
    qualification: QualificationValue | None = None


class _StaffFields(Schema):
    model_config = ConfigDict(extra="forbid")

    date_of_birth: dt.date | None = None
    personal_id: str | None = Field(None, max_length=12)
    ethnicity_code: str | None = Field(None, max_length=4)
    ethnicity_list: str | None = Field(None, max_length=20)
    nationality: str | None = Field(None, max_length=2)
    phone: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=255)
    email: str | None = Field(None, max_length=254)
    qualification: QualificationValue | Literal[""] | None = None
    major: str | None = Field(None, max_length=120)
    employment_status: EmploymentValue | None = None
    hired_on: dt.date | None = None
    subjects: list[str] | None = Field(None, description="Codes of the subjects taught.")
    reason: str = Field("", max_length=500, description="Why: kept in the audit log.")


class StaffCreateIn(_StaffFields):
    institution: int
    full_name: str = Field(max_length=150)
    sex: SexValue
    position: PositionValue


class StaffUpdateIn(_StaffFields):
    full_name: str | None = Field(None, max_length=150)
    sex: SexValue | None = None
    position: PositionValue | None = None
