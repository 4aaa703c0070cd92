"""Receiving side: a learner's results as the school computed and sent them.

The parent keeps them in its own table (``ReceivedResult``), not in the assessment
app's tables: those are written only by the rule engines from a gradebook
(``results_recompute``, the bulk recompute), which the parent does not have, and a
recompute at the parent would replace the school's values with its own rules. Here
the values are stored as received, with the rule set they came from, and never
recomputed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.academics.models import SchoolClass, SchoolYear
from truongso.accounts.access import require, scope_for
from truongso.assessment.models import AwardKind, PassRating, Promotion, Rating
from truongso.audit.services import audit_record, model_snapshot
from truongso.exchange.models import ChildNode, ReceivedResult, ReceivedSubjectResult
from truongso.exchange.rules.wire import PERIODS
from truongso.learners.models import Learner
from truongso.units.models import Institution

RATING_FIELDS = ("learning", "learning_base", "conduct", "summer_learning", "summer_conduct")
PROMOTION_FIELDS = ("promotion", "summer_outcome")
LIST_FIELDS = ("retest_subjects", "summer_subjects", "missing", "summer_missing")
TEXT_FIELDS = {"rule_set": 60, "promotion_reason": 20}


def _choice(errors: dict, name: str, value: Any, allowed) -> str:
    value = value or ""
    if value not in allowed and value != "":
        errors[name] = _("Giá trị không hợp lệ: %(value)s") % {"value": value}
    return value


def _average(errors: dict, code: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not (0 <= number <= 10) or number != number.quantize(Decimal("0.1")):
        errors[f"subjects.{code}"] = _("Điểm trung bình không hợp lệ: %(value)s") % {"value": value}
        return None
    return number.quantize(Decimal("0.1"))


def _values(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The result's fields and its subjects' results, checked; ValidationError naming
    every field that is wrong."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for name in RATING_FIELDS:
        fields[name] = _choice(errors, name, data.get(name), Rating.values)
    for name in PROMOTION_FIELDS:
        fields[name] = _choice(errors, name, data.get(name), Promotion.values)
    fields["award"] = _choice(errors, "award", data.get("award"), AwardKind.values)
    for name, length in TEXT_FIELDS.items():
        value = str(data.get(name) or "")
        if len(value) > length:
            errors[name] = _("Quá %(n)s ký tự.") % {"n": length}
        fields[name] = value
    if not fields["rule_set"]:
        errors["rule_set"] = _("Thiếu bộ quy tắc đã dùng để tính kết quả.")
    for name in LIST_FIELDS:
        value = data.get(name) or []
        if not isinstance(value, list):
            errors[name] = _("Phải là một danh sách.")
            value = []
        fields[name] = value
    days = data.get("days_absent") or 0
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
        errors["days_absent"] = _("Số ngày nghỉ không hợp lệ: %(value)s") % {"value": days}
        days = 0
    fields["days_absent"] = days
    subjects: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in data.get("subjects") or []:
        code = str((item or {}).get("subject") or "")[:20] if isinstance(item, dict) else ""
        if not code or code in seen:
            errors["subjects"] = _("Môn học thiếu mã hoặc lặp lại: %(code)s") % {"code": code}
            continue
        seen.add(code)
        subjects.append(
            {
                "subject_code": code,
                "average": _average(errors, code, item.get("average")),
                "rating": _choice(errors, f"subjects.{code}", item.get("rating"),
                                  PassRating.values),
                "missing": item.get("missing") if isinstance(item.get("missing"), list) else [],
            }
        )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    return fields, subjects


def _snapshot(result: ReceivedResult) -> dict[str, Any]:
    snapshot = model_snapshot(result)
    snapshot["subjects"] = [
        {"subject_code": s.subject_code, "average": None if s.average is None else str(s.average),
         "rating": s.rating}
        for s in result.subjects.order_by("subject_code")
    ]  # fmt: skip
    return snapshot


@transaction.atomic
def received_result_save(
    *,
    actor,
    node: ChildNode,
    institution: Institution,
    learner: Learner,
    school_year: SchoolYear,
    period: int,
    school_class: SchoolClass | None,
    data: dict[str, Any],
    version: int,
    changed_at: dt.datetime | str | None,
    result: ReceivedResult | None = None,
) -> ReceivedResult:
    """Store (or replace) the results of ``learner`` for a term or the year as sent by
    ``institution``'s node. The caller has checked the record's version; the values are
    checked here and stored as they are. Audited as ``exchange.result.create/update``."""
    require(scope_for(actor).manages(institution.pk))
    if period not in PERIODS:
        raise ValidationError({"period": _("Kỳ không hợp lệ: %(value)s") % {"value": period}})
    fields, subjects = _values(data)
    if result is None:
        result = (
            ReceivedResult.objects.select_for_update()
            .filter(institution=institution, learner=learner, school_year=school_year,
                    period=period)
            .first()
        )  # fmt: skip
    created = result is None
    before = None if created else _snapshot(result)
    if created:
        result = ReceivedResult(
            institution=institution, learner=learner, school_year=school_year, period=period
        )
    for name, value in fields.items():
        setattr(result, name, value)
    result.node = node
    result.school_class = school_class
    result.version = version
    result.changed_at = changed_at
    result.cancelled = False
    result.save()
    result.subjects.all().delete()
    ReceivedSubjectResult.objects.bulk_create(
        ReceivedSubjectResult(result=result, institution_id=institution.pk, **item)
        for item in subjects
    )
    audit_record(actor=actor, action="exchange.result.create" if created else
                 "exchange.result.update", instance=result, before=before,
                 after=_snapshot(result))  # fmt: skip
    return result


@transaction.atomic
def received_result_withdraw(*, actor, result: ReceivedResult, version: int) -> ReceivedResult:
    """The school cancelled the record: the results stay (nothing is deleted) and are
    marked withdrawn. Audited as ``exchange.result.withdraw``."""
    require(scope_for(actor).manages(result.institution_id))
    before = _snapshot(result)
    result.cancelled = True
    result.version = version
    result.save(update_fields=["cancelled", "version", "received_at"])
    audit_record(actor=actor, action="exchange.result.withdraw", instance=result, before=before,
                 after=_snapshot(result))  # fmt: skip
    return result
