"""Lists of report cards as .xlsx workbooks (openpyxl)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from truongso.reportcards.models import ReportCardStatus


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def class_workbook(school_class, rows) -> bytes:
    """A class's learners with their report card's status, version and results."""
    wb = Workbook()
    ws = wb.active
    ws.title = school_class.name[:31]
    ws.append([_("Lớp"), school_class.name, _("Năm học"), school_class.school_year.name])
    ws.append([])
    ws.append([_("STT"), _("Mã định danh"), _("Họ và tên"), _("Ngày sinh"), _("Trạng thái"),
               _("Phiên bản"), _("Học tập cả năm"), _("Rèn luyện cả năm"), _("Xét lên lớp"),
               _("Khen thưởng"), _("SHA-256")])  # fmt: skip
    labels = dict(ReportCardStatus.choices)
    for number, row in enumerate(rows, start=1):
        card = row.card
        version = card.current_version if card else None
        content = version.content if version else {}
        ws.append([
            number, row.learner.education_id or "", row.learner.full_name,
            row.learner.date_of_birth.strftime("%d/%m/%Y") if row.learner.date_of_birth else "",
            str(labels.get(card.status, "")) if card else _("Chưa tạo"),
            version.number if version else "",
            (content.get("learning") or {}).get("year") or "",
            (content.get("conduct") or {}).get("year") or "",
            (content.get("promotion") or {}).get("decision") or "",
            content.get("award") or "",
            version.sha256 if version else "",
        ])  # fmt: skip
    ws.column_dimensions["C"].width = 28
    return _bytes(wb)


def school_workbook(institution, school_year, rows) -> bytes:
    """A school's classes with their report cards counted by status."""
    wb = Workbook()
    ws = wb.active
    ws.title = school_year.name
    ws.append([_("Trường"), institution.name, _("Năm học"), school_year.name])
    ws.append([])
    ws.append([_("Lớp"), _("Số học sinh"), *[str(label) for _v, label in ReportCardStatus.choices],
               _("Chưa tạo")])  # fmt: skip
    for row in rows:
        ws.append([row.school_class.name, row.learners,
                   *[row.counts.get(value, 0) for value, _l in ReportCardStatus.choices],
                   row.missing])  # fmt: skip
    ws.column_dimensions["A"].width = 14
    return _bytes(wb)
