"""Circular 04/2022/TT-BLĐTBXH: bands at their edges, letters, GPA, downgrades, graduation."""

import dataclasses
from decimal import Decimal as D

import pytest

from truongso.assessment.rules.builtin import TT04_2022
from truongso.assessment.rules.common import MISSING_SCORE, Missing
from truongso.assessment.rules.labels import VocationalLevel as V
from truongso.assessment.rules.parameters import RETAKE_LATEST
from truongso.assessment.rules.vocational import (
    DOWNGRADE_DISCIPLINE,
    DOWNGRADE_RETAKES,
    GRADUATION_CREDITS,
    GRADUATION_GPA,
    ModuleAttempt,
    credit_classification,
    cumulative_gpa,
    gpa,
    graduation,
    module_grade,
    retaken_modules,
    year_classification,
)

R = TT04_2022


@pytest.mark.parametrize(
    ("average", "expected"),
    [("10", V.XUAT_SAC), ("9.0", V.XUAT_SAC), ("8.95", V.XUAT_SAC), ("8.9", V.GIOI),
     ("8.0", V.GIOI), ("7.9", V.KHA), ("7.0", V.KHA), ("6.9", V.TRUNG_BINH),
     ("5.0", V.TRUNG_BINH), ("4.95", V.TRUNG_BINH), ("4.9", V.YEU), ("0", V.YEU)],
)  # fmt: skip
def test_year_based_bands(average, expected):
    result = year_classification(R, year_average=D(average))
    assert (result.level, result.base_level, result.downgrades) == (expected, expected, ())
    assert result.rule_set == "tt04-2022@1"


@pytest.mark.parametrize(
    ("score", "letter", "points"),
    [("10", "A", "4.0"), ("8.5", "A", "4.0"), ("8.45", "A", "4.0"), ("8.4", "B", "3.0"),
     ("7.0", "B", "3.0"), ("6.9", "C", "2.0"), ("5.5", "C", "2.0"), ("5.4", "D", "1.0"),
     ("4.0", "D", "1.0"), ("3.9", "F", "0.0"), ("0", "F", "0.0")],
)  # fmt: skip
def test_letter_and_four_point_value(score, letter, points):
    grade = module_grade(R, ModuleAttempt("MĐ01", 3, D(score)))
    assert (grade.letter, str(grade.points), grade.passed) == (letter, points, letter != "F")


def test_semester_gpa_is_credit_weighted_and_rounded_to_two_decimals():
    attempts = [ModuleAttempt("MĐ01", 3, "8.6"), ModuleAttempt("MĐ02", 2, "7.2"),
                ModuleAttempt("MĐ03", 4, "6.0"), ModuleAttempt("MĐ04", 2, "4.5")]  # fmt: skip
    # (4·3 + 3·2 + 2·4 + 1·2) / 11 = 28/11 = 2.5454… → 2.55
    result = gpa(R, attempts)
    assert (result.value, result.credits) == (D("2.55"), 11)
    # (4·3 + 3·2 + 2·1) / 6 = 20/6 = 3.333… → 3.33; (4·1 + 3·1) / 2 = 3.5 exactly → "3.50"
    three = [ModuleAttempt("A", 3, "8.5"), ModuleAttempt("B", 2, "7"), ModuleAttempt("C", 1, "6")]
    assert gpa(R, three).value == D("3.33")
    assert gpa(R, [ModuleAttempt("A", 3, "6"), ModuleAttempt("B", 2, "5")]).value == D("1.60")
    assert str(gpa(R, [ModuleAttempt("A", 1, "9"), ModuleAttempt("B", 1, "7")]).value) == "3.50"


def test_cumulative_gpa_counts_each_module_once():
    attempts = [ModuleAttempt("MĐ01", 3, "3.0"), ModuleAttempt("MĐ02", 2, "8.6"),
                ModuleAttempt("MĐ01", 3, "7.5"), ModuleAttempt("MĐ01", 3, "6.0")]  # fmt: skip
    assert retaken_modules(attempts) == 1
    # highest attempt of MĐ01 (7.5 → B 3.0): (3·3 + 4·2) / 5 = 17/5 = 3.40
    assert cumulative_gpa(R, attempts).value == D("3.40")
    latest = dataclasses.replace(R, retake_counts=RETAKE_LATEST)
    # latest attempt of MĐ01 (6.0 → C 2.0): (2·3 + 4·2) / 5 = 2.80
    assert cumulative_gpa(latest, attempts).value == D("2.80")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4.00", V.XUAT_SAC), ("3.50", V.XUAT_SAC), ("3.49", V.GIOI), ("3.00", V.GIOI),
     ("2.99", V.KHA), ("2.50", V.KHA), ("2.49", V.TRUNG_BINH), ("2.00", V.TRUNG_BINH),
     ("1.99", V.YEU), ("0", V.YEU)],
)  # fmt: skip
def test_credit_bands(value, expected):
    assert credit_classification(R, gpa_value=value).level == expected


@pytest.mark.parametrize(
    ("value", "warning", "retaken", "expected", "downgrades"),
    [
        ("3.60", True, 0, V.GIOI, (DOWNGRADE_DISCIPLINE,)),
        ("3.10", True, 0, V.KHA, (DOWNGRADE_DISCIPLINE,)),
        ("2.80", True, 0, V.KHA, ()),  # below Giỏi: no drop
        ("3.60", False, 1, V.GIOI, (DOWNGRADE_RETAKES,)),  # one retake blocks Xuất sắc
        ("3.10", False, 1, V.GIOI, ()),
        ("3.60", False, 2, V.KHA, (DOWNGRADE_RETAKES,)),  # two retakes block Giỏi
        ("3.10", False, 3, V.KHA, (DOWNGRADE_RETAKES,)),
        ("3.60", True, 1, V.GIOI, (DOWNGRADE_DISCIPLINE,)),
        ("3.60", True, 2, V.KHA, (DOWNGRADE_DISCIPLINE, DOWNGRADE_RETAKES)),
    ],
)
def test_downgrades(value, warning, retaken, expected, downgrades):
    result = credit_classification(R, gpa_value=value, discipline_warning=warning,
                                   retaken_modules=retaken)  # fmt: skip
    assert (result.level, result.downgrades) == (expected, downgrades)


def test_year_based_downgrades_too():
    result = year_classification(R, year_average="9.2", discipline_warning=True)
    assert (result.base_level, result.level) == (V.XUAT_SAC, V.GIOI)


def test_graduation():
    passed = [ModuleAttempt("MĐ01", 3, "7.0"), ModuleAttempt("MĐ02", 2, "5.5")]
    result = graduation(R, attempts=passed, required_credits=5)
    # (3·3 + 2·2) / 5 = 2.60
    assert (result.eligible, result.earned_credits, result.gpa, result.reasons) == (
        True, 5, D("2.60"), ())  # fmt: skip
    failed = [*passed, ModuleAttempt("MĐ03", 2, "3.9")]
    result = graduation(R, attempts=failed, required_credits=7)
    # the F counts in the GPA: (9 + 4 + 0) / 7 = 1.857… → 1.86
    assert (result.eligible, result.earned_credits, result.gpa, result.reasons) == (
        False, 5, D("1.86"), (GRADUATION_CREDITS, GRADUATION_GPA))  # fmt: skip
    good = [ModuleAttempt("MĐ01", 3, "9.0"), ModuleAttempt("MĐ02", 2, "8.5"),
            ModuleAttempt("MĐ03", 2, "3.9")]  # fmt: skip
    result = graduation(R, attempts=good, required_credits=7)
    # (12 + 8 + 0) / 7 = 2.857… → 2.86: only the credits are short
    assert (result.eligible, result.gpa, result.reasons) == (
        False,
        D("2.86"),
        (GRADUATION_CREDITS,),
    )
    low = [ModuleAttempt("MĐ01", 3, "4.0"), ModuleAttempt("MĐ02", 2, "5.5")]
    result = graduation(R, attempts=low, required_credits=5)
    # (1·3 + 2·2) / 5 = 1.40
    assert (result.eligible, result.gpa, result.reasons) == (False, D("1.40"), (GRADUATION_GPA,))
    retaken = [*failed, ModuleAttempt("MĐ03", 2, "6.0")]
    assert graduation(R, attempts=retaken, required_credits=7).eligible is True


def test_missing_module_score_is_incomplete():
    result = gpa(R, [ModuleAttempt("MĐ01", 3, None), ModuleAttempt("MĐ02", 2, "7")])
    assert result.missing == (Missing(MISSING_SCORE, "MĐ01"),)
    assert year_classification(R, year_average=None).missing == (Missing(MISSING_SCORE),)
