"""Writes of facilities: every change is checked, atomic and audited.

A school's managers (principal, school staff) change their own school's records;
administrators (the ministry's officers) load the equipment lists and change the norms.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.rules.text import fold
from truongso.facilities.models import (
    EquipmentList,
    EquipmentListItem,
    Norm,
    Utilities,
)
from truongso.facilities.rules import equipment_list_file as F
from truongso.facilities.selectors import KINDS, list_item_by_code

# Editable fields of each kind; foreign keys must point at the same school.
FIELDS: dict[str, list[str]] = {
    "sites": ["name", "address", "is_main", "land_area_m2", "land_use_certificate",
              "certificate_issued_on"],
    "buildings": ["site", "name", "floors", "year_built", "structure", "condition"],
    "rooms": ["building", "floor", "name", "room_type", "area_m2", "condition", "capacity"],
    "housing": ["site", "name", "units", "area_m2", "condition", "occupants"],
    "toilets": ["site", "name", "places_girls", "places_boys", "places_staff",
                "places_accessible", "handwashing_points", "has_water", "condition"],
    "equipment": ["room", "list_item_code", "name", "quantity", "condition", "year_acquired"],
}  # fmt: skip
REFERENCES = {"buildings": ["site"], "rooms": ["building"], "housing": ["site"],
              "toilets": ["site"], "equipment": ["room"]}  # fmt: skip
UTILITY_FIELDS = ["grid_power", "internet", "internet_mbps", "water_source", "water_treated"]
NORM_FIELDS = ["value", "kinds", "source", "note", "is_active"]


def kind_of(instance) -> str:
    for kind, model in KINDS.items():
        if isinstance(instance, model):
            return kind
    raise ValueError(instance)


def can_manage_facilities(actor, institution_id: int) -> bool:
    return scope_for(actor).manages(institution_id)


def is_facilities_admin(actor) -> bool:
    """May load the equipment lists and change the norms: the ministry's officers."""
    return scope_for(actor).national


def _check(kind: str, instance) -> None:
    if kind == "rooms" and instance.building_id and instance.floor > instance.building.floors:
        raise ValidationError(
            {"floor": _("Nhà %(name)s chỉ có %(n)s tầng.")
             % {"name": instance.building.name, "n": instance.building.floors}}
        )  # fmt: skip
    if kind == "equipment":
        code = instance.list_item_code.strip()
        instance.list_item_code = code
        if code:
            item = list_item_by_code(code)
            if item is None:
                raise ValidationError(
                    {"list_item_code": _("Không có thiết bị mã %(code)s trong danh mục đang "
                                         "áp dụng.") % {"code": code}}
                )  # fmt: skip
            if not instance.name.strip():
                instance.name = item.name
        instance.search_name = fold(instance.name)
    for name in REFERENCES.get(kind, []):
        other = getattr(instance, name)
        if other is not None and other.institution_id != instance.institution_id:
            raise ValidationError({name: _("Bản ghi được chọn không thuộc trường này.")})
    instance.full_clean()


def _apply(instance, fields: dict[str, Any], allowed: list[str]) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError({name: _("Trường này không được sửa.")})
        setattr(instance, name, value)


@transaction.atomic
def facility_create(*, actor, kind: str, institution, fields: dict[str, Any], reason: str = ""):
    """Add a site, building, room, teacher housing, toilet block or equipment item."""
    require(can_manage_facilities(actor, institution.pk))
    instance = KINDS[kind](institution=institution)
    _apply(instance, fields, FIELDS[kind])
    _check(kind, instance)
    instance.save()
    audit_record(
        actor=actor, action=f"facilities.{kind}.create", instance=instance, before=None,
        after=model_snapshot(instance, FIELDS[kind]), reason=reason,
    )  # fmt: skip
    return instance


@transaction.atomic
def facility_update(*, actor, instance, fields: dict[str, Any], reason: str = ""):
    kind = kind_of(instance)
    require(can_manage_facilities(actor, instance.institution_id))
    before = model_snapshot(instance, FIELDS[kind])
    _apply(instance, fields, FIELDS[kind])
    _check(kind, instance)
    after = model_snapshot(instance, FIELDS[kind])
    if after == before:
        return instance
    instance.save()
    audit_record(
        actor=actor, action=f"facilities.{kind}.update", instance=instance, before=before,
        after=after, reason=reason,
    )  # fmt: skip
    return instance


@transaction.atomic
def facility_delete(*, actor, instance, reason: str = "") -> None:
    kind = kind_of(instance)
    require(can_manage_facilities(actor, instance.institution_id))
    before = model_snapshot(instance, FIELDS[kind])
    audit_record(
        actor=actor, action=f"facilities.{kind}.delete", instance=instance, before=before,
        after=None, reason=reason,
    )  # fmt: skip
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError:
        raise ValidationError(
            _("Không xoá được “%(name)s”: còn bản ghi khác gắn với nó (nhà, phòng hoặc thiết "
              "bị). Hãy chuyển hoặc xoá chúng trước.") % {"name": instance}
        )  # fmt: skip


@transaction.atomic
def utilities_set(*, actor, institution, fields: dict[str, Any], reason: str = "") -> Utilities:
    """Record the school's grid power, internet and water source."""
    require(can_manage_facilities(actor, institution.pk))
    utilities, created = Utilities.objects.select_for_update().get_or_create(
        institution=institution
    )
    before = None if created else model_snapshot(utilities, UTILITY_FIELDS)
    _apply(utilities, fields, UTILITY_FIELDS)
    if not utilities.internet:
        utilities.internet_mbps = None
    utilities.full_clean()
    after = model_snapshot(utilities, UTILITY_FIELDS)
    if after == before:
        return utilities
    utilities.save()
    audit_record(
        actor=actor, action="facilities.utilities.set", instance=utilities, before=before,
        after=after, reason=reason,
    )  # fmt: skip
    return utilities


@transaction.atomic
def norm_update(*, actor, norm: Norm, fields: dict[str, Any], reason: str = "") -> Norm:
    require(is_facilities_admin(actor))
    before = model_snapshot(norm, NORM_FIELDS)
    _apply(norm, fields, NORM_FIELDS)
    norm.kinds = ",".join(k.strip() for k in norm.kinds.split(",") if k.strip())
    norm.full_clean()
    after = model_snapshot(norm, NORM_FIELDS)
    if after == before:
        return norm
    norm.save()
    audit_record(
        actor=actor, action="facilities.norm.update", instance=norm, before=before,
        after=after, reason=reason,
    )  # fmt: skip
    return norm


# --- Loading the minimum equipment lists --------------------------------------------------


class EquipmentListError(Exception):
    """The file has problems; nothing was loaded. ``messages`` say where."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def problem_message(problem: F.Problem) -> str:
    texts = {
        F.NO_HEADER: _("Tệp không có dòng tiêu đề."),
        F.NO_ROWS: _("Tệp không có dòng thiết bị nào."),
        F.MISSING_COLUMN: _("thiếu cột “%(column)s”."),
        F.REQUIRED_VALUE: _("cột “%(column)s” không được để trống."),
        F.BAD_DATE: _("cột “%(column)s”: “%(value)s” không phải ngày (dạng YYYY-MM-DD hoặc "
                      "DD/MM/YYYY)."),
        F.BAD_GRADE: _("cột “%(column)s”: khối phải là số từ 1 đến 12, không phải “%(value)s”."),
        F.BAD_QUANTITY: _("cột “%(column)s”: số lượng phải là số nguyên dương, không phải "
                          "“%(value)s”."),
        F.BAD_PER: _("cột “%(column)s”: phải là “class” (lớp) hoặc “school” (trường), không "
                     "phải “%(value)s”."),
        F.TOO_LONG: _("cột “%(column)s”: giá trị quá dài (“%(value)s…”)."),
        F.DUPLICATE_CODE: _("cột “%(column)s”: mã thiết bị đã có ở dòng %(value)s của cùng "
                            "danh mục."),
        F.INCONSISTENT: _("cột “%(column)s”: “%(value)s” khác với các dòng trước của cùng danh "
                          "mục."),
    }  # fmt: skip
    text = texts[problem.code] % {"column": problem.column, "value": problem.value}
    if problem.row is None:
        return text
    return _("Dòng %(row)s: %(text)s") % {"row": problem.row, "text": text}


@dataclass(frozen=True)
class LoadedList:
    equipment_list: EquipmentList
    created: bool  # False: the same as the version in force, nothing changed
    items: int


def _digest(parsed: F.ParsedList) -> str:
    data = json.dumps(parsed.fingerprint(), ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@transaction.atomic
def equipment_list_load(*, actor, rows, source_file: str = "") -> list[LoadedList]:
    """Load the lists in ``rows`` (a file's rows). A list whose content differs from the
    version in force becomes a new version; an unchanged one is left as it is. Any problem
    in the file raises EquipmentListError and nothing is loaded. ``actor`` None is the
    management command run by the operator."""
    require(actor is None or is_facilities_admin(actor))
    lists, problems = F.parse_rows(rows)
    if problems:
        raise EquipmentListError([problem_message(p) for p in problems])
    result = []
    for parsed in lists:
        digest = _digest(parsed)
        current = (
            EquipmentList.objects.select_for_update()
            .filter(code=parsed.code, is_current=True)
            .first()
        )
        if current is not None and current.digest == digest:
            result.append(LoadedList(current, False, current.items.count()))
            continue
        version = (
            EquipmentList.objects.filter(code=parsed.code).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        EquipmentList.objects.filter(code=parsed.code, is_current=True).update(is_current=False)
        created = EquipmentList.objects.create(
            code=parsed.code, version=version, name=parsed.name,
            legal_source=parsed.legal_source, effective_on=parsed.effective_on,
            is_current=True, loaded_by=actor if getattr(actor, "pk", None) else None,
            source_file=source_file[:255], digest=digest,
        )  # fmt: skip
        EquipmentListItem.objects.bulk_create(
            [
                EquipmentListItem(
                    equipment_list=created, code=i.code, name=i.name, search_name=fold(i.name),
                    grade=i.grade, subject_code=i.subject_code, unit=i.unit,
                    quantity=i.quantity, per=i.per, note=i.note,
                )
                for i in parsed.items
            ],
            batch_size=1000,
        )  # fmt: skip
        audit_record(
            actor=actor, action="facilities.equipment_list.load", instance=created,
            before=None if current is None else {"version": current.version},
            after={"code": created.code, "version": version, "items": len(parsed.items),
                   "source_file": created.source_file},
        )  # fmt: skip
        result.append(LoadedList(created, True, len(parsed.items)))
    return result
