"""Primary assessment (Circular 27/2020/TT-BGDĐT): the end-of-year outcome and awards.

Each subject and activity is rated Hoàn thành tốt / Hoàn thành / Chưa hoàn thành,
each quality and competency Tốt / Đạt / Cần cố gắng; tested subjects have an
end-of-year test scored 1–10 (integers, UNVERIFIED). The outcome is the first row of
the rule set's table that holds (Hoàn thành xuất sắc, Hoàn thành tốt, Hoàn thành),
else Chưa hoàn thành.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from truongso.assessment.rules.common import (
    MISSING_QUALITIES,
    MISSING_QUALITY,
    MISSING_RATING,
    MISSING_SUBJECTS,
    MISSING_TEST,
    Incomplete,
    InvalidInput,
    Missing,
    parse_score,
)
from truongso.assessment.rules.labels import (
    Award,
    PrimaryOutcome,
    QualityRating,
    SubjectRating,
    parse_label,
)
from truongso.assessment.rules.parameters import PrimaryRules

# A subject's end-of-year test that was not sat (or not applicable) is absent from
# ``tests``; a test expected but not yet scored is given as None.


@dataclass(frozen=True)
class PrimaryOutcomeResult:
    outcome: PrimaryOutcome
    rule_set: str


@dataclass(frozen=True)
class PrimaryAwardResult:
    award: Award | None
    rule_set: str


def periodic_test_score(rules: PrimaryRules, value: Any, *, subject: str = "") -> Decimal:
    """A periodic test score: an integer from 1 to 10 by default (no 0, no decimals)."""
    try:
        return parse_score(value, rules.score_scale)
    except InvalidInput as error:
        raise InvalidInput(error.code, field=subject, **error.details)


def _rating(kind: type, value: Any, field: str) -> Any:
    try:
        return parse_label(kind, value)
    except InvalidInput as error:
        raise InvalidInput(error.code, field=field, **error.details)


def primary_outcome(
    rules: PrimaryRules,
    *,
    subjects: Mapping[str, Any],
    qualities: Mapping[str, Any],
    tests: Mapping[str, Any],
) -> PrimaryOutcomeResult | Incomplete:
    """The end-of-year outcome from each subject's end-of-year rating, each quality's
    and competency's rating, and each end-of-year test score."""
    label = rules.info.label
    missing: list[Missing] = []
    if not subjects:
        missing.append(Missing(MISSING_SUBJECTS))
    if not qualities:
        missing.append(Missing(MISSING_QUALITIES))
    ratings = {}
    for subject in sorted(subjects):
        if subjects[subject] is None:
            missing.append(Missing(MISSING_RATING, subject))
        else:
            ratings[subject] = _rating(SubjectRating, subjects[subject], subject)
    quality_ratings = {}
    for name in sorted(qualities):
        if qualities[name] is None:
            missing.append(Missing(MISSING_QUALITY, name))
        else:
            quality_ratings[name] = _rating(QualityRating, qualities[name], name)
    scores = {}
    for subject in sorted(tests):
        if tests[subject] is None:
            missing.append(Missing(MISSING_TEST, subject))
        else:
            scores[subject] = periodic_test_score(rules, tests[subject], subject=subject)
    if missing:
        return Incomplete(tuple(missing), label)
    for row in rules.outcome_rules:
        if any(r.rank < row.subject_min.rank for r in ratings.values()):
            continue
        if row.quality_min is not None and any(
            q.rank < row.quality_min.rank for q in quality_ratings.values()
        ):
            continue
        if any(score < row.test_min for score in scores.values()):
            continue
        return PrimaryOutcomeResult(row.outcome, label)
    return PrimaryOutcomeResult(PrimaryOutcome.CHUA_HOAN_THANH, label)


def primary_award(
    rules: PrimaryRules, *, outcome: PrimaryOutcomeResult | Incomplete, class_nominated: bool
) -> PrimaryAwardResult | Incomplete:
    """Học sinh Xuất sắc for Hoàn thành xuất sắc. Học sinh Tiêu biểu hoàn thành tốt
    trong học tập và rèn luyện for Hoàn thành tốt when the class nominates the
    learner (an outstanding subject or clear progress: a teacher's decision, given
    as ``class_nominated``)."""
    if isinstance(outcome, Incomplete):
        return outcome
    label = rules.info.label
    if outcome.outcome == PrimaryOutcome.HOAN_THANH_XUAT_SAC:
        return PrimaryAwardResult(Award.XUAT_SAC, label)
    if outcome.outcome == PrimaryOutcome.HOAN_THANH_TOT and class_nominated:
        return PrimaryAwardResult(Award.TIEU_BIEU, label)
    return PrimaryAwardResult(None, label)
