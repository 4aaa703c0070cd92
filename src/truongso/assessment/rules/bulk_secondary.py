"""The secondary engine (Circular 22/2021) evaluated for many learners at once, in
columns of integers: the same results as ``gradebook.learner_outcome`` for every
learner it covers, computed from the same rule-set parameters (``SecondaryRules``:
weights, the number of regular scores, the learning-result table, the one-subject
adjustment, the conduct table, the absence limit, the re-test and award thresholds).

Scores are integers in units of the score scale (tenths: 0–100 for 0.0–10.0) and
averages integers in units of the rule set's places. A weighted average is an exact
integer quotient rounded half up with integers, ``(2·num + den) // (2·den)``, which is
what ``Decimal`` division quantized ``ROUND_HALF_UP`` gives for non-negative values.
A threshold ``t`` becomes ``ceil(t·10^places)``: for an integer ``a``, ``a < t`` holds
exactly when ``a < ceil(t·10^places)``.

What it covers: learners whose every result is complete (every score of every subject
they take in both terms, Đạt/Chưa đạt of every comment subject, conduct in both
terms), with nothing entered after the summer. Everything else — an incomplete result
(whose ``missing`` lists name what to enter), summer re-tests or conduct training
entered, a value the columns
cannot hold exactly (more decimals than the scale, out of range, an unknown rating) —
is flagged ``covered = False`` and computed by ``learner_outcome`` itself
(``learner_outcomes`` does both). Equality with ``learner_outcome`` is checked by
property tests (tests/assessment/test_rules_bulk_secondary.py).

Pure: numpy and the rule modules, no Django.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np

from truongso.assessment.rules import gradebook, secondary
from truongso.assessment.rules.common import MISSING_CONDUCT_AFTER_TRAINING, MISSING_RETEST, Missing
from truongso.assessment.rules.labels import Award, Level, Pass
from truongso.assessment.rules.parameters import SecondaryRules

# Codes in the integer columns.
NONE = -1  # a score or a level not given
PASSED, NOT_PASSED = 1, 2  # a comment subject's Đạt / Chưa đạt (0: not given)
PASS_CODES = {None: 0, Pass.PASSED: PASSED, Pass.NOT_PASSED: NOT_PASSED}
PASS_OF = {PASSED: Pass.PASSED, NOT_PASSED: Pass.NOT_PASSED}
LEVELS = (Level.CHUA_DAT, Level.DAT, Level.KHA, Level.TOT)  # index = rank
# promotion: index into PROMOTIONS (-1: none)
PROMOTIONS = (
    secondary.PromotionOutcome.PROMOTED,
    secondary.PromotionOutcome.CONDUCT_TRAINING,
    secondary.PromotionOutcome.RETESTS,
    secondary.PromotionOutcome.REPEAT,
)
PROMOTED, CONDUCT_TRAINING, RETESTS, REPEAT = range(4)
AWARDS = (None, Award.GIOI, Award.XUAT_SAC)  # index = award code
# What a learner sent to the summer still lacks when nothing was entered after it.
SUMMER_MISSING_NONE, SUMMER_MISSING_RETESTS, SUMMER_MISSING_CONDUCT = range(3)
PERIODS = (1, 2, gradebook.YEAR)  # the last axis of the period columns, in this order


class NotCovered(Exception):
    """The rule set's parameters cannot be evaluated in integer columns."""


@dataclass(frozen=True)
class Plan:
    """The rule set's parameters as integers for a list of subjects (the columns)."""

    rules: SecondaryRules
    subjects: tuple[gradebook.SubjectSpec, ...]
    scored: np.ndarray  # bool (S,)
    expected: np.ndarray  # int (S,) regular scores a term (0 for comment subjects)
    width: int  # regular score columns: the largest number expected
    score_min: int
    score_max: int
    num_scale: int  # semester average numerator × this …
    den_scale: int  # … over denominator × this, in units of the average's places
    # learning levels, in table order: (rank, all_min or None, count_min, count, max_not_passed)
    levels: tuple[tuple[int, int | None, int, int, int], ...]
    conduct_year: np.ndarray  # int (4, 4): [semester II rank, semester I rank] → year rank
    retest_below: int
    xuat_sac_min: int
    order: tuple[int, ...]  # subject columns by code (re-test lists are in code order)


def _units(value: Decimal, places: int, *, exact: bool) -> int:
    scaled = value.scaleb(places)
    whole = scaled.to_integral_value(rounding=ROUND_CEILING)
    if exact and whole != scaled:
        raise NotCovered("value with more places than the scale")
    return int(whole)


def _floor_units(value: Decimal, places: int) -> int:
    return int(value.scaleb(places).to_integral_value(rounding=ROUND_FLOOR))


def plan(rules: SecondaryRules, subjects: Sequence[gradebook.SubjectSpec]) -> Plan:
    """The columns for ``subjects`` under ``rules``; NotCovered when the parameters
    fall outside what the integer evaluation does exactly (negative weights or
    scores)."""
    if not isinstance(rules, SecondaryRules):
        raise NotCovered("not a secondary rule set")
    scale = rules.score_scale
    places, score_places = rules.average_places, scale.places
    weights = (rules.mid_term_weight, rules.end_of_term_weight, *rules.semester_weights)
    if min(weights) < 0 or sum(rules.semester_weights) <= 0 or scale.minimum < 0:
        raise NotCovered("negative weights or scores")
    if places < 0 or score_places < 0:
        raise NotCovered("negative places")
    subjects = tuple(subjects)
    expected = np.array([secondary.regular_count(rules, s.periods_per_year) if s.scored else 0
                         for s in subjects], dtype=np.int64)  # fmt: skip
    if any(s.scored and e + rules.mid_term_weight + rules.end_of_term_weight <= 0
           for s, e in zip(subjects, expected, strict=True)):  # fmt: skip
        raise NotCovered("a zero divisor")
    levels = tuple(
        (
            row.level.rank,
            None if row.all_min is None else _units(row.all_min, places, exact=False),
            _units(row.count_min, places, exact=False),
            row.count,
            row.max_not_passed,
        )
        for row in rules.learning_levels
    )
    table = np.zeros((4, 4), dtype=np.int64)
    for second, first in ((a, b) for a in LEVELS for b in LEVELS):
        table[second.rank, first.rank] = rules.conduct_year(second, first).rank
    return Plan(
        rules=rules,
        subjects=subjects,
        scored=np.array([s.scored for s in subjects], dtype=bool).reshape(len(subjects)),
        expected=expected,
        width=int(expected.max()) if len(subjects) else 0,
        score_min=_units(scale.minimum, score_places, exact=False),
        score_max=_floor_units(scale.maximum, score_places),
        num_scale=10 ** max(0, places - score_places),
        den_scale=10 ** max(0, score_places - places),
        levels=levels,
        conduct_year=table,
        retest_below=_units(rules.retest_below, places, exact=False),
        xuat_sac_min=_units(rules.award_xuat_sac_min, places, exact=False),
        order=tuple(sorted(range(len(subjects)), key=lambda i: subjects[i].code)),
    )  # fmt: skip


@dataclass
class Columns:
    """What the gradebook holds for L learners, as integer columns (S subjects of
    the plan, T = 2 terms). Scores in units of the scale, ``NONE`` when not entered."""

    takes: np.ndarray  # bool (L, S): the subjects each learner takes
    regular: np.ndarray  # int (L, S, 2, width): the first ``width`` regular scores as stored
    mid_term: np.ndarray  # int (L, S, 2)
    end_of_term: np.ndarray  # int (L, S, 2)
    rating: np.ndarray  # int (L, S, 2): the term's rating as stored (PASS_CODES)
    mid_term_rating: np.ndarray  # int (L, S, 2)
    end_of_term_rating: np.ndarray  # int (L, S, 2)
    conduct: np.ndarray  # int (L, 2): rank, NONE when not set
    days: np.ndarray  # int (L, 2): days absent a term
    # Learners whose input the columns cannot hold (summer entries, a bad value …).
    fallback: np.ndarray  # bool (L,)

    @staticmethod
    def concat(parts: Sequence[Columns]) -> Columns:
        """The learners of ``parts`` (columns of one plan) one after the other."""
        names = [f.name for f in dataclasses.fields(Columns)]
        return Columns(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})

    @staticmethod
    def empty(size: int, plan: Plan) -> Columns:
        s, w = len(plan.subjects), plan.width
        return Columns(
            takes=np.ones((size, s), dtype=bool),
            regular=np.full((size, s, 2, w), NONE, dtype=np.int64),
            mid_term=np.full((size, s, 2), NONE, dtype=np.int64),
            end_of_term=np.full((size, s, 2), NONE, dtype=np.int64),
            rating=np.zeros((size, s, 2), dtype=np.int64),
            mid_term_rating=np.zeros((size, s, 2), dtype=np.int64),
            end_of_term_rating=np.zeros((size, s, 2), dtype=np.int64),
            conduct=np.full((size, 2), NONE, dtype=np.int64),
            days=np.zeros((size, 2), dtype=np.int64),
            fallback=np.zeros(size, dtype=bool),
        )


@dataclass
class Outcomes:
    """The results of L learners; meaningful where ``covered``. Period axes are in the
    order of ``PERIODS`` (term 1, term 2, year); averages in units of the rule set's
    places (NONE for comment subjects), ratings as PASS_CODES, levels as ranks."""

    plan: Plan
    covered: np.ndarray  # bool (L,)
    average: np.ndarray  # int (L, S, 3)
    rating: np.ndarray  # int (L, S, 3)
    learning: np.ndarray  # int (L, 3)
    learning_base: np.ndarray  # int (L, 3)
    conduct: np.ndarray  # int (L, 3)
    days: np.ndarray  # int (L, 3)
    promotion: np.ndarray  # int (L,): index into PROMOTIONS
    retest: np.ndarray  # bool (L, S): the subjects to re-test
    award: np.ndarray  # int (L,): index into AWARDS
    summer: np.ndarray  # bool (L,): sent to the summer (its outcome is ``promotion``)
    summer_missing: np.ndarray  # int (L,): SUMMER_MISSING_*
    # Sent to re-tests with no subject to re-test: the decision stands re-evaluated,
    # with the year's learning and conduct (ranks; NONE for everyone else).
    summer_learning: np.ndarray  # int (L,)
    summer_conduct: np.ndarray  # int (L,)

    def part(self, start: int, stop: int) -> Outcomes:
        """The results of learners ``start`` … ``stop - 1`` (views, not copies)."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(Outcomes)}
        return Outcomes(**{n: v if n == "plan" else v[start:stop] for n, v in values.items()})

    def average_text(self) -> list[str]:
        """The text of every average value 0 … the scale's maximum (index = value)."""
        places = self.plan.rules.average_places
        top = max(int(self.average.max(initial=0)), 0)
        return [str(Decimal(v).scaleb(-places)) for v in range(top + 1)]

    def outcome(self, i: int, takes: np.ndarray | None = None) -> gradebook.LearnerOutcome:
        """Learner ``i``'s results as ``learner_outcome`` gives them (covered only)."""
        if not self.covered[i]:
            raise ValueError("learner not covered")
        plan = self.plan
        places = plan.rules.average_places
        label = plan.rules.info.label
        subjects: dict[tuple[str, int], gradebook.SubjectOutcome] = {}
        taken = [k for k in range(len(plan.subjects)) if takes is None or takes[k]]
        for k in taken:
            spec = plan.subjects[k]
            for p, period in enumerate(PERIODS):
                if spec.scored:
                    value = Decimal(int(self.average[i, k, p])).scaleb(-places)
                    subjects[(spec.code, period)] = gradebook.SubjectOutcome(average=value)
                else:
                    rating = PASS_OF[int(self.rating[i, k, p])]
                    subjects[(spec.code, period)] = gradebook.SubjectOutcome(rating=rating)
        ordered = {}
        for k in taken:  # learner_outcome's order: each subject's terms, then its year
            code = plan.subjects[k].code
            for period in (*gradebook.TERMS, gradebook.YEAR):
                ordered[(code, period)] = subjects[(code, period)]
        periods: dict[int, gradebook.PeriodOutcome] = {}
        for p, period in enumerate(PERIODS[:2]):
            periods[period] = gradebook.PeriodOutcome(
                LEVELS[self.learning[i, p]], LEVELS[self.learning_base[i, p]],
                LEVELS[self.conduct[i, p]], int(self.days[i, p]), (),
            )  # fmt: skip
        promotion = PROMOTIONS[int(self.promotion[i])]
        retests = tuple(plan.subjects[k].code for k in plan.order if self.retest[i, k])
        summer = bool(self.summer[i])
        missing: tuple[Missing, ...] = ()
        if self.summer_missing[i] == SUMMER_MISSING_RETESTS:
            missing = tuple(Missing(MISSING_RETEST, code) for code in retests)
        elif self.summer_missing[i] == SUMMER_MISSING_CONDUCT:
            missing = (Missing(MISSING_CONDUCT_AFTER_TRAINING),)
        periods[gradebook.YEAR] = gradebook.PeriodOutcome(
            learning=LEVELS[self.learning[i, 2]],
            learning_base=LEVELS[self.learning_base[i, 2]],
            conduct=LEVELS[self.conduct[i, 2]],
            days_absent=int(self.days[i, 2]),
            missing=(),
            promotion=promotion,
            promotion_reason=secondary.REASON_ABSENCES if promotion == PROMOTIONS[REPEAT]
            else "",
            retest_subjects=retests if promotion in (PROMOTIONS[CONDUCT_TRAINING],
                                                     PROMOTIONS[RETESTS]) else (),
            award=AWARDS[int(self.award[i])],
            summer_outcome=promotion if summer else None,
            summer_subjects=retests if summer else (),
            summer_missing=missing,
            summer_learning=None if self.summer_learning[i] == NONE
            else LEVELS[self.summer_learning[i]],
            summer_conduct=None if self.summer_conduct[i] == NONE
            else LEVELS[self.summer_conduct[i]],
        )  # fmt: skip
        return gradebook.LearnerOutcome(ordered, periods, label)


def _round(num: np.ndarray, den: np.ndarray | int) -> np.ndarray:
    """``num / den`` rounded half up (num ≥ 0, den > 0), in integers."""
    return (2 * num + den) // (2 * den)


def _level(plan: Plan, not_passed, below, at_least) -> np.ndarray:
    """The learning level (rank) from the counts: Chưa đạt Đạt subjects, scored
    subjects below each row's ``all_min`` and at least each row's ``count_min``."""
    out = np.zeros(not_passed.shape, dtype=np.int64)
    decided = np.zeros(not_passed.shape, dtype=bool)
    for j, (rank, all_min, _count_min, count, max_not_passed) in enumerate(plan.levels):
        holds = (not_passed <= max_not_passed) & (at_least[j] >= count)
        if all_min is not None:
            holds &= below[j] == 0
        take = holds & ~decided
        out[take] = rank
        decided |= holds
    return out


def _learning(plan: Plan, takes, average, rating) -> tuple[np.ndarray, np.ndarray]:
    """Level and base level (ranks) of (L,) learners from their (L, S) subject results,
    with the one-subject adjustment."""
    scored = takes & plan.scored
    np_each = (takes & ~plan.scored & (rating == NOT_PASSED)).astype(np.int64)
    below_each, at_least_each = [], []
    for _rank, all_min, count_min, _count, _max in plan.levels:
        below_each.append((scored & (average < all_min)).astype(np.int64)
                          if all_min is not None else None)  # fmt: skip
        at_least_each.append((scored & (average >= count_min)).astype(np.int64))
    total_np = np_each.sum(axis=1)
    total_below = [None if b is None else b.sum(axis=1) for b in below_each]
    total_at_least = [a.sum(axis=1) for a in at_least_each]
    base = _level(plan, total_np, total_below, total_at_least)
    level = base.copy()
    if plan.rules.one_subject_adjustment:
        top = LEVELS.index(Level.TOT)
        raised = np.zeros(base.shape, dtype=bool)
        for k in range(len(plan.subjects)):
            without = _level(
                plan,
                total_np - np_each[:, k],
                [None if b is None else t - b[:, k]
                 for t, b in zip(total_below, below_each, strict=True)],
                [t - a[:, k] for t, a in zip(total_at_least, at_least_each, strict=True)],
            )  # fmt: skip
            raised |= takes[:, k] & (without >= base + 2)
        raised &= base != top
        level[raised] = base[raised] + 1
    return level, base


def evaluate(plan: Plan, columns: Columns) -> Outcomes:
    """Every learner's results, in columns; ``covered`` says for whom they hold."""
    rules = plan.rules
    takes = columns.takes
    n, s = takes.shape
    scored = plan.scored[None, :, None]  # (1, S, 1)
    covered = ~columns.fallback.copy()

    # Scored subjects: the first ``expected`` regular scores, mid-term, end-of-term.
    width = plan.width
    in_count = np.arange(width)[None, None, None, :] < plan.expected[None, :, None, None]
    regular = np.where(in_count, columns.regular, NONE)
    given = regular != NONE
    bad = (given & ((regular < plan.score_min) | (regular > plan.score_max))).any(axis=3)
    for values in (columns.mid_term, columns.end_of_term):
        bad |= (values != NONE) & ((values < plan.score_min) | (values > plan.score_max))
    count = given.sum(axis=3)
    complete = ((count >= plan.expected[None, :, None]) & (columns.mid_term != NONE)
                & (columns.end_of_term != NONE))  # fmt: skip
    num = (np.where(given, regular, 0).sum(axis=3) + rules.mid_term_weight * columns.mid_term
           + rules.end_of_term_weight * columns.end_of_term)  # fmt: skip
    den = count + rules.mid_term_weight + rules.end_of_term_weight
    term_average = _round(num * plan.num_scale, np.maximum(den, 1) * plan.den_scale)
    w1, w2 = rules.semester_weights
    year_average = _round(w1 * term_average[:, :, 0] + w2 * term_average[:, :, 1], w1 + w2)

    # Comment subjects: Đạt when both periodic ratings are Đạt; the stored term rating
    # when neither was given (comment_term_rating).
    mid_r, end_r = columns.mid_term_rating, columns.end_of_term_rating
    neither = (mid_r == 0) & (end_r == 0)
    both = (mid_r != 0) & (end_r != 0)
    term_rating = np.where(neither, columns.rating,
                           np.where(both, np.where((mid_r == PASSED) & (end_r == PASSED),
                                                   PASSED, NOT_PASSED), 0))  # fmt: skip
    bad_rating = (columns.rating < 0) | (columns.rating > 2) | (mid_r < 0) | (mid_r > 2) | (
        end_r < 0) | (end_r > 2)  # fmt: skip

    subject_complete = np.where(scored, complete & ~bad, (term_rating != 0) & ~bad_rating)
    covered &= (subject_complete | ~takes[:, :, None]).all(axis=(1, 2))
    covered &= takes.any(axis=1)
    covered &= (columns.conduct >= 0).all(axis=1) & (columns.conduct <= 3).all(axis=1)
    covered &= (columns.days >= 0).all(axis=1)

    average = np.full((n, s, 3), NONE, dtype=np.int64)
    average[:, :, :2] = np.where(scored, term_average, NONE)
    average[:, :, 2] = np.where(plan.scored[None, :], year_average, NONE)
    rating = np.zeros((n, s, 3), dtype=np.int64)
    rating[:, :, :2] = np.where(scored, 0, term_rating)
    rating[:, :, 2] = np.where(plan.scored[None, :], 0, term_rating[:, :, 1])

    learning = np.zeros((n, 3), dtype=np.int64)
    base = np.zeros((n, 3), dtype=np.int64)
    for p in range(3):
        learning[:, p], base[:, p] = _learning(plan, takes, average[:, :, p], rating[:, :, p])

    conduct = np.zeros((n, 3), dtype=np.int64)
    conduct[:, :2] = np.clip(columns.conduct, 0, 3)
    conduct[:, 2] = plan.conduct_year[conduct[:, 1], conduct[:, 0]]
    days = np.zeros((n, 3), dtype=np.int64)
    days[:, :2] = columns.days
    days[:, 2] = columns.days.sum(axis=1)

    # Promotion (promotion_decide), re-tests in code order, award.
    year_scored = takes & plan.scored
    retest = (year_scored & (average[:, :, 2] < plan.retest_below)) | (
        takes & ~plan.scored & (rating[:, :, 2] == NOT_PASSED))  # fmt: skip
    conduct_ok = conduct[:, 2] >= rules.promotion_min_conduct.rank
    learning_ok = learning[:, 2] >= rules.promotion_min_learning.rank
    promotion = np.where(
        days[:, 2] > rules.max_days_absent, REPEAT,
        np.where(conduct_ok & learning_ok, PROMOTED,
                 np.where(~conduct_ok, CONDUCT_TRAINING, RETESTS)),
    )  # fmt: skip
    retest &= ((promotion == CONDUCT_TRAINING) | (promotion == RETESTS))[:, None] & (
        ~learning_ok[:, None])  # fmt: skip
    summer = (promotion == CONDUCT_TRAINING) | (promotion == RETESTS)
    summer_missing = np.where(promotion == CONDUCT_TRAINING, SUMMER_MISSING_CONDUCT,
                              np.where(promotion == RETESTS, SUMMER_MISSING_RETESTS,
                                       SUMMER_MISSING_NONE))  # fmt: skip
    # Sent to re-tests with nothing to re-test (too few subjects at 5.0 with none below
    # it): promotion_reevaluate settles at once on the same decision, nothing missing.
    settled = (promotion == RETESTS) & ~retest.any(axis=1)
    summer_missing[settled] = SUMMER_MISSING_NONE
    summer_learning = np.where(settled, learning[:, 2], NONE)
    summer_conduct = np.where(settled, conduct[:, 2], NONE)
    gioi = (conduct[:, 2] >= rules.award_gioi_min_conduct.rank) & (
        learning[:, 2] >= rules.award_gioi_min_learning.rank)  # fmt: skip
    high = (year_scored & (average[:, :, 2] >= plan.xuat_sac_min)).sum(axis=1)
    award = np.where(gioi, np.where(high >= rules.award_xuat_sac_count, 2, 1), 0)
    return Outcomes(plan, covered, average, rating, learning, base, conduct, days, promotion,
                    retest, award, summer, summer_missing, summer_learning,
                    summer_conduct)  # fmt: skip


# --- from the rules' own input ---------------------------------------------------------


def _score_units(value, places: int) -> int | None:
    """A stored score in units of the scale, or None when it is not exact."""
    if value is None or value == "":
        return NONE
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
        scaled = number.scaleb(places)
    except (ArithmeticError, TypeError, ValueError):
        return None
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def columns_of(
    plan: Plan,
    learners: Sequence[gradebook.LearnerData],
    takes: Sequence[Sequence[bool]] | None = None,
) -> Columns:
    """The columns of ``learners`` (``LearnerData``, as ``learner_outcome`` takes them);
    ``takes[i][k]``: learner ``i`` takes subject ``k`` of the plan (default: all)."""
    out = Columns.empty(len(learners), plan)
    if takes is not None:
        out.takes[:] = np.array(takes, dtype=bool).reshape(out.takes.shape)
    places = plan.rules.score_scale.places
    index = {spec.code: k for k, spec in enumerate(plan.subjects)}
    for i, data in enumerate(learners):
        if data.summer is not None:
            out.fallback[i] = True
        for (code, term), scores in data.scores.items():
            k = index.get(code)
            if k is None or term not in (1, 2):
                continue
            t = term - 1
            units = [_score_units(v, places) for v in scores.regular[: plan.width]]
            units += [_score_units(scores.mid_term, places),
                      _score_units(scores.end_of_term, places)]  # fmt: skip
            if any(u is None for u in units):
                out.fallback[i] = True
                continue
            out.regular[i, k, t, : len(units) - 2] = units[:-2]
            out.mid_term[i, k, t], out.end_of_term[i, k, t] = units[-2], units[-1]
            try:
                out.rating[i, k, t] = PASS_CODES[scores.rating]
                out.mid_term_rating[i, k, t] = PASS_CODES[scores.mid_term_rating]
                out.end_of_term_rating[i, k, t] = PASS_CODES[scores.end_of_term_rating]
            except KeyError:
                out.fallback[i] = True
        for term, level in data.conduct.items():
            if term in (1, 2):
                out.conduct[i, term - 1] = NONE if level is None else Level(level).rank
        for term, days in data.days_absent.items():
            if term in (1, 2):
                if not isinstance(days, int) or isinstance(days, bool):
                    out.fallback[i] = True
                else:
                    out.days[i, term - 1] = days
    return out


def learner_outcomes(
    rules: SecondaryRules,
    subjects: Sequence[gradebook.SubjectSpec],
    learners: Sequence[gradebook.LearnerData],
    takes: Sequence[Sequence[bool]] | None = None,
) -> tuple[list[gradebook.LearnerOutcome], int]:
    """``learner_outcome`` of every learner (taking ``subjects``, or those marked in
    ``takes``): in columns where covered, one by one otherwise. Returns the outcomes
    and how many were computed one by one."""
    try:
        the_plan = plan(rules, subjects)
    except NotCovered:
        return [_one(rules, subjects, data, takes, i) for i, data in enumerate(learners)], len(
            learners)  # fmt: skip
    columns = columns_of(the_plan, learners, takes)
    result = evaluate(the_plan, columns)
    out = []
    fallback = 0
    for i, data in enumerate(learners):
        if result.covered[i]:
            out.append(result.outcome(i, columns.takes[i]))
        else:
            fallback += 1
            out.append(_one(rules, subjects, data, takes, i))
    return out, fallback


def _one(rules, subjects, data, takes, i) -> gradebook.LearnerOutcome:
    specs = [s for k, s in enumerate(subjects) if takes is None or takes[i][k]]
    return gradebook.learner_outcome(rules, specs, data)
