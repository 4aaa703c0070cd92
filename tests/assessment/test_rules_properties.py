"""Properties of the secondary engine that hold for every input."""

import dataclasses
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from truongso.assessment.rules.builtin import TT22_2021
from truongso.assessment.rules.labels import Pass
from truongso.assessment.rules.secondary import (
    learning_result,
    semester_average,
    year_average,
)

R = TT22_2021
RULE_SETS = st.sampled_from([R, dataclasses.replace(R, one_subject_adjustment=False)])

# Scores 0.0–10.0 with one decimal.
scores = st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-1))


@st.composite
def components(draw):
    regular = draw(st.lists(scores, min_size=2, max_size=4))
    return regular, draw(scores), draw(scores)


def average(regular, mid, end):
    return semester_average(R, subject="Toán", term=1, regular=regular, mid_term=mid,
                            end_of_term=end).value  # fmt: skip


@given(components())
def test_semester_average_lies_between_lowest_and_highest_score(parts):
    regular, mid, end = parts
    everything = [*regular, mid, end]
    assert min(everything) <= average(regular, mid, end) <= max(everything)


@given(scores, scores)
def test_year_average_lies_between_the_semester_averages(first, second):
    value = year_average(R, subject="Toán", semester_1=first, semester_2=second).value
    assert min(first, second) <= value <= max(first, second)


@given(components(), st.integers(0, 5), st.integers(1, 100))
def test_raising_one_score_never_lowers_the_average(parts, which, raise_by):
    regular, mid, end = parts
    before = average(regular, mid, end)
    slots = [*regular, mid, end]
    index = which % len(slots)
    slots[index] = min(Decimal(10), slots[index] + Decimal(raise_by).scaleb(-1))
    after = average(slots[: len(regular)], slots[-2], slots[-1])
    assert after >= before


@given(scores, scores, st.booleans(), st.integers(1, 100))
def test_raising_a_semester_never_lowers_the_year_average(first, second, which, raise_by):
    before = year_average(R, subject="Toán", semester_1=first, semester_2=second).value
    bump = Decimal(raise_by).scaleb(-1)
    if which:
        first = min(Decimal(10), first + bump)
    else:
        second = min(Decimal(10), second + bump)
    after = year_average(R, subject="Toán", semester_1=first, semester_2=second).value
    assert after >= before


subject_results = st.tuples(
    st.lists(scores, min_size=1, max_size=12),
    st.lists(st.sampled_from([Pass.PASSED, Pass.NOT_PASSED]), max_size=5),
)


def as_mapping(scored, comments):
    return {f"Môn {i}": v for i, v in enumerate(scored)} | {
        f"Nhận xét {i}": v for i, v in enumerate(comments)
    }


@given(RULE_SETS, subject_results, st.integers(0, 20), st.integers(1, 100))
def test_raising_one_result_never_lowers_the_learning_result(rules, data, which, raise_by):
    scored, comments = data
    before = learning_result(rules, as_mapping(scored, comments)).level
    index = which % (len(scored) + len(comments))
    if index < len(scored):
        scored = list(scored)
        scored[index] = min(Decimal(10), scored[index] + Decimal(raise_by).scaleb(-1))
    else:
        comments = list(comments)
        comments[index - len(scored)] = Pass.PASSED
    after = learning_result(rules, as_mapping(scored, comments)).level
    assert after.rank >= before.rank


@given(RULE_SETS, subject_results, st.randoms(use_true_random=False))
def test_learning_result_is_independent_of_subject_order(rules, data, random):
    mapping = as_mapping(*data)
    items = list(mapping.items())
    random.shuffle(items)
    assert learning_result(rules, dict(items)) == learning_result(rules, mapping)


@given(subject_results)
def test_adjustment_raises_by_at_most_one_level(data):
    result = learning_result(R, as_mapping(*data))
    assert result.level.rank - result.base_level.rank in (0, 1)
