"""Writes for staff development: training records and appraisals. Only the school's
managers (principal, school staff) write, for their own staff; every write is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.training.models import (
    OfficialRating,
    ProfessionalStandard,
    StaffAppraisal,
    TrainingRecord,
)

RECORD_FIELDS = (
    "course", "provider", "starts_on", "ends_on", "hours", "certificate_number",
    "digital_skills", "digital_materials", "professional", "political", "management", "note",
)  # fmt: skip
APPRAISAL_FIELDS = ("professional_standard", "official_rating", "appraised_on", "note")
MAX_HOURS = 2000


def _apply(record: TrainingRecord, fields: dict[str, Any]) -> None:
    refused = set(fields) - set(RECORD_FIELDS)
    if refused:
        raise ValidationError({n: _("Trường thông tin không được phép sửa.") for n in refused})
    for name, value in fields.items():
        if isinstance(value, str):
            value = " ".join(value.split())
        setattr(record, name, value)
    errors: dict[str, str] = {}
    if not record.course:
        errors["course"] = _("Hãy nhập tên khóa bồi dưỡng.")
    if record.starts_on and record.ends_on and record.ends_on < record.starts_on:
        errors["ends_on"] = _("Ngày kết thúc (%(end)s) trước ngày bắt đầu (%(start)s).") % {
            "end": record.ends_on.strftime("%d/%m/%Y"),
            "start": record.starts_on.strftime("%d/%m/%Y"),
        }
    if record.hours is not None and not (0 <= int(record.hours) <= MAX_HOURS):
        errors["hours"] = _("Số tiết phải từ 0 đến %(n)s.") % {"n": MAX_HOURS}
    if errors:
        raise ValidationError(errors)
    record.full_clean(exclude=["institution", "staff_member"])


@transaction.atomic
def training_record_create(
    *, actor, staff_member, fields: dict[str, Any], reason: str = ""
) -> TrainingRecord:
    """Add a training record to ``staff_member`` (of a school ``actor`` manages)."""
    require(scope_for(actor).manages(staff_member.institution_id))
    record = TrainingRecord(
        institution_id=staff_member.institution_id, staff_member=staff_member, created_by=actor
    )
    _apply(record, dict(fields))
    record.save()
    audit_record(actor=actor, action="training_record.create", instance=record, before=None,
                 after=model_snapshot(record), reason=reason)  # fmt: skip
    return record


@transaction.atomic
def training_record_update(
    *, actor, record: TrainingRecord, fields: dict[str, Any], reason: str = ""
) -> TrainingRecord:
    require(scope_for(actor).manages(record.institution_id))
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    before = model_snapshot(record)
    _apply(record, dict(fields))
    if model_snapshot(record) != before:
        record.version += 1
        record.save()
        audit_record(actor=actor, action="training_record.update", instance=record,
                     before=before, after=model_snapshot(record), reason=reason)  # fmt: skip
    return record


@transaction.atomic
def training_record_delete(*, actor, record: TrainingRecord, reason: str = "") -> None:
    require(scope_for(actor).manages(record.institution_id))
    audit_record(actor=actor, action="training_record.delete", instance=record,
                 before=model_snapshot(record), after=None, reason=reason)  # fmt: skip
    record.delete()


def _choice(choices, value: Any, field: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    for code, label in choices.choices:
        if text.casefold() in (code.casefold(), str(label).casefold()):
            return code
    raise ValidationError(
        {field: _("“%(value)s” không phải là một mức hợp lệ; chọn một trong: %(labels)s.")
         % {"value": text, "labels": ", ".join(str(label) for _c, label in choices.choices)}}
    )  # fmt: skip


@transaction.atomic
def staff_appraisal_set(
    *,
    actor,
    staff_member,
    school_year,
    professional_standard: Any = "",
    official_rating: Any = "",
    appraised_on: dt.date | None = None,
    note: str = "",
    reason: str = "",
) -> StaffAppraisal | None:
    """Set a staff member's appraisal for a school year (codes or labels accepted; blank
    leaves the level unset). Returns the row; saving the same values changes nothing."""
    require(scope_for(actor).manages(staff_member.institution_id))
    values = {
        "professional_standard": _choice(
            ProfessionalStandard, professional_standard, "professional_standard"
        ),
        "official_rating": _choice(OfficialRating, official_rating, "official_rating"),
        "note": " ".join((note or "").split())[:500],
    }
    row = (
        StaffAppraisal.objects.select_for_update()
        .filter(staff_member=staff_member, school_year=school_year)
        .first()
    )
    if row is None and not (values["professional_standard"] or values["official_rating"]):
        return None
    if (
        row is not None
        and all(getattr(row, k) == v for k, v in values.items())
        and (appraised_on is None or row.appraised_on == appraised_on)
    ):
        return row
    before = None if row is None else model_snapshot(row, APPRAISAL_FIELDS)
    if row is None:
        row = StaffAppraisal(
            institution_id=staff_member.institution_id,
            staff_member=staff_member,
            school_year=school_year,
            version=0,
        )
    for name, value in values.items():
        setattr(row, name, value)
    row.appraised_on = appraised_on or row.appraised_on or dt.date.today()
    row.appraised_by = actor
    row.version += 1
    row.save()
    audit_record(actor=actor, action="staff_appraisal.set", instance=row, before=before,
                 after=model_snapshot(row, APPRAISAL_FIELDS), reason=reason)  # fmt: skip
    return row
