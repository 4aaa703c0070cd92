"""API schemas for verification.

Plain pydantic models: they are built from dicts, never from model instances, so they
need nothing of ``ninja.Schema`` (its attribute resolver runs on every field of every
answer, a tenth of a verification's time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class VerifyIn(BaseModel):
    """Exactly one way: ``qr``, ``credential`` (the JSON object or its text), or
    ``diploma_number`` with ``date_of_birth``."""

    qr: str | None = Field(None, max_length=5000, description="The QR text (VN1:…).")
    credential: dict[str, Any] | str | None = Field(
        None, description="The credential (JSON object, or its text)."
    )
    diploma_number: str | None = Field(None, max_length=40)
    date_of_birth: dt.date | None = Field(None, description="YYYY-MM-DD, with diploma_number.")


class ShownOut(BaseModel):
    title: str
    issuer_name: str
    holder_name: str
    date_of_birth: dt.date | None
    issue_date: dt.date | None
    diploma_number: str
    register_number: str
    classification: str
    field_of_study: str
    kind: str = Field("diploma", description="diploma, or report_card (a signed học bạ)")


class VerifyOut(BaseModel):
    answer: str = Field(description="valid, revoked, suspended, altered, unknown_issuer or unknown")
    reason: str = Field(description="A stable code explaining the answer ('' when valid).")
    title: str
    message: str
    credential_id: str | None
    issuer: str | None
    status_checked: bool
    status_as_of: dt.datetime | None
    credential: ShownOut | None = Field(
        None, description="What the paper shows; only for a genuine credential."
    )
