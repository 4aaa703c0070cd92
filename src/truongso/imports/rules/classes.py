"""Checking class rows (lớp học)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from truongso.core.rules.text import fold
from truongso.imports.rules import problems as P
from truongso.imports.rules.learners import class_key
from truongso.imports.rules.people import NEW, REJECTED, UNCHANGED, UPDATED
from truongso.imports.rules.values import cell_text, text_cell

_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


@dataclass
class ClassContext:
    grades: range
    current_year: tuple[int, str]  # (id, name)
    # School year name → id
    years: dict[str, int]
    # Folded teacher name or education id → teacher ids
    teachers: dict[str, list[int]]


@dataclass(slots=True)
class ClassRow:
    row: int
    name: str = ""
    key: str = ""
    grade: int | None = None
    school_year_id: int | None = None
    school_year: str = ""
    homeroom_teacher_id: int | None = None
    room: str = ""


def check_class(row: int, cells: dict[str, object], ctx: ClassContext):
    problems: list[P.Problem] = []
    out = ClassRow(row=row)
    out.name = text_cell(cells, "name", problems, 30)
    out.key = class_key(out.name)
    if not out.name:
        problems.append(P.error(P.REQUIRED, "name"))
    raw = cells.get("grade")
    text = cell_text(raw)
    if not text:
        problems.append(P.error(P.REQUIRED, "grade"))
    else:
        digits = fold(text).removeprefix("khoi").strip()
        if not digits.isdigit() or not 0 <= int(digits) <= 12:
            problems.append(P.error(P.GRADE_UNKNOWN, "grade", value=text))
        elif int(digits) not in ctx.grades:
            problems.append(P.error(P.GRADE_NOT_TAUGHT, "grade", value=int(digits),
                                    low=ctx.grades.start, high=ctx.grades.stop - 1))  # fmt: skip
        else:
            out.grade = int(digits)
    text = text_cell(cells, "school_year", problems, 20)
    if text:
        match = _YEAR.match(text)
        name = f"{match.group(1)}-{match.group(2)}" if match else text
        if name not in ctx.years:
            problems.append(P.error(P.SCHOOL_YEAR_UNKNOWN, "school_year", value=text))
        else:
            out.school_year_id, out.school_year = ctx.years[name], name
    else:
        out.school_year_id, out.school_year = ctx.current_year
    text = text_cell(cells, "homeroom_teacher", problems, 150)
    if text:
        found = ctx.teachers.get(fold(text), [])
        if not found:
            problems.append(P.error(P.TEACHER_UNKNOWN, "homeroom_teacher", value=text))
        elif len(found) > 1:
            problems.append(P.error(P.TEACHER_AMBIGUOUS, "homeroom_teacher", value=text,
                                    count=len(found)))  # fmt: skip
        else:
            out.homeroom_teacher_id = found[0]
    out.room = text_cell(cells, "room", problems, 30)
    return out, problems


@dataclass(slots=True)
class ExistingClass:
    id: int
    key: str
    school_year_id: int
    grade: int
    homeroom_teacher_id: int | None
    room: str


@dataclass(slots=True)
class ClassChange:
    class_id: int
    fields: dict[str, object]


class ClassPlanner:
    def __init__(self, existing: list[ExistingClass]):
        self.existing = {(c.school_year_id, c.key): c for c in existing}
        self.seen: dict[tuple[int, str], int] = {}

    def plan(self, row: ClassRow, problems: list[P.Problem]):
        if row.key and row.school_year_id is not None:
            other = self.seen.setdefault((row.school_year_id, row.key), row.row)
            if other != row.row:
                problems.append(P.error(P.DUP_FILE_CLASS, "name", value=row.name,
                                        other_row=other))  # fmt: skip
        if any(p.severity == P.ERROR for p in problems):
            return REJECTED, None
        current = self.existing.get((row.school_year_id, row.key))
        if current is None:
            return NEW, None
        fields: dict[str, object] = {}
        if row.grade != current.grade:
            fields["grade"] = row.grade
        if (
            row.homeroom_teacher_id is not None
            and row.homeroom_teacher_id != current.homeroom_teacher_id
        ):  # noqa: E501
            fields["homeroom_teacher_id"] = row.homeroom_teacher_id
        if row.room and row.room != current.room:
            fields["room"] = row.room
        return (UPDATED, ClassChange(current.id, fields)) if fields else (UNCHANGED, None)
