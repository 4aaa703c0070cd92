"""Writes for staff records and teaching assignments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.rules.text import fold, normalise_name
from truongso.staff.models import StaffMember
from truongso.units.models import Institution

STAFF_FIELDS = (
    "full_name", "date_of_birth", "sex", "personal_id", "ethnicity_code", "ethnicity_list",
    "nationality", "phone", "address", "position", "qualification", "major",
    "employment_status", "hired_on", "email",
)  # fmt: skip


def prepare_staff(member: StaffMember) -> None:
    member.full_name = normalise_name(member.full_name)
    member.search_name = fold(member.full_name)
    member.personal_id = (member.personal_id or "").replace(" ", "")


def _apply(member: StaffMember, fields: dict[str, Any]) -> list:
    subjects = fields.pop("subjects", None)
    refused = set(fields) - set(STAFF_FIELDS)
    if refused:
        raise ValidationError({n: _("Trường thông tin không được phép sửa.") for n in refused})
    for name, value in fields.items():
        setattr(member, name, value)
    prepare_staff(member)
    member.full_clean(exclude=["subjects"])
    return subjects


@transaction.atomic
def staff_create(
    *, actor, institution: Institution, fields: dict[str, Any], reason: str = ""
) -> StaffMember:
    require(scope_for(actor).manages(institution.pk))
    member = StaffMember(institution=institution)
    subjects = _apply(member, dict(fields))
    member.save()
    if subjects is not None:
        member.subjects.set(subjects)
    audit_record(actor=actor, action="staff.create", instance=member, before=None,
                 after=model_snapshot(member), reason=reason)  # fmt: skip
    return member


@transaction.atomic
def staff_update(
    *, actor, member: StaffMember, fields: dict[str, Any], reason: str = ""
) -> StaffMember:
    require(scope_for(actor).manages(member.institution_id))
    member = StaffMember.objects.select_for_update().get(pk=member.pk)
    before = model_snapshot(member)
    subjects = _apply(member, dict(fields))
    after = model_snapshot(member)
    if subjects is not None:
        member.subjects.set(subjects)
    if before != after:
        member.version += 1
        member.save()
        audit_record(actor=actor, action="staff.update", instance=member, before=before,
                     after=model_snapshot(member), reason=reason)  # fmt: skip
    return member
