"""The helpers added to the pure vocational rules for year-based programmes."""

from decimal import Decimal

from truongso.assessment.rules.builtin import TT04_2022
from truongso.assessment.rules.common import Incomplete
from truongso.assessment.rules.vocational import (
    ModuleAttempt,
    score_average,
    year_graduation,
    year_graduation_minimum,
)


def test_score_average_is_credit_weighted_and_rounded_half_up():
    attempts = [ModuleAttempt("M1", 2, "8.0"), ModuleAttempt("M2", 2, "8.5")]
    # (16 + 17) / 4 = 8.25 → 8.3 (half up)
    assert score_average(TT04_2022, attempts).value == Decimal("8.3")
    assert score_average(TT04_2022, attempts).credits == 4


def test_score_average_incomplete_names_the_module():
    result = score_average(TT04_2022, [ModuleAttempt("M1", 2, "8"), ModuleAttempt("M2", 1, None)])
    assert isinstance(result, Incomplete)
    assert [(m.what, m.subject) for m in result.missing] == [("score", "M2")]
    assert isinstance(score_average(TT04_2022, []), Incomplete)


def test_year_graduation_minimum_is_trung_binh():
    assert year_graduation_minimum(TT04_2022) == Decimal("5.0")


def test_year_graduation():
    ok = year_graduation(
        TT04_2022, attempts=[ModuleAttempt("M1", 2, "5.0"), ModuleAttempt("M2", 2, "5.0")],
        required_credits=4,
    )  # fmt: skip
    assert (ok.eligible, ok.gpa, ok.earned_credits) == (True, Decimal("5.0"), 4)
    low = year_graduation(
        TT04_2022, attempts=[ModuleAttempt("M1", 2, "5.0"), ModuleAttempt("M2", 2, "4.8")],
        required_credits=4,
    )  # fmt: skip
    assert (low.eligible, low.gpa, low.reasons) == (False, Decimal("4.9"), ("gpa",))
    # A retake counts once, the higher score.
    retaken = year_graduation(
        TT04_2022,
        attempts=[ModuleAttempt("M1", 2, "3.0"), ModuleAttempt("M2", 2, "7.0"),
                  ModuleAttempt("M1", 2, "6.0")],
        required_credits=4,
    )  # fmt: skip
    assert (retaken.eligible, retaken.gpa) == (True, Decimal("6.5"))
