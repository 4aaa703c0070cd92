"""Reads of the statistics, always for an acting user.

Offices read the reports of the schools they oversee and of their units (and of the
legacy units that became part of them); a school reads only its own reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from truongso.accounts.access import Scope, institutions_q, school_rows_q, scope_for
from truongso.stats.models import Indicator, PopulationFigure, Report, ReportRound, ReportStatus
from truongso.stats.rules.cells import Figures, add, from_json
from truongso.units.models import AdministrativeUnit, Institution, UnitSuccession

NOTHING = Q(pk__in=[])


# --- Scope -------------------------------------------------------------------------------


def office_units(scope: Scope) -> list[AdministrativeUnit]:
    """The units an office oversees (empty for the ministry, which sees everything)."""
    if not scope.is_office or scope.national:
        return []
    q = Q(pk__in=scope.province_ids)
    for path in scope.unit_paths:
        q |= Q(path=path)
    return list(AdministrativeUnit.objects.filter(q))


def covers_unit(scope: Scope, unit: AdministrativeUnit) -> bool:
    """An office oversees ``unit``: it lies in the office's units, or (a unit of the
    legacy tree) some of it became part of them."""
    if scope.national:
        return True
    paths = [u.path for u in office_units(scope)]
    if any(unit.path.startswith(p) for p in paths):
        return True
    if not paths:
        return False
    succ = Q()
    for p in paths:
        succ |= Q(successor__path__startswith=p)
    return UnitSuccession.objects.filter(succ, predecessor__path__startswith=unit.path).exists()


def may_read_stats(scope: Scope) -> bool:
    return scope.is_office or bool(scope.managed_institution_ids)


def report_q(scope: Scope) -> Q:
    """Filter for Report: school reports as for any school row; unit reports of the
    office's units."""
    school = Q(institution__isnull=False) & school_rows_q(scope)
    if scope.national:
        return school | Q(unit__isnull=False)
    unit_q = NOTHING
    for u in office_units(scope):
        unit_q |= Q(unit__path__startswith=u.path)
    return school | (Q(unit__isnull=False) & unit_q)


# --- Rounds, reports --------------------------------------------------------------------


def round_list() -> QuerySet[ReportRound]:
    """Rounds are shared by every unit (they hold no school data)."""
    return ReportRound.objects.select_related("school_year").order_by("-cutoff", "form")


def round_get(*, pk: int) -> ReportRound:
    return round_list().get(pk=pk)


def round_latest(*, form: str | None = None) -> ReportRound | None:
    qs = round_list()
    if form:
        qs = qs.filter(form=form)
    return qs.first()


def report_list(
    *, actor, report_round: ReportRound | None = None, current_only: bool = True
) -> QuerySet[Report]:
    qs = Report.objects.filter(report_q(scope_for(actor))).select_related(
        "institution", "unit", "report_round__school_year"
    )
    if report_round is not None:
        qs = qs.filter(report_round=report_round)
    if current_only:
        qs = qs.filter(is_current=True)
    return qs.order_by("report_round", "unit_path", "institution__name", "-version")


def report_get(*, actor, pk: int) -> Report:
    return report_list(actor=actor, current_only=False).get(pk=pk)


def report_versions(*, actor, report: Report) -> QuerySet[Report]:
    qs = report_list(actor=actor, report_round=report.report_round, current_only=False)
    if report.institution_id:
        return qs.filter(institution_id=report.institution_id).order_by("-version")
    return qs.filter(unit_id=report.unit_id).order_by("-version")


def school_report_current(*, actor, institution: Institution, report_round: ReportRound):
    return (
        report_list(actor=actor, report_round=report_round).filter(institution=institution).first()
    )


def unit_report_current(*, actor, unit: AdministrativeUnit, report_round: ReportRound):
    return report_list(actor=actor, report_round=report_round).filter(unit=unit).first()


def indicators_for(*, form: str, kind: str | None = None) -> list[Indicator]:
    rows = Indicator.objects.filter(is_active=True).order_by("order", "code")
    return [
        i for i in rows
        if form in (i.forms or []) and (kind is None or not i.kinds or kind in i.kinds)
    ]  # fmt: skip


def previous_figures(*, institution_id: int, report_round: ReportRound) -> Figures | None:
    """The figures of the same form a year earlier (the latest version sent up), for the
    year-on-year checks. Internal: called by services for a school already in scope."""
    earlier = (
        Report.objects.filter(
            institution_id=institution_id,
            report_round__form=report_round.form,
            report_round__cutoff__lt=report_round.cutoff,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
        )
        .order_by("-report_round__cutoff", "-version")
        .first()
    )
    return from_json(earlier.values) if earlier else None


# --- Roll-up ---------------------------------------------------------------------------


def _non_additive() -> frozenset[str]:
    return frozenset(Indicator.objects.exclude(aggregate="sum").values_list("code", flat=True))


def _approved(report_round: ReportRound, path: str) -> QuerySet[Report]:
    return Report.objects.filter(
        report_round=report_round,
        institution__isnull=False,
        is_current=True,
        status=ReportStatus.APPROVED,
        unit_path__startswith=path,
    )


def rollup(*, report_round: ReportRound, unit: AdministrativeUnit) -> tuple[Figures, int]:
    """The sum of the approved school reports under ``unit`` by the unit tree in force
    on the cut-off date (each report keeps the school's place in that tree), and how
    many reports it sums. Callers check access (``covers_unit``)."""
    skip = _non_additive()
    total: Figures = {}
    count = 0
    for values in _approved(report_round, unit.path).values_list("values", flat=True):
        add(total, from_json(values), skip=skip)
        count += 1
    return total, count


@dataclass
class Part:
    """One line of a drill-down: a unit below, or a school attached directly."""

    unit: AdministrativeUnit | None
    institution: Institution | None
    figures: Figures = field(default_factory=dict)
    reports: int = 0

    @property
    def name(self) -> str:
        return str(self.unit or self.institution)


def rollup_parts(*, report_round: ReportRound, unit: AdministrativeUnit) -> list[Part]:
    """The roll-up of ``unit`` split by the units directly below it in the tree in
    force on the cut-off date; schools whose place is ``unit`` itself come last, each on
    its own line. The parts add up to ``rollup(unit)``."""
    skip = _non_additive()
    children = {
        c.path: c
        for c in AdministrativeUnit.objects.in_force_on(report_round.cutoff).filter(parent=unit)
    }
    parts: dict[str, Part] = {p: Part(unit=c, institution=None) for p, c in children.items()}
    direct: dict[int, Part] = {}
    rows = _approved(report_round, unit.path).select_related("institution")
    for report in rows:
        rest = report.unit_path[len(unit.path) :].strip("/")
        head = rest.split("/")[0] if rest else ""
        path = f"{unit.path}{head}/" if head else ""
        if path in parts:
            part = parts[path]
        else:
            part = direct.setdefault(
                report.institution_id, Part(unit=None, institution=report.institution)
            )
        add(part.figures, from_json(report.values), skip=skip)
        part.reports += 1
    ordered = sorted(parts.values(), key=lambda p: p.unit.name)
    return ordered + sorted(direct.values(), key=lambda p: p.institution.name)


# --- Completeness ----------------------------------------------------------------------


def expected_institutions(*, actor, unit: AdministrativeUnit) -> QuerySet[Institution]:
    """Active schools of the unit (today's tree) that the actor may read."""
    qs = Institution.objects.filter(institutions_q(scope_for(actor)), is_active=True)
    if unit.level == "province":
        qs = qs.filter(province=unit)
    elif unit.level != "country":
        qs = qs.filter(commune__path__startswith=unit.path)
    return qs.exclude(kind__in=["vocational_intermediate", "college"])


STATE_NONE = "none"


def completeness(*, actor, report_round: ReportRound, unit: AdministrativeUnit) -> dict:
    """Which schools of the unit have a report and in which state: counts for the unit
    and for each unit below it, and each school's state."""
    schools = list(
        expected_institutions(actor=actor, unit=unit).select_related("commune", "province")
    )
    states = dict(
        report_list(actor=actor, report_round=report_round)
        .filter(institution__isnull=False)
        .values_list("institution_id", "status")
    )
    children = list(AdministrativeUnit.objects.current().filter(parent=unit).order_by("name"))
    by_child: dict[int, dict[str, int]] = {c.pk: defaultdict(int) for c in children}
    totals: dict[str, int] = defaultdict(int)
    rows = []
    for school in schools:
        state = states.get(school.pk, STATE_NONE)
        totals[state] += 1
        totals["expected"] += 1
        place = school.commune.path
        for child in children:
            if place.startswith(child.path) or school.province_id == child.pk:
                by_child[child.pk][state] += 1
                by_child[child.pk]["expected"] += 1
                break
        rows.append((school, state))
    return {
        "totals": dict(totals),
        "children": [(c, dict(by_child[c.pk])) for c in children if by_child[c.pk]],
        "schools": rows,
    }


# --- Population ------------------------------------------------------------------------


def population(*, unit: AdministrativeUnit, year: int) -> dict[int, int]:
    """{age: people} of a unit in a year (public statistics, not school data)."""
    return {
        age: male + female
        for age, male, female in PopulationFigure.objects.filter(unit=unit, year=year).values_list(
            "age", "male", "female"
        )
    }


def population_list(*, unit: AdministrativeUnit | None = None) -> QuerySet[PopulationFigure]:
    qs = PopulationFigure.objects.select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("unit__code", "year", "age")


def unit_of_actor(actor) -> AdministrativeUnit | None:
    """Where an office's pages start: its first unit, or the country for the ministry."""
    scope = scope_for(actor)
    if scope.national:
        return AdministrativeUnit.objects.filter(level="country").order_by("pk").first()
    units = office_units(scope)
    return sorted(units, key=lambda u: u.path)[0] if units else None


def today() -> dt.date:
    return dt.date.today()
