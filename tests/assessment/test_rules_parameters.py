"""Rule sets as data: storing and reading the parameters, and which one is in force."""

import copy
import datetime as dt
from decimal import Decimal as D

import pytest

from truongso.assessment.rules import selection
from truongso.assessment.rules.builtin import (
    BUILTIN_RULE_SETS,
    TT04_2022,
    TT22_2021,
    TT27_2020,
    TT43_2021,
)
from truongso.assessment.rules.parameters import (
    BAD_VALUE,
    MISSING_KEY,
    NOT_DESCENDING,
    UNKNOWN_KEY,
    WRONG_TYPE,
    ParameterError,
    rules_from_stored,
    to_parameters,
)

INFOS = [r.info for r in BUILTIN_RULE_SETS]


def stored(rules, parameters):
    info = rules.info
    return rules_from_stored(
        code=info.code, version=info.version, regulation=info.regulation,
        education_level=info.education_level, first_school_year=info.first_school_year,
        parameters=parameters,
    )  # fmt: skip


@pytest.mark.parametrize("rules", BUILTIN_RULE_SETS, ids=lambda r: r.info.code)
def test_parameters_round_trip(rules):
    assert stored(rules, to_parameters(rules)) == rules


def test_stored_parameters_are_plain_json_with_decimal_strings():
    data = to_parameters(TT22_2021)
    assert data["learning_levels"][0] == {
        "level": "tot", "all_min": "6.5", "count_min": "8.0", "count": 6, "max_not_passed": 0,
    }  # fmt: skip
    assert data["conduct_table"]["kha"]["chua_dat"] == "dat"
    assert data["regular_counts"] == [[35, 2], [70, 3], [None, 4]]
    assert data["max_days_absent"] == 45
    assert data["one_subject_adjustment"] is True
    assert data["retest_replaces_year_average"] is True
    assert data["grade_first_school_years"]["7"] == 2022
    assert to_parameters(TT04_2022)["letter_table"][0] == ["A", "8.5", "4.0"]
    assert to_parameters(TT27_2020)["score_min"] == "1"


def test_a_changed_parameter_changes_the_rules():
    data = to_parameters(TT22_2021)
    data["max_days_absent"] = 40
    data["learning_levels"][2]["all_min"] = 3.0  # a float typed by hand is read exactly
    rules = stored(TT22_2021, data)
    assert rules.max_days_absent == 40
    assert rules.learning_levels[2].all_min == D("3.0")


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        (lambda d: d.pop("max_days_absent"), "max_days_absent", MISSING_KEY),
        (lambda d: d.update(max_days_absnt=40), "max_days_absnt", UNKNOWN_KEY),
        (lambda d: d.update(max_days_absent="45"), "max_days_absent", WRONG_TYPE),
        (lambda d: d.update(one_subject_adjustment="yes"), "one_subject_adjustment", WRONG_TYPE),
        (lambda d: d["conduct_table"]["kha"].pop("dat"), "conduct_table.kha.dat", MISSING_KEY),
        (lambda d: d["conduct_table"]["kha"].update(dat="gioi"), "conduct_table.kha.dat",
         BAD_VALUE),
        (lambda d: d["learning_levels"][1].update(count_min="x"), "learning_levels[1].count_min",
         WRONG_TYPE),
    ],
)  # fmt: skip
def test_wrong_parameters_are_named(change, path, code):
    data = copy.deepcopy(to_parameters(TT22_2021))
    change(data)
    with pytest.raises(ParameterError) as caught:
        stored(TT22_2021, data)
    assert (caught.value.path, caught.value.code) == (path, code)


def test_vocational_bands_must_descend():
    data = to_parameters(TT04_2022)
    data["credit_bands"][1][0] = "3.60"
    with pytest.raises(ParameterError) as caught:
        stored(TT04_2022, data)
    assert (caught.value.path, caught.value.code) == ("credit_bands", NOT_DESCENDING)


def test_rule_set_ids():
    assert [r.info.label for r in BUILTIN_RULE_SETS] == [
        "tt27-2020@1", "tt22-2021@1", "tt43-2021@1", "tt04-2022@1"]  # fmt: skip


# --- which rule set is in force ---------------------------------------------------


def in_force(level, year, grade=None):
    return selection.rule_set_in_force(INFOS, education_level=level, school_year=year, grade=grade)


def test_grade_6_in_2021_uses_circular_22():
    assert in_force("lower_secondary", 2021, 6) == TT22_2021.info


def test_grade_7_in_2021_is_not_covered_yet():
    result = in_force("lower_secondary", 2021, 7)
    assert result == selection.NotInForce(
        selection.GRADE_NOT_YET, "secondary", 2021, 7, "22/2021/TT-BGDĐT", 2022
    )
    assert in_force("lower_secondary", 2022, 7) == TT22_2021.info


@pytest.mark.parametrize(
    ("grade", "first_year"), [(6, 2021), (7, 2022), (10, 2022), (8, 2023), (11, 2023), (9, 2024),
                              (12, 2024)],
)  # fmt: skip
def test_circular_22_roll_out(grade, first_year):
    assert isinstance(in_force("upper_secondary", first_year - 1, grade), selection.NotInForce)
    assert in_force("upper_secondary", first_year, grade) == TT22_2021.info


def test_primary_roll_out_and_other_levels():
    assert in_force("primary", 2020, 1) == TT27_2020.info
    assert in_force("primary", 2021, 3).reason == selection.GRADE_NOT_YET
    assert in_force("primary", 2024, 5) == TT27_2020.info
    assert in_force("primary", 2019, 1).reason == selection.BEFORE_FIRST
    assert in_force("secondary", 2025, 3).reason == selection.GRADE_NOT_COVERED
    assert in_force("continuing", 2023, 11) == TT43_2021.info
    assert in_force("college", 2022) == TT04_2022.info
    assert in_force("vocational_intermediate", 2021).reason == selection.BEFORE_FIRST
    assert in_force("preschool", 2025).reason == selection.LEVEL_NOT_ASSESSED
    assert in_force("multi_level", 2025, 4) == TT27_2020.info
    assert in_force("multi_level", 2025, 8) == TT22_2021.info


def test_newest_version_and_newest_regulation_win():
    revised = TT22_2021.info.__class__(**{**TT22_2021.info.__dict__, "version": 2})
    later = TT22_2021.info.__class__(
        "tt99-2030", 1, "99/2030/TT-BGDĐT", "secondary", 2030, ((6, 2030),)
    )
    candidates = [TT22_2021.info, revised, later]
    pick = selection.rule_set_in_force
    assert pick(candidates, education_level="secondary", school_year=2029, grade=6) == revised
    assert pick(candidates, education_level="secondary", school_year=2030, grade=6) == later
    # grade 7 is not reached by the newer regulation yet: the older one still applies
    assert pick(candidates, education_level="secondary", school_year=2030, grade=7) == revised


def test_school_year_of_a_date():
    assert selection.school_year_of(dt.date(2021, 9, 5)) == 2021
    assert selection.school_year_of(dt.date(2022, 5, 31)) == 2021
    assert selection.school_year_of(dt.date(2022, 8, 10)) == 2021  # summer re-tests
