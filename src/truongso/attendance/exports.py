"""The monthly summary of a class as an .xlsx workbook."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from truongso.attendance.selectors import ClassMonth


def class_month_workbook(summary: ClassMonth) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = summary.start.strftime("%m-%Y")
    ws.append([_("Lớp"), summary.school_class.name, _("Tháng"), summary.start.strftime("%m/%Y")])
    ws.append([_("Số ngày đã điểm danh"), summary.days_taken])
    ws.append([])
    ws.append(
        [_("STT"), _("Mã định danh"), _("Họ và tên"), _("Vắng có phép"), _("Vắng không phép"),
         _("Tổng số ngày vắng"), _("Đi muộn")]
    )  # fmt: skip
    for number, row in enumerate(summary.rows, start=1):
        ws.append(
            [number, row.learner.education_id, row.learner.full_name, row.excused,
             row.unexcused, row.absent, row.late]
        )  # fmt: skip
    ws.append(
        ["", "", _("Cả lớp"), summary.excused, summary.unexcused, summary.absent, summary.late]
    )
    ws.append([])
    ws.append([_("Tỉ lệ chuyên cần (%)"), summary.rate if summary.rate is not None else ""])
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 28
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def school_month_workbook(institution, rows: list[ClassMonth]) -> bytes:
    """``rows`` as returned by ``school_month_summary``: classes, then the school's total."""
    wb = Workbook()
    ws = wb.active
    ws.title = rows[-1].start.strftime("%m-%Y")
    ws.append([_("Trường"), institution.name, _("Tháng"), rows[-1].start.strftime("%m/%Y")])
    ws.append([])
    ws.append(
        [_("Lớp"), _("Sĩ số"), _("Số ngày đã điểm danh"), _("Vắng có phép"),
         _("Vắng không phép"), _("Đi muộn"), _("Tỉ lệ chuyên cần (%)")]
    )  # fmt: skip
    for row in rows:
        name = row.school_class.name if row.school_class is not None else _("Toàn trường")
        days = row.days_taken if row.school_class is not None else ""
        ws.append(
            [name, row.learner_count, days, row.excused, row.unexcused, row.late,
             row.rate if row.rate is not None else ""]
        )  # fmt: skip
    ws.column_dimensions["A"].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
