"""Checking learner rows: one row at a time (``check_learner``), then against the other
rows of the file and the school's existing records (``LearnerPlanner``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from truongso.core.rules.personal_id import (
    CENTURY_SEX_MISMATCH,
    YEAR_MISMATCH,
    check_personal_id,
    expected_fourth_digit,
)
from truongso.core.rules.text import fold
from truongso.imports.rules import problems as P
from truongso.imports.rules.dates import DateReader, age_fits_grade, age_in_school_year
from truongso.imports.rules.dates import expected_age as usual_age
from truongso.imports.rules.people import PersonPlanner, changed_fields
from truongso.imports.rules.values import (
    cell_text,
    parse_choice,
    parse_ethnicity,
    parse_nationality,
    parse_personal_id,
    parse_phone,
    parse_sex,
    person_name,
    text_cell,
)

# Personal-ID check outcome, as learners.models.PersonalIdStatus.
PID_OK, PID_MISSING, PID_WARNING = "ok", "missing", "warning"
OTHER_RELATIONSHIP = "other"


@dataclass
class LearnerContext:
    today: dt.date
    school_year_start: int
    school_year_name: str
    # Folded class name → (class id, grade, name as stored).
    classes: dict[str, tuple[int, int, str]]
    disabilities: dict[str, str]
    relationships: dict[str, str]
    dates: DateReader = field(init=False)

    def __post_init__(self) -> None:
        self.dates = DateReader(self.today)


@dataclass(slots=True)
class LearnerRow:
    """One row, read and checked. Empty text is "", empty dates and classes None."""

    row: int
    full_name: str = ""
    search_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = ""
    personal_id: str = ""
    personal_id_status: str = PID_MISSING
    ethnicity_code: str = ""
    nationality: str = ""
    class_id: int | None = None
    grade: int | None = None
    address: str = ""
    place_of_birth: str = ""
    disability: str = ""
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_phone: str = ""
    education_id: str = ""


def class_key(text: str) -> str:
    """'Lớp 6A1', '6a1' and '6A1' are one class."""
    key = fold(text)
    if key.startswith("lop "):
        key = key[4:].strip()
    return key.replace(" ", "")


def check_learner(
    row: int, cells: dict[str, object], ctx: LearnerContext
) -> tuple[LearnerRow, list[P.Problem]]:  # noqa: E501
    problems: list[P.Problem] = []
    out = LearnerRow(row=row)
    name = text_cell(cells, "full_name", problems, 150)
    if name:
        out.full_name, out.search_name = person_name(name)
    else:
        problems.append(P.error(P.REQUIRED, "full_name"))

    raw = cells.get("date_of_birth")
    value, code = ctx.dates(raw)
    if code:
        problems.append(P.error(code, "date_of_birth", value=cell_text(raw)))
    elif value is None:
        problems.append(P.error(P.REQUIRED, "date_of_birth"))
    out.date_of_birth = value

    sex_text = text_cell(cells, "sex", problems, 20)
    if sex_text:
        sex = parse_sex(sex_text)
        if sex is None:
            problems.append(P.error(P.SEX_UNKNOWN, "sex", value=sex_text))
        else:
            out.sex = sex
    else:
        problems.append(P.error(P.REQUIRED, "sex"))

    if "personal_id" in cells:
        out.personal_id = parse_personal_id(cells["personal_id"], "personal_id", problems)
    _check_personal_id(out, problems)

    text = text_cell(cells, "ethnicity", problems, 60)
    if text:
        code = parse_ethnicity(text)
        if code is None:
            problems.append(P.error(P.ETHNICITY_UNKNOWN, "ethnicity", value=text))
        else:
            out.ethnicity_code = code
    text = text_cell(cells, "nationality", problems, 60)
    if text:
        code = parse_nationality(text)
        if code is None:
            problems.append(P.error(P.NATIONALITY_UNKNOWN, "nationality", value=text))
        else:
            out.nationality = code

    text = text_cell(cells, "class_name", problems, 30)
    if text:
        found = ctx.classes.get(class_key(text))
        if found is None:
            problems.append(P.error(P.CLASS_UNKNOWN, "class_name", value=text,
                                    year=ctx.school_year_name))  # fmt: skip
        else:
            out.class_id, out.grade = found[0], found[1]
    if (
        out.date_of_birth
        and out.grade is not None
        and not age_fits_grade(out.date_of_birth, out.grade, ctx.school_year_start)
    ):
        problems.append(P.warning(
                P.AGE_GRADE, "date_of_birth",
                age=age_in_school_year(out.date_of_birth, ctx.school_year_start),
                grade=out.grade, year=ctx.school_year_start,
                usual=usual_age(out.grade) if out.grade else "3–5",
            ))  # fmt: skip

    out.address = text_cell(cells, "address", problems, 255)
    out.place_of_birth = text_cell(cells, "place_of_birth", problems, 200)
    text = text_cell(cells, "disability", problems, 60)
    if text:
        code = parse_choice(text, ctx.disabilities)
        if code is None:
            problems.append(P.error(P.CHOICE_UNKNOWN, "disability", value=text))
        else:
            out.disability = code
    _check_guardian(cells, out, ctx, problems)
    out.education_id = text_cell(cells, "education_id", problems, 20).replace(" ", "")
    return out, problems


def _check_personal_id(out: LearnerRow, problems: list[P.Problem]) -> None:
    if not out.personal_id:
        out.personal_id_status = PID_MISSING
        return
    check = check_personal_id(out.personal_id, out.date_of_birth, out.sex)
    out.personal_id_status = PID_OK if check.ok else PID_WARNING
    if CENTURY_SEX_MISMATCH in check.problems and out.date_of_birth:
        problems.append(P.warning(
            P.PID_CENTURY_SEX, "personal_id", value=out.personal_id,
            digit=out.personal_id[3],
            expected=expected_fourth_digit(out.date_of_birth.year, out.sex),
        ))  # fmt: skip
    if YEAR_MISMATCH in check.problems and out.date_of_birth:
        problems.append(P.warning(
            P.PID_YEAR, "personal_id", value=out.personal_id, digits=out.personal_id[4:6],
            year=out.date_of_birth.year,
        ))  # fmt: skip


def _check_guardian(cells, out: LearnerRow, ctx: LearnerContext, problems) -> None:
    name = text_cell(cells, "guardian_name", problems, 150)
    relationship_text = text_cell(cells, "guardian_relationship", problems, 40)
    phone = parse_phone(cells.get("guardian_phone"), "guardian_phone", problems)
    relationship = ""
    if relationship_text:
        found = parse_choice(relationship_text, ctx.relationships)
        if found is None:
            problems.append(P.error(P.CHOICE_UNKNOWN, "guardian_relationship",
                                    value=relationship_text))  # fmt: skip
        else:
            relationship = found
    if not name:
        if relationship_text or phone:
            problems.append(P.warning(P.GUARDIAN_WITHOUT_NAME, "guardian_name"))
        return
    out.guardian_name = person_name(name)[0]
    out.guardian_relationship = relationship or OTHER_RELATIONSHIP
    out.guardian_phone = phone


# --- Against the file and the database -------------------------------------------------

# Fields compared with an existing record.
COMPARED = (
    "full_name", "date_of_birth", "sex", "personal_id", "ethnicity_code", "nationality",
    "address", "place_of_birth", "disability",
)  # fmt: skip


@dataclass(slots=True)
class ExistingLearner:
    id: int
    education_id: str
    full_name: str
    search_name: str
    date_of_birth: dt.date | None
    sex: str
    personal_id: str
    ethnicity_code: str
    nationality: str
    address: str
    place_of_birth: str
    disability: str
    class_id: int | None
    # relationship → (guardian id, name, phone)
    guardians: dict[str, tuple[int, str, str]] = field(default_factory=dict)


@dataclass(slots=True)
class LearnerChange:
    """How an existing learner changes: field → new value, a new class, a guardian."""

    learner_id: int
    fields: dict[str, object]
    class_id: int | None = None
    grade: int | None = None
    # (guardian id or None for a new one, relationship, name, phone)
    guardian: tuple[int | None, str, str, str] | None = None


class LearnerPlanner(PersonPlanner):
    def change(self, row: LearnerRow, existing: ExistingLearner) -> LearnerChange | None:
        change = LearnerChange(existing.id, changed_fields(row, existing, COMPARED))
        if row.class_id is not None and row.class_id != existing.class_id:
            change.class_id, change.grade = row.class_id, row.grade
        if row.guardian_name:
            current = existing.guardians.get(row.guardian_relationship)
            if current is None:
                change.guardian = (None, row.guardian_relationship, row.guardian_name,
                                   row.guardian_phone)  # fmt: skip
            else:
                phone = row.guardian_phone or current[2]
                if (row.guardian_name, phone) != (current[1], current[2]):
                    change.guardian = (current[0], row.guardian_relationship,
                                       row.guardian_name, phone)  # fmt: skip
        if change.fields or change.class_id is not None or change.guardian is not None:
            return change
        return None
