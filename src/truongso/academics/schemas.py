"""API schemas for school years and classes."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from truongso.units.schemas import InstitutionRef


class SchoolYearRef(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


class StaffRef(Schema):
    id: int
    full_name: str


class ClassRef(Schema):
    id: int
    name: str
    grade: int


class ClassOut(Schema):
    id: int
    name: str
    grade: int
    room: str
    institution: InstitutionRef
    school_year: SchoolYearRef
    homeroom_teacher: StaffRef | None
    learner_count: int | None = Field(None, description="Learners studying in the class.")


class ClassFilter(Schema):
    institution: int | None = None
    year: str | None = Field(None, description="School year, e.g. 2025-2026.")
    grade: int | None = Field(None, ge=0, le=12)


class ClassCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    institution: int
    school_year: str = Field(description="School year, e.g. 2025-2026.")
    grade: int = Field(ge=0, le=12)
    name: str = Field(max_length=30)
    homeroom_teacher: int | None = Field(None, description="Id of a staff member.")
    room: str = ""


class ClassUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    school_year: str | None = None
    grade: int | None = Field(None, ge=0, le=12)
    name: str | None = Field(None, max_length=30)
    homeroom_teacher: int | None = None
    room: str | None = None
