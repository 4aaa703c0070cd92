"""API schemas for the signed-in account and its API tokens."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict


class RoleOut(Schema):
    role: str
    institution_id: int | None
    unit_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[RoleOut]


class ApiTokenOut(Schema):
    id: int
    name: str
    key_prefix: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiTokenCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100, description="What the token is for, e.g. “Đồng bộ Sở”.")


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(description="The token itself. Shown only in this answer: keep it now.")
