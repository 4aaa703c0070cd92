from decimal import Decimal as D

import pytest

from truongso.assessment.rules.common import (
    NOT_A_NUMBER,
    NOT_AN_INTEGER,
    OUT_OF_RANGE,
    Incomplete,
    InvalidInput,
    Missing,
    ScoreScale,
    divide_half_up,
    parse_count,
    parse_score,
    round_half_up,
)
from truongso.assessment.rules.labels import Level, Pass, QualityRating, SubjectRating, parse_label

SECONDARY = ScoreScale(D("0"), D("10"), 1, round_extra=True)
PRIMARY = ScoreScale(D("1"), D("10"), 0, round_extra=False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("8.25", "8.3"), ("6.45", "6.5"), ("4.95", "5.0"), ("3.49", "3.5"), ("3.44", "3.4"),
     ("7.85", "7.9"), ("0.05", "0.1"), ("10", "10.0"), ("6.5", "6.5")],
)  # fmt: skip
def test_round_half_up_one_place(value, expected):
    assert str(round_half_up(D(value))) == expected


def test_round_half_up_is_not_pythons_round():
    # Python's round() on a float gives 8.2 here: the rule is half up.
    assert round(8.25, 1) == 8.2
    assert round_half_up(D("8.25")) == D("8.3")


def test_divide_half_up_exact_quotients():
    assert divide_half_up(71, 9, 1) == D("7.9")
    assert divide_half_up(D("66"), 8, 1) == D("8.3")  # 8.25 exactly
    assert divide_half_up(D("51.6"), 8, 1) == D("6.5")  # 6.45 exactly
    assert divide_half_up(D("35.5"), 10, 2) == D("3.55")
    assert divide_half_up(D("10"), 3, 2) == D("3.33")
    assert str(divide_half_up(D("80"), 10, 1)) == "8.0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(8, "8.0"), ("7,5", "7.5"), (" 7.5 ", "7.5"), (D("7.25"), "7.3"), (7.1, "7.1"), (0, "0.0"),
     (10, "10.0"), ("9.99", "10.0")],
)  # fmt: skip
def test_parse_secondary_score(value, expected):
    assert str(parse_score(value, SECONDARY)) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [("abc", NOT_A_NUMBER), (True, NOT_A_NUMBER), (None, NOT_A_NUMBER), ("NaN", NOT_A_NUMBER),
     (float("inf"), NOT_A_NUMBER), ([7], NOT_A_NUMBER), (D("10.01"), OUT_OF_RANGE),
     (-1, OUT_OF_RANGE), (11, OUT_OF_RANGE)],
)  # fmt: skip
def test_bad_secondary_scores(value, code):
    with pytest.raises(InvalidInput) as caught:
        parse_score(value, SECONDARY)
    assert caught.value.code == code


def test_primary_scores_are_integers_one_to_ten():
    assert parse_score(10, PRIMARY) == D("10")
    assert parse_score("1", PRIMARY) == D("1")
    assert parse_score(D("8.0"), PRIMARY) == D("8")
    with pytest.raises(InvalidInput) as caught:
        parse_score(D("7.5"), PRIMARY)
    assert caught.value.code == NOT_AN_INTEGER
    with pytest.raises(InvalidInput) as caught:
        parse_score(0, PRIMARY)
    assert caught.value.code == OUT_OF_RANGE


def test_parse_count():
    assert parse_count(0) == 0
    assert parse_count("45") == 45
    assert parse_count(D("3.0")) == 3
    for bad in (-1, "2.5", True, "x"):
        with pytest.raises(InvalidInput):
            parse_count(bad)


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [(Level, "Tốt", Level.TOT), (Level, "khá", Level.KHA), (Level, "Đ", Level.DAT),
     (Level, "CĐ", Level.CHUA_DAT), (Level, "Chưa đạt", Level.CHUA_DAT),
     (Level, "chua_dat", Level.CHUA_DAT), (Pass, "Đạt", Pass.PASSED),
     (Pass, "chưa đạt", Pass.NOT_PASSED), (SubjectRating, "HTT", SubjectRating.HOAN_THANH_TOT),
     (SubjectRating, "Hoàn thành", SubjectRating.HOAN_THANH),
     (SubjectRating, "Chưa hoàn thành", SubjectRating.CHUA_HOAN_THANH),
     (QualityRating, "Cần cố gắng", QualityRating.CAN_CO_GANG)],
)  # fmt: skip
def test_labels_read_as_typed_by_schools(kind, text, expected):
    assert parse_label(kind, text) == expected


def test_unknown_label_names_the_accepted_codes():
    with pytest.raises(InvalidInput) as caught:
        parse_label(Pass, "Khá")
    assert caught.value.code == "unknown_label"
    assert caught.value.details["allowed"] == ("chua_dat", "dat")


def test_incomplete_gathers_missing_items_once():
    a = Missing("end_of_term", "Toán", 1)
    b = Missing("mid_term", "Toán", 1)
    first = Incomplete((a,), "x@1")
    assert Incomplete.of("x@1", first, b, a).missing == (a, b)
