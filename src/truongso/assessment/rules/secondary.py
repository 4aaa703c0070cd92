"""Lower and upper secondary assessment (Circular 22/2021/TT-BGDĐT; continuing
education under Circular 43/2021/TT-BGDĐT uses the same calculations).

Every function takes the rule set's parameters (``SecondaryRules``) and returns a
result that records the rule set it came from, or ``Incomplete`` naming what is
missing. Bad input (a score of 11, "abc", an unknown rating) raises InvalidInput.

- semester average ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (nĐĐGtx + 5)
- year average ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3
- comment-only subjects: the year result is the semester II result
- learning result (Tốt/Khá/Đạt/Chưa đạt), conduct year result, promotion, awards
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from truongso.assessment.rules.common import (
    MISSING_COMMENT,
    MISSING_CONDUCT,
    MISSING_CONDUCT_AFTER_TRAINING,
    MISSING_DAYS_ABSENT,
    MISSING_END_OF_TERM,
    MISSING_MID_TERM,
    MISSING_REGULAR,
    MISSING_RETEST,
    MISSING_SEMESTER,
    MISSING_SUBJECTS,
    NOT_POSITIVE,
    RETEST_NOT_REQUIRED,
    TOO_MANY_REGULAR,
    Incomplete,
    InvalidInput,
    Missing,
    divide_half_up,
    parse_count,
    parse_decimal,
    parse_score,
    round_half_up,
)
from truongso.assessment.rules.labels import Award, Level, Pass, parse_label
from truongso.assessment.rules.parameters import SecondaryRules

# --- results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Average:
    """A semester or year average, rounded half up (e.g. ``Decimal("7.9")``)."""

    value: Decimal
    rule_set: str


@dataclass(frozen=True)
class CommentResult:
    """Đạt / Chưa đạt of a comment-only subject."""

    value: Pass
    rule_set: str


@dataclass(frozen=True)
class LearningResult:
    """Kết quả học tập. ``base_level`` is the level before the one-subject adjustment."""

    level: Level
    base_level: Level
    rule_set: str

    @property
    def adjusted(self) -> bool:
        return self.level != self.base_level


@dataclass(frozen=True)
class ConductResult:
    """Kết quả rèn luyện."""

    level: Level
    rule_set: str


class PromotionOutcome(StrEnum):
    PROMOTED = "promoted"  # lên lớp
    CONDUCT_TRAINING = "summer_conduct_training"  # rèn luyện trong hè
    RETESTS = "summer_retests"  # kiểm tra lại
    REPEAT = "repeat"  # ở lại lớp


# Why a learner repeats the grade.
REASON_ABSENCES = "absences"
REASON_CONDUCT = "conduct"
REASON_LEARNING = "learning"


@dataclass(frozen=True)
class PromotionDecision:
    """The promotion decision. ``retest_subjects`` lists the subjects to re-test
    (with CONDUCT_TRAINING too when learning is also Chưa đạt: those re-tests follow
    once conduct is re-evaluated at least Đạt). ``reason`` is set for REPEAT."""

    outcome: PromotionOutcome
    reason: str
    retest_subjects: tuple[str, ...]
    rule_set: str


@dataclass(frozen=True)
class AwardResult:
    """The award, or None when the learner gets none."""

    award: Award | None
    rule_set: str


SubjectValue = Average | CommentResult | Incomplete | Decimal | Pass | str | int | None


# --- scores and averages ----------------------------------------------------------


def regular_count(rules: SecondaryRules, periods_per_year: int) -> int:
    """How many regular scores (ĐĐGtx) a semester needs: 2 up to 35 periods a year,
    3 up to 70, 4 above (by default)."""
    periods = parse_count(periods_per_year)
    if periods == 0:
        raise InvalidInput(NOT_POSITIVE, value=periods_per_year, field="periods_per_year")
    for limit, count in rules.regular_counts:
        if limit is None or periods <= limit:
            return count
    raise AssertionError("regular_counts must end with an open row")  # checked on load


def _score(rules: SecondaryRules, value: Any, field: str) -> Decimal:
    try:
        return parse_score(value, rules.score_scale)
    except InvalidInput as error:
        raise InvalidInput(error.code, field=field, **error.details)


def semester_average(
    rules: SecondaryRules,
    *,
    subject: str,
    term: int,
    regular: Sequence[Any],
    mid_term: Any,
    end_of_term: Any,
    periods_per_year: int | None = None,
) -> Average | Incomplete:
    """ĐTBmhk of a scored subject, rounded half up to one decimal.

    ``regular`` holds the regular scores given (None for a score not entered yet).
    With ``periods_per_year`` the number of regular scores is checked (fewer is
    incomplete, more is an error); without it at least the smallest number in the
    table is needed. A missing mid-term or end-of-term score makes it incomplete:
    the divisor is never shrunk and the regular scores are never averaged first.
    """
    label = rules.info.label
    scores = [_score(rules, v, f"regular[{i}]") for i, v in enumerate(regular) if v is not None]
    mid = None if mid_term is None else _score(rules, mid_term, "mid_term")
    end = None if end_of_term is None else _score(rules, end_of_term, "end_of_term")
    if periods_per_year is not None:
        expected = regular_count(rules, periods_per_year)
        if len(scores) > expected:
            raise InvalidInput(TOO_MANY_REGULAR, field="regular", count=len(scores),
                               expected=expected, periods=periods_per_year)  # fmt: skip
    else:
        expected = max(len(scores), min(count for _limit, count in rules.regular_counts))
    missing = []
    if len(scores) < expected:
        missing.append(Missing(MISSING_REGULAR, subject, term, expected - len(scores)))
    if mid is None:
        missing.append(Missing(MISSING_MID_TERM, subject, term))
    if end is None:
        missing.append(Missing(MISSING_END_OF_TERM, subject, term))
    if missing:
        return Incomplete(tuple(missing), label)
    total = sum(scores, Decimal(0)) + rules.mid_term_weight * mid + rules.end_of_term_weight * end
    weight = len(scores) + rules.mid_term_weight + rules.end_of_term_weight
    return Average(divide_half_up(total, weight, rules.average_places), label)


def _average_value(rules: SecondaryRules, value: Any, field: str) -> Decimal:
    if isinstance(value, Average):
        return value.value
    return round_half_up(_score(rules, value, field), rules.average_places)


def year_average(
    rules: SecondaryRules, *, subject: str, semester_1: Any, semester_2: Any
) -> Average | Incomplete:
    """ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3 from the (rounded) semester averages."""
    label = rules.info.label
    parts: list[Incomplete | Missing] = []
    values = []
    for term, value in ((1, semester_1), (2, semester_2)):
        if value is None:
            parts.append(Missing(MISSING_SEMESTER, subject, term))
        elif isinstance(value, Incomplete):
            parts.append(value)
        else:
            values.append(_average_value(rules, value, f"semester_{term}"))
    if parts:
        return Incomplete.of(label, *parts)
    w1, w2 = rules.semester_weights
    total = w1 * values[0] + w2 * values[1]
    return Average(divide_half_up(total, w1 + w2, rules.average_places), label)


def _pass(value: Any, field: str) -> Pass:
    if isinstance(value, CommentResult):
        return value.value
    try:
        return parse_label(Pass, value)
    except InvalidInput as error:
        raise InvalidInput(error.code, field=field, **error.details)


def comment_year_result(
    rules: SecondaryRules, *, subject: str, semester_1: Any, semester_2: Any
) -> CommentResult | Incomplete:
    """Year result of a comment-only subject: the semester II result (Đạt/Chưa đạt)."""
    if semester_1 is not None and not isinstance(semester_1, Incomplete):
        _pass(semester_1, "semester_1")  # validated, not used
    if semester_2 is None:
        return Incomplete((Missing(MISSING_COMMENT, subject, 2),), rules.info.label)
    if isinstance(semester_2, Incomplete):
        return semester_2
    return CommentResult(_pass(semester_2, "semester_2"), rules.info.label)


# --- learning result --------------------------------------------------------------


def _subject_value(rules: SecondaryRules, subject: str, value: Any) -> Decimal | Pass:
    """A subject's result as a one-decimal average or Đạt/Chưa đạt."""
    if isinstance(value, Average):
        return value.value
    if isinstance(value, CommentResult | Pass):
        return value.value if isinstance(value, CommentResult) else value
    if isinstance(value, str):
        try:
            parse_decimal(value)
        except InvalidInput:
            return _pass(value, subject)
    return _average_value(rules, value, subject)


def _level(rules: SecondaryRules, scored: Sequence[Decimal], not_passed: int) -> Level:
    for row in rules.learning_levels:
        if not_passed > row.max_not_passed:
            continue
        if row.all_min is not None and any(score < row.all_min for score in scored):
            continue
        if sum(1 for score in scored if score >= row.count_min) < row.count:
            continue
        return row.level
    return Level.CHUA_DAT


def learning_result(
    rules: SecondaryRules, results: Mapping[str, Any], *, term: int | None = None
) -> LearningResult | Incomplete:
    """Kết quả học tập of a semester (``term`` 1 or 2, from semester averages) or the
    year (``term`` None, from year averages).

    ``results`` maps each subject to its average (scored subjects) or Đạt/Chưa đạt
    (comment-only subjects). The first row of the table that holds wins. With
    ``one_subject_adjustment``, when leaving out a single subject would give a result
    two or more levels higher, the result is raised by one level.
    """
    label = rules.info.label
    if not results:
        return Incomplete((Missing(MISSING_SUBJECTS, "", term),), label)
    values: dict[str, Decimal | Pass] = {}
    parts: list[Incomplete | Missing] = []
    for subject in sorted(results):
        value = results[subject]
        if value is None:
            parts.append(Missing(MISSING_SEMESTER, subject, term))
        elif isinstance(value, Incomplete):
            parts.append(value)
        else:
            values[subject] = _subject_value(rules, subject, value)
    if parts:
        return Incomplete.of(label, *parts)

    def level_of(items: dict[str, Decimal | Pass]) -> Level:
        scored = [v for v in items.values() if isinstance(v, Decimal)]
        not_passed = sum(1 for v in items.values() if v == Pass.NOT_PASSED)
        return _level(rules, scored, not_passed)

    base = level_of(values)
    level = base
    if rules.one_subject_adjustment and base != Level.TOT:
        for subject in values:
            others = {k: v for k, v in values.items() if k != subject}
            if level_of(others).rank >= base.rank + 2:
                level = Level.of_rank(base.rank + 1)
                break
    return LearningResult(level, base, label)


# --- conduct ----------------------------------------------------------------------


def _conduct_level(value: Any, field: str) -> Level:
    if isinstance(value, ConductResult):
        return value.level
    try:
        return parse_label(Level, value)
    except InvalidInput as error:
        raise InvalidInput(error.code, field=field, **error.details)


def conduct_year(
    rules: SecondaryRules, *, semester_1: Any, semester_2: Any
) -> ConductResult | Incomplete:
    """Year conduct from the two semesters' (Tốt/Khá/Đạt/Chưa đạt), by the rule set's table."""
    missing = [
        Missing(MISSING_CONDUCT, "", term)
        for term, value in ((1, semester_1), (2, semester_2))
        if value is None
    ]
    if missing:
        return Incomplete(tuple(missing), rules.info.label)
    first = _conduct_level(semester_1, "semester_1")
    second = _conduct_level(semester_2, "semester_2")
    return ConductResult(rules.conduct_year(second, first), rules.info.label)


# --- promotion, re-tests, awards --------------------------------------------------


def retest_subjects(rules: SecondaryRules, year_results: Mapping[str, Any]) -> tuple[str, ...]:
    """The subjects to re-test: comment-only subjects Chưa đạt and scored subjects
    whose year average is below ``retest_below`` (5.0), in name order."""
    subjects = []
    for subject in sorted(year_results):
        value = year_results[subject]
        if value is None or isinstance(value, Incomplete):
            continue
        value = _subject_value(rules, subject, value)
        if value == Pass.NOT_PASSED or (isinstance(value, Decimal) and value < rules.retest_below):
            subjects.append(subject)
    return tuple(subjects)


def _learning_level(value: Any) -> Level:
    if isinstance(value, LearningResult):
        return value.level
    return parse_label(Level, value)


def promotion_decide(
    rules: SecondaryRules,
    *,
    conduct: Any,
    learning: Any,
    days_absent: Any,
    year_results: Mapping[str, Any],
    conduct_trained: bool = False,
    retested: bool = False,
) -> PromotionDecision | Incomplete:
    """Lên lớp needs year conduct and year learning result at least Đạt and at most
    45 days absent. Otherwise: more than 45 days absent repeats the grade; conduct
    Chưa đạt goes to summer conduct training; learning Chưa đạt to summer re-tests.

    After the summer (``conduct_trained`` / ``retested``) a learner still short of
    the requirement repeats the grade.
    """
    label = rules.info.label
    if days_absent is None:
        parts: list[Incomplete | Missing] = [Missing(MISSING_DAYS_ABSENT)]
    else:
        parts = []
        if parse_count(days_absent) > rules.max_days_absent:
            return PromotionDecision(PromotionOutcome.REPEAT, REASON_ABSENCES, (), label)
    for value, what in ((conduct, MISSING_CONDUCT), (learning, MISSING_SUBJECTS)):
        if value is None:
            parts.append(Missing(what))
        elif isinstance(value, Incomplete):
            parts.append(value)
    if parts:
        return Incomplete.of(label, *parts)
    conduct_ok = _conduct_level(conduct, "conduct").rank >= rules.promotion_min_conduct.rank
    learning_ok = _learning_level(learning).rank >= rules.promotion_min_learning.rank
    if conduct_ok and learning_ok:
        return PromotionDecision(PromotionOutcome.PROMOTED, "", (), label)
    retests = () if learning_ok else retest_subjects(rules, year_results)
    if not conduct_ok:
        if conduct_trained:
            return PromotionDecision(PromotionOutcome.REPEAT, REASON_CONDUCT, (), label)
        return PromotionDecision(PromotionOutcome.CONDUCT_TRAINING, "", retests, label)
    if retested:
        return PromotionDecision(PromotionOutcome.REPEAT, REASON_LEARNING, (), label)
    return PromotionDecision(PromotionOutcome.RETESTS, "", retests, label)


def retest_apply(
    rules: SecondaryRules,
    *,
    year_results: Mapping[str, Any],
    retests: Mapping[str, Any],
    required: Sequence[str],
) -> dict[str, Decimal | Pass] | Incomplete:
    """The year results with the re-test results in place of the re-tested subjects'.

    A scored subject's re-test score replaces its year average when
    ``retest_replaces_year_average`` (UNVERIFIED), otherwise the higher of the two
    is kept. A comment-only subject's re-test result (Đạt/Chưa đạt) replaces it.
    """
    for subject in retests:
        if subject not in required:
            raise InvalidInput(RETEST_NOT_REQUIRED, field=subject, subject=subject)
    missing = [Missing(MISSING_RETEST, s) for s in required if retests.get(s) is None]
    if missing:
        return Incomplete(tuple(missing), rules.info.label)
    results: dict[str, Decimal | Pass] = {
        subject: _subject_value(rules, subject, value) for subject, value in year_results.items()
    }
    for subject in required:
        old = results[subject]
        if isinstance(old, Pass):
            results[subject] = _pass(retests[subject], subject)
            continue
        score = round_half_up(_score(rules, retests[subject], subject), rules.average_places)
        results[subject] = score if rules.retest_replaces_year_average else max(old, score)
    return results


@dataclass(frozen=True)
class Reevaluation:
    """After the summer: the year results with the re-tests, the year learning result
    and conduct recomputed, and the new promotion decision."""

    year_results: Mapping[str, Decimal | Pass]
    learning: LearningResult | Incomplete
    conduct: ConductResult | Incomplete
    decision: PromotionDecision | Incomplete
    rule_set: str


def promotion_reevaluate(
    rules: SecondaryRules,
    *,
    decision: PromotionDecision,
    year_results: Mapping[str, Any],
    conduct: Any,
    days_absent: Any,
    retests: Mapping[str, Any] | None = None,
    conduct_after_training: Any = None,
) -> Reevaluation | Incomplete:
    """Re-evaluate a learner sent to the summer.

    After CONDUCT_TRAINING, ``conduct_after_training`` is the re-evaluated year
    conduct; after RETESTS (or training when learning was also Chưa đạt),
    ``retests`` maps each re-tested subject to its result. Whoever is still short of
    the requirement after the summer repeats the grade.
    """
    label = rules.info.label
    if decision.outcome not in (PromotionOutcome.CONDUCT_TRAINING, PromotionOutcome.RETESTS):
        learning = learning_result(rules, year_results)
        return Reevaluation(dict(year_results), learning, conduct, decision, label)
    trained = decision.outcome == PromotionOutcome.CONDUCT_TRAINING
    conduct = ConductResult(_conduct_level(conduct, "conduct"), label)
    if trained:
        if conduct_after_training is None:
            return Incomplete((Missing(MISSING_CONDUCT_AFTER_TRAINING),), label)
        conduct = ConductResult(_conduct_level(conduct_after_training, "conduct"), label)
    results: Mapping[str, Any] = year_results
    required = decision.retest_subjects
    for subject in retests or {}:
        if subject not in required:
            raise InvalidInput(RETEST_NOT_REQUIRED, field=subject, subject=subject)
    conduct_ok = conduct.level.rank >= rules.promotion_min_conduct.rank
    retested = False
    if required and conduct_ok:
        if retests is None:
            if not trained:
                missing = tuple(Missing(MISSING_RETEST, s) for s in required)
                return Incomplete(missing, label)
        else:
            applied = retest_apply(rules, year_results=year_results, retests=retests,
                                   required=required)  # fmt: skip
            if isinstance(applied, Incomplete):
                return applied
            results, retested = applied, True
    learning = learning_result(rules, results)
    new_decision = promotion_decide(
        rules, conduct=conduct, learning=learning, days_absent=days_absent,
        year_results=results, conduct_trained=trained, retested=retested,
    )  # fmt: skip
    return Reevaluation(dict(results), learning, conduct, new_decision, label)


def award(
    rules: SecondaryRules, *, conduct: Any, learning: Any, year_results: Mapping[str, Any]
) -> AwardResult | Incomplete:
    """Học sinh Giỏi: year conduct Tốt and year learning Tốt. Học sinh Xuất sắc: Giỏi
    and at least 6 subjects with a year average ≥ 9.0."""
    label = rules.info.label
    parts = [v for v in (conduct, learning) if isinstance(v, Incomplete)]
    parts += [v for v in year_results.values() if isinstance(v, Incomplete)]
    if parts:
        return Incomplete.of(label, *parts)
    if conduct is None or learning is None:
        what = MISSING_CONDUCT if conduct is None else MISSING_SUBJECTS
        return Incomplete.of(label, Missing(what))
    gioi = (
        _conduct_level(conduct, "conduct").rank >= rules.award_gioi_min_conduct.rank
        and _learning_level(learning).rank >= rules.award_gioi_min_learning.rank
    )
    if not gioi:
        return AwardResult(None, label)
    values = [_subject_value(rules, s, v) for s, v in year_results.items() if v is not None]
    high = sum(1 for v in values if isinstance(v, Decimal) and v >= rules.award_xuat_sac_min)
    return AwardResult(Award.XUAT_SAC if high >= rules.award_xuat_sac_count else Award.GIOI, label)
