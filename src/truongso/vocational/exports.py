"""The vocational lists as .xlsx workbooks: programmes, modules, a score sheet, a
transcript and the graduation list. The graduation list's columns are the ones the
diploma register reads (credentials: "Họ và tên", "Ngày sinh", …), so the file of the
eligible graduates can be uploaded there as the candidates of an issuance."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from truongso.assessment.rules.common import Incomplete


def _book(title: str, heading: list, header: list, rows: Iterable[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    if heading:
        ws.append(heading)
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for column, width in zip("ABCDEFGHIJ", (8, 16, 36, 14, 14, 14, 14, 14, 14, 40), strict=False):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _value(result) -> str:
    return "" if result is None or isinstance(result, Incomplete) else str(result.value)


def programmes_workbook(programmes) -> bytes:
    header = [_("STT"), _("Mã ngành, nghề"), _("Tên ngành, nghề"), _("Trình độ"),
              _("Hình thức"), _("Số học kỳ"), _("Số tín chỉ"), _("Số mô-đun"),
              _("Bộ quy tắc"), _("Cơ sở giáo dục")]  # fmt: skip
    rows = (
        [n, p.code, p.name, p.get_level_display(), p.get_mode_display(), p.duration_semesters,
         p.required_credits, p.module_count, p.rule_set.label, p.institution.name]
        for n, p in enumerate(programmes, start=1)
    )  # fmt: skip
    return _book(_("Chương trình"), [], header, rows)


def modules_workbook(programme, modules) -> bytes:
    header = [_("STT"), _("Mã"), _("Tên mô-đun, môn học"), _("Tín chỉ"), _("Lý thuyết (giờ)"),
              _("Thực hành (giờ)"), _("Học kỳ"), _("Bắt buộc")]  # fmt: skip
    rows = (
        [n, m.code, m.name, m.credits, m.theory_hours, m.practice_hours, m.semester,
         _("Bắt buộc") if m.compulsory else _("Tự chọn")]
        for n, m in enumerate(modules, start=1)
    )  # fmt: skip
    return _book(programme.code, [_("Chương trình"), programme.code, programme.name], header, rows)


def score_sheet_workbook(cohort, module, enrolments) -> bytes:
    header = [_("STT"), _("Mã định danh"), _("Họ và tên"), _("Lần học"), _("Học kỳ"),
              _("Điểm (hệ 10)"), _("Điểm chữ"), _("Điểm hệ 4")]  # fmt: skip
    rows = (
        [n, e.learner.education_id, e.learner.full_name, e.attempt, e.semester,
         e.score if e.score is not None else "", e.letter, e.points if e.points is not None else ""]
        for n, e in enumerate(enrolments, start=1)
    )  # fmt: skip
    heading = [_("Lớp"), cohort.name, _("Mô-đun"), f"{module.code} {module.name}"]
    return _book(module.code, heading, header, rows)


def transcript_workbook(transcript) -> bytes:
    t = transcript
    header = [_("Học kỳ"), _("Mã"), _("Tên mô-đun, môn học"), _("Tín chỉ"), _("Lần học"),
              _("Điểm (hệ 10)"), _("Điểm chữ"), _("Điểm hệ 4")]  # fmt: skip
    rows: list[list] = []
    for semester in t.semesters:
        for e in semester.enrolments:
            rows.append([semester.number, e.module.code, e.module.name, e.module.credits,
                         e.attempt, e.score if e.score is not None else "", e.letter,
                         e.points if e.points is not None else ""])  # fmt: skip
        average = _("Trung bình học kỳ %(n)s") % {"n": semester.number}
        rows.append(["", "", average, "", "", _value(semester.average), _("Tích lũy"),
                     _value(semester.cumulative)])  # fmt: skip
    rows.append([])
    rows.append(["", "", _("Điểm trung bình tích lũy"), "", "", _value(t.cumulative)])
    rows.append(["", "", _("Xếp loại"), "", "", t.level_label])
    rows.append(["", "", _("Tín chỉ đã tích lũy"), "", "", t.earned_credits])
    heading = [_("Người học"), t.learner.full_name, t.learner.education_id, t.cohort.name]
    return _book(_("Bảng điểm"), heading, header, rows)


def graduation_workbook(cohort, transcripts, status_text) -> bytes:
    """One row per learner; the first eight columns are the diploma register's."""
    header = ["Họ và tên", "Ngày sinh", "Giới tính", "Nơi sinh", "Xếp loại", "Ngành",
              "Ngành tiếng Anh", "Mã định danh", _("Điểm trung bình tích lũy"),
              _("Tín chỉ đã tích lũy"), _("Kết quả xét tốt nghiệp")]  # fmt: skip
    programme = cohort.programme
    rows = (
        [t.learner.full_name,
         t.learner.date_of_birth.strftime("%d/%m/%Y") if t.learner.date_of_birth else "",
         t.learner.get_sex_display(), t.learner.place_of_birth, t.level_label if t.eligible else "",
         programme.name, programme.name_en, t.learner.education_id, _value(t.cumulative),
         t.earned_credits, status_text(t)]
        for t in transcripts
    )  # fmt: skip
    return _book(cohort.name, [], header, rows)
