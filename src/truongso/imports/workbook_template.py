"""The Excel template of each kind: the data sheet with its headers and drop-down lists,
an instructions sheet, and a hidden sheet holding the lists."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from truongso.core.rules.codelists import ETHNICITIES_1979
from truongso.imports.exports import SEX_LABELS
from truongso.imports.rules.columns import CLASSES, LEARNERS, STAFF, template_columns
from truongso.imports.selectors import current_classes
from truongso.learners.models import Disability, Guardian
from truongso.staff.models import EmploymentStatus, Position, Qualification

DATA_ROWS = 5000  # rows that get the drop-down lists
TEXT_COLUMNS = {"personal_id", "phone", "guardian_phone", "education_id", "name", "room"}
DATE_COLUMNS = {"date_of_birth", "hired_on"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet_title(kind: str) -> str:
    return {LEARNERS: _("Học sinh"), STAFF: _("Cán bộ, giáo viên"), CLASSES: _("Lớp học")}[kind]


def _lists(kind: str, actor, institution) -> dict[str, list[str]]:
    """Column key → the values of its drop-down list."""
    lists = {"sex": list(SEX_LABELS.values()), "ethnicity": list(ETHNICITIES_1979.values())}
    if kind == LEARNERS:
        lists["class_name"] = [
            c.name for c in current_classes(actor=actor, institution=institution)
        ]
        lists["disability"] = [str(label) for code, label in Disability.choices if code]
        lists["guardian_relationship"] = [str(label) for _c, label in Guardian.Relationship.choices]
    elif kind == STAFF:
        lists["position"] = [str(label) for _c, label in Position.choices]
        lists["qualification"] = [str(label) for _c, label in Qualification.choices]
        lists["employment_status"] = [str(label) for _c, label in EmploymentStatus.choices]
    elif kind == CLASSES:
        lists = {"grade": [str(g) for g in institution.grades]}
    return lists


def template_workbook(*, kind: str, actor, institution) -> Path:
    columns = template_columns(kind)
    workbook = Workbook()
    data = workbook.active
    data.title = _sheet_title(kind)
    guide = workbook.create_sheet(_("Hướng dẫn"))
    lists_sheet = workbook.create_sheet(_("Danh mục"))
    lists_sheet.sheet_state = "hidden"

    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=index, value=_(column.label))
        cell.font = bold
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = column.width
        number_format = (
            "@"
            if column.key in TEXT_COLUMNS
            else ("DD/MM/YYYY" if column.key in DATE_COLUMNS else None)
        )
        if number_format:  # a column style: cells typed into the column take it
            data.column_dimensions[letter].number_format = number_format
    data.freeze_panes = "A2"

    lists = _lists(kind, actor, institution)
    list_column = 0
    for index, column in enumerate(columns, start=1):
        values = lists.get(column.key)
        if not values:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        lists_sheet.cell(row=1, column=list_column, value=_(column.label)).font = bold
        for row, value in enumerate(values, start=2):
            lists_sheet.cell(row=row, column=list_column, value=value)
        source = f"'{lists_sheet.title}'!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(
            type="list",
            formula1=f"={source}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
        )
        validation.error = _("Hãy chọn một giá trị trong danh sách.")
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{DATA_ROWS + 1}")
        data.add_data_validation(validation)

    _write_guide(guide, kind, columns, institution)
    workbook.active = 0
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook.save(handle.name)
    return Path(handle.name)


def _write_guide(sheet, kind: str, columns, institution) -> None:
    bold = Font(bold=True)
    lines = [
        (
            _("Mẫu nhập %(what)s — %(school)s")
            % {"what": _sheet_title(kind).lower(), "school": institution.name},
            True,
        ),
        (
            _(
                "1. Nhập mỗi người (mỗi lớp) một dòng trong trang '%(sheet)s', bắt đầu từ dòng 2; "
                "giữ nguyên dòng tiêu đề."
            )
            % {"sheet": _sheet_title(kind)},
            False,
        ),
        (
            _(
                "2. Các cột có dấu 'Có' ở cột Bắt buộc không được để trống. Chọn giá trị "
                "trong danh sách thả xuống nếu có."
            ),
            False,
        ),
        (
            _(
                "3. Ngày viết theo dạng ngày/tháng/năm (05/09/2014). Số định danh và số điện thoại "
                "gõ dạng văn bản để giữ số 0 ở đầu."
            ),
            False,
        ),
        (_("4. Không dùng công thức, không gộp ô. Chữ tiếng Việt gõ bằng Unicode."), False),
        (
            _(
                "5. Tải tệp lên: hệ thống kiểm tra trước và báo từng lỗi theo dòng và cột; chưa có "
                "gì được ghi cho đến khi bạn bấm Ghi dữ liệu."
            ),
            False,
        ),
        (
            _(
                "6. Để sửa người đã có, ghi Mã định danh của họ (xuất danh sách ra Excel để "
                "có mã); ô để trống không xóa dữ liệu đã có."
            ),
            False,
        ),
    ]
    row = 1
    for text, is_title in lines:
        cell = sheet.cell(row=row, column=1, value=text)
        if is_title:
            cell.font = Font(bold=True, size=14)
        row += 1
    row += 1
    for index, label in enumerate((_("Cột"), _("Bắt buộc"), _("Cách nhập"), _("Ví dụ")), 1):
        cell = sheet.cell(row=row, column=index, value=label)
        cell.font = bold
        cell.fill = HEADER_FILL
    for column in columns:
        row += 1
        sheet.cell(row=row, column=1, value=_(column.label))
        sheet.cell(row=row, column=2, value=_("Có") if column.required else "")
        sheet.cell(row=row, column=3, value=_(column.hint) if column.hint else "")
        sheet.cell(row=row, column=4, value=column.example)
    for letter, width in zip("ABCD", (30, 10, 70, 20), strict=True):
        sheet.column_dimensions[letter].width = width
