"""Checking staff rows (cán bộ, giáo viên, nhân viên)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from truongso.core.rules.personal_id import (
    CENTURY_SEX_MISMATCH,
    YEAR_MISMATCH,
    check_personal_id,
    expected_fourth_digit,
)
from truongso.imports.rules import problems as P
from truongso.imports.rules.dates import DateReader
from truongso.imports.rules.people import PersonPlanner, changed_fields
from truongso.imports.rules.values import (
    cell_text,
    parse_choice,
    parse_email,
    parse_ethnicity,
    parse_nationality,
    parse_personal_id,
    parse_phone,
    parse_sex,
    person_name,
    text_cell,
)


@dataclass
class StaffContext:
    today: dt.date
    positions: dict[str, str]
    qualifications: dict[str, str]
    employment_statuses: dict[str, str]

    def __post_init__(self) -> None:
        self.dates = DateReader(self.today)


@dataclass(slots=True)
class StaffRow:
    row: int
    full_name: str = ""
    search_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = ""
    personal_id: str = ""
    ethnicity_code: str = ""
    nationality: str = ""
    position: str = ""
    qualification: str = ""
    major: str = ""
    employment_status: str = ""
    hired_on: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    education_id: str = ""


COMPARED = (
    "full_name", "date_of_birth", "sex", "personal_id", "ethnicity_code", "nationality",
    "position", "qualification", "major", "employment_status", "hired_on", "phone", "email",
    "address",
)  # fmt: skip


def _date(cells, key: str, ctx: StaffContext, problems: list[P.Problem]) -> dt.date | None:
    raw = cells.get(key)
    value, code = ctx.dates(raw)
    if code:
        problems.append(P.error(code, key, value=cell_text(raw)))
    return value


def _choice(cells, key: str, table: dict[str, str], problems: list[P.Problem]) -> str:
    text = text_cell(cells, key, problems, 60)
    if not text:
        return ""
    code = parse_choice(text, table)
    if code is None:
        problems.append(P.error(P.CHOICE_UNKNOWN, key, value=text))
        return ""
    return code


def check_staff(
    row: int, cells: dict[str, object], ctx: StaffContext
) -> tuple[StaffRow, list[P.Problem]]:
    problems: list[P.Problem] = []
    out = StaffRow(row=row)
    name = text_cell(cells, "full_name", problems, 150)
    if name:
        out.full_name, out.search_name = person_name(name)
    else:
        problems.append(P.error(P.REQUIRED, "full_name"))
    out.date_of_birth = _date(cells, "date_of_birth", ctx, problems)
    sex_text = text_cell(cells, "sex", problems, 20)
    if not sex_text:
        problems.append(P.error(P.REQUIRED, "sex"))
    elif (sex := parse_sex(sex_text)) is None:
        problems.append(P.error(P.SEX_UNKNOWN, "sex", value=sex_text))
    else:
        out.sex = sex
    if "personal_id" in cells:
        out.personal_id = parse_personal_id(cells["personal_id"], "personal_id", problems)
    if out.personal_id and out.date_of_birth:
        check = check_personal_id(out.personal_id, out.date_of_birth, out.sex)
        if CENTURY_SEX_MISMATCH in check.problems:
            problems.append(P.warning(
                P.PID_CENTURY_SEX, "personal_id", value=out.personal_id,
                digit=out.personal_id[3],
                expected=expected_fourth_digit(out.date_of_birth.year, out.sex),
            ))  # fmt: skip
        if YEAR_MISMATCH in check.problems:
            problems.append(P.warning(
                P.PID_YEAR, "personal_id", value=out.personal_id, digits=out.personal_id[4:6],
                year=out.date_of_birth.year,
            ))  # fmt: skip
    text = text_cell(cells, "ethnicity", problems, 60)
    if text:
        if (code := parse_ethnicity(text)) is None:
            problems.append(P.error(P.ETHNICITY_UNKNOWN, "ethnicity", value=text))
        else:
            out.ethnicity_code = code
    text = text_cell(cells, "nationality", problems, 60)
    if text:
        if (code := parse_nationality(text)) is None:
            problems.append(P.error(P.NATIONALITY_UNKNOWN, "nationality", value=text))
        else:
            out.nationality = code
    out.position = _choice(cells, "position", ctx.positions, problems)
    if not out.position and not any(p.column == "position" for p in problems):
        problems.append(P.error(P.REQUIRED, "position"))
    out.qualification = _choice(cells, "qualification", ctx.qualifications, problems)
    out.major = text_cell(cells, "major", problems, 120)
    out.employment_status = _choice(cells, "employment_status", ctx.employment_statuses, problems)
    out.hired_on = _date(cells, "hired_on", ctx, problems)
    out.phone = parse_phone(cells.get("phone"), "phone", problems)
    out.email = parse_email(text_cell(cells, "email", problems, 254), "email", problems)
    out.address = text_cell(cells, "address", problems, 255)
    out.education_id = text_cell(cells, "education_id", problems, 20).replace(" ", "")
    return out, problems


@dataclass(slots=True)
class ExistingStaff:
    id: int
    education_id: str
    full_name: str
    search_name: str
    date_of_birth: dt.date | None
    sex: str
    personal_id: str
    ethnicity_code: str
    nationality: str
    position: str
    qualification: str
    major: str
    employment_status: str
    hired_on: dt.date | None
    phone: str
    email: str
    address: str


@dataclass(slots=True)
class StaffChange:
    staff_id: int
    fields: dict[str, object]


class StaffPlanner(PersonPlanner):
    def change(self, row: StaffRow, existing: ExistingStaff) -> StaffChange | None:
        fields = changed_fields(row, existing, COMPARED)
        return StaffChange(existing.id, fields) if fields else None
