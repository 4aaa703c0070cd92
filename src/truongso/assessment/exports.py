"""The class's sổ điểm as an .xlsx workbook (openpyxl), in the layout schools use:

- one sheet per subject: STT, Họ và tên, Ngày sinh, then for each term the regular
  scores (TX1…), GK, CK and the term average (ĐTBmhk), then the year average (ĐTBmcn);
  Đ/CĐ for a subject assessed by comment;
- three summary sheets (Học kỳ I, Học kỳ II, Cả năm): each subject's result, learning
  and conduct results, days absent and, for the year, the promotion decision, the
  subjects to re-test and the award; the counts by level below.

Scores and averages are written as numbers with one decimal shown.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from truongso.academics.models import SchoolClass
from truongso.assessment import display
from truongso.assessment.models import Period, ScoreEntry, SummerReassessment
from truongso.assessment.rules import gradebook as rules_gradebook
from truongso.assessment.selectors import results as result_selectors
from truongso.assessment.selectors.gradebook import class_context

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
SCORE_FORMAT = "0.0"


def _sheet_title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text)[:31].strip() or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _head(sheet, school_class: SchoolClass, title: str, headers: list[str]) -> int:
    sheet["A1"] = school_class.institution.name
    sheet["A1"].font = BOLD
    sheet["A2"] = title
    sheet["A2"].font = TITLE
    sheet["A3"] = _("Lớp %(name)s – Năm học %(year)s") % {
        "name": school_class.name, "year": school_class.school_year.name}  # fmt: skip
    row = 5
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = BOLD
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=row + 1, column=3)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 11
    for column in range(4, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 8
    return row + 1


def _put(sheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.border = BOX
    if isinstance(value, Decimal):
        cell.number_format = SCORE_FORMAT
        cell.alignment = Alignment(horizontal="right")


def _learner_cells(number: int, learner) -> list[Any]:
    born = learner.date_of_birth.strftime("%d/%m/%Y") if learner.date_of_birth else ""
    return [number, learner.full_name, born]


def _subject_sheet(sheet, school_class, subject, learners, entries, results) -> None:
    fields = [f for f in subject.fields if f != rules_gradebook.COMMENT]
    headers = [_("STT"), _("Họ và tên"), _("Ngày sinh")]
    for number in (1, 2):
        roman = "I" if number == 1 else "II"
        headers += [f"{display.column_label(f)} HK{roman}" for f in fields]
        if subject.scored:
            headers.append(_("ĐTBmhk%(term)s") % {"term": roman})
    headers.append(_("ĐTBmcn") if subject.scored else _("Cả năm"))
    row = _head(sheet, school_class, _("SỔ ĐIỂM MÔN %(name)s") % {
        "name": subject.subject.name.upper()}, headers)  # fmt: skip
    for number, learner in enumerate(learners, start=1):
        values = _learner_cells(number, learner)
        for term in (1, 2):
            entry = entries.get((learner.pk, term))
            regular = entry.regular_scores() if entry else []
            for field in fields:
                index = rules_gradebook.regular_index(field)
                if index is not None:
                    values.append(regular[index] if index < len(regular) else None)
                elif field in rules_gradebook.RATING_FIELDS:
                    values.append(display.rating_text(getattr(entry, field), short=True)
                                  if entry else "")  # fmt: skip
                else:
                    values.append(getattr(entry, field) if entry else None)
            if subject.scored:
                values.append(_result_value(results.get((learner.pk, term))))
        values.append(_result_value(results.get((learner.pk, Period.YEAR))))
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
        row += 1


def _result_value(result) -> Any:
    if result is None:
        return None
    if result.average is not None:
        return result.average
    return display.rating_text(result.rating, short=True) or None


def _summary_sheet(sheet, school_class, data) -> None:
    year = data.period == Period.YEAR
    title = {1: _("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ HỌC KỲ I"),
             2: _("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ HỌC KỲ II"),
             0: _("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ CẢ NĂM")}[data.period]  # fmt: skip
    headers = [_("STT"), _("Họ và tên"), _("Ngày sinh")]
    headers += [s.subject.name for s in data.subjects]
    headers += [_("Kết quả học tập"), _("Kết quả rèn luyện"), _("Số ngày nghỉ")]
    if year:
        headers += [_("Xét lên lớp"), _("Môn kiểm tra lại"), _("Khen thưởng"), _("Sau hè")]
        summer = _summer_entries(school_class, [item.learner.pk for item in data.rows])
    row = _head(sheet, school_class, title, headers)
    names = {s.code: s.subject.name for s in data.subjects}
    for number, item in enumerate(data.rows, start=1):
        result = item.result
        values = _learner_cells(number, item.learner)
        values += [_result_value(item.subjects[s.code]) for s in data.subjects]
        values += [
            display.rating_text(result.learning) if result else "",
            display.rating_text(result.conduct) if result else "",
            result.days_absent if result else None,
        ]
        if year:
            values += [
                result.get_promotion_display() if result and result.promotion else "",
                ", ".join(names.get(c, c) for c in result.retest_subjects) if result else "",
                result.get_award_display() if result and result.award else "",
                _summer_text(result, summer.get(item.learner.pk), names),
            ]
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
        row += 1
    row += 1
    for heading, counts in ((_("Kết quả học tập"), data.learning_counts),
                            (_("Kết quả rèn luyện"), data.conduct_counts)):  # fmt: skip
        sheet.cell(row=row, column=2, value=heading).font = BOLD
        for offset, code in enumerate(("tot", "kha", "dat", "chua_dat", "incomplete")):
            label = display.rating_text(code) if code != "incomplete" else _("Chưa đủ dữ liệu")
            sheet.cell(row=row + 1 + offset, column=2, value=label)
            sheet.cell(row=row + 1 + offset, column=3, value=counts[code])
            sheet.cell(row=row + 1 + offset, column=4,
                       value=rules_gradebook.percent(counts[code], data.total)).number_format = (
                "0.0\"%\"")  # fmt: skip
        row += 7


def _summer_entries(school_class, learner_ids) -> dict:
    return {
        r.learner_id: r
        for r in SummerReassessment.objects.filter(
            learner_id__in=learner_ids, school_year_id=school_class.school_year_id
        )
    }


def _summer_text(result, entered, names: dict[str, str]) -> str:
    """ "Kiểm tra lại trong hè: Ngữ văn 5.5, Toán 6.0" / "Rèn luyện trong hè: Đạt"."""
    if result is None or not result.summer_outcome:
        return ""
    parts = []
    retests = (entered.retests or {}) if entered else {}
    if result.summer_subjects:
        shown = ", ".join(
            f"{names.get(code, code)} {_retest_text(retests.get(code))}".strip()
            for code in result.summer_subjects
        )
        parts.append(_("Kiểm tra lại trong hè: %(subjects)s") % {"subjects": shown})
    if result.summer_outcome == "summer_conduct_training":
        conduct = display.rating_text(entered.conduct) if entered else ""
        parts.append(_("Rèn luyện trong hè: %(conduct)s") % {"conduct": conduct or "…"})
    return "; ".join(parts)


def _retest_text(value: str | None) -> str:
    if not value:
        return "…"
    if value in ("dat", "chua_dat"):
        return display.rating_text(value, short=True)
    return value


def summer_workbook(*, actor, school_class: SchoolClass) -> bytes:
    """The class's learners sent to the summer, as .xlsx: the decision at the end of
    the year, each re-tested subject (year result → re-test result), the conduct after
    training, the re-evaluated results and decision. Homeroom teacher and managers."""
    from truongso.assessment.selectors.summer import summer_rows

    rows = summer_rows(actor=actor, school_class=school_class)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Kiểm tra lại, rèn luyện hè"), set())
    headers = [_("STT"), _("Họ và tên"), _("Ngày sinh"), _("Xét cuối năm"),
               _("Kiểm tra lại (cả năm → kiểm tra lại)"), _("Rèn luyện sau hè"),
               _("Kết quả học tập sau hè"), _("Kết quả rèn luyện sau hè"),
               _("Xét lên lớp sau hè")]  # fmt: skip
    line = _head(sheet, school_class, _("DANH SÁCH HỌC SINH KIỂM TRA LẠI, RÈN LUYỆN TRONG HÈ"),
                 headers)  # fmt: skip
    sheet.column_dimensions["D"].width = 22
    sheet.column_dimensions["E"].width = 36
    for column in "FGHI":
        sheet.column_dimensions[column].width = 14
    for number, row in enumerate(rows, start=1):
        year = row.year
        retests = "; ".join(
            f"{item.subject.name}: {_average_plain(result)} → {_retest_text(row.retest(item.code))}"
            for item, result in row.subjects
        )
        done = not year.summer_missing
        values = [
            *_learner_cells(number, row.learner),
            year.get_summer_outcome_display(),
            retests,
            display.rating_text(row.entered.conduct) if row.entered and row.trained else "",
            display.rating_text(year.summer_learning) if done else "",
            display.rating_text(year.summer_conduct) if done else "",
            year.get_promotion_display() if done else _("Chưa đủ kết quả"),
        ]
        for column, value in enumerate(values, start=1):
            _put(sheet, line, column, value)
        line += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _average_plain(result) -> str:
    if result is None:
        return "…"
    if result.average is not None:
        return f"{result.average:.1f}"
    return display.rating_text(result.rating, short=True) or "…"


def class_workbook(*, actor, school_class: SchoolClass) -> bytes:
    """The workbook of the class (its homeroom teacher and the school's managers):
    SchoolClass.DoesNotExist for anyone else."""
    by_period = {
        p: result_selectors.class_results(actor=actor, school_class=school_class, period=p)
        for p in (Period.TERM_1, Period.TERM_2, Period.YEAR)
    }
    context = class_context(school_class)
    learners = [row.learner for row in by_period[Period.YEAR].rows]
    ids = [learner.pk for learner in learners]
    number_of = {t.pk: n for n, t in context.terms.items()}
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for period, label in ((Period.TERM_1, _("Tổng hợp HK I")), (Period.TERM_2, _("Tổng hợp HK II")),
                          (Period.YEAR, _("Tổng hợp cả năm"))):  # fmt: skip
        _summary_sheet(workbook.create_sheet(_sheet_title(label, used)), school_class,
                       by_period[period])  # fmt: skip
    for subject in context.subjects:
        entries = {
            (e.learner_id, number_of[e.term_id]): e
            for e in ScoreEntry.objects.filter(
                learner_id__in=ids, subject=subject.subject, term_id__in=number_of
            )
        }
        results = {}
        for period in (Period.TERM_1, Period.TERM_2, Period.YEAR):
            for item in by_period[period].rows:
                results[(item.learner.pk, period)] = item.subjects[subject.code]
        sheet = workbook.create_sheet(_sheet_title(subject.subject.name, used))
        _subject_sheet(sheet, school_class, subject, learners, entries, results)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
