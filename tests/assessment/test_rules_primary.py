"""Circular 27/2020: the primary end-of-year outcome table and awards."""

import dataclasses
from decimal import Decimal as D

import pytest

from truongso.assessment.rules.builtin import TT27_2020
from truongso.assessment.rules.common import (
    MISSING_QUALITIES,
    MISSING_RATING,
    MISSING_TEST,
    NOT_AN_INTEGER,
    OUT_OF_RANGE,
    InvalidInput,
    Missing,
)
from truongso.assessment.rules.labels import Award, PrimaryOutcome
from truongso.assessment.rules.primary import (
    PrimaryOutcomeResult,
    periodic_test_score,
    primary_award,
    primary_outcome,
)

R = TT27_2020
XS, HTT, HT, CHT = (PrimaryOutcome.HOAN_THANH_XUAT_SAC, PrimaryOutcome.HOAN_THANH_TOT,
                    PrimaryOutcome.HOAN_THANH, PrimaryOutcome.CHUA_HOAN_THANH)  # fmt: skip


def outcome(subjects=("HTT", "HTT", "HTT"), qualities=("T", "T"), tests=(9, 10), rules=R):
    names = ["Tiếng Việt", "Toán", "Đạo đức"]
    result = primary_outcome(
        rules,
        subjects={names[i]: r for i, r in enumerate(subjects)},
        qualities={f"Phẩm chất {i}": q for i, q in enumerate(qualities)},
        tests={names[i]: s for i, s in enumerate(tests)},
    )
    return result.outcome if isinstance(result, PrimaryOutcomeResult) else result


@pytest.mark.parametrize(
    ("subjects", "qualities", "tests", "expected"),
    [
        # Hoàn thành xuất sắc: all Hoàn thành tốt, all qualities Tốt, every test ≥ 9
        (("HTT", "HTT", "HTT"), ("T", "T"), (9, 10), XS),
        # Hoàn thành tốt: not the above; the same ratings with every test ≥ 7
        (("HTT", "HTT", "HTT"), ("T", "T"), (8, 10), HTT),
        (("HTT", "HTT", "HTT"), ("T", "T"), (7, 7), HTT),
        # Hoàn thành: every subject at least Hoàn thành, every test ≥ 5
        (("HTT", "HTT", "HTT"), ("T", "T"), (6, 10), HT),
        (("HTT", "HT", "HTT"), ("T", "T"), (10, 10), HT),
        (("HTT", "HTT", "HTT"), ("T", "Đ"), (10, 10), HT),
        (("HT", "HT", "HT"), ("Đ", "Đ"), (5, 5), HT),
        # Chưa hoàn thành: otherwise
        (("HT", "HT", "HT"), ("Đ", "Đ"), (4, 10), CHT),
        (("HTT", "CHT", "HTT"), ("T", "T"), (10, 10), CHT),
        (("HT", "HT", "HT"), ("Đ", "Cần cố gắng"), (10, 10), CHT),
    ],
)
def test_primary_outcome_table(subjects, qualities, tests, expected):
    assert outcome(subjects, qualities, tests) == expected


def test_qualities_condition_for_hoan_thanh_is_a_parameter():
    rows = list(R.outcome_rules)
    rows[2] = dataclasses.replace(rows[2], quality_min=None)
    without = dataclasses.replace(R, outcome_rules=tuple(rows))
    assert outcome(("HT",) * 3, ("Đ", "Cần cố gắng"), (10, 10), rules=without) == HT


def test_subjects_without_a_test_only_count_by_rating():
    assert outcome(tests=(9,)) == XS
    assert outcome(tests=()) == XS


def test_primary_scores_are_integers_one_to_ten():
    assert periodic_test_score(R, 10) == D("10")
    for bad, code in ((0, OUT_OF_RANGE), (11, OUT_OF_RANGE), ("7.5", NOT_AN_INTEGER)):
        with pytest.raises(InvalidInput) as caught:
            periodic_test_score(R, bad, subject="Toán")
        assert (caught.value.code, caught.value.details["field"]) == (code, "Toán")


def test_missing_ratings_and_tests_are_incomplete():
    result = outcome(subjects=("HTT", None, "HTT"), qualities=(), tests=(None, 9))
    assert result.missing == (
        Missing(MISSING_QUALITIES),
        Missing(MISSING_RATING, "Toán"),
        Missing(MISSING_TEST, "Tiếng Việt"),
    )


@pytest.mark.parametrize(
    ("result", "nominated", "expected"),
    [(XS, False, Award.XUAT_SAC), (XS, True, Award.XUAT_SAC), (HTT, True, Award.TIEU_BIEU),
     (HTT, False, None), (HT, True, None), (CHT, True, None)],
)  # fmt: skip
def test_primary_awards(result, nominated, expected):
    award = primary_award(R, outcome=PrimaryOutcomeResult(result, "tt27-2020@1"),
                          class_nominated=nominated)  # fmt: skip
    assert award.award == expected
    assert award.rule_set == "tt27-2020@1"
