"""API schemas for staff members."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from truongso.accounts.access import can_read_full_staff_record, scope_for
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

    # Colleagues (teachers) read the list too, but not a colleague's identity and
    # contact details: those are blank unless the reader may see the full record.
    @staticmethod
    def _private(obj, context, value):
        request = (context or {}).get("request")
        actor = getattr(request, "auth", None)
        if can_read_full_staff_record(scope_for(actor), obj.institution_id):
            return value
        return None if value is None or isinstance(value, dt.date) else ""

    @staticmethod
    def resolve_personal_id(obj, context):
        return StaffOut._private(obj, context, obj.personal_id)

    @staticmethod
    def resolve_date_of_birth(obj, context):
        return StaffOut._private(obj, context, obj.date_of_birth)

    @staticmethod
    def resolve_phone(obj, context):
        return StaffOut._private(obj, context, obj.phone)

    @staticmethod
    def resolve_address(obj, context):
        return StaffOut._private(obj, context, obj.address)


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
