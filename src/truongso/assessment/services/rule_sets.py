"""Writes of the assessment rule sets: loading the built-in ones, saving a new
version of the parameters. Both audited. Also the conversion of a stored rule set to
the pure rules the engines use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from truongso.assessment.messages import parameter_error_text
from truongso.assessment.models import RuleSet
from truongso.assessment.rules.builtin import BUILTIN_RULE_SETS
from truongso.assessment.rules.parameters import (
    ParameterError,
    Rules,
    rules_from_stored,
    to_parameters,
)
from truongso.audit.services import audit_record


def rule_set_rules(rule_set: RuleSet, parameters: Any = None) -> Rules:
    """The pure rules (a frozen dataclass) of a stored rule set, optionally with other
    ``parameters``. Raises ValidationError({"parameters": …}) naming a wrong one."""
    try:
        return rules_from_stored(
            code=rule_set.code,
            version=rule_set.version,
            regulation=rule_set.regulation,
            education_level=rule_set.education_level,
            first_school_year=rule_set.first_school_year,
            parameters=rule_set.parameters if parameters is None else parameters,
        )
    except ParameterError as error:
        raise ValidationError({"parameters": parameter_error_text(error)})


def rule_set_check_revision(rule_set: RuleSet, parameters: Any) -> dict[str, Any]:
    """``parameters`` checked and in canonical form (decimals as strings) for a new
    version of ``rule_set``. Raises ValidationError({"parameters": …}) when one is wrong
    or when nothing differs from the newest version."""
    canonical = to_parameters(rule_set_rules(rule_set, parameters))
    newest = RuleSet.objects.filter(code=rule_set.code).order_by("-version").first()
    if newest is not None and canonical == newest.parameters:
        raise ValidationError(
            {"parameters": _("Tham số giống hệt phiên bản %(version)s; không có gì thay đổi.")
             % {"version": newest.version}}
        )  # fmt: skip
    return canonical


def _snapshot(rule_set: RuleSet) -> dict[str, Any]:
    return {
        "code": rule_set.code,
        "version": rule_set.version,
        "regulation": rule_set.regulation,
        "education_level": rule_set.education_level,
        "first_school_year": rule_set.first_school_year,
        "parameters": rule_set.parameters,
    }


def _may_edit(actor: Any) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_active", False)
        and (actor.is_superuser or actor.has_perm("assessment.change_ruleset"))
    )


@transaction.atomic
def rule_sets_load_builtin(*, actor: Any = None) -> list[RuleSet]:
    """Store version 1 of each built-in rule set not stored yet. Idempotent: a rule
    set already stored (in any version) is left as it is. Returns those created."""
    created = []
    for rules in BUILTIN_RULE_SETS:
        info = rules.info
        if RuleSet.objects.filter(code=info.code).exists():
            continue
        row = RuleSet.objects.create(
            code=info.code,
            version=info.version,
            regulation=info.regulation,
            education_level=info.education_level,
            first_school_year=info.first_school_year,
            parameters=to_parameters(rules),
            note=_("Bộ quy tắc mặc định"),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="rule_set.load", instance=row, before=None,
                     after=_snapshot(row), reason=row.note)  # fmt: skip
        created.append(row)
    return created


@transaction.atomic
def rule_set_revise(*, actor: Any, rule_set: RuleSet, parameters: Any, note: str) -> RuleSet:
    """Save ``parameters`` as a new version of ``rule_set``'s code; the old version is
    never changed, so past results can be recomputed with it. Only an administrator
    (superuser or the change-rule-set permission) may do it; ``note`` says why."""
    if not _may_edit(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Hãy ghi lý do thay đổi tham số.")})
    list(RuleSet.objects.select_for_update().filter(code=rule_set.code).values_list("pk"))
    canonical = rule_set_check_revision(rule_set, parameters)
    newest = RuleSet.objects.filter(code=rule_set.code).aggregate(v=Max("version"))["v"] or 0
    row = RuleSet.objects.create(
        code=rule_set.code,
        version=newest + 1,
        regulation=rule_set.regulation,
        education_level=rule_set.education_level,
        first_school_year=rule_set.first_school_year,
        parameters=canonical,
        note=note.strip()[:500],
        created_by=actor,
    )
    before = _snapshot(rule_set)
    audit_record(actor=actor, action="rule_set.revise", instance=row, before=before,
                 after=_snapshot(row), reason=row.note)  # fmt: skip
    return row
