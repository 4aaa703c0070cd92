"""Excel exports of the lists (learners, staff, classes, institutions).

Each export reads the same GET filters as its list page, through the same scoped
selector, so it holds exactly what the user sees. Learner and staff files have the
columns of the import template and re-import without changes."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from truongso.academics.forms import ClassFilterForm
from truongso.academics.selectors import class_list, current_school_year
from truongso.imports.rules.columns import CLASSES, LEARNERS, STAFF, template_columns
from truongso.imports.rules.values import ethnicity_label
from truongso.learners.forms import LearnerFilterForm
from truongso.learners.models import Disability, Guardian
from truongso.learners.selectors import learner_list
from truongso.staff.forms import StaffFilterForm
from truongso.staff.models import EmploymentStatus, Position, Qualification
from truongso.staff.selectors import staff_list
from truongso.units.forms import InstitutionFilterForm
from truongso.units.models import AdministrativeUnit, InstitutionKind, Ownership
from truongso.units.selectors import institution_list

INSTITUTIONS = "institutions"
EXPORTS = (LEARNERS, STAFF, CLASSES, INSTITUTIONS)
DATE_FORMAT = "DD/MM/YYYY"
SHEET_ROWS = 1_048_575  # Excel's limit is 1,048,576 rows a sheet, the header included
SEX_LABELS = {"M": "Nam", "F": "Nữ"}
RELATIONSHIP_ORDER = ("father", "mother", "guardian", "other")


def file_name(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}-{timezone.localdate():%Y%m%d}.xlsx"


def _label(choices, code: str) -> str:
    return str(dict(choices.choices).get(code, "")) if code else ""


def _sheet_title(kind: str) -> str:
    return {
        LEARNERS: _("Học sinh"),
        STAFF: _("Cán bộ, giáo viên"),
        CLASSES: _("Lớp học"),
        INSTITUTIONS: _("Cơ sở giáo dục"),
    }[kind][:31]


def export_workbook(*, kind: str, actor, params) -> Path:
    """Write the export to a temporary .xlsx file (openpyxl write-only) and return it."""
    header, rows = {
        LEARNERS: _learners,
        STAFF: _staff,
        CLASSES: _classes,
        INSTITUTIONS: _institutions,
    }[kind](actor, params)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    title = _sheet_title(kind)
    sheet = None
    for number, values in enumerate(rows, start=1):
        if sheet is None or (number - 1) % SHEET_ROWS == 0:
            part = (number - 1) // SHEET_ROWS + 1
            sheet = workbook.create_sheet(title if part == 1 else f"{title[:26]} ({part})")
            sheet.append(_bold_row(sheet, header, bold))
        line: list[object] = [number]
        for value in values:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                line.append(cell)
            else:
                line.append(value)
        sheet.append(line)
    if sheet is None:  # nothing to export: the header alone
        sheet = workbook.create_sheet(title)
        sheet.append(_bold_row(sheet, header, bold))
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook.save(handle.name)
    return Path(handle.name)


def _bold_row(sheet, labels: list[str], bold: Font) -> list[object]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        cells.append(cell)
    return cells


def _header(kind: str, extra: list[str]) -> list[str]:
    return [_("STT"), *(_(c.label) for c in template_columns(kind)), *extra]


def _learners(actor, params):
    form = LearnerFilterForm(params, actor=actor)
    learners = learner_list(actor=actor, **form.selector_kwargs()).prefetch_related("guardians")
    year = current_school_year()
    header = _header(LEARNERS, [_("Trường"), _("Khối"), _("Trạng thái")])

    def rows():
        for learner in learners.iterator(chunk_size=2000):
            school_class = learner.current_class
            current = (
                school_class is not None
                and year is not None
                and school_class.school_year_id == year.pk
            )
            guardians = sorted(
                learner.guardians.all(),
                key=lambda g: (
                    RELATIONSHIP_ORDER.index(g.relationship)
                    if g.relationship in RELATIONSHIP_ORDER
                    else 9,
                    g.pk,
                ),
            )
            guardian = guardians[0] if guardians else None
            yield [
                learner.full_name,
                learner.date_of_birth,
                SEX_LABELS.get(learner.sex, ""),
                learner.personal_id,
                ethnicity_label(learner.ethnicity_code),
                learner.nationality,
                school_class.name if current else "",
                learner.address,
                learner.place_of_birth,
                _label(Disability, learner.disability),
                guardian.full_name if guardian else "",
                _label(Guardian.Relationship, guardian.relationship) if guardian else "",
                guardian.phone if guardian else "",
                learner.education_id or "",
                learner.institution.name,
                learner.grade,
                learner.get_status_display(),
            ]

    return header, rows()


def _staff(actor, params):
    form = StaffFilterForm(params, actor=actor)
    members = staff_list(actor=actor, **form.selector_kwargs())
    header = _header(STAFF, [_("Trường")])

    def rows():
        for m in members.iterator(chunk_size=2000):
            yield [
                m.full_name,
                m.date_of_birth,
                SEX_LABELS.get(m.sex, ""),
                m.personal_id,
                ethnicity_label(m.ethnicity_code),
                m.nationality,
                _label(Position, m.position),
                _label(Qualification, m.qualification),
                m.major,
                _label(EmploymentStatus, m.employment_status),
                m.hired_on,
                m.phone,
                m.email,
                m.address,
                m.education_id or "",
                m.institution.name,
            ]

    return header, rows()


def _classes(actor, params):
    data = params.copy()
    if "school_year" not in data:
        year = current_school_year()
        if year is not None:
            data["school_year"] = str(year.pk)
    form = ClassFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    classes = class_list(
        actor=actor,
        institution_id=filters.get("institution"),
        school_year=filters.get("school_year"),
        grade=filters.get("grade"),
    )
    header = _header(CLASSES, [_("Sĩ số"), _("Trường")])

    def rows():
        for c in classes:
            teacher = c.homeroom_teacher
            yield [
                c.name,
                c.grade,
                c.school_year.name,
                teacher.full_name if teacher else "",
                c.room,
                c.learner_count,
                c.institution.name,
            ]

    return header, rows()


def _institutions(actor, params):
    form = InstitutionFilterForm(params)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = None
    if filters.get("unit"):  # administrative units are public reference data
        unit = AdministrativeUnit.objects.filter(pk=filters["unit"]).first()
    institutions = institution_list(
        actor=actor,
        query=filters.get("q", ""),
        kind=filters.get("kind") or None,
        ownership=filters.get("ownership") or None,
        unit=unit,
    )
    header = [
        _("STT"),
        _("Mã định danh"),
        _("Tên"),
        _("Cấp học"),
        _("Loại hình"),
        _("Xã/phường"),
        _("Tỉnh/thành phố"),
        _("Địa chỉ"),
        _("Điện thoại"),
        _("Thư điện tử"),
        _("Đang hoạt động"),
    ]

    def rows():
        for i in institutions.iterator(chunk_size=2000):
            yield [
                i.code,
                i.name,
                _label(InstitutionKind, i.kind),
                _label(Ownership, i.ownership),
                i.commune.name,
                i.province.name,
                i.address,
                i.phone,
                i.email,
                _("Có") if i.is_active else _("Không"),
            ]

    return header, rows()
