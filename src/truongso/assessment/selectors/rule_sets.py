"""Reads of the assessment rule sets (reference data, the same for every school)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from truongso.assessment.messages import not_in_force_text
from truongso.assessment.models import RuleSet
from truongso.assessment.rules import selection
from truongso.assessment.rules.common import RuleSetInfo


class RuleSetNotFound(ValidationError):
    """No stored rule set has this id."""


class RuleSetNotInForce(ValidationError):
    """No rule set applies to this level, school year and grade; ``result`` says why."""

    def __init__(self, result: selection.NotInForce) -> None:
        super().__init__(not_in_force_text(result), code=result.reason)
        self.result = result


def rule_set_versions(code: str) -> QuerySet[RuleSet]:
    """Every version of one rule set, newest first."""
    return RuleSet.objects.filter(code=code).order_by("-version")


def rule_set_latest_versions() -> list[RuleSet]:
    """The newest version of each rule set."""
    latest: dict[str, RuleSet] = {}
    for row in RuleSet.objects.order_by("code", "-version"):
        latest.setdefault(row.code, row)
    return sorted(latest.values(), key=lambda r: (r.education_level, r.first_school_year, r.code))


def rule_set_get(rule_set_id: str) -> RuleSet:
    """A rule set by its id: ``"tt22-2021@1"`` for exactly version 1, ``"tt22-2021"``
    for the newest version. Raises RuleSetNotFound naming the ids that exist."""
    code, _sep, version = rule_set_id.strip().partition("@")
    rows = rule_set_versions(code)
    if version:
        rows = rows.filter(version=int(version)) if version.isdigit() else rows.none()
    row = rows.first()
    if row is None:
        known = ", ".join(r.code for r in rule_set_latest_versions()) or "—"
        raise RuleSetNotFound(
            _("Không có bộ quy tắc “%(id)s”. Các bộ quy tắc hiện có: %(known)s.")
            % {"id": rule_set_id, "known": known},
            code="not_found",
        )
    return row


def rule_set_info(row: RuleSet) -> RuleSetInfo:
    """The selection data of a stored rule set (its roll-out is in the parameters)."""
    rollout = row.parameters.get("grade_first_school_years") or {}
    return RuleSetInfo(
        code=row.code,
        version=row.version,
        regulation=row.regulation,
        education_level=row.education_level,
        first_school_year=row.first_school_year,
        grade_first_school_years=tuple(
            sorted((int(grade), int(year)) for grade, year in rollout.items())
        ),
    )


def rule_set_in_force(
    *,
    education_level: str,
    school_year: int | object | None = None,
    on_date: dt.date | None = None,
    grade: int | None = None,
) -> RuleSet:
    """The rule set (newest version) in force for an education level (or an
    institution kind) in a school year — given as its starting year, a SchoolYear, or
    any date in it — and, when given, a grade.

    Raises RuleSetNotInForce with a clear message when none applies, e.g. grade 7 in
    2021-22, before Circular 22/2021 reached grade 7.
    """
    if school_year is None:
        if on_date is None:
            raise ValueError("give school_year or on_date")
        year = selection.school_year_of(on_date)
    elif isinstance(school_year, int):
        year = school_year
    else:
        year = school_year.starts_on.year  # a SchoolYear
    rows = {row.code: row for row in rule_set_latest_versions()}
    result = selection.rule_set_in_force(
        [rule_set_info(row) for row in rows.values()],
        education_level=education_level,
        school_year=year,
        grade=grade,
    )
    if isinstance(result, selection.NotInForce):
        raise RuleSetNotInForce(result)
    return rows[result.code]
