"""Circular 22/2021: every worked example and table row of the domain reference."""

import dataclasses
from decimal import Decimal as D

import pytest

from truongso.assessment.rules.builtin import TT22_2021, TT43_2021
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
    NOT_POSITIVE,
    OUT_OF_RANGE,
    RETEST_NOT_REQUIRED,
    TOO_MANY_REGULAR,
    Incomplete,
    InvalidInput,
    Missing,
)
from truongso.assessment.rules.labels import Award, Level, Pass
from truongso.assessment.rules.secondary import (
    REASON_ABSENCES,
    REASON_CONDUCT,
    REASON_LEARNING,
    Average,
    PromotionOutcome,
    award,
    comment_year_result,
    conduct_year,
    learning_result,
    promotion_decide,
    promotion_reevaluate,
    regular_count,
    retest_apply,
    retest_subjects,
    semester_average,
    year_average,
)

R = TT22_2021
NO_ADJUSTMENT = dataclasses.replace(R, one_subject_adjustment=False)
T, K, DAT, CD = Level.TOT, Level.KHA, Level.DAT, Level.CHUA_DAT


def avg(regular, mid, end, periods=None, rules=R):
    result = semester_average(rules, subject="Toán", term=1, regular=regular, mid_term=mid,
                              end_of_term=end, periods_per_year=periods)  # fmt: skip
    return result.value if isinstance(result, Average) else result


# --- averages -------------------------------------------------------------------


def test_worked_example_is_7_9_not_7_7():
    # (8+9+10+6 + 2·7 + 3·8) / (4+5) = 71/9 = 7.888… → 7.9
    result = semester_average(R, subject="Toán", term=1, regular=[8, 9, 10, 6], mid_term=7,
                              end_of_term=8, periods_per_year=140)  # fmt: skip
    assert result == Average(D("7.9"), "tt22-2021@1")
    assert result.value != D("7.7")  # averaging the regular scores first, dividing by 6


@pytest.mark.parametrize(
    ("periods", "count"), [(35, 2), (36, 3), (52, 3), (70, 3), (71, 4), (105, 4), (140, 4)]
)
def test_regular_scores_by_periods_per_year(periods, count):
    assert regular_count(R, periods) == count


def test_zero_periods_is_an_error():
    with pytest.raises(InvalidInput) as caught:
        regular_count(R, 0)
    assert caught.value.code == NOT_POSITIVE


@pytest.mark.parametrize(
    ("regular", "mid", "end", "periods", "expected"),
    [
        ([7, 8], 6, 9, 35, "7.7"),  # 54/7 = 7.714…
        ([6, 7, 8], "7.5", "6.5", 52, "6.9"),  # 55.5/8 = 6.9375
        ([8, 8, 8], 9, 8, 70, "8.3"),  # 66/8 = 8.25 exactly → 8.3 (half even would give 8.2)
        ([6, 6, "6.6"], 6, 7, 70, "6.5"),  # 51.6/8 = 6.45 exactly → 6.5
        ([5, 5, 5], "4.8", 5, 70, "5.0"),  # 39.6/8 = 4.95 exactly → 5.0
        ([10, 10, 10, 10], 10, 10, 140, "10.0"),
        ([0, 0], 0, 0, 35, "0.0"),
    ],
)
def test_semester_averages(regular, mid, end, periods, expected):
    assert str(avg(regular, mid, end, periods)) == expected


def test_scores_are_rounded_to_one_decimal_first():
    # 7.25 is taken as 7.3: (7.3+8+2·8+3·8)/7 = 55.3/7 = 7.9
    assert avg(["7.25", 8], 8, 8, 35) == avg(["7.3", 8], 8, 8, 35) == D("7.9")
    # the end-of-term score 8.25 is taken as 8.3: (8+8+8+2·9+3·8.3)/8 = 66.9/8 = 8.3625
    assert avg([8, 8, 8], 9, "8.25", 70) == D("8.4")


def test_missing_end_of_term_is_incomplete_and_never_guessed():
    result = avg([8, 9, 10, 6], 7, None, 140)
    assert result == Incomplete((Missing(MISSING_END_OF_TERM, "Toán", 1),), "tt22-2021@1")


def test_missing_mid_term_and_regular_scores_are_named():
    result = avg([8, None, 10], None, 8, 140)
    assert result.missing == (
        Missing(MISSING_REGULAR, "Toán", 1, count=2),
        Missing(MISSING_MID_TERM, "Toán", 1),
    )


def test_without_periods_at_least_two_regular_scores():
    assert avg([8, 9, 10, 6], 7, 8) == D("7.9")
    assert avg([8], 7, 8).missing == (Missing(MISSING_REGULAR, "Toán", 1, count=1),)


def test_too_many_regular_scores_is_an_error():
    with pytest.raises(InvalidInput) as caught:
        avg([8, 9, 10], 7, 8, 35)
    assert caught.value.code == TOO_MANY_REGULAR
    assert caught.value.details["expected"] == 2


def test_out_of_range_score_names_the_field():
    with pytest.raises(InvalidInput) as caught:
        avg([8, 9], 11, 8, 35)
    assert caught.value.code == OUT_OF_RANGE
    assert caught.value.details["field"] == "mid_term"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [("7.9", "8.4", "8.2"),  # 24.7/3 = 8.233…
     ("6.4", "6.5", "6.5"),  # 19.4/3 = 6.466…
     ("5.0", "4.9", "4.9"),  # 14.8/3 = 4.933…
     ("9.0", "8.9", "8.9"),  # 26.8/3 = 8.933…
     ("3.5", "3.5", "3.5"), ("10", "10", "10.0")],
)  # fmt: skip
def test_year_average(first, second, expected):
    result = year_average(R, subject="Toán", semester_1=D(first), semester_2=D(second))
    assert str(result.value) == expected
    assert result.rule_set == "tt22-2021@1"


def test_year_average_from_semester_results_and_incomplete():
    one = avg([8, 9, 10, 6], 7, 8, 140)
    assert year_average(R, subject="Toán", semester_1=Average(one, "x"),
                        semester_2=D("8.4")).value == D("8.2")  # fmt: skip
    missing_end = semester_average(R, subject="Toán", term=2, regular=[8, 8, 8, 8], mid_term=8,
                                   end_of_term=None, periods_per_year=140)  # fmt: skip
    result = year_average(R, subject="Toán", semester_1=None, semester_2=missing_end)
    assert result.missing == (
        Missing(MISSING_SEMESTER, "Toán", 1),
        Missing(MISSING_END_OF_TERM, "Toán", 2),
    )


def test_comment_subject_year_result_is_semester_two():
    result = comment_year_result(R, subject="GDTC", semester_1="Chưa đạt", semester_2="Đạt")
    assert result.value == Pass.PASSED
    result = comment_year_result(R, subject="GDTC", semester_1="Đạt", semester_2="CĐ")
    assert result.value == Pass.NOT_PASSED
    result = comment_year_result(R, subject="GDTC", semester_1="Đạt", semester_2=None)
    assert result.missing == (Missing(MISSING_COMMENT, "GDTC", 2),)


# --- learning result ------------------------------------------------------------


def results(scores, comments=("Đạt",) * 4):
    data = {f"Môn {i + 1}": D(str(s)) for i, s in enumerate(scores)}
    data |= {f"Nhận xét {i + 1}": c for i, c in enumerate(comments)}
    return data


def level(scores, comments=("Đạt",) * 4, rules=R):
    return learning_result(rules, results(scores, comments)).level


@pytest.mark.parametrize(
    ("scores", "comments", "expected"),
    [
        # Tốt: all ≥ 6.5 and at least 6 ≥ 8.0, comment subjects all Đạt
        ([8.0] * 6 + [6.5, 6.5], ("Đạt",) * 4, T),
        ([8.0] * 5 + [7.9, 6.5, 6.5], ("Đạt",) * 4, K),  # only 5 ≥ 8.0
        ([8.0] * 6 + [6.4, 6.5], ("Đạt",) * 4, K),  # one below 6.5
        # Khá: all ≥ 5.0 and at least 6 ≥ 6.5
        ([6.5] * 6 + [5.0, 5.0], ("Đạt",) * 4, K),
        ([6.5] * 5 + [6.4, 5.0, 5.0], ("Đạt",) * 4, DAT),  # only 5 ≥ 6.5
        ([6.5] * 6 + [4.9, 5.0], ("Đạt",) * 4, DAT),  # one below 5.0
        # Đạt: at most one Chưa đạt, at least 6 ≥ 5.0, none < 3.5
        ([5.0] * 6 + [3.5, 3.5], ("Đạt", "Đạt", "Đạt", "Chưa đạt"), DAT),
        ([5.0] * 6 + [3.4, 3.5], ("Đạt",) * 4, CD),  # one below 3.5
        ([5.0] * 5 + [4.9, 4.9, 4.9], ("Đạt",) * 4, CD),  # only 5 ≥ 5.0
        ([9.0] * 8, ("Đạt", "Đạt", "Chưa đạt", "Chưa đạt"), CD),  # two Chưa đạt
    ],
)
def test_learning_result_table(scores, comments, expected):
    assert level(scores, comments) == expected


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([8.0] * 6 + ["6.45", 6.5], T),  # 6.45 → 6.5
        ([8.0] * 6 + ["6.44", 6.5], K),  # 6.44 → 6.4
        ([8.0] * 5 + ["7.95", 6.5, 6.5], T),  # 7.95 → 8.0
        ([6.5] * 6 + ["4.95", 5.0], K),  # 4.95 → 5.0
        ([5.0] * 6 + ["3.49", 3.5], DAT),  # 3.49 → 3.5
        ([5.0] * 6 + ["3.44", 3.5], CD),  # 3.44 → 3.4
    ],
)
def test_learning_result_boundaries_after_rounding(scores, expected):
    assert level(scores) == expected


@pytest.mark.parametrize(
    ("scores", "comments", "base", "adjusted"),
    [
        # one Chưa đạt comment subject pulls Tốt down to Đạt: raised to Khá
        ([9.0] * 8, ("Đạt", "Đạt", "Đạt", "Chưa đạt"), DAT, K),
        # one subject at 3.4 pulls Tốt down to Chưa đạt: raised to Đạt
        ([9.0] * 7 + [3.4], ("Đạt",) * 4, CD, DAT),
        # one subject at 4.0 pulls Tốt down to Đạt: raised to Khá
        ([9.0] * 7 + [4.0], ("Đạt",) * 4, DAT, K),
        # only one level down: no adjustment
        ([9.0] * 7 + [5.5], ("Đạt",) * 4, K, K),
        ([5.0] * 6 + [3.4, 3.5], ("Đạt",) * 4, CD, CD),
        # two subjects pull it down: no adjustment
        ([9.0] * 6 + [3.4, 3.4], ("Đạt",) * 4, CD, CD),
    ],
)
def test_one_subject_adjustment_behind_its_flag(scores, comments, base, adjusted):
    result = learning_result(R, results(scores, comments))
    assert (result.base_level, result.level, result.adjusted) == (base, adjusted, base != adjusted)
    assert level(scores, comments, rules=NO_ADJUSTMENT) == base


def test_learning_result_missing_subject_is_incomplete():
    data = results([8.0] * 8)
    data["Môn 3"] = None
    assert learning_result(R, data, term=1).missing == (Missing(MISSING_SEMESTER, "Môn 3", 1),)
    assert learning_result(R, {}).missing[0].what == "subjects"


def test_learning_result_does_not_depend_on_subject_order():
    data = results([9.0] * 7 + [4.0], ("Đạt", "Chưa đạt", "Đạt", "Đạt"))
    reordered = dict(reversed(list(data.items())))
    assert learning_result(R, data) == learning_result(R, reordered)


def test_continuing_education_uses_the_same_calculations():
    result = semester_average(TT43_2021, subject="Toán", term=1, regular=[8, 9, 10, 6],
                              mid_term=7, end_of_term=8)  # fmt: skip
    assert result == Average(D("7.9"), "tt43-2021@1")


# --- conduct --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "first", "year"),
    [
        ("Tốt", "Tốt", T), ("Tốt", "Khá", T), ("Tốt", "Đạt", K), ("Tốt", "Chưa đạt", K),
        ("Khá", "Tốt", K), ("Khá", "Khá", K), ("Khá", "Đạt", K), ("Khá", "Chưa đạt", DAT),
        ("Đạt", "Tốt", K), ("Đạt", "Khá", DAT), ("Đạt", "Đạt", DAT), ("Đạt", "Chưa đạt", DAT),
        ("Chưa đạt", "Tốt", CD), ("Chưa đạt", "Khá", CD), ("Chưa đạt", "Đạt", CD),
        ("Chưa đạt", "Chưa đạt", CD),
    ],
)  # fmt: skip
def test_conduct_year_table(second, first, year):
    result = conduct_year(R, semester_1=first, semester_2=second)
    assert result.level == year
    assert result.rule_set == "tt22-2021@1"


def test_conduct_missing_semester():
    result = conduct_year(R, semester_1=None, semester_2="Tốt")
    assert result.missing == (Missing(MISSING_CONDUCT, "", 1),)


# --- promotion ------------------------------------------------------------------

FAILING_YEAR = {
    "Toán": D("3.4"), "Ngữ văn": D("4.9"), "Ngoại ngữ 1": D("5.0"), "Lịch sử và Địa lí": D("6.0"),
    "Khoa học tự nhiên": D("6.0"), "Giáo dục công dân": D("6.0"), "Công nghệ": D("6.0"),
    "Tin học": D("6.0"), "Giáo dục thể chất": Pass.NOT_PASSED, "Âm nhạc": Pass.PASSED,
}  # fmt: skip
PASSING_YEAR = {**FAILING_YEAR, "Toán": D("5.0"), "Ngữ văn": D("5.0"),
                "Giáo dục thể chất": Pass.PASSED}  # fmt: skip


def decide(conduct, learning=None, days=0, year=PASSING_YEAR, **flags):
    learning = learning if learning is not None else learning_result(R, year)
    return promotion_decide(R, conduct=conduct, learning=learning, days_absent=days,
                            year_results=year, **flags)  # fmt: skip


def test_promoted_at_45_days():
    decision = decide("Đạt", days=45)
    assert (decision.outcome, decision.reason, decision.retest_subjects) == (
        PromotionOutcome.PROMOTED, "", ())  # fmt: skip


def test_more_than_45_days_absent_repeats_whatever_the_results():
    decision = decide("Tốt", "Tốt", days=46)
    assert (decision.outcome, decision.reason) == (PromotionOutcome.REPEAT, REASON_ABSENCES)


def test_conduct_not_passed_goes_to_summer_training():
    decision = decide("Chưa đạt")
    assert (decision.outcome, decision.retest_subjects) == (PromotionOutcome.CONDUCT_TRAINING, ())


def test_learning_not_passed_lists_the_subjects_to_retest():
    assert learning_result(R, FAILING_YEAR).level == CD
    decision = decide("Khá", year=FAILING_YEAR)
    assert decision.outcome == PromotionOutcome.RETESTS
    assert decision.retest_subjects == ("Giáo dục thể chất", "Ngữ văn", "Toán")
    assert retest_subjects(R, FAILING_YEAR) == ("Giáo dục thể chất", "Ngữ văn", "Toán")


def test_both_not_passed_training_first_with_the_retests_named():
    decision = decide("Chưa đạt", year=FAILING_YEAR)
    assert decision.outcome == PromotionOutcome.CONDUCT_TRAINING
    assert decision.retest_subjects == ("Giáo dục thể chất", "Ngữ văn", "Toán")


def test_after_the_summer_a_learner_still_short_repeats():
    assert decide("Chưa đạt", conduct_trained=True).reason == REASON_CONDUCT
    decision = decide("Đạt", year=FAILING_YEAR, retested=True)
    assert (decision.outcome, decision.reason) == (PromotionOutcome.REPEAT, REASON_LEARNING)


def test_promotion_incomplete_without_absences_or_conduct():
    assert decide("Đạt", days=None).missing == (Missing(MISSING_DAYS_ABSENT),)
    conduct = conduct_year(R, semester_1="Tốt", semester_2=None)
    assert decide(conduct).missing == (Missing(MISSING_CONDUCT, "", 2),)


def reevaluate(conduct, year, **summer):
    decision = decide(conduct, year=year)
    return promotion_reevaluate(R, decision=decision, year_results=year, conduct=conduct,
                                days_absent=0, **summer)  # fmt: skip


def test_retests_replace_the_year_average_then_promoted():
    retests = {"Toán": 5, "Ngữ văn": "6.0", "Giáo dục thể chất": "Đạt"}
    result = reevaluate("Đạt", FAILING_YEAR, retests=retests)
    assert result.year_results["Toán"] == D("5.0")
    assert result.year_results["Ngữ văn"] == D("6.0")
    assert result.year_results["Giáo dục thể chất"] == Pass.PASSED
    assert result.learning.level == DAT
    assert result.decision.outcome == PromotionOutcome.PROMOTED


def test_failed_retests_repeat_the_grade():
    result = reevaluate("Đạt", FAILING_YEAR,
                        retests={"Toán": 3, "Ngữ văn": 6, "Giáo dục thể chất": "Đạt"})  # fmt: skip
    assert result.year_results["Toán"] == D("3.0")
    assert (result.decision.outcome, result.decision.reason) == (
        PromotionOutcome.REPEAT, REASON_LEARNING)  # fmt: skip


def test_retest_score_parameter_keeps_the_higher_when_not_replacing():
    keep_higher = dataclasses.replace(R, retest_replaces_year_average=False)
    applied = retest_apply(keep_higher, year_results=FAILING_YEAR, required=("Toán",),
                           retests={"Toán": 3})  # fmt: skip
    assert applied["Toán"] == D("3.4")
    applied = retest_apply(R, year_results=FAILING_YEAR, required=("Toán",), retests={"Toán": 3})
    assert applied["Toán"] == D("3.0")


def test_retests_missing_or_not_required():
    result = reevaluate("Đạt", FAILING_YEAR, retests={"Toán": 5})
    assert result.missing == (Missing(MISSING_RETEST, "Giáo dục thể chất"),
                              Missing(MISSING_RETEST, "Ngữ văn"))  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        reevaluate("Đạt", FAILING_YEAR, retests={"Tin học": 9})
    assert caught.value.code == RETEST_NOT_REQUIRED


def test_conduct_training_re_evaluated():
    assert reevaluate("Chưa đạt", PASSING_YEAR, conduct_after_training="Đạt").decision.outcome == (
        PromotionOutcome.PROMOTED)  # fmt: skip
    result = reevaluate("Chưa đạt", PASSING_YEAR, conduct_after_training="Chưa đạt")
    assert (result.decision.outcome, result.decision.reason) == (
        PromotionOutcome.REPEAT, REASON_CONDUCT)  # fmt: skip
    result = reevaluate("Chưa đạt", PASSING_YEAR)
    assert result.missing == (Missing(MISSING_CONDUCT_AFTER_TRAINING),)


def test_conduct_training_then_retests():
    result = reevaluate("Chưa đạt", FAILING_YEAR, conduct_after_training="Đạt")
    assert result.decision.outcome == PromotionOutcome.RETESTS
    assert result.decision.retest_subjects == ("Giáo dục thể chất", "Ngữ văn", "Toán")
    result = reevaluate("Chưa đạt", FAILING_YEAR, conduct_after_training="Đạt",
                        retests={"Toán": 7, "Ngữ văn": 7, "Giáo dục thể chất": "Đạt"})  # fmt: skip
    assert result.decision.outcome == PromotionOutcome.PROMOTED


# --- awards ---------------------------------------------------------------------


def year_with(high_count, high="9.0"):
    return {f"Môn {i}": D(high) if i < high_count else D("8.5") for i in range(8)} | {
        "Âm nhạc": Pass.PASSED
    }


@pytest.mark.parametrize(
    ("conduct", "year", "expected"),
    [
        ("Tốt", year_with(6), Award.XUAT_SAC),
        ("Tốt", year_with(5), Award.GIOI),
        ("Tốt", year_with(8, high="8.9"), Award.GIOI),
        ("Khá", year_with(8), None),
    ],
)
def test_awards(conduct, year, expected):
    learning = learning_result(R, year)
    assert learning.level == T
    result = award(R, conduct=conduct, learning=learning, year_results=year)
    assert result.award == expected
    assert result.rule_set == "tt22-2021@1"


def test_no_award_below_learning_tot_and_incomplete():
    year = year_with(8) | {"Môn 0": D("6.4")}
    assert (
        award(R, conduct="Tốt", learning=learning_result(R, year), year_results=year).award is None
    )
    missing = conduct_year(R, semester_1=None, semester_2="Tốt")
    result = award(R, conduct=missing, learning="Tốt", year_results=year)
    assert isinstance(result, Incomplete)
