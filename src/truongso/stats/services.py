"""Writes of the statistics: rounds, snapshots, reports and their workflow, population.

Every write is atomic and audited. A school prepares, fills in and submits its own
report; the province office approves or returns it, then prepares, submits the
province's report (the roll-up of the approved school reports), which the ministry
approves or returns. A new version never changes an old one.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from truongso.accounts.access import require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.indicators import indicator_sources
from truongso.stats import selectors
from truongso.stats.catalogue import catalogue_sync
from truongso.stats.computations import COMPUTATIONS, Context
from truongso.stats.models import (
    Indicator,
    PopulationFigure,
    Report,
    ReportForm,
    ReportRound,
    ReportStatus,
    Snapshot,
)
from truongso.stats.rules import validation
from truongso.stats.rules.cells import Figures, from_json, to_json
from truongso.units.models import AdministrativeUnit, Institution, UnitSuccession

REPORT_FIELDS = ["status", "version", "is_current", "return_reason", "manual", "snapshot"]


# --- Rounds ------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, actor, form: str, school_year, cutoff: dt.date, deadline: dt.date | None = None
) -> ReportRound:
    """Open a reporting round (an office): one per form and school year."""
    require(scope_for(actor).is_office)
    if form not in ReportForm.values:
        raise ValidationError({"form": _("Biểu báo cáo không hợp lệ.")})
    if not (school_year.starts_on - dt.timedelta(days=60) <= cutoff <= school_year.ends_on
            + dt.timedelta(days=60)):  # fmt: skip
        raise ValidationError(
            {"cutoff": _("Ngày chốt số liệu phải thuộc năm học %(year)s.") % {"year": school_year}}
        )
    if deadline and deadline < cutoff:
        raise ValidationError({"deadline": _("Hạn nộp không được trước ngày chốt số liệu.")})
    if ReportRound.objects.filter(form=form, school_year=school_year).exists():
        raise ValidationError(_("Kỳ báo cáo này đã được mở."))
    catalogue_sync()
    rnd = ReportRound.objects.create(
        form=form, school_year=school_year, cutoff=cutoff, deadline=deadline, created_by=actor
    )
    audit_record(actor=actor, action="stats.round_open", instance=rnd, before=None,
                 after=model_snapshot(rnd))  # fmt: skip
    return rnd


# --- Snapshot ----------------------------------------------------------------------------


def unit_path_on(institution: Institution, day: dt.date) -> str:
    """The path of the deepest unit holding the school in the tree in force on ``day``.

    Today's commune when in force; otherwise the units it was formed from (successions),
    in force on that day: their common ancestor when there are several (a commune merged
    from communes of two districts is placed under the province)."""
    units = [institution.commune]
    for _step in range(4):
        in_force = [u for u in units if u.is_in_force_on(day)]
        if in_force:
            parts = [u.path.strip("/").split("/") for u in in_force]
            common = []
            for level in zip(*parts, strict=False):
                if len(set(level)) != 1:
                    break
                common.append(level[0])
            return "/" + "/".join(common) + "/"
        units = [
            s.predecessor
            for s in UnitSuccession.objects.select_related("predecessor").filter(
                successor__in=units
            )
        ]
        if not units:
            break
    country = AdministrativeUnit.objects.filter(level="country").order_by("pk").first()
    return country.path if country else "/"


def _computed(indicators: list[Indicator], institution: Institution, ctx: Context) -> Figures:
    sources = {s.code: s for s in indicator_sources()}
    figures: Figures = {}
    for indicator in indicators:
        key = indicator.computation
        if indicator.is_manual and indicator.prefer_source in sources:
            key = f"source:{indicator.prefer_source}"
        if key in COMPUTATIONS:
            figures[indicator.code] = COMPUTATIONS[key](ctx).get(institution.pk, {})
        elif key.startswith("source:") and key[7:] in sources:
            value = sources[key[7:]].compute([institution.pk], ctx.cutoff).get(institution.pk, 0)
            figures[indicator.code] = {"": value}
    return figures


def snapshot_take(*, actor, institution: Institution, report_round: ReportRound) -> Snapshot:
    """Freeze the school's figures as of the round's cut-off date."""
    require(scope_for(actor).manages(institution.pk))
    catalogue_sync()
    indicators = selectors.indicators_for(form=report_round.form, kind=institution.kind)
    ctx = Context([institution.pk], report_round.cutoff, report_round.school_year)
    snapshot = Snapshot.objects.create(
        institution=institution,
        report_round=report_round,
        cutoff=report_round.cutoff,
        unit_path=unit_path_on(institution, report_round.cutoff),
        values=to_json(_computed(indicators, institution, ctx)),
        taken_by=actor,
    )
    after = {"cutoff": str(snapshot.cutoff), "unit_path": snapshot.unit_path}
    audit_record(actor=actor, action="stats.snapshot", instance=snapshot, before=None, after=after)
    return snapshot


# --- Reports -----------------------------------------------------------------------------


def _figures(report: Report, snapshot_values: dict, manual: dict) -> Figures:
    figures = from_json(snapshot_values)
    codes = {
        i.code
        for i in selectors.indicators_for(
            form=report.report_round.form,
            kind=report.institution.kind if report.institution_id else None,
        )
        if i.is_manual
    }
    for code, value in manual.items():
        if code in codes and code not in figures:
            figures[code] = {"": value}
    return figures


def _check(report: Report) -> list[dict]:
    previous = None
    if report.institution_id:
        previous = selectors.previous_figures(
            institution_id=report.institution_id, report_round=report.report_round
        )
    return validation.check(from_json(report.values), previous=previous)


def _next_version(report_round, **owner) -> tuple[Report | None, int]:
    current = (
        Report.objects.select_for_update()
        .filter(report_round=report_round, is_current=True, **owner)
        .first()
    )
    top = Report.objects.filter(report_round=report_round, **owner).aggregate(n=Max("version"))
    return current, (top["n"] or 0) + 1


@transaction.atomic
def report_prepare(*, actor, institution: Institution, report_round: ReportRound) -> Report:
    """Take a snapshot and compute the school's report from it. A draft is refreshed in
    place; after a decision (returned or approved) a new version starts and the old one
    stays as it was. A submitted report waits for its decision."""
    require(scope_for(actor).manages(institution.pk))
    current, version = _next_version(report_round, institution=institution)
    if current is not None and current.status == ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Báo cáo phiên bản %(v)s đã nộp, đang chờ duyệt: chưa thể lập lại.")
            % {"v": current.version}
        )
    snapshot = snapshot_take(actor=actor, institution=institution, report_round=report_round)
    manual = dict(current.manual) if current is not None else {}
    if current is not None and current.status == ReportStatus.DRAFT:
        report, before = current, model_snapshot(current, REPORT_FIELDS)
    else:
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        report = Report(report_round=report_round, institution=institution, version=version,
                        prepared_by=actor)  # fmt: skip
        before = None
    report.snapshot = snapshot
    report.unit_path = snapshot.unit_path
    report.manual = manual
    report.values = to_json(_figures(report, snapshot.values, manual))
    report.problems = _check(report)
    report.save()
    audit_record(actor=actor, action="stats.report_prepare", instance=report, before=before,
                 after=model_snapshot(report, REPORT_FIELDS))  # fmt: skip
    return report


@transaction.atomic
def report_manual_set(*, actor, report: Report, values: dict[str, object]) -> Report:
    """Type in the figures that have no source record (a draft school report)."""
    require(report.institution_id is not None and scope_for(actor).manages(report.institution_id))
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("Chỉ sửa được báo cáo đang soạn."))
    allowed = {
        i.code: i
        for i in selectors.indicators_for(
            form=report.report_round.form, kind=report.institution.kind
        )  # fmt: skip
        if i.is_manual
    }
    snapshot_values = report.snapshot.values if report.snapshot else {}
    manual = dict(report.manual)
    errors: dict[str, str] = {}
    for code, raw in values.items():
        indicator = allowed.get(code)
        if indicator is None or code in snapshot_values:
            errors[code] = _("Chỉ tiêu %(code)s được tính từ hồ sơ, không nhập tay.") % {
                "code": code
            }
            continue
        if raw in (None, ""):
            manual.pop(code, None)
            continue
        try:
            number = int(str(raw).strip())
        except ValueError:
            number = -1
        if number < 0:
            errors[code] = _("%(label)s: cần một số nguyên không âm, đã nhập “%(value)s”.") % {
                "label": indicator.label, "value": raw,
            }  # fmt: skip
            continue
        manual[code] = number
    if errors:
        raise ValidationError(errors)
    before = model_snapshot(report, REPORT_FIELDS)
    report.manual = manual
    report.values = to_json(_figures(report, snapshot_values, manual))
    report.problems = _check(report)
    report.save(update_fields=["manual", "values", "problems"])
    audit_record(actor=actor, action="stats.report_manual", instance=report, before=before,
                 after=model_snapshot(report, REPORT_FIELDS))  # fmt: skip
    return report


def can_submit(actor, report: Report) -> bool:
    scope = scope_for(actor)
    if report.institution_id:
        return scope.manages(report.institution_id)
    return scope.is_office and selectors.covers_unit(scope, report.unit)


def can_decide(actor, report: Report) -> bool:
    """The level above decides: the office over a school; the ministry over a unit."""
    scope = scope_for(actor)
    if report.institution_id:
        return scope.is_office and (
            Report.objects.filter(selectors.report_q(scope), pk=report.pk).exists()
        )
    return scope.national and report.unit.level != "country"


def _transition(actor, report: Report, *, to: str, action: str, reason: str = "") -> Report:
    before = model_snapshot(report, REPORT_FIELDS)
    report.status = to
    now = timezone.now()
    if to == ReportStatus.SUBMITTED:
        report.submitted_by, report.submitted_at = actor, now
        report.return_reason = ""
    else:
        report.decided_by, report.decided_at = actor, now
        report.return_reason = reason
    report.save()
    audit_record(actor=actor, action=action, instance=report, before=before,
                 after=model_snapshot(report, REPORT_FIELDS), reason=reason)  # fmt: skip
    return report


@transaction.atomic
def report_submit(*, actor, report: Report) -> Report:
    """Send a draft up. Figures that contradict each other block it; warnings do not."""
    require(can_submit(actor, report))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT or not report.is_current:
        raise ValidationError(_("Chỉ nộp được phiên bản mới nhất đang soạn."))
    report.problems = _check(report)
    errors = validation.blocking(report.problems)
    if errors:
        from truongso.stats.messages import problem_text

        report.save(update_fields=["problems"])
        raise ValidationError([problem_text(p) for p in errors])
    return _transition(actor, report, to=ReportStatus.SUBMITTED, action="stats.report_submit")


@transaction.atomic
def report_approve(*, actor, report: Report) -> Report:
    require(can_decide(actor, report))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được báo cáo đã nộp."))
    return _transition(actor, report, to=ReportStatus.APPROVED, action="stats.report_approve")


@transaction.atomic
def report_return(*, actor, report: Report, reason: str) -> Report:
    require(can_decide(actor, report))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do trả lại báo cáo.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ValidationError(_("Chỉ trả lại được báo cáo đã nộp hoặc đã duyệt."))
    return _transition(actor, report, to=ReportStatus.RETURNED, action="stats.report_return",
                       reason=reason)  # fmt: skip


@transaction.atomic
def unit_report_prepare(*, actor, unit: AdministrativeUnit, report_round: ReportRound) -> Report:
    """The report of a unit (a province; a legacy province for years before July 2025):
    the roll-up of the approved school reports below it, frozen as a new draft."""
    scope = scope_for(actor)
    require(scope.is_office and selectors.covers_unit(scope, unit))
    if unit.level == "country":
        raise ValidationError(_("Số liệu toàn quốc là tổng các báo cáo đã duyệt, không cần lập."))
    if not unit.is_in_force_on(report_round.cutoff):
        raise ValidationError(
            _("%(unit)s không còn tồn tại vào ngày chốt số liệu %(day)s.")
            % {"unit": unit, "day": report_round.cutoff.strftime("%d/%m/%Y")}
        )
    current, version = _next_version(report_round, unit=unit)
    if current is not None and current.status == ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Báo cáo phiên bản %(v)s đã nộp, đang chờ duyệt: chưa thể lập lại.")
            % {"v": current.version}
        )
    figures, parts = selectors.rollup(report_round=report_round, unit=unit)
    if current is not None and current.status == ReportStatus.DRAFT:
        report, before = current, model_snapshot(current, REPORT_FIELDS)
    else:
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        report = Report(report_round=report_round, unit=unit, version=version, prepared_by=actor)
        before = None
    report.unit_path = unit.path
    report.values = to_json(figures)
    report.parts = parts
    report.problems = validation.check(figures)
    report.save()
    audit_record(actor=actor, action="stats.report_prepare", instance=report, before=before,
                 after=model_snapshot(report, REPORT_FIELDS))  # fmt: skip
    return report


# --- Population --------------------------------------------------------------------------


@transaction.atomic
def population_save(*, actor, rows: list[dict]) -> int:
    """Write population rows ``{"unit", "year", "age", "male", "female"}`` (an office,
    for its own units): a row for the same unit, year and age replaces the old one.
    Returns the number of rows written."""
    scope = scope_for(actor)
    require(scope.is_office)
    written = 0
    for row in rows:
        require(selectors.covers_unit(scope, row["unit"]))
        obj = PopulationFigure.objects.filter(
            unit=row["unit"], year=row["year"], age=row["age"]
        ).first()
        before = model_snapshot(obj) if obj else None
        if obj and (obj.male, obj.female) == (row["male"], row["female"]):
            continue
        obj = obj or PopulationFigure(unit=row["unit"], year=row["year"], age=row["age"])
        obj.male, obj.female = row["male"], row["female"]
        obj.save()
        audit_record(actor=actor, action="stats.population", instance=obj, before=before,
                     after=model_snapshot(obj))  # fmt: skip
        written += 1
    return written


def population_import(*, actor, path, name: str) -> tuple[int, list[str]]:
    """Read a population table (.xlsx, .xls, .ods or .csv; first sheet; header row, then
    unit code, year, age, male, female). Every problem is reported with its row and
    column and nothing is written unless the whole file is right. Returns the rows
    written and the problems."""
    import datetime as _dt

    from truongso.imports.readers import FileProblem, file_type, read_sheets
    from truongso.stats.rules import population as rules

    require(scope_for(actor).is_office)
    try:
        sheets, _encoding = read_sheets(path, file_type(path, name))
    except FileProblem:
        return 0, [_("Không đọc được tệp %(name)s: cần tệp .xlsx, .xls, .ods hoặc .csv.")
                   % {"name": name}]  # fmt: skip
    rows = [list(r) for r in sheets[0].rows] if sheets else []
    parsed, problems = rules.parse(rows)
    messages = [_population_message(p) for p in problems]
    scope = scope_for(actor)
    ready = []
    for row in parsed:
        unit = (
            AdministrativeUnit.objects.in_force_on(_dt.date(row["year"], 12, 31))
            .filter(code=row["unit"])
            .exclude(level="country")
            .first()
        ) or AdministrativeUnit.objects.filter(code=row["unit"], level="country").first()
        if unit is None:
            messages.append(_("Dòng %(row)s, cột A: không có đơn vị mã “%(code)s” trong năm "
                              "%(year)s.") % {"row": row["row"], "code": row["unit"],
                                               "year": row["year"]})  # fmt: skip
        elif not selectors.covers_unit(scope, unit):
            messages.append(_("Dòng %(row)s, cột A: đơn vị %(unit)s không thuộc phạm vi quản lý "
                              "của bạn.") % {"row": row["row"], "unit": unit})  # fmt: skip
        else:
            ready.append({**row, "unit": unit})
    if messages:
        return 0, messages
    return population_save(actor=actor, rows=ready), []


def _population_message(problem) -> str:
    where = (
        _("Dòng %(row)s, cột %(col)s") % {"row": problem.row, "col": problem.column}
        if problem.column
        else _("Dòng %(row)s") % {"row": problem.row}
    )
    what = {
        "missing": _("thiếu mã đơn vị."),
        "not_number": _("cần một số nguyên không âm, đã có “%(value)s”."),
        "year": _("năm %(value)s không hợp lệ."),
        "age": _("tuổi %(value)s ngoài khoảng 0–30."),
        "duplicate": _("trùng đơn vị, năm và tuổi với một dòng phía trên."),
        "empty": _("tệp không có dữ liệu."),
    }[problem.code] % {"value": problem.value}
    return f"{where}: {what}"
