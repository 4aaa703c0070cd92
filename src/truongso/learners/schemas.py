"""API schemas for learners, their guardians and enrolment events."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from truongso.academics.schemas import ClassRef
from truongso.core.models import Sex
from truongso.learners.models import Disability, LearnerStatus, PersonalIdStatus, PolicyCategory
from truongso.units.schemas import InstitutionRef

SexValue = Literal[tuple(Sex.values)]  # type: ignore[valid-type]
StatusValue = Literal[tuple(LearnerStatus.values)]  # type: ignore[valid-type]
PersonalIdStatusValue = Literal[tuple(PersonalIdStatus.values)]  # type: ignore[valid-type]
DisabilityValue = Literal[tuple(Disability.values)]  # type: ignore[valid-type]
PolicyCategoryValue = Literal[tuple(PolicyCategory.values)]  # type: ignore[valid-type]


class LearnerOut(Schema):
    id: int
    education_id: str | None = Field(description="Mã định danh, given at admission.")
    full_name: str
    date_of_birth: dt.date | None
    sex: str
    personal_id: str = Field(description="Số định danh cá nhân (12 digits) or empty.")
    personal_id_status: str = Field(description="ok, missing, or warning (check it).")
    ethnicity_code: str
    ethnicity_list: str
    nationality: str
    phone: str
    address: str
    disability: str
    policy_categories: list[str]
    place_of_birth: str
    status: str
    grade: int | None
    institution: InstitutionRef
    current_class: ClassRef | None
    enrolled_on: dt.date | None
    version: int
    updated_at: dt.datetime


class GuardianOut(Schema):
    id: int
    relationship: str
    full_name: str
    phone: str
    email: str
    occupation: str
    year_of_birth: int | None


class LearnerDetailOut(LearnerOut):
    guardians: list[GuardianOut]

    @staticmethod
    def resolve_guardians(obj) -> list:
        return list(getattr(obj, "guardians_read", []))


class LearnerFilter(Schema):
    q: str = Field(
        "",
        description="Part of the name (diacritics and case ignored), or an education "
        "identifier or personal identification number (exact).",
    )
    institution: int | None = None
    class_: int | None = Field(None, alias="class", description="Id of the current class.")
    grade: int | None = Field(None, ge=0, le=12)
    status: StatusValue | None = None
    sex: SexValue | None = None
    personal_id_status: PersonalIdStatusValue | None = None


class _LearnerFields(Schema):
    model_config = ConfigDict(extra="forbid")

    date_of_birth: dt.date | None = None
    personal_id: str | None = Field(None, max_length=12)
    ethnicity_code: str | None = Field(None, max_length=4)
    ethnicity_list: str | None = Field(None, max_length=20)
    nationality: str | None = Field(None, max_length=2)
    phone: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=255)
    disability: DisabilityValue | None = None
    policy_categories: list[PolicyCategoryValue] | None = None
    place_of_birth: str | None = Field(None, max_length=200)
    reason: str = Field("", max_length=500, description="Why: kept in the audit log.")


class LearnerCreateIn(_LearnerFields):
    institution: int
    current_class: int | None = Field(None, description="Id of a class of the institution.")
    enrolled_on: dt.date | None = Field(None, description="Default today.")
    full_name: str = Field(max_length=150)
    sex: SexValue


class LearnerUpdateIn(_LearnerFields):
    full_name: str | None = Field(None, max_length=150)
    sex: SexValue | None = None


class EnrolmentEventOut(Schema):
    id: int
    kind: str
    occurred_on: dt.date
    institution: InstitutionRef
    school_year_id: int | None
    from_class: ClassRef | None
    to_class: ClassRef | None
    grade: int | None
    other_institution: InstitutionRef | None
    reason: str
    created_at: dt.datetime


class _ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: dt.date | None = Field(None, description="Day it takes effect (default today).")


class TransferIn(_ActionIn):
    to_institution: int = Field(description="Id of the receiving institution.")
    reason: str = Field("", max_length=500)


class ChangeClassIn(_ActionIn):
    to_class: int = Field(description="Id of the new class, in the same institution.")
    reason: str = Field("", max_length=500)


class LeaveIn(_ActionIn):
    reason: str = Field(max_length=500, description="Required.")
