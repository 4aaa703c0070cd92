"""Writing the audit log. Every service that changes school data calls ``audit_record``."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from truongso.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def model_snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` as JSON-able data (FKs as ids)."""
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if not field.editable and field.name != "search_name":
            continue
        if field.name == "search_name":
            continue
        if fields is not None and field.name not in fields:
            continue
        result[field.attname] = _plain(getattr(instance, field.attname))
    return result


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. ``actor`` may be None for system jobs (imports run by a task
    still pass the user who started them)."""
    institution_id = getattr(instance, "institution_id", None)
    if institution_id is None and instance._meta.model_name == "institution":
        institution_id = instance.pk
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        institution_id=institution_id,
        before=before,
        after=after,
        reason=reason[:500],
    )


def audit_bulk(entries: list[AuditEntry]) -> None:
    """Append many prepared entries at once (imports)."""
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
