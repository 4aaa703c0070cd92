"""Exports of a report: .xlsx in the layout of the form, and DHIS2 dataValueSets JSON.

DHIS2 mapping (import with ``idScheme=CODE``): dataElement = the indicator's
``dhis2_code`` when the catalogue gives one, else its code; orgUnit = the school's
education identifier or the unit's statistics code; period = the year the school year
starts (yearly period "2025"); dataSet = "TRUONGSO_BOY" / "TRUONGSO_EOY";
categoryOptionCombo = "<row dimension><row value>_<column code>" of the form's layout
("grade6_female"), "<column code>" for the total row, and "default" for an indicator
without disaggregation.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from truongso.stats.layout import state_label, tables
from truongso.stats.models import Report
from truongso.stats.rules.cells import from_json
from truongso.stats.selectors import indicators_for


def _indicators(report: Report):
    kind = report.institution.kind if report.institution_id else None
    return indicators_for(form=report.report_round.form, kind=kind)


def _org_unit(report: Report) -> str:
    return report.institution.code if report.institution_id else report.unit.code


def report_workbook(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = report.report_round.form.upper()
    bold = Font(bold=True)
    ws.append([str(report.report_round.get_form_display()), str(report.report_round.school_year)])
    ws.append([_("Đơn vị báo cáo"), report.owner_name, _("Mã"), _org_unit(report)])
    cutoff = report.report_round.cutoff.strftime("%d/%m/%Y")
    status = str(report.get_status_display())
    ws.append([_("Ngày chốt số liệu"), cutoff, _("Phiên bản"), report.version, _("Trạng thái"),
               status])  # fmt: skip
    for t in tables(_indicators(report), from_json(report.values), report.manual):
        ws.append([])
        title = f"{t.indicator.code} — {t.indicator.label}"
        if t.manual:
            title += " " + _("(nhập tay)")
        ws.append([title])
        ws.cell(row=ws.max_row, column=1).font = bold
        ws.append([""] + [c["label"] for c in t.columns])
        for _value, label, cells in t.rows:
            ws.append([label] + cells)
        ws.append([_("Tổng cộng")] + t.total)
        ws.cell(row=ws.max_row, column=1).font = bold
    ws.column_dimensions["A"].width = 42
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_data_value_set(report: Report) -> dict:
    period = str(report.report_round.school_year.starts_on.year)
    org_unit = _org_unit(report)
    values = []
    for t in tables(_indicators(report), from_json(report.values), report.manual):
        element = t.indicator.dhis2_code or t.indicator.code
        dims = t.indicator.disaggregation or []
        row_dim = (t.indicator.layout or {}).get("rows")
        lines = [(f"{row_dim}{v}_", cells) for v, _l, cells in t.rows] + [("", t.total)]
        for prefix, cells in lines:
            for column, value in zip(t.columns, cells, strict=True):
                coc = "default" if not dims else f"{prefix}{column['code']}"
                item = {"dataElement": element, "period": period, "orgUnit": org_unit,
                        "categoryOptionCombo": coc, "value": str(value)}  # fmt: skip
                if t.manual:
                    item["comment"] = "manual"
                values.append(item)
    return {
        "dataSet": f"TRUONGSO_{report.report_round.form.upper()}",
        "completeDate": (report.decided_at or report.submitted_at or report.prepared_at)
        .date()
        .isoformat(),
        "period": period,
        "orgUnit": org_unit,
        "dataValues": values,
    }


def completeness_workbook(report_round, unit, data: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tiến độ")[:30]
    ws.append([str(report_round), str(unit)])
    ws.append([])
    ws.append([_("Mã"), _("Trường"), _("Xã/phường"), _("Trạng thái")])
    for school, state in data["schools"]:
        ws.append([school.code, school.name, school.commune.name, str(state_label(state))])
    ws.column_dimensions["B"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def population_workbook(rows) -> bytes:
    """The population table in the layout it is imported from (unit code, year, age,
    male, female), so an office can correct it and load it again."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Dân số")[:30]
    ws.append([_("Mã đơn vị"), _("Đơn vị"), _("Năm"), _("Tuổi"), _("Nam"), _("Nữ")])
    for row in rows.iterator():
        ws.append([row.unit.code, row.unit.name, row.year, row.age, row.male, row.female])
    ws.column_dimensions["B"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
