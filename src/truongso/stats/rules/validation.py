"""Validation of a school's figures before submission (pure).

Each rule returns problems as plain dicts: ``{"code", "severity", "params"}``; the
interface turns the code into a sentence in the user's language (stats/messages.py).
"error" blocks submission (the figures contradict each other); "warning" is
suspicious and shown to the school and to the office that approves.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from truongso.stats.rules.cells import Figures, by_dimension, total

LEARNER_DIMS = ["grade", "sex", "ethnicity", "disability"]
AGE_DIMS = ["grade", "age"]
STAFF_DIMS = ["position", "qualification"]

CLASS_MIN, CLASS_MAX = 10, 60
GROWTH_LIMIT = Decimal("0.20")  # grade g+1 more than grade g plus 20 %
CHANGE_LIMIT = Decimal("0.30")  # year-on-year change of a total
PTR_LIMIT = 50
OFFICIAL_ENTRY_AGE = 6  # grade 1 at 6: official age of grade g is g + 5


def _problem(code: str, severity: str = "warning", **params) -> dict:
    return {"code": code, "severity": severity, "params": params}


def _pct(part: Decimal) -> str:
    return str((part * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def check(
    figures: Figures,
    *,
    previous: Figures | None = None,
    expected: Mapping[str, object] | None = None,
) -> list[dict]:
    """Every rule on one school's figures. ``previous``: the same form a year earlier.
    ``expected``: totals the form states separately (typed totals), if any."""
    problems: list[dict] = []
    learners = figures.get("learners.by_grade", {})
    classes = figures.get("classes.by_grade", {})
    total_learners = total(learners, LEARNER_DIMS)

    # Learners by sex add up to the total.
    by_sex = by_dimension(learners, LEARNER_DIMS, "sex")
    if sum(by_sex.get(s, 0) for s in ("M", "F")) != total_learners:
        problems.append(_problem(
            "sex_sum", "error", male=by_sex.get("M", 0), female=by_sex.get("F", 0),
            total=total_learners,
        ))  # fmt: skip
    typed_total = (expected or {}).get("learners.total")
    if typed_total is not None and typed_total != total_learners:
        problems.append(_problem("total_mismatch", "error", typed=typed_total,
                                 total=total_learners))  # fmt: skip

    without = total(figures.get("learners.without_class", {}), [])
    if without:
        problems.append(_problem("without_class", count=without))

    by_grade = by_dimension(learners, LEARNER_DIMS, "grade")
    class_count = by_dimension(classes, ["grade"], "grade")
    for grade in sorted(
        set(by_grade) | set(class_count), key=lambda g: int(g) if g.isdigit() else 99
    ):
        n_learners, n_classes = by_grade.get(grade, 0), class_count.get(grade, 0)
        if n_learners and not n_classes:
            problems.append(_problem("grade_without_class", grade=grade, learners=n_learners))
        elif n_classes:
            average = (Decimal(n_learners) / n_classes).quantize(Decimal("0.1"))
            if not (CLASS_MIN <= average <= CLASS_MAX):
                problems.append(_problem("class_size", grade=grade, average=str(average),
                                         low=CLASS_MIN, high=CLASS_MAX))  # fmt: skip
    for key, count in figures.get("classes.size_out_of_range", {}).items():
        if count:
            problems.append(_problem("classes_out_of_range", grade=key, count=count,
                                     low=CLASS_MIN, high=CLASS_MAX))  # fmt: skip

    grades = sorted(int(g) for g in by_grade if g.isdigit())
    for g in grades:
        lower, upper = by_grade.get(str(g), 0), by_grade.get(str(g + 1), 0)
        if lower and upper > lower * (1 + GROWTH_LIMIT):
            problems.append(_problem("grade_growth", grade=g + 1, count=upper, previous_grade=g,
                                     previous_count=lower))  # fmt: skip

    for key, count in figures.get("learners.by_age", {}).items():
        grade, age = key.split("|")
        if count and grade.isdigit() and age.lstrip("-").isdigit():
            official = int(grade) + OFFICIAL_ENTRY_AGE - 1
            if int(age) < official - 1:
                problems.append(_problem("too_young", grade=grade, age=age, count=count))

    teachers = total(figures.get("staff.by_position", {}), STAFF_DIMS, position="teacher")
    if teachers and total_learners:
        ratio = (Decimal(total_learners) / teachers).quantize(Decimal("0.1"))
        if ratio > PTR_LIMIT:
            problems.append(_problem("pupil_teacher_ratio", ratio=str(ratio), limit=PTR_LIMIT))
    elif total_learners and "staff.by_position" in figures:
        problems.append(_problem("no_teachers", learners=total_learners))

    if previous:
        for code, dims in (("learners.by_grade", LEARNER_DIMS), ("classes.by_grade", ["grade"]),
                           ("staff.by_position", STAFF_DIMS)):  # fmt: skip
            before = total(previous.get(code, {}), dims)
            now = total(figures.get(code, {}), dims)
            if before and abs(Decimal(now - before)) / before > CHANGE_LIMIT:
                problems.append(_problem(
                    "year_change", indicator=code, before=before, now=now,
                    change=_pct(Decimal(now - before) / before),
                ))  # fmt: skip
    return problems


def blocking(problems: list[dict]) -> list[dict]:
    return [p for p in problems if p["severity"] == "error"]
