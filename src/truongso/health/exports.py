"""Health lists as .xlsx workbooks (the same rows the pages show)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook


def _num(value):
    return float(value) if value is not None else ""


def _checkup_cells(checkup) -> list:
    if checkup is None:
        return ["", "", "", "", "", "", "", "", "", "", "", ""]
    return [
        checkup.date.strftime("%d/%m/%Y"), _num(checkup.height_cm), _num(checkup.weight_kg),
        _num(checkup.bmi), _num(checkup.haz), _num(checkup.baz),
        checkup.get_stature_display(), checkup.get_nutrition_display(),
        checkup.vision_left, checkup.vision_right, checkup.dental, checkup.notes,
    ]  # fmt: skip


CHECKUP_HEADERS = [
    gettext_lazy("Ngày khám"), gettext_lazy("Chiều cao (cm)"), gettext_lazy("Cân nặng (kg)"),
    gettext_lazy("BMI"), gettext_lazy("Z chiều cao/tuổi"), gettext_lazy("Z BMI/tuổi"),
    gettext_lazy("Tầm vóc"), gettext_lazy("Dinh dưỡng"), gettext_lazy("Thị lực trái"),
    gettext_lazy("Thị lực phải"), gettext_lazy("Răng miệng"), gettext_lazy("Ghi chú"),
]  # fmt: skip


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_workbook(title: str, rows) -> bytes:
    """``rows``: SheetRow (learner, checkup or None), one per learner."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Khám sức khỏe")
    ws.append([title])
    ws.append([])
    ws.append(
        [_("STT"), _("Mã định danh"), _("Họ và tên"), _("Giới tính"), _("Ngày sinh")]
        + [str(h) for h in CHECKUP_HEADERS]
    )
    for number, row in enumerate(rows, start=1):
        learner = row.learner
        born = learner.date_of_birth.strftime("%d/%m/%Y") if learner.date_of_birth else ""
        ws.append(
            [number, learner.education_id or "", learner.full_name, learner.get_sex_display(),
             born] + _checkup_cells(row.checkup)
        )  # fmt: skip
    ws.column_dimensions["C"].width = 28
    return _save(wb)


def learner_workbook(record) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Khám sức khỏe")
    ws.append([_("Học sinh"), record.learner.full_name])
    ws.append([])
    ws.append([str(h) for h in CHECKUP_HEADERS])
    for checkup in record.checkups:
        ws.append(_checkup_cells(checkup))
    vaccines = wb.create_sheet(_("Tiêm chủng"))
    vaccines.append([_("Vắc xin"), _("Mũi thứ"), _("Ngày tiêm"), _("Ghi chú")])
    for v in record.vaccinations:
        vaccines.append([v.get_vaccine_display(), v.dose, v.date.strftime("%d/%m/%Y"), v.notes])
    return _save(wb)


def summary_workbook(title: str, rows) -> bytes:
    """``rows``: GrowthSummary per class, the last one the total (label "")."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tổng hợp")
    ws.append([title])
    ws.append([])
    ws.append(
        [_("Lớp"), _("Số học sinh đã khám"), _("Thấp còi"), _("Tỉ lệ thấp còi (%)"),
         _("Gầy còm"), _("Tỉ lệ gầy còm (%)"), _("Thừa cân"), _("Tỉ lệ thừa cân (%)"),
         _("Béo phì"), _("Tỉ lệ béo phì (%)")]
    )  # fmt: skip
    for row in rows:
        shares = row.shares
        ws.append(
            [row.label or _("Toàn trường"), row.checked,
             row.stunted, _num(shares["stunted"]), row.thin, _num(shares["thin"]),
             row.overweight, _num(shares["overweight"]), row.obese, _num(shares["obese"])]
        )  # fmt: skip
    ws.column_dimensions["A"].width = 18
    return _save(wb)


def institutions_workbook(rows) -> bytes:
    """``rows``: (institution, GrowthSummary) pairs."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tổng hợp")
    ws.append(
        [_("Mã trường"), _("Trường"), _("Số học sinh đã khám"), _("Thấp còi"), _("Gầy còm"),
         _("Thừa cân"), _("Béo phì")]
    )  # fmt: skip
    for institution, row in rows:
        ws.append(
            [institution.code, institution.name, row.checked, row.stunted, row.thin,
             row.overweight, row.obese]
        )  # fmt: skip
    ws.column_dimensions["B"].width = 36
    return _save(wb)
