"""The operations dashboard (trung tâm điều hành) of a unit or a school: the main
indicators of the latest round, their trend over the years, the drill-down to the units
and schools below, the UIS indicators and the programme's targets beside the figures.
Reads only; the caller has checked that the actor may see the unit or school."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from truongso.stats import selectors
from truongso.stats.models import Report, ReportRound, ReportStatus
from truongso.stats.rules.cells import Figures, add, by_dimension, from_json, total
from truongso.stats.rules.programme import programme_values
from truongso.stats.rules.uis import percent, ratio, uis_from_figures

LEARNER_DIMS = ["grade", "sex", "ethnicity", "disability"]
STAFF_DIMS = ["position", "qualification"]
PROGRAMME_FILE = Path(__file__).parent / "catalogue" / "programme.json"
TREND_YEARS = 6


@cache
def programme() -> dict:
    with open(PROGRAMME_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def main_figures(figures: Figures) -> dict:
    learners = figures.get("learners.by_grade", {})
    pupils = total(learners, LEARNER_DIMS)
    classes = total(figures.get("classes.by_grade", {}), ["grade"])
    teachers = total(figures.get("staff.by_position", {}), STAFF_DIMS, position="teacher")
    return {
        "institutions": total(figures.get("institutions.count", {}), ["kind", "ownership"]),
        "classes": classes,
        "learners": pupils,
        "female": percent(total(learners, LEARNER_DIMS, sex="F"), pupils),
        "minority": percent(total(learners, LEARNER_DIMS, ethnicity="!01"), pupils),
        "disability": total(learners, LEARNER_DIMS, disability="1"),
        "teachers": teachers,
        "per_class": ratio(pupils, classes),
        "pupil_teacher_ratio": ratio(pupils, teachers),
    }


def by_grade(figures: Figures) -> list[tuple[str, int]]:
    rows = by_dimension(figures.get("learners.by_grade", {}), LEARNER_DIMS, "grade")
    return [(g, rows[g]) for g in sorted(rows, key=lambda g: int(g) if g.isdigit() else 99)]


@dataclass
class Dashboard:
    report_round: ReportRound | None
    figures: Figures
    reports: int
    expected: int
    main: dict
    grades: list
    trend: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    uis: dict = field(default_factory=dict)
    programme: list = field(default_factory=list)
    report: Report | None = None


def _next_round(report_round: ReportRound) -> ReportRound | None:
    return (
        ReportRound.objects.filter(
            form=report_round.form,
            school_year__starts_on__gt=report_round.school_year.starts_on,
        )
        .order_by("school_year__starts_on")
        .first()
    )


def _trend(actor, form: str, institutions) -> list[tuple[str, dict]]:
    """Main figures of the same schools in each of the last rounds of the form."""
    rounds = list(
        ReportRound.objects.filter(form=form).select_related("school_year")
        .order_by("-cutoff")[:TREND_YEARS]
    )  # fmt: skip
    sums: dict[int, Figures] = {r.pk: {} for r in rounds}
    rows = Report.objects.filter(
        report_round__in=rounds, is_current=True, status=ReportStatus.APPROVED,
        institution__in=institutions,
    ).values_list("report_round_id", "values")  # fmt: skip
    for round_id, values in rows:
        add(sums[round_id], from_json(values))
    return [(str(r.school_year), main_figures(sums[r.pk])) for r in reversed(rounds)]


def unit_dashboard(*, actor, unit, report_round: ReportRound | None) -> Dashboard:
    expected = selectors.expected_institutions(actor=actor, unit=unit)
    if report_round is None:
        return Dashboard(None, {}, 0, expected.count(), main_figures({}), [])
    figures, count = selectors.rollup(report_round=report_round, unit=unit)
    year = report_round.school_year.starts_on.year
    following = _next_round(report_round)
    next_figures = selectors.rollup(report_round=following, unit=unit)[0] if following else None
    n_expected = expected.count()
    return Dashboard(
        report_round=report_round,
        figures=figures,
        reports=count,
        expected=n_expected,
        main=main_figures(figures),
        grades=by_grade(figures),
        trend=_trend(actor, report_round.form, expected),
        parts=[
            p for p in selectors.rollup_parts(report_round=report_round, unit=unit) if p.reports
        ],
        uis=uis_from_figures(
            figures,
            population=selectors.population(unit=unit, year=year) or None,
            next_year=next_figures or None,
        ),
        programme=programme_values(programme()["indicators"], figures, institutions=n_expected),
    )


def school_dashboard(*, actor, institution, report_round: ReportRound | None) -> Dashboard:
    report = (
        selectors.school_report_current(
            actor=actor, institution=institution, report_round=report_round
        )  # fmt: skip
        if report_round
        else None
    )
    figures = from_json(report.values) if report else {}
    from truongso.units.models import Institution

    return Dashboard(
        report_round=report_round,
        figures=figures,
        reports=1 if report else 0,
        expected=1,
        main=main_figures(figures),
        grades=by_grade(figures),
        trend=_trend(actor, report_round.form, Institution.objects.filter(pk=institution.pk))
        if report_round
        else [],
        uis=uis_from_figures(figures),
        programme=programme_values(programme()["indicators"], figures, institutions=1),
        report=report,
    )


def share(value, whole) -> Decimal | None:
    return percent(value, whole)
