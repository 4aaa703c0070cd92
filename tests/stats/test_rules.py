from decimal import Decimal

from truongso.stats.rules import uis
from truongso.stats.rules.programme import programme_values
from truongso.stats.rules.validation import check


def test_ger_ner_ratio_and_trained_teachers_on_a_small_example():
    figures = {
        # Primary: 110 pupils in grades 1–5; 100 of official age (6–10), 10 older.
        "learners.by_grade": {
            "1|M|01|0": 30,
            "2|F|01|0": 20,
            "3|M|01|0": 20,
            "4|F|01|0": 20,
            "5|M|01|0": 20,
        },  # fmt: skip
        "learners.by_age": {
            "1|6": 25,
            "1|7": 5,
            "2|7": 20,
            "3|8": 15,
            "3|9": 5,
            "4|9": 20,
            "5|10": 15,
            "5|12": 5,
        },  # fmt: skip
        "staff.by_position": {"teacher|bachelor": 3, "teacher|college": 1, "principal|master": 1},
    }
    population = {6: 24, 7: 25, 8: 25, 9: 26, 10: 25, 11: 30}
    result = uis.uis_from_figures(figures, population=population)
    primary = result["levels"]["primary"]
    # GER = 110 / 125 × 100 = 88.0; NER = (25+5+20+15+5+20+15) / 125 = 105/125 = 84.0
    assert (primary["enrolment"], primary["population"]) == (110, 125)
    assert (primary["ger"], primary["ner"]) == (Decimal("88.0"), Decimal("84.0"))
    assert result["pupil_teacher_ratio"] == Decimal("27.5")  # 110 / 4
    assert result["trained_teachers"] == Decimal("75.0")  # 3 of 4 teachers
    assert "lower_secondary" not in result["levels"]


def test_flow_rates_and_survival_by_reconstructed_cohort():
    year_t = {"learners.by_grade": {"1|M|01|0": 100, "2|M|01|0": 80}}
    year_t1 = {
        "learners.by_grade": {"1|M|01|0": 110, "2|M|01|0": 95, "3|M|01|0": 76},
        "learners.repeaters": {"1": 10, "2": 5, "3": 0},
    }
    rates = uis.flow_rates({1: 100, 2: 80}, {1: 110, 2: 95, 3: 76}, {1: 10, 2: 5, 3: 0},
                           range(1, 3))  # fmt: skip
    # Grade 1: promotion (95-5)/100 = 0.9, repetition 10/100 = 0.1, dropout 0.
    assert rates[1] == {"promotion": Decimal("0.9"), "repetition": Decimal("0.1"),
                        "dropout": Decimal("0.0")}  # fmt: skip
    # Grade 2: promotion 76/80 = 0.95, repetition 5/80 = 0.0625, dropout -0.0125.
    assert rates[2]["promotion"] == Decimal("0.95")
    assert rates[2]["repetition"] == Decimal("0.0625")
    assert uis.as_percent(rates[2]["dropout"]) == Decimal("-1.3")
    # Survival to grade 2 = 0.9 / (1 - 0.1) = 100 %; to grade 3 = 1 × 0.95/0.9375 = 101.3 %.
    assert uis.survival(rates, 2, 1) == Decimal("100.0")
    assert uis.survival(rates, 3, 1) == Decimal("101.3")
    assert uis.survival({1: {"promotion": Decimal("0.8"), "repetition": Decimal("0.1")}},
                        2, 1) == Decimal("88.9")  # fmt: skip
    primary = uis.uis_from_figures(year_t, next_year=year_t1)["levels"]["primary"]
    assert primary["grades"][1] == {"promotion": Decimal("90.0"), "repetition": Decimal("10.0"),
                                    "dropout": Decimal("0.0")}  # fmt: skip


def test_validation_says_what_is_suspicious():
    figures = {
        "learners.by_grade": {"1|M|01|0": 40, "2|F|01|0": 50, "2|-|01|0": 1},
        # One year early is allowed; a child of 4 in grade 2 is not.
        "learners.by_age": {"2|6": 1, "2|4": 1, "1|6": 40},
        "classes.by_grade": {"1": 4},
        "learners.without_class": {"": 3},
        "staff.by_position": {"teacher|bachelor": 1},
    }
    codes = [(p["code"], p["severity"], p["params"]) for p in check(
        figures, previous={"learners.by_grade": {"1|M|01|0": 200}})]  # fmt: skip
    assert codes == [
        ("sex_sum", "error", {"male": 40, "female": 50, "total": 91}),
        ("without_class", "warning", {"count": 3}),
        ("grade_without_class", "warning", {"grade": "2", "learners": 51}),
        ("grade_growth", "warning", {"grade": 2, "count": 51, "previous_grade": 1,
                                     "previous_count": 40}),
        ("too_young", "warning", {"grade": "2", "age": "4", "count": 1}),
        ("pupil_teacher_ratio", "warning", {"ratio": "91.0", "limit": 50}),
        ("year_change", "warning", {"indicator": "learners.by_grade", "before": 200, "now": 91,
                                    "change": "-55"}),
    ]  # fmt: skip


def test_programme_indicator_without_a_source_has_no_value():
    rows = programme_values(
        [{"code": "dx.reports", "label": "x", "target_2025": 100, "target_2030": 100,
          "numerator": ["institutions.digital_reporting"], "denominator": "institutions"},
         {"code": "dx.skills", "label": "y", "target_2025": 50, "target_2030": 100,
          "numerator": ["training.digital_skills"], "denominator": "teachers"}],
        {"institutions.digital_reporting": {"": 3}}, institutions=4,
    )  # fmt: skip
    assert [(r["code"], r["value"]) for r in rows] == [
        ("dx.reports", Decimal("75.0")), ("dx.skills", None),
    ]  # fmt: skip


def test_problem_sentences(db):
    from truongso.stats.messages import problem_text

    assert problem_text({"code": "class_size", "severity": "warning", "params": {
        "grade": "6", "average": "72.5", "low": 10, "high": 60}}) == (
        "Khối 6: bình quân 72.5 học sinh/lớp, ngoài khoảng 10–60.")  # fmt: skip
    assert problem_text({"code": "year_change", "severity": "warning", "params": {
        "indicator": "learners.by_grade", "before": 200, "now": 91, "change": "-55"}}) == (
        "Số học sinh thay đổi -55% so với năm trước (200 → 91).")  # fmt: skip
