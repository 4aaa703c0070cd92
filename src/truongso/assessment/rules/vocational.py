"""Vocational assessment (Circular 04/2022/TT-BLĐTBXH).

- Year-based programmes: the year average's classification (Xuất sắc 9.0–10, Giỏi
  8.0–8.9, Khá 7.0–7.9, Trung bình 5.0–6.9, Yếu below 5.0).
- Credit-based programmes: each module score → letter → 4-point value (the table is
  UNVERIFIED, a parameter); semester and cumulative GPA are credit-weighted averages
  of the 4-point values rounded half up to two decimals; classification on the
  cumulative GPA (3.50 / 3.00 / 2.50 / 2.00).
- Downgrades: Giỏi or above drops one level for a warning-level discipline; one
  retaken module blocks Xuất sắc, two or more block Giỏi.
- Graduation: every required credit earned and whole-course GPA ≥ 2.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from truongso.assessment.rules.common import (
    MISSING_SCORE,
    MISSING_SUBJECTS,
    NOT_POSITIVE,
    Incomplete,
    InvalidInput,
    Missing,
    divide_half_up,
    parse_count,
    parse_decimal,
    parse_score,
    round_half_up,
)
from truongso.assessment.rules.labels import VocationalLevel
from truongso.assessment.rules.parameters import RETAKE_LATEST, Band, VocationalRules

DOWNGRADE_DISCIPLINE = "discipline"
DOWNGRADE_RETAKES = "retakes"

GRADUATION_CREDITS = "credits"
GRADUATION_GPA = "gpa"


@dataclass(frozen=True)
class ModuleAttempt:
    """One attempt at a module (mô-đun, môn học): its credits and 10-point score
    (None when not scored yet). Attempts are given in the order they were taken."""

    module: str
    credits: int
    score: Any


@dataclass(frozen=True)
class ModuleGrade:
    module: str
    credits: int
    score: Decimal
    letter: str
    points: Decimal
    passed: bool
    rule_set: str


@dataclass(frozen=True)
class Gpa:
    """A credit-weighted average of 4-point values, rounded half up (two decimals)."""

    value: Decimal
    credits: int
    rule_set: str


@dataclass(frozen=True)
class Classification:
    """Xếp loại. ``base_level`` is before downgrades; ``downgrades`` says which applied."""

    level: VocationalLevel
    base_level: VocationalLevel
    downgrades: tuple[str, ...]
    rule_set: str


@dataclass(frozen=True)
class Graduation:
    eligible: bool
    earned_credits: int
    required_credits: int
    gpa: Decimal
    reasons: tuple[str, ...]  # GRADUATION_CREDITS, GRADUATION_GPA when not eligible
    rule_set: str


def _score(rules: VocationalRules, value: Any, field: str) -> Decimal:
    try:
        return parse_score(value, rules.score_scale)
    except InvalidInput as error:
        raise InvalidInput(error.code, field=field, **error.details)


def _credits(value: Any, field: str) -> int:
    try:
        credits = parse_count(value)
    except InvalidInput as error:
        raise InvalidInput(error.code, field=field, **error.details)
    if credits == 0:
        raise InvalidInput(NOT_POSITIVE, field=field, value=value)
    return credits


def module_grade(rules: VocationalRules, attempt: ModuleAttempt) -> ModuleGrade | Incomplete:
    """The letter and 4-point value of one module score (rounded to one decimal first)."""
    if attempt.score is None:
        return Incomplete((Missing(MISSING_SCORE, attempt.module),), rules.info.label)
    score = _score(rules, attempt.score, attempt.module)
    credits = _credits(attempt.credits, attempt.module)
    for grade in rules.letter_table:
        if score >= grade.minimum:
            break
    else:
        grade = rules.letter_table[-1]
    passed = grade.points >= rules.pass_min_points
    return ModuleGrade(attempt.module, credits, score, grade.letter, grade.points, passed,
                       rules.info.label)  # fmt: skip


def _grades(rules: VocationalRules, attempts: Sequence[ModuleAttempt]):
    grades = [module_grade(rules, a) for a in attempts]
    incomplete = [g for g in grades if isinstance(g, Incomplete)]
    if incomplete:
        return Incomplete.of(rules.info.label, *incomplete)
    return grades


def gpa(rules: VocationalRules, attempts: Sequence[ModuleAttempt]) -> Gpa | Incomplete:
    """Σ(points × credits) / Σcredits over ``attempts`` (e.g. one semester's), rounded
    half up to ``gpa_places``."""
    if not attempts:
        return Incomplete((Missing(MISSING_SUBJECTS),), rules.info.label)
    grades = _grades(rules, attempts)
    if isinstance(grades, Incomplete):
        return grades
    credits = sum(g.credits for g in grades)
    total = sum((g.points * g.credits for g in grades), Decimal(0))
    return Gpa(divide_half_up(total, credits, rules.gpa_places), credits, rules.info.label)


def _higher(rules: VocationalRules, attempt: ModuleAttempt, current: ModuleAttempt) -> bool:
    if attempt.score is None:
        return False
    if current.score is None:
        return True
    new = _score(rules, attempt.score, attempt.module)
    return new > _score(rules, current.score, current.module)


def counted_attempts(
    rules: VocationalRules, attempts: Sequence[ModuleAttempt]
) -> list[ModuleAttempt]:
    """One attempt per module, the one the cumulative GPA counts: the highest score
    or the latest attempt, as the rule set says (UNVERIFIED). First-seen order."""
    chosen: dict[str, ModuleAttempt] = {}
    for attempt in attempts:
        current = chosen.get(attempt.module)
        if (
            current is None
            or rules.retake_counts == RETAKE_LATEST
            or _higher(rules, attempt, current)
        ):
            chosen[attempt.module] = attempt
    return list(chosen.values())


def retaken_modules(attempts: Sequence[ModuleAttempt]) -> int:
    """How many modules were taken more than once."""
    seen: dict[str, int] = {}
    for attempt in attempts:
        seen[attempt.module] = seen.get(attempt.module, 0) + 1
    return sum(1 for count in seen.values() if count > 1)


def cumulative_gpa(rules: VocationalRules, attempts: Sequence[ModuleAttempt]) -> Gpa | Incomplete:
    """The cumulative (or whole-course) GPA: each module counted once."""
    return gpa(rules, counted_attempts(rules, attempts))


def _band(bands: Sequence[Band], value: Decimal) -> VocationalLevel:
    for band in bands:
        if value >= band.minimum:
            return band.level
    return bands[-1].level


def _classify(
    rules: VocationalRules,
    bands: Sequence[Band],
    value: Decimal,
    discipline_warning: bool,
    retaken: int,
) -> Classification:
    base = _band(bands, value)
    level = base
    downgrades = []
    if discipline_warning and base.rank >= rules.discipline_drop_from.rank:
        level = VocationalLevel.of_rank(base.rank - 1)
        downgrades.append(DOWNGRADE_DISCIPLINE)
    cap = None
    for count, capped in rules.retake_caps:  # ascending counts, stricter caps
        if retaken >= count:
            cap = capped
    if cap is not None and level.rank > cap.rank:
        level = cap
        downgrades.append(DOWNGRADE_RETAKES)
    return Classification(level, base, tuple(downgrades), rules.info.label)


def year_classification(
    rules: VocationalRules,
    *,
    year_average: Any,
    discipline_warning: bool = False,
    retaken_modules: Any = 0,
) -> Classification | Incomplete:
    """Year-based programme: classification of the year average (one decimal),
    then the downgrades."""
    if year_average is None:
        return Incomplete((Missing(MISSING_SCORE),), rules.info.label)
    value = _score(rules, year_average, "year_average")
    retaken = parse_count(retaken_modules)
    return _classify(rules, rules.year_bands, value, discipline_warning, retaken)


def credit_classification(
    rules: VocationalRules,
    *,
    gpa_value: Gpa | Incomplete | Any,
    discipline_warning: bool = False,
    retaken_modules: Any = 0,
) -> Classification | Incomplete:
    """Credit-based programme: classification of the cumulative GPA, then the downgrades."""
    if isinstance(gpa_value, Incomplete):
        return gpa_value
    if isinstance(gpa_value, Gpa):
        value = gpa_value.value
    else:
        value = round_half_up(parse_decimal(gpa_value), rules.gpa_places)
    retaken = parse_count(retaken_modules)
    return _classify(rules, rules.credit_bands, value, discipline_warning, retaken)


def graduation(
    rules: VocationalRules, *, attempts: Sequence[ModuleAttempt], required_credits: Any
) -> Graduation | Incomplete:
    """Eligible when the earned credits reach ``required_credits`` and the
    whole-course GPA is at least ``graduation_min_gpa`` (2.0)."""
    required = _credits(required_credits, "required_credits")
    counted = counted_attempts(rules, attempts)
    grades = _grades(rules, counted)
    if isinstance(grades, Incomplete):
        return grades
    whole = gpa(rules, counted)
    if isinstance(whole, Incomplete):
        return whole
    earned = sum(g.credits for g in grades if g.passed)
    reasons = []
    if earned < required:
        reasons.append(GRADUATION_CREDITS)
    if whole.value < rules.graduation_min_gpa:
        reasons.append(GRADUATION_GPA)
    return Graduation(not reasons, earned, required, whole.value, tuple(reasons), rules.info.label)


@dataclass(frozen=True)
class ScoreAverage:
    """A credit-weighted average of 10-point module scores, rounded half up to the
    score scale's places (one decimal): the average of a year-based programme."""

    value: Decimal
    credits: int
    rule_set: str


def score_average(
    rules: VocationalRules, attempts: Sequence[ModuleAttempt]
) -> ScoreAverage | Incomplete:
    """Σ(score × credits) / Σcredits over ``attempts`` (a semester's, a year's, or the
    counted attempts of the whole course) for year-based programmes."""
    if not attempts:
        return Incomplete((Missing(MISSING_SUBJECTS),), rules.info.label)
    grades = _grades(rules, attempts)
    if isinstance(grades, Incomplete):
        return grades
    credits = sum(g.credits for g in grades)
    total = sum((g.score * g.credits for g in grades), Decimal(0))
    value = divide_half_up(total, credits, rules.score_scale.places)
    return ScoreAverage(value, credits, rules.info.label)


def year_graduation_minimum(rules: VocationalRules) -> Decimal:
    """The lowest whole-course average that graduates a year-based programme: the
    lowest band at Trung bình or above (5.0 in Circular 04/2022)."""
    return min(
        b.minimum for b in rules.year_bands if b.level.rank >= VocationalLevel.TRUNG_BINH.rank
    )


def year_graduation(
    rules: VocationalRules, *, attempts: Sequence[ModuleAttempt], required_credits: Any
) -> Graduation | Incomplete:
    """Year-based programme: eligible when the earned credits reach ``required_credits``
    and the whole-course average (10-point, each module counted once) is at least
    ``year_graduation_minimum``. ``Graduation.gpa`` then holds that average."""
    required = _credits(required_credits, "required_credits")
    counted = counted_attempts(rules, attempts)
    grades = _grades(rules, counted)
    if isinstance(grades, Incomplete):
        return grades
    whole = score_average(rules, counted)
    if isinstance(whole, Incomplete):
        return whole
    earned = sum(g.credits for g in grades if g.passed)
    reasons = []
    if earned < required:
        reasons.append(GRADUATION_CREDITS)
    if whole.value < year_graduation_minimum(rules):
        reasons.append(GRADUATION_GPA)
    return Graduation(not reasons, earned, required, whole.value, tuple(reasons), rules.info.label)
