"""Cursor (keyset) pagination for every list of the API.

A list is ordered by a fixed key that ends with the primary key, so the order is
total. The cursor is the base64 (URL-safe, no padding) of the JSON list of the last
row's key values; the next page is "rows after that key". This is stable under
inserts and deletes (no row is returned twice or skipped because another appeared),
and needs no COUNT(*): one more row than asked for is read to know if a next page
exists.

    @router.get("/learners", response=list[LearnerOut])
    @paginate(CursorPagination, ordering=("search_name", "pk"))
    def learners(request, ...):
        return learner_list(actor=request.auth, ...)

Every field of the ordering must be non-null.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import decimal
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def encode_cursor(values: list[Any]) -> str:
    data = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(data.encode("utf-8")).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, length: int) -> list[Any]:
    """The key values in ``cursor``; ValidationError on the ``cursor`` field otherwise."""
    invalid = ValidationError({"cursor": _("Con trỏ phân trang không hợp lệ.")})
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid
    if not isinstance(values, list) or len(values) != length:
        raise invalid
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
        raise invalid
    if not isinstance(values[-1], int):
        raise invalid
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None:
        raise ValueError("an ordering field of a paginated list is null")
    return value


def key_value(row: Any, field: str) -> Any:
    """The value of an ordering field (``institution__name``) read from a loaded row."""
    value = row
    for part in field.split("__"):
        value = value.pk if part == "pk" else getattr(value, part)
    return _plain(value)


def after_q(ordering: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (fields may be descending: "-x")."""
    q = Q(pk__in=[])
    equal = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        q |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return q


class CursorPagination(PaginationBase):
    """``?limit=`` (default 50, at most 500) and ``?cursor=``; answers
    ``{"items": [...], "next_cursor": "..." | null}``."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description="Rows per page (1 to 500, default 50).",
        )
        cursor: str | None = Field(
            None, description="next_cursor of the previous page; empty for the first page."
        )

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None = Field(
            None, description="Cursor of the next page; null on the last page."
        )

    items_attribute = "items"

    def __init__(self, *, ordering: tuple[str, ...], **kwargs: Any) -> None:
        if not ordering or ordering[-1].lstrip("-") not in ("pk", "id"):
            raise ValueError("the ordering of a paginated list must end with the primary key")
        self.ordering = tuple(ordering)
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: Any, **params: Any
    ) -> dict[str, Any]:
        qs = queryset.order_by(*self.ordering)
        if pagination.cursor:
            values = decode_cursor(pagination.cursor, len(self.ordering))
            try:
                qs = qs.filter(after_q(self.ordering, values))
            except (ValidationError, ValueError, TypeError):
                raise ValidationError({"cursor": _("Con trỏ phân trang không hợp lệ.")})
        rows = list(qs[: pagination.limit + 1])
        next_cursor = None
        if len(rows) > pagination.limit:
            rows = rows[: pagination.limit]
            last = rows[-1]
            next_cursor = encode_cursor([key_value(last, f.lstrip("-")) for f in self.ordering])
        return {"items": rows, "next_cursor": next_cursor}
