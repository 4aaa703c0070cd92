"""Writes for units and institutions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.accounts.access import institutions_q, require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.rules.text import fold
from truongso.units.models import DEFAULT_GRADE_SPAN, AdministrativeUnit, Institution

INSTITUTION_FIELDS = (
    "code", "name", "kind", "grade_from", "grade_to", "ownership", "commune", "managing_unit",
    "address", "latitude", "longitude", "phone", "email", "website", "is_active",
)  # fmt: skip


def unit_set_path(unit: AdministrativeUnit) -> None:
    """Compute the materialised path from the parent (parent must be saved)."""
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"


def _province_of(commune: AdministrativeUnit) -> AdministrativeUnit:
    unit = commune
    while unit.level not in ("province", "country") and unit.parent_id:
        unit = unit.parent
    if unit.level != "province":
        raise ValidationError({"commune": _("Xã/phường không thuộc tỉnh/thành phố nào.")})
    return unit


def _apply_institution_fields(institution: Institution, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in INSTITUTION_FIELDS:
            raise ValidationError({name: _("Trường thông tin không được phép sửa.")})
        setattr(institution, name, value)
    institution.search_name = fold(institution.name)
    if institution.commune_id:
        if institution.commune.level != "commune":
            raise ValidationError({"commune": _("Hãy chọn một xã, phường hoặc đặc khu.")})
        institution.province = _province_of(institution.commune)
    if "kind" in fields and not ({"grade_from", "grade_to"} & set(fields)):
        institution.grade_from, institution.grade_to = DEFAULT_GRADE_SPAN[institution.kind]
    if institution.grade_from > institution.grade_to:
        raise ValidationError({"grade_to": _("Khối cuối phải không nhỏ hơn khối đầu.")})


@transaction.atomic
def institution_create(*, actor, fields: dict[str, Any], reason: str = "") -> Institution:
    scope = scope_for(actor)
    require(scope.national or bool(scope.province_ids) or bool(scope.unit_paths))
    institution = Institution()
    _apply_institution_fields(institution, fields)
    require(
        scope.national
        or institution.province_id in scope.province_ids
        or any(institution.commune.path.startswith(p) for p in scope.unit_paths)
    )
    institution.full_clean()
    institution.save()
    audit_record(
        actor=actor,
        action="institution.create",
        instance=institution,
        before=None,
        after=model_snapshot(institution),
        reason=reason,
    )
    return institution


@transaction.atomic
def institution_update(
    *, actor, institution: Institution, fields: dict[str, Any], reason: str = ""
) -> Institution:
    scope = scope_for(actor)
    require(
        Institution.objects.filter(institutions_q(scope, write=True), pk=institution.pk).exists()
    )
    before = model_snapshot(institution)
    _apply_institution_fields(institution, fields)
    institution.full_clean()
    institution.save()
    after = model_snapshot(institution)
    if before != after:
        audit_record(
            actor=actor,
            action="institution.update",
            instance=institution,
            before=before,
            after=after,
            reason=reason,
        )
    return institution
