"""Which rule set is in force for an education level, a school year and a grade.

Regulations roll out grade by grade: Circular 22/2021 applies to grade 6 from
2021-22 but to grade 7 only from 2022-23. For a grade the newest rule set does not
cover yet, the answer says so (with the first school year it applies) rather than
guess: the regulations before it are not implemented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from truongso.assessment.rules.common import RuleSetInfo
from truongso.assessment.rules.parameters import (
    CONTINUING,
    PRIMARY,
    SECONDARY,
    VOCATIONAL,
)

# Why no rule set is in force.
LEVEL_NOT_ASSESSED = "level_not_assessed"  # preschool: no assessment rule set
NO_RULE_SET = "no_rule_set"  # none stored for this level
BEFORE_FIRST = "before_first"  # the school year is before every stored rule set
GRADE_NOT_YET = "grade_not_yet"  # the regulation reaches this grade in a later year
GRADE_NOT_COVERED = "grade_not_covered"  # the regulation never covers this grade

# Institution kinds and education levels → the level a rule set is stored for.
_LEVEL_ALIASES = {
    PRIMARY: PRIMARY,
    SECONDARY: SECONDARY,
    "lower_secondary": SECONDARY,
    "upper_secondary": SECONDARY,
    CONTINUING: CONTINUING,
    VOCATIONAL: VOCATIONAL,
    "vocational_intermediate": VOCATIONAL,
    "college": VOCATIONAL,
}


def rule_set_level(education_level: str, grade: int | None = None) -> str | None:
    """The rule-set level for an education level or institution kind (None for
    preschool). A multi-level school needs the grade: 1–5 primary, 6–12 secondary."""
    if education_level == "multi_level":
        if grade is None or grade < 1:
            return None
        return PRIMARY if grade <= 5 else SECONDARY
    return _LEVEL_ALIASES.get(education_level)


def school_year_of(day: dt.date) -> int:
    """The school year (its starting calendar year) a date belongs to: a school year
    runs from September to the following August (summer re-tests included)."""
    return day.year if day.month >= 9 else day.year - 1


@dataclass(frozen=True)
class NotInForce:
    """No rule set applies. ``regulation`` and ``from_school_year`` say which
    regulation would and from when, when known."""

    reason: str
    education_level: str
    school_year: int
    grade: int | None = None
    regulation: str = ""
    from_school_year: int | None = None


def rule_set_in_force(
    candidates: Iterable[RuleSetInfo],
    *,
    education_level: str,
    school_year: int,
    grade: int | None = None,
) -> RuleSetInfo | NotInForce:
    """The rule set in force, from ``candidates`` (the latest version of each).

    The newest regulation whose first school year has come and which covers the grade
    that year wins. Without a grade, the newest regulation in force for the level.
    """
    level = rule_set_level(education_level, grade)
    if level is None:
        return NotInForce(LEVEL_NOT_ASSESSED, education_level, school_year, grade)
    stored = [c for c in candidates if c.education_level == level]
    if not stored:
        return NotInForce(NO_RULE_SET, level, school_year, grade)
    stored.sort(key=lambda c: (c.first_school_year, c.version), reverse=True)
    started = [c for c in stored if c.first_school_year <= school_year]
    if not started:
        first = stored[-1]
        return NotInForce(BEFORE_FIRST, level, school_year, grade, first.regulation,
                          first.first_school_year)  # fmt: skip
    if grade is None:
        return started[0]
    for info in started:
        first_year = info.first_school_year_for(grade)
        if first_year is not None and first_year <= school_year:
            return info
    newest = started[0]
    first_year = newest.first_school_year_for(grade)
    reason = GRADE_NOT_COVERED if first_year is None else GRADE_NOT_YET
    return NotInForce(reason, level, school_year, grade, newest.regulation, first_year)
