"""The wire format of the exchange API (see rules/wire.py and docs/exchange.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema

RecordTypeName = Literal[
    "institution",
    "staff",
    "class",
    "learner",
    "enrolment_event",
    "guardian",
    "teaching_assignment",
    "result",
]


class RecordIn(Schema):
    record_id: uuid.UUID
    type: RecordTypeName
    event: Literal["new", "update", "cancel"]
    version: int = Field(ge=1)
    changed_at: dt.datetime
    institution_code: str = Field(default="", max_length=20)
    data: dict[str, Any] = Field(default_factory=dict)


class BatchIn(Schema):
    format: Literal["truongso.exchange/1"]
    batch_id: uuid.UUID
    node_id: str = Field(max_length=60)
    cursor: int = Field(ge=0)
    sent_at: dt.datetime | None = None
    records: list[RecordIn] = Field(max_length=5000)


class RecordAck(Schema):
    record_id: str
    version: int
    reason: str | None = None
    message: str | None = None


class Resolution(Schema):
    record_id: str
    status: str
    identifier: str
    note: str


class BatchOut(Schema):
    batch_id: str
    cursor: int
    replayed: bool
    applied: list[RecordAck]
    skipped: list[RecordAck]
    deferred: list[RecordAck]
    conflicts: list[RecordAck]
    identifiers: dict[str, str]
    resolutions: list[Resolution]


class ConflictOut(Schema):
    id: int
    node_id: str
    record_id: str
    record_type: str
    institution_code: str
    reason: str
    message: str
    status: str
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_node_id(obj) -> str:
        return obj.node.node_id

    @staticmethod
    def resolve_record_id(obj) -> str:
        return str(obj.record.record_id)

    @staticmethod
    def resolve_record_type(obj) -> str:
        return obj.record.record_type
