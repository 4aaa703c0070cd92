"""The training lists as .xlsx workbooks (the same rows as the pages)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from truongso.training.models import kind_fields


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def records_workbook(records) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Bồi dưỡng")[:31])
    kinds = kind_fields()
    ws.append([_("STT"), _("Họ và tên"), _("Trường"), _("Khóa bồi dưỡng"), _("Đơn vị tổ chức"),
               _("Từ ngày"), _("Đến ngày"), _("Số tiết"), _("Số chứng chỉ"),
               *[str(label) for _n, label in kinds], _("Ghi chú")])  # fmt: skip
    for number, r in enumerate(records, start=1):
        ws.append([number, r.staff_member.full_name, r.institution.name, r.course, r.provider,
                   _date(r.starts_on), _date(r.ends_on), r.hours, r.certificate_number,
                   *["x" if getattr(r, name) else "" for name, _l in kinds], r.note])  # fmt: skip
    return _save(wb)


def appraisals_workbook(institution, school_year, members) -> bytes:
    """``members`` as from ``appraisal_rows`` (each with ``year_appraisal``)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(school_year))
    ws.append([_("Trường"), institution.name, _("Năm học"), str(school_year)])
    ws.append([_("STT"), _("Họ và tên"), _("Chức vụ"), _("Chuẩn nghề nghiệp"),
               _("Xếp loại viên chức"), _("Ngày đánh giá"), _("Ghi chú")])  # fmt: skip
    for number, m in enumerate(members, start=1):
        a = m.year_appraisal[0] if m.year_appraisal else None
        ws.append([number, m.full_name, m.get_position_display(),
                   a.get_professional_standard_display() if a else "",
                   a.get_official_rating_display() if a else "",
                   _date(a.appraised_on) if a else "", a.note if a else ""])  # fmt: skip
    return _save(wb)


def summary_workbook(school_year, rows, total) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(school_year or "")[:31] or _("Tổng hợp"))
    ws.append([_("Năm học"), str(school_year or "")])
    header = [_("Trường"), _("Cán bộ, giáo viên, nhân viên"), _("Giáo viên"), _("Học sinh"),
              _("Lớp"), _("Giáo viên được bồi dưỡng kỹ năng số"), _("Tỉ lệ (%)"),
              _("Giáo viên được bồi dưỡng xây dựng học liệu số"), _("Tỉ lệ (%)"),
              _("Học sinh/cán bộ"), _("Giáo viên/lớp"), _("Số tiết bồi dưỡng")]  # fmt: skip
    ws.append(header)

    def line(name, r):
        return [name, r.staff, r.teachers, r.learners, r.classes, r.teachers_digital_skills,
                r.digital_skills_share, r.teachers_digital_materials, r.digital_materials_share,
                r.learners_per_staff, r.teachers_per_class, r.hours]  # fmt: skip

    for r in rows:
        ws.append(line(r.institution.name, r))
    ws.append(line(_("Tổng cộng"), total))
    return _save(wb)
