"""Importing classes: each new or changed class goes through academics.services."""

from __future__ import annotations

from collections import defaultdict

from truongso.academics.models import SchoolYear
from truongso.academics.selectors import class_list, current_school_year
from truongso.academics.services import class_create, class_update
from truongso.core.rules.text import fold
from truongso.imports.rules import problems as P
from truongso.imports.rules.classes import (
    ClassChange,
    ClassContext,
    ClassPlanner,
    ClassRow,
    ExistingClass,
    check_class,
)
from truongso.imports.rules.columns import CLASSES
from truongso.imports.rules.learners import class_key
from truongso.staff.models import StaffMember
from truongso.staff.selectors import staff_list


class ClassImport:
    kind = CLASSES

    def __init__(self, *, actor, institution):
        self.actor = actor
        self.institution = institution
        year = current_school_year()
        years = {y.name: y.pk for y in SchoolYear.objects.all()}  # shared reference data
        teachers: dict[str, list[int]] = defaultdict(list)
        for pk, name, education_id in staff_list(actor=actor, institution_id=institution.pk) \
                .values_list("pk", "full_name", "education_id"):  # fmt: skip
            teachers[fold(name)].append(pk)
            if education_id:
                teachers[fold(education_id)].append(pk)
        self.context = ClassContext(
            grades=institution.grades,
            current_year=(year.pk, year.name) if year else (None, ""),
            years=years,
            teachers=dict(teachers),
        )
        self.planner = ClassPlanner([
            ExistingClass(c.pk, class_key(c.name), c.school_year_id, c.grade,
                          c.homeroom_teacher_id, c.room)
            for c in class_list(actor=actor, institution_id=institution.pk)
        ])  # fmt: skip

    def check(self, row: int, cells: dict[str, object]):
        return check_class(row, cells, self.context)

    def used_elsewhere(self, rows) -> tuple[set[str], set[str]]:
        return set(), set()

    def plan(self, row, problems: list[P.Problem], pid_elsewhere: bool, edu_elsewhere: bool):
        return self.planner.plan(row, problems)

    def write(self, new_rows: list[ClassRow], changes: list[ClassChange], *, reason: str,
              job_id: int | None = None):  # fmt: skip
        years = SchoolYear.objects.in_bulk({r.school_year_id for r in new_rows})
        teacher_ids = {r.homeroom_teacher_id for r in new_rows} | {
            c.fields.get("homeroom_teacher_id") for c in changes
        }
        teachers = StaffMember.objects.filter(institution=self.institution).in_bulk(
            [t for t in teacher_ids if t]
        )
        for row in new_rows:
            class_create(actor=self.actor, institution=self.institution, fields={
                "school_year": years[row.school_year_id], "grade": row.grade, "name": row.name,
                "homeroom_teacher": teachers.get(row.homeroom_teacher_id), "room": row.room,
            })  # fmt: skip
        mine = class_list(actor=self.actor, institution_id=self.institution.pk)
        existing = mine.in_bulk([c.class_id for c in changes])
        for change in changes:
            fields = dict(change.fields)
            if "homeroom_teacher_id" in fields:
                fields["homeroom_teacher"] = teachers[fields.pop("homeroom_teacher_id")]
            class_update(actor=self.actor, school_class=existing[change.class_id], fields=fields)
        return len(new_rows), len(changes)
