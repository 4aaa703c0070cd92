"""UNESCO UIS education indicators as pure functions of plain numbers.

Definitions (UIS glossary):

- GER = enrolment in a level (any age) ÷ population of the official age group × 100
- NER = enrolment of official-age children in the level ÷ that population × 100
- promotion rate p(g, t) = (E(g+1, t+1) − R(g+1, t+1)) ÷ E(g, t)
- repetition rate r(g, t) = R(g, t+1) ÷ E(g, t)
- dropout rate d(g, t) = 1 − p(g, t) − r(g, t)
- survival to grade k (reconstructed cohort): of 1,000 pupils entering grade 1, the
  share that reaches grade k, with the flow rates of year t held constant. With
  repetition allowed without limit, a pupil in grade g eventually moves up with
  probability p ÷ (1 − r), so survival to k = Π_{g<k} p(g) ÷ (1 − r(g)).
- pupil-teacher ratio = pupils ÷ teachers (headcount)
- % trained teachers = teachers with the required training ÷ all teachers × 100

Rates are returned as percentages rounded to one decimal (ROUND_HALF_UP), or None
when the denominator is zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")

# Official ages by level in Viet Nam (grade 1 at 6): grades and ages.
LEVELS = {
    "primary": {"grades": range(1, 6), "ages": range(6, 11)},
    "lower_secondary": {"grades": range(6, 10), "ages": range(11, 15)},
    "upper_secondary": {"grades": range(10, 13), "ages": range(15, 18)},
}


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return _round(Decimal(part) * 100 / Decimal(whole))


def ratio(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return _round(Decimal(part) / Decimal(whole))


def ger(enrolment: int, population: int) -> Decimal | None:
    return percent(enrolment, population)


def ner(official_age_enrolment: int, population: int) -> Decimal | None:
    return percent(official_age_enrolment, population)


def flow_rates(
    enrolment_t: Mapping[int, int],
    enrolment_t1: Mapping[int, int],
    repeaters_t1: Mapping[int, int],
    grades: range,
) -> dict[int, dict[str, Decimal | None]]:
    """Promotion, repetition and dropout rates (exact fractions, not rounded) of each
    grade in year t, from enrolment by grade in t and t+1 and repeaters in t+1. The
    last grade's promotion counts those entering the next level's first grade when
    given (enrolment_t1 / repeaters_t1 for grade + 1)."""
    rates: dict[int, dict[str, Decimal | None]] = {}
    for g in grades:
        base = enrolment_t.get(g, 0)
        if not base:
            rates[g] = {"promotion": None, "repetition": None, "dropout": None}
            continue
        promoted = enrolment_t1.get(g + 1, 0) - repeaters_t1.get(g + 1, 0)
        p = Decimal(promoted) / base
        r = Decimal(repeaters_t1.get(g, 0)) / base
        rates[g] = {"promotion": p, "repetition": r, "dropout": 1 - p - r}
    return rates


def survival(rates: Mapping[int, Mapping[str, Decimal | None]], to_grade: int,
             first_grade: int) -> Decimal | None:  # fmt: skip
    """Survival rate to ``to_grade`` (percent) by the reconstructed cohort."""
    share = Decimal(1)
    for g in range(first_grade, to_grade):
        rate = rates.get(g) or {}
        p, r = rate.get("promotion"), rate.get("repetition")
        if p is None or r is None or r >= 1:
            return None
        share *= p / (1 - r)
    return _round(share * 100)


def as_percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else _round(value * 100)


LEARNER_DIMS = ["grade", "sex", "ethnicity", "disability"]
STAFF_DIMS = ["position", "qualification"]
TRAINED = ("bachelor", "master", "doctorate")  # Law on Education 2019, art. 72


def _grades(figures, code: str, dims: list[str]) -> dict[int, int]:
    from truongso.stats.rules.cells import by_dimension

    return {
        int(g): int(v)
        for g, v in by_dimension(figures.get(code, {}), dims, "grade").items()
        if g.isdigit()
    }


def uis_from_figures(
    figures: Mapping, *, population: Mapping[int, int] | None = None,
    next_year: Mapping | None = None,
) -> dict:  # fmt: skip
    """The UIS indicators of a unit: by level GER, NER, and (with next year's figures)
    promotion, repetition, dropout by grade and survival to the level's last grade;
    the pupil-teacher ratio and the share of trained teachers."""
    from truongso.stats.rules.cells import total

    enrolment = _grades(figures, "learners.by_grade", LEARNER_DIMS)
    by_age = {}
    for key, count in figures.get("learners.by_age", {}).items():
        grade, age = key.split("|")
        if grade.isdigit() and age.isdigit():
            by_age[(int(grade), int(age))] = by_age.get((int(grade), int(age)), 0) + count
    levels = {}
    for name, spec in LEVELS.items():
        grades, ages = spec["grades"], spec["ages"]
        enrolled = sum(enrolment.get(g, 0) for g in grades)
        if not enrolled:
            continue
        official = sum(c for (g, a), c in by_age.items() if g in grades and a in ages)
        pop = sum((population or {}).get(a, 0) for a in ages)
        row = {"enrolment": enrolled, "population": pop or None,
               "ger": ger(enrolled, pop), "ner": ner(official, pop) if by_age else None,
               "grades": {}, "survival": None}  # fmt: skip
        if next_year is not None:
            e1 = _grades(next_year, "learners.by_grade", LEARNER_DIMS)
            r1 = _grades(next_year, "learners.repeaters", ["grade"])
            rates = flow_rates(enrolment, e1, r1, grades)
            row["grades"] = {g: {k: as_percent(v) for k, v in r.items()} for g, r in rates.items()}
            # Survival to the last grade needs the flow of every grade before it.
            row["survival"] = survival(rates, grades[-1], grades[0])
        levels[name] = row
    staff = figures.get("staff.by_position", {})
    teachers = total(staff, STAFF_DIMS, position="teacher")
    trained = total(staff, STAFF_DIMS, position="teacher", qualification=list(TRAINED))
    pupils = total(figures.get("learners.by_grade", {}), LEARNER_DIMS)
    return {
        "levels": levels,
        "pupils": pupils,
        "teachers": teachers,
        "pupil_teacher_ratio": ratio(pupils, teachers),
        "trained_teachers": percent(trained, teachers),
    }
