"""The columnar secondary engine (rules/bulk_secondary.py) gives, for every learner it
covers, exactly what ``learner_outcome`` gives; it covers every complete learner not
sent to the summer with something entered after it; and ``learner_outcomes`` (columns,
falling back one by one) equals ``learner_outcome`` for every learner."""

import dataclasses
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from truongso.assessment.rules import bulk_secondary as bulk
from truongso.assessment.rules.builtin import TT22_2021
from truongso.assessment.rules.gradebook import (
    LearnerData,
    SubjectSpec,
    SummerData,
    TermScores,
    learner_outcome,
)
from truongso.assessment.rules.labels import Level, Pass
from truongso.assessment.rules.secondary import PromotionOutcome

R = TT22_2021
RULE_SETS = [
    R,
    dataclasses.replace(R, one_subject_adjustment=False),
    dataclasses.replace(R, max_days_absent=10, mid_term_weight=1, semester_weights=(1, 1)),
]
D = Decimal

# Scores whose averages land on the thresholds (3.5, 5.0, 6.5, 8.0, 9.0) or next to them.
BOUNDARY = [D(x) for x in ("3.4", "3.5", "3.6", "4.9", "5.0", "5.1", "6.4", "6.5", "6.6",
                           "7.9", "8.0", "8.1", "8.9", "9.0", "0.0", "10.0")]  # fmt: skip
SCORE = st.one_of(st.sampled_from(BOUNDARY), st.integers(0, 100).map(lambda n: D(n).scaleb(-1)))
PASS = st.sampled_from([Pass.PASSED, Pass.PASSED, Pass.PASSED, Pass.NOT_PASSED])

CODES = ["TOAN", "VAN", "NN1", "LS", "GDTC", "HDTN", "VL", "HH", "SH", "TIN", "GDDP", "CN"]


@st.composite
def subject_lists(draw):
    size = draw(st.one_of(st.integers(1, 12), st.integers(9, 12)))
    codes = draw(st.permutations(CODES))[:size]
    return [
        SubjectSpec(
            code, draw(st.integers(0, 3)) > 0 or i == 0, draw(st.sampled_from([35, 52, 70, 105]))
        )
        for i, code in enumerate(codes)
    ]


@st.composite
def term_scores(draw, rules, subject, level, holes):
    """A subject's term: full, or (``holes``) sometimes with a hole; scores near
    ``level`` (a boundary) or anywhere."""
    hole = holes and draw(st.integers(0, 9)) == 0
    if subject.scored:
        count = bulk.plan(rules, [subject]).width
        near = st.one_of(st.just(level), SCORE)
        regular = [
            draw(near)
            for _ in range(count + (draw(st.sampled_from([0] * 8 + [-1, 1])) if holes else 0))
        ]
        if hole and regular and draw(st.booleans()):
            regular[draw(st.integers(0, len(regular) - 1))] = None
        mid, end = draw(near), draw(near)
        if hole and draw(st.booleans()):
            mid = None
        elif hole:
            end = None
        return TermScores(regular=tuple(regular), mid_term=mid, end_of_term=end)
    kind = draw(st.integers(0, 4))
    if kind == 0:  # the term's rating as stored before the two ratings were kept apart
        return TermScores(rating=None if hole else draw(PASS))
    mid, end = draw(PASS), draw(PASS)
    if hole:
        mid = None if draw(st.booleans()) else mid
        end = None if mid is not None else end
    return TermScores(mid_term_rating=mid, end_of_term_rating=end)


@st.composite
def learners(draw, rules, subjects):
    level = draw(st.sampled_from(BOUNDARY))
    holes = draw(st.booleans())
    scores = {}
    for subject in subjects:
        for term in (1, 2):
            if holes and draw(st.integers(0, 29)) == 0:
                continue  # nothing entered
            scores[(subject.code, term)] = draw(term_scores(rules, subject, level, holes))
    conduct = {}
    for term in (1, 2):
        if not holes or draw(st.integers(0, 4)):
            conduct[term] = draw(st.sampled_from([Level.TOT, Level.TOT, Level.KHA, Level.DAT,
                                                  Level.CHUA_DAT]))  # fmt: skip
    days = {term: draw(st.sampled_from([0, 0, 3, 20, 23, 24, 46])) for term in (1, 2)
            if draw(st.booleans())}  # fmt: skip
    summer = None
    if draw(st.integers(0, 9)) == 0:
        summer = SummerData(conduct=draw(st.sampled_from([None, Level.DAT])))
    return LearnerData(scores, conduct, days, summer)


@st.composite
def groups(draw):
    rules = draw(st.sampled_from(RULE_SETS))
    subjects = draw(subject_lists())
    people = draw(st.lists(learners(rules, subjects), min_size=1, max_size=6))
    takes = [[True] * len(subjects) for _ in people]
    for row in takes:
        for k in range(1, len(subjects)):
            row[k] = draw(st.integers(0, 5)) != 0
    return rules, subjects, people, takes


def _complete(outcome) -> bool:
    return not any(s.missing for s in outcome.subjects.values()) and not any(
        p.missing for p in outcome.periods.values()
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_columns_equal_learner_outcome_where_covered(group):
    rules, subjects, people, takes = group
    plan = bulk.plan(rules, subjects)
    columns = bulk.columns_of(plan, people, takes)
    result = bulk.evaluate(plan, columns)
    for i, data in enumerate(people):
        specs = [s for k, s in enumerate(subjects) if takes[i][k]]
        expected = learner_outcome(rules, specs, data)
        if result.covered[i]:
            assert result.outcome(i, columns.takes[i]) == expected
            continue
        assert not _complete(expected) or data.summer is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_learner_outcomes_equal_learner_outcome_for_everyone(group):
    rules, subjects, people, takes = group
    outcomes, fallback = bulk.learner_outcomes(rules, subjects, people, takes)
    expected = [
        learner_outcome(rules, [s for k, s in enumerate(subjects) if takes[i][k]], data)
        for i, data in enumerate(people)
    ]
    assert outcomes == expected
    assert 0 <= fallback <= len(people)


def _full(subjects, value, conduct=Level.TOT, days=None):
    scores = {}
    for subject in subjects:
        for term in (1, 2):
            if subject.scored:
                count = bulk.plan(R, [subject]).width
                scores[(subject.code, term)] = TermScores((value,) * count, value, value)
            else:
                scores[(subject.code, term)] = TermScores(rating=Pass.PASSED)
    return LearnerData(scores, {1: conduct, 2: conduct}, days or {})


SUBJECTS = [SubjectSpec(code, code not in ("GDTC", "HDTN"), 105) for code in CODES]


def test_averages_are_rounded_half_up_in_integers():
    # Term I: regular 6.0, 6.0, 6.2; mid-term 6.5; end-of-term 6.8:
    # (18.2 + 2·6.5 + 3·6.8) / 8 = 51.6 / 8 = 6.45 → 6.5 (half up, not to even).
    # Term II: everything 6.4 → 6.4. Year: (6.5 + 2·6.4) / 3 = 6.433… → 6.4.
    toan = SubjectSpec("TOAN", True, 70)
    data = LearnerData(
        {
            ("TOAN", 1): TermScores((D("6.0"), D("6.0"), D("6.2")), D("6.5"), D("6.8")),
            ("TOAN", 2): TermScores((D("6.4"), D("6.4"), D("6.4")), D("6.4"), D("6.4")),
        },
        {1: Level.KHA, 2: Level.KHA},
        {},
    )
    plan = bulk.plan(R, [toan])
    result = bulk.evaluate(plan, bulk.columns_of(plan, [data]))
    assert result.average[0, 0].tolist() == [65, 64, 64]
    # One subject is too few for Đạt: sent to re-tests with nothing to re-test.
    assert result.covered.tolist() == [True]
    assert bulk.PROMOTIONS[result.promotion[0]] == PromotionOutcome.RETESTS
    outcomes, fallback = bulk.learner_outcomes(R, [toan], [data])
    assert (fallback, outcomes) == (0, [learner_outcome(R, [toan], data)])
    assert outcomes[0].subjects[("TOAN", 1)].average == D("6.5")


def test_a_complete_class_is_covered_and_the_rest_is_computed_one_by_one():
    people = [
        _full(SUBJECTS, D("9.5")),  # Tốt, Xuất sắc
        _full(SUBJECTS, D("4.0")),  # Chưa đạt: re-tests of the 10 scored subjects
        _full(SUBJECTS, D("7.0"), conduct=Level.CHUA_DAT),  # conduct training
        _full(SUBJECTS, D("8.0"), days={1: 30, 2: 16}),  # 46 days: repeats the grade
        dataclasses.replace(_full(SUBJECTS, D("4.0")), summer=SummerData()),  # summer entered
        LearnerData({}, {}, {}),  # nothing entered
    ]
    plan = bulk.plan(R, SUBJECTS)
    result = bulk.evaluate(plan, bulk.columns_of(plan, people))
    assert result.covered.tolist() == [True, True, True, True, False, False]
    assert [bulk.PROMOTIONS[p].value for p in result.promotion[:4]] == [
        "promoted", "summer_retests", "summer_conduct_training", "repeat"]  # fmt: skip
    assert [bulk.AWARDS[a] for a in result.award[:4]] == [
        "hoc_sinh_xuat_sac", None, None, "hoc_sinh_gioi"]  # fmt: skip
    assert np.flatnonzero(result.retest[1]).tolist() == [0, 1, 2, 3, 6, 7, 8, 9, 10, 11]
    outcomes, fallback = bulk.learner_outcomes(R, SUBJECTS, people)
    assert fallback == 2
    assert outcomes == [learner_outcome(R, SUBJECTS, data) for data in people]
    assert outcomes[1].periods[0].retest_subjects == (
        "CN", "GDDP", "HH", "LS", "NN1", "SH", "TIN", "TOAN", "VAN", "VL")  # fmt: skip


def test_a_value_with_more_places_than_the_scale_is_left_to_learner_outcome():
    toan = SubjectSpec("TOAN", True, 35)
    scores = TermScores((D("7.25"), D("7")), D("7"), D("7"))
    data = LearnerData({("TOAN", 1): scores, ("TOAN", 2): scores}, {1: Level.TOT, 2: Level.TOT})
    outcomes, fallback = bulk.learner_outcomes(R, [toan], [data])
    assert fallback == 1
    assert outcomes == [learner_outcome(R, [toan], data)]


def test_one_subject_pulling_the_result_down_two_levels_raises_it_by_one():
    # Every scored subject 8.5 but Toán 3.4: Chưa đạt (a subject below 3.5); without
    # Toán it would be Tốt, two levels or more higher, so the result is raised to Đạt.
    people = [_full(SUBJECTS, D("8.5"))]
    scores = dict(people[0].scores)
    for term in (1, 2):
        low = TermScores((D("3.4"),) * 4, D("3.4"), D("3.4"))
        scores[("TOAN", term)] = low
    data = dataclasses.replace(people[0], scores=scores)
    plan = bulk.plan(R, SUBJECTS)
    result = bulk.evaluate(plan, bulk.columns_of(plan, [data]))
    assert result.covered.tolist() == [True]
    assert (result.learning_base[0].tolist(), result.learning[0].tolist()) == ([0, 0, 0], [1, 1, 1])
    assert result.outcome(0) == learner_outcome(R, SUBJECTS, data)
    flat = dataclasses.replace(R, one_subject_adjustment=False)
    plan = bulk.plan(flat, SUBJECTS)
    result = bulk.evaluate(plan, bulk.columns_of(plan, [data]))
    assert result.learning[0].tolist() == [0, 0, 0]
    assert result.outcome(0) == learner_outcome(flat, SUBJECTS, data)
