"""Importing staff records (cán bộ, giáo viên, nhân viên)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from truongso.audit.models import AuditEntry
from truongso.audit.services import audit_bulk, model_snapshot
from truongso.core.rules.codelists import ETHNICITY_LIST_1979
from truongso.imports.kinds import PersonImport, choices_everywhere
from truongso.imports.rules.columns import STAFF
from truongso.imports.rules.staff import (
    ExistingStaff,
    StaffChange,
    StaffContext,
    StaffPlanner,
    StaffRow,
    check_staff,
)
from truongso.imports.selectors import STAFF_VALUES, institution_staff
from truongso.staff.models import EmploymentStatus, Position, Qualification, StaffMember
from truongso.staff.services import prepare_staff

ACTION = "staff.import"
FIELDS = (
    "full_name", "date_of_birth", "sex", "personal_id", "ethnicity_code", "nationality",
    "position", "qualification", "major", "employment_status", "hired_on", "phone", "email",
    "address",
)  # fmt: skip


class StaffImport(PersonImport):
    model = StaffMember
    kind = STAFF

    def __init__(self, *, actor, institution, today: dt.date | None = None):
        self.actor = actor
        self.institution = institution
        self.context = StaffContext(
            today=today or timezone.localdate(),
            positions=choices_everywhere(
                Position, {"gv": "teacher", "ht": "principal", "pht": "vice_principal"}
            ),  # fmt: skip
            qualifications=choices_everywhere(
                Qualification, {"cu nhan": "bachelor", "thac sy": "master"}
            ),  # fmt: skip
            employment_statuses=choices_everywhere(
                EmploymentStatus,
                {"bien che": "permanent", "vien chuc": "permanent", "hop dong": "contract"},
            ),  # fmt: skip
        )
        existing = []
        for values in institution_staff(actor=actor, institution=institution):
            record = dict(zip(STAFF_VALUES, values, strict=True))
            record["education_id"] = record["education_id"] or ""
            existing.append(ExistingStaff(**record))
        self.planner = StaffPlanner(existing)

    def check(self, row: int, cells: dict[str, object]):
        return check_staff(row, cells, self.context)

    def write(self, new_rows: list[StaffRow], changes: list[StaffChange], *, reason: str,
              job_id: int | None = None):  # fmt: skip
        return (
            staff_create_many(new_rows, actor=self.actor, institution=self.institution,
                              reason=reason),
            staff_apply_changes(changes, actor=self.actor, institution=self.institution,
                                reason=reason),
        )  # fmt: skip


def staff_create_many(rows: list[StaffRow], *, actor, institution, reason: str) -> int:
    members = []
    for row in rows:
        member = StaffMember(institution=institution, ethnicity_list=ETHNICITY_LIST_1979)
        for name in FIELDS:
            value = getattr(row, name)
            if value not in ("", None):
                setattr(member, name, value)
        prepare_staff(member)
        members.append(member)
    StaffMember.objects.bulk_create(members, batch_size=500)
    audit_bulk([
        AuditEntry(actor=actor, action=ACTION, object_type=StaffMember._meta.label_lower,
                   object_id=str(m.pk), institution_id=institution.pk, before=None,
                   after=model_snapshot(m), reason=reason[:500])
        for m in members
    ])  # fmt: skip
    return len(members)


def staff_apply_changes(changes: list[StaffChange], *, actor, institution, reason: str) -> int:
    if not changes:
        return 0
    by_id = {c.staff_id: c for c in changes}
    members = list(StaffMember.objects.select_for_update()
                   .filter(institution=institution, pk__in=list(by_id)))  # fmt: skip
    now = timezone.now()
    fields = {"search_name", "version", "updated_at"}
    entries = []
    for member in members:
        before = model_snapshot(member)
        for name, value in by_id[member.pk].fields.items():
            setattr(member, name, value)
            fields.add(name)
        prepare_staff(member)
        member.version += 1
        member.updated_at = now
        entries.append(AuditEntry(
            actor=actor, action=ACTION, object_type=StaffMember._meta.label_lower,
            object_id=str(member.pk), institution_id=institution.pk, before=before,
            after=model_snapshot(member), reason=reason[:500],
        ))  # fmt: skip
    StaffMember.objects.bulk_update(members, sorted(fields), batch_size=500)
    audit_bulk(entries)
    return len(members)
