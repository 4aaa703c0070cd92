"""WHO growth z-scores and their classification, against the WHO tables' own values."""

import datetime as dt
from decimal import Decimal as D

import pytest

from truongso.health.rules import classification as c
from truongso.health.rules import growth as g
from truongso.health.rules.entry import measure


def _t(text):
    return text


def age2006(days):
    return g.Age(g.WHO_2006, days, 0)


def age2007(months):
    return g.Age(g.WHO_2007, 0, months)


# Rows of the WHO z-score tables: (indicator, sex, age, -3SD, -2SD, median, +2SD, +3SD)
# as the WHO prints them (one decimal). 2006: age in days; 2007: age in months.
PUBLISHED = [
    # WHO Child Growth Standards 2006, length/height-for-age
    (g.HFA, "M", age2006(730), "78.6", "81.7", "87.8", "93.9", "97.0"),
    (g.HFA, "M", age2006(1826), "96.1", "100.7", "110.0", "119.2", "123.9"),
    (g.HFA, "F", age2006(1826), "95.2", "99.9", "109.4", "118.9", "123.7"),
    # 2006, BMI-for-age
    (g.BFA, "M", age2006(1826), "12.0", "12.9", "15.2", "18.3", "20.3"),
    (g.BFA, "F", age2006(1096), "12.1", "13.1", "15.4", "18.4", "20.3"),
    # WHO Growth Reference 2007, height-for-age
    (g.HFA, "M", age2007(120), "118.7", "125.0", "137.8", "150.5", "156.9"),
    (g.HFA, "F", age2007(120), "119.4", "125.8", "138.6", "151.4", "157.8"),
    (g.HFA, "M", age2007(228), "154.6", "161.9", "176.5", "191.1", "198.4"),
    # 2007, BMI-for-age
    (g.BFA, "M", age2007(61), "12.1", "13.0", "15.3", "18.3", "20.2"),
    (g.BFA, "F", age2007(61), "11.8", "12.7", "15.2", "18.9", "21.3"),
    (g.BFA, "M", age2007(144), "13.4", "14.5", "17.5", "23.6", "30.0"),
    (g.BFA, "F", age2007(180), "14.4", "15.9", "20.2", "28.2", "35.5"),
]


@pytest.mark.parametrize(("indicator", "sex", "age", "m3", "m2", "med", "p2", "p3"), PUBLISHED)
def test_curves_match_the_published_tables(indicator, sex, age, m3, m2, med, p2, p3):
    lms = g.lms_for(indicator, sex, age)
    printed = [lms.sd(k).quantize(D("0.1")) for k in (-3, -2, 0, 2, 3)]
    assert printed == [D(m3), D(m2), D(med), D(p2), D(p3)]


@pytest.mark.parametrize(("indicator", "sex", "age", "m3", "m2", "med", "p2", "p3"), PUBLISHED)
def test_z_is_exactly_the_sd_line(indicator, sex, age, m3, m2, med, p2, p3):
    lms = g.lms_for(indicator, sex, age)
    weight_based = indicator == g.BFA
    for k in (-3, -2, 0, 2, 3):
        assert g.round2(g.z_from_lms(lms.sd(k), lms, weight_based=weight_based)) == D(k)


def test_z_at_the_printed_values():
    # Boys 10 years, height (L = 1: z = (y/M - 1)/S, M = 137.7795, S = 0.04626): the
    # printed -2SD 125.0 is -2.0051 (the table rounds 125.0465), +2SD 150.5 is 1.9958.
    age = age2007(120)
    assert g.height_for_age_z(D("125.0"), "M", age) == D("-2.01")
    assert g.height_for_age_z(D("150.5"), "M", age) == D("2.00")
    assert g.height_for_age_z(D("137.8"), "M", age) == D("0.00")
    # Girls 5 years (day 1826), height: 99.9 → (99.9/109.4189 - 1)/0.04346 = -2.0017
    assert g.height_for_age_z(D("99.9"), "F", age2006(1826)) == D("-2.00")
    # Boys 5 years 1 month, BMI 18.3 (printed +2SD; exact 18.2589) and 13.0 (printed
    # -2SD; exact 13.0308): ((13/15.2641) ** -0.7387 - 1) / (-0.7387 * 0.0839) = -2.0317
    assert g.bmi_for_age_z(D("18.3"), "M", age2007(61)) == D("2.02")
    assert g.bmi_for_age_z(D("13.0"), "M", age2007(61)) == D("-2.03")


def test_sd23_rule_beyond_three():
    # Boys 61 months: SD3pos = 20.16562…, SD2pos = 18.25888…; BMI 22 is
    # 3 + (22 - 20.16562)/(20.16562 - 18.25888) = 3 + 1.83438/1.90674 = 3.96
    lms = g.lms_for(g.BFA, "M", age2007(61))
    assert g.bmi_for_age_z(D("22"), "M", age2007(61)) == D("3.96")
    # The plain LMS formula gives another value in the tail.
    assert g.round2(g.z_from_lms(D("22"), lms, weight_based=False)) == D("3.82")
    # Below -3: SD3neg = 12.11755…, SD2neg = 13.03081…; BMI 11.5 gives
    # -3 + (11.5 - 12.11755)/(13.03081 - 12.11755) = -3.68
    assert g.bmi_for_age_z(D("11.5"), "M", age2007(61)) == D("-3.68")
    # Height-for-age keeps the plain formula beyond ±3.
    assert g.height_for_age_z(D("90"), "M", age2007(120)) == D("-7.50")


def test_age_in_days_under_five_and_completed_months_after():
    born = dt.date(2015, 3, 31)
    assert g.age_on(born, dt.date(2020, 3, 30)) == g.Age(g.WHO_2006, 1826, 59)
    assert g.age_on(born, dt.date(2020, 4, 29)).reference == g.WHO_2006  # day 1856
    assert g.age_on(born, dt.date(2020, 4, 30)) == g.Age(g.WHO_2007, 1857, 61)
    assert g.age_on(born, dt.date(2025, 9, 30)).months == 126
    assert g.age_on(born, dt.date(2025, 10, 30)).months == 126
    assert g.age_on(born, dt.date(2025, 10, 31)).months == 127
    assert g.completed_months(dt.date(2014, 1, 31), dt.date(2014, 2, 28)) == 1
    assert g.age_on(born, dt.date(2034, 3, 31)).months == 228
    assert g.age_on(born, dt.date(2034, 4, 30)) is None
    assert g.age_on(None, dt.date(2025, 1, 1)) is None
    assert g.age_on(born, dt.date(2015, 3, 30)) is None


def test_bmi():
    assert g.round2(g.bmi(D("30"), D("140"))) == D("15.31")


@pytest.mark.parametrize(
    ("haz", "expected"),
    [(None, ""), ("-3.01", c.SEVERELY_STUNTED), ("-3.00", c.STUNTED), ("-2.01", c.STUNTED),
     ("-2.00", c.NORMAL), ("4.00", c.NORMAL)],
)  # fmt: skip
def test_stature_boundaries(haz, expected):
    assert c.classify_stature(None if haz is None else D(haz)) == expected


@pytest.mark.parametrize(
    ("baz", "under_five", "expected"),
    [
        ("-3.01", False, c.SEVERELY_THIN), ("-3.00", False, c.THIN), ("-2.01", False, c.THIN),
        ("-2.00", False, c.NORMAL), ("1.00", False, c.NORMAL), ("1.01", False, c.OVERWEIGHT),
        ("2.00", False, c.OVERWEIGHT), ("2.01", False, c.OBESE),
        ("-2.01", True, c.THIN), ("1.50", True, c.NORMAL), ("2.00", True, c.NORMAL),
        ("2.01", True, c.OVERWEIGHT), ("3.00", True, c.OVERWEIGHT), ("3.01", True, c.OBESE),
    ],
)  # fmt: skip
def test_nutrition_boundaries(baz, under_five, expected):
    assert c.classify_nutrition(D(baz), under_five=under_five) == expected


def test_measure_flags_and_refuses():
    born = dt.date(2014, 5, 2)
    on = dt.date(2025, 10, 1)  # 136 completed months
    m, errors = measure(height="145,0", weight="36.5", sex="M", born=born, on=on, t=_t)
    assert errors == {}
    assert (m.height_cm, m.weight_kg, m.bmi) == (D("145.0"), D("36.5"), D("17.36"))
    # 136 months: height M = 145.0093 (z -0.0014, shown 0.00), BMI 17.36 → 0.12
    assert (m.age.months, str(m.haz), m.baz) == (136, "0.00", D("0.12"))
    assert (m.stature, m.nutrition, m.warnings) == (c.NORMAL, c.NORMAL, [])
    m, errors = measure(height="abc", weight="400", sex="M", born=born, on=on, t=_t)
    assert m is None
    assert errors == {
        "height": "Chiều cao “abc” không phải là số.",
        "weight": "Cân nặng 400 kg nằm ngoài khoảng 2–200 kg.",
    }
    m, errors = measure(height="100", weight="60", sex="M", born=born, on=on, t=_t)
    assert set(errors) == {"height", "weight"}
    m, errors = measure(height="124", weight="25", sex="M", born=born, on=on, t=_t)
    assert errors == {}
    # (124 / 145.0093 - 1) / 0.04723 = -3.0676
    assert (m.haz, m.stature, m.nutrition) == (D("-3.07"), c.SEVERELY_STUNTED, c.NORMAL)
    assert m.warnings == ["Z chiều cao theo tuổi = -3.07, hãy kiểm tra lại."]
