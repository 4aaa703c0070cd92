"""Demo data of the statistics: the beginning-of-year reports of the demo schools for
last year (all approved, for the trends) and this year (most approved, some submitted,
one returned, two not started), the province's report, and a population table."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class _Reporter:
    """Who makes a school's demo report: the flagship's principal for the flagship; for
    the other schools the demo administrator, through a school-staff assignment that
    lasts only while the report is made (no extra account, nothing left behind)."""

    def __init__(self, ctx, school):
        self.ctx, self.school, self.assignment = ctx, school, None

    def __enter__(self):
        from truongso.accounts.models import Role, RoleAssignment, User

        if self.school.pk == self.ctx.flagship.pk and "hieutruong" in self.ctx.users:
            return User.objects.get(pk=self.ctx.users["hieutruong"].pk)
        admin = self.ctx.users["admin"]
        self.assignment = RoleAssignment.objects.create(
            user=admin, role=Role.SCHOOL_STAFF, institution=self.school
        )
        return User.objects.get(pk=admin.pk)  # a fresh object: its scope is computed anew

    def __exit__(self, *exc):
        if self.assignment is not None:
            self.assignment.delete()
        return False


def build(ctx) -> dict[str, int]:
    from truongso.stats import services
    from truongso.stats.rules.cells import by_dimension

    office, ministry = ctx.users.get("so.gddt"), ctx.users.get("bo.gddt")
    if office is None or ministry is None:
        return {}
    start = ctx.year.starts_on.year
    previous = _round(ministry, ctx.previous_year, dt.date(start - 1, 9, 30))
    current = _round(ministry, ctx.year, min(dt.date(start, 9, 30), ctx.today))
    rng = ctx.rng("stats")
    schools = [school for school, _kind in ctx.schools]
    count = 0
    for school in schools:
        with _Reporter(ctx, school) as reporter:
            report = services.report_prepare(actor=reporter, institution=school,
                                             report_round=previous)  # fmt: skip
            services.report_submit(actor=reporter, report=report)
        services.report_approve(actor=office, report=report)
        count += 1
    order = list(schools)
    rng.shuffle(order)
    order.remove(ctx.flagship)
    order.insert(0, ctx.flagship)
    for index, school in enumerate(order[:-2]):
        with _Reporter(ctx, school) as reporter:
            report = services.report_prepare(actor=reporter, institution=school,
                                             report_round=current)  # fmt: skip
            count += 1
            try:
                services.report_submit(actor=reporter, report=report)
            except ValidationError:  # figures that contradict each other: it stays a draft
                continue
        if index == len(order) - 3:
            reason = _("Số lớp khối 6 chưa khớp với kế hoạch tuyển sinh.")
            services.report_return(actor=office, report=report, reason=reason)
        elif index < len(order) - 6:
            services.report_approve(actor=office, report=report)
    unit_prev = services.unit_report_prepare(actor=office, unit=ctx.province,
                                             report_round=previous)  # fmt: skip
    services.report_submit(actor=office, report=unit_prev)
    services.report_approve(actor=ministry, report=unit_prev)
    services.unit_report_prepare(actor=office, unit=ctx.province, report_round=current)
    # Population by age: a little more than the learners of that age in the schools.
    from truongso.stats.models import Report

    by_age: dict[int, int] = {}
    reports = Report.objects.filter(
        report_round=current, institution__isnull=False, is_current=True
    )
    for values in reports.values_list("values", flat=True):
        cells = values.get("learners.by_age", {})
        for age, n in by_dimension(cells, ["grade", "age"], "age").items():
            if age.isdigit():
                by_age[int(age)] = by_age.get(int(age), 0) + n
    rows = []
    for age in range(6, 18):
        people = int(by_age.get(age, 0) * rng.uniform(1.02, 1.12)) + rng.randint(0, 5)
        rows.append({"unit": ctx.province, "year": start, "age": age,
                     "male": people // 2 + people % 2, "female": people // 2})  # fmt: skip
    services.population_save(actor=office, rows=rows)
    return {_("Báo cáo thống kê"): count}


def _round(ministry, school_year, cutoff):
    """The beginning-of-year round of ``school_year``: the one already open, if any."""
    from truongso.stats import services
    from truongso.stats.models import ReportRound

    existing = ReportRound.objects.filter(form="boy", school_year=school_year).first()
    if existing is not None:
        return existing
    return services.round_open(actor=ministry, form="boy", school_year=school_year,
                               cutoff=cutoff)  # fmt: skip


def reset(institution_ids: list[int]) -> None:
    from truongso.demo.builder import DEMO_USERNAMES
    from truongso.stats.models import PopulationFigure, Report, ReportRound, Snapshot
    from truongso.units.models import Institution

    provinces = set(
        Institution.objects.filter(pk__in=institution_ids).values_list("province_id", flat=True)
    )
    rounds = set(
        Report.objects.filter(institution_id__in=institution_ids).values_list(
            "report_round_id", flat=True
        )
    )
    Report.objects.filter(institution_id__in=institution_ids).delete()
    Report.objects.filter(unit_id__in=provinces, report_round_id__in=rounds).delete()
    Snapshot.objects.filter(institution_id__in=institution_ids).delete()
    PopulationFigure.objects.filter(unit_id__in=provinces).delete()
    ReportRound.objects.filter(pk__in=rounds).exclude(reports__isnull=False).delete()
    # Rounds the demo opened and nobody reported in.
    ReportRound.objects.filter(
        created_by__username__in=DEMO_USERNAMES, reports__isnull=True
    ).delete()
