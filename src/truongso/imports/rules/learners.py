"""Checking learner rows: one row at a time (``check_learner``), then against the other
rows of the file and the school's existing records (``LearnerPlanner``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from truongso.core.rules.personal_id import (
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
    memo: dict[str, dict] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.dates = DateReader(self.today)
        self.memo = {key: {} for key in ("sex", "ethnicity", "nationality", "place_of_birth",
                                         "disability", "class_name")}  # fmt: skip
        # Columns whose values repeat: (column, reader, LearnerRow attribute).
        self.coded = (
            ("sex", _sex, "sex"),
            ("ethnicity", _ethnicity, "ethnicity_code"),
            ("nationality", _nationality, "nationality"),
            ("place_of_birth", _place_of_birth, "place_of_birth"),
            ("disability", self._disability, "disability"),
        )

    def _disability(self, cells, problems) -> str:
        text = text_cell(cells, "disability", problems, 60)
        if not text:
            return ""
        code = parse_choice(text, self.disabilities)
        if code is None:
            problems.append(P.error(P.CHOICE_UNKNOWN, "disability", value=text))
            return ""
        return code

    def read_class(self, cells, problems) -> tuple[int, int] | None:
        text = text_cell(cells, "class_name", problems, 30)
        if not text:
            return None
        found = self.classes.get(class_key(text))
        if found is None:
            problems.append(P.error(P.CLASS_UNKNOWN, "class_name", value=text,
                                    year=self.school_year_name))  # fmt: skip
            return None
        return found[0], found[1]


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


MEMO_LIMIT = 100_000


def _memo(ctx: LearnerContext, key: str, raw: object, read) -> tuple[object, tuple]:
    """``read(raw)`` for a column whose values repeat (sex, class, ethnicity …): each
    distinct cell is read once. Gives (value, problems)."""
    memo = ctx.memo[key]
    try:
        return memo[raw]
    except KeyError:
        problems: list[P.Problem] = []
        value = read({key: raw}, problems)
        result = (value, tuple(problems))
        if len(memo) < MEMO_LIMIT:
            memo[raw] = result
        return result
    except TypeError:  # unhashable cell: never from a spreadsheet, but be safe
        problems = []
        return read({key: raw}, problems), tuple(problems)


def _sex(cells, problems) -> str:
    text = text_cell(cells, "sex", problems, 20)
    if not text:
        problems.append(P.error(P.REQUIRED, "sex"))
        return ""
    sex = parse_sex(text)
    if sex is None:
        problems.append(P.error(P.SEX_UNKNOWN, "sex", value=text))
        return ""
    return sex


def _coded(key: str, parse, code: str, max_length: int = 60):
    def read(cells, problems) -> str:
        text = text_cell(cells, key, problems, max_length)
        if not text:
            return ""
        value = parse(text)
        if value is None:
            problems.append(P.error(code, key, value=text))
            return ""
        return value

    return read


_ethnicity = _coded("ethnicity", parse_ethnicity, P.ETHNICITY_UNKNOWN)
_nationality = _coded("nationality", parse_nationality, P.NATIONALITY_UNKNOWN)


def _place_of_birth(cells, problems) -> str:
    return text_cell(cells, "place_of_birth", problems, 200)


def check_learner(
    row: int, cells: dict[str, object], ctx: LearnerContext
) -> tuple[LearnerRow, list[P.Problem]]:
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

    for key, read, attribute in ctx.coded:
        if key in cells:
            value, found = _memo(ctx, key, cells[key], read)
            setattr(out, attribute, value)
            if found:
                problems.extend(found)
    if not out.sex and "sex" not in cells:
        problems.append(P.error(P.REQUIRED, "sex"))
    if "class_name" in cells:
        found_class, found = _memo(ctx, "class_name", cells["class_name"], ctx.read_class)
        if found_class is not None:
            out.class_id, out.grade = found_class
        if found:
            problems.extend(found)

    if "personal_id" in cells:
        out.personal_id = parse_personal_id(cells["personal_id"], "personal_id", problems)
    _check_personal_id(out, problems)
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
    if "address" in cells:
        out.address = text_cell(cells, "address", problems, 255)
    if "guardian_name" in cells or "guardian_phone" in cells:
        _check_guardian(cells, out, ctx, problems)
    if "education_id" in cells:
        out.education_id = text_cell(cells, "education_id", problems, 20).replace(" ", "")
    return out, problems


def _check_personal_id(out: LearnerRow, problems: list[P.Problem]) -> None:
    number = out.personal_id
    if not number:
        out.personal_id_status = PID_MISSING
        return
    born = out.date_of_birth
    if born is None:
        out.personal_id_status = PID_OK
        return
    # As core.rules.personal_id.check_personal_id, for a number already known to be
    # twelve digits (this runs once per row of files of a million rows).
    expected = expected_fourth_digit(born.year, out.sex)
    century_ok = expected is None or int(number[3]) == expected
    year_ok = number[4:6] == f"{born.year % 100:02d}"
    out.personal_id_status = PID_OK if century_ok and year_ok else PID_WARNING
    if not century_ok:
        problems.append(P.warning(P.PID_CENTURY_SEX, "personal_id", value=number,
                                  digit=number[3], expected=expected))  # fmt: skip
    if not year_ok:
        problems.append(P.warning(P.PID_YEAR, "personal_id", value=number,
                                  digits=number[4:6], year=born.year))  # fmt: skip


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
