"""Who teaches what in a demonstration school: a plain plan, no database.

Primary classes have a class teacher who teaches the core subjects of the class
(Tiếng Việt, Toán, Đạo đức, …) and specialists for languages, computing, physical
education and the arts. Secondary classes have one teacher per subject; a subject
teacher takes classes until about 600 periods a year (17 a week). Every class gets a
homeroom teacher, and nobody leads two classes. Preschool groups have two teachers.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

# Subjects the primary class teacher teaches to their own class.
PRIMARY_CLASS_TEACHER_SUBJECTS = frozenset({"TV", "TOAN", "DD", "TNXH", "LSDL", "KH", "HDTN"})
# Upper secondary classes choose four elective subjects; classes alternate between these.
UPPER_SECONDARY_COMBINATIONS = (("VL", "HH", "SH", "TIN"), ("DL", "GDKTPL", "CN", "TIN"))
YEARLY_LOAD = 600
PRESCHOOL_TEACHERS_PER_CLASS = 2

# (subject code, periods a year, elective) per grade.
Curriculum = Mapping[int, Sequence[tuple[str, int, bool]]]


@dataclass(frozen=True)
class ClassSlot:
    key: Hashable
    grade: int
    index: int  # 0 for the first class of its grade


@dataclass
class TeacherSlot:
    number: int
    level: str  # "preschool", "primary" or "secondary"
    subjects: list[str] = field(default_factory=list)
    homeroom_of: Hashable | None = None


@dataclass
class TeachingPlan:
    teachers: list[TeacherSlot]
    # (class key, subject code, teacher number)
    assignments: list[tuple[Hashable, str, int]]
    homeroom: dict[Hashable, int]
    reserved_teacher: int | None = None


def class_subjects(grade: int, index: int, curriculum: Curriculum) -> list[tuple[str, int]]:
    """The subjects a class studies: every compulsory subject of its grade and, from
    grade 10, the four electives of its combination."""
    rows = curriculum.get(grade, ())
    chosen = set(UPPER_SECONDARY_COMBINATIONS[index % len(UPPER_SECONDARY_COMBINATIONS)])
    return [(code, periods) for code, periods, elective in rows if not elective or code in chosen]


def plan_teaching(
    classes: Sequence[ClassSlot],
    curriculum: Curriculum,
    *,
    reserved: tuple[str, int] | None = None,
) -> TeachingPlan:
    """Teachers, teaching assignments and homeroom teachers for the classes of one school.

    ``reserved=("TOAN", 2)`` gives the first secondary teacher of that subject exactly
    the first two classes that study it and makes them homeroom teacher of the first
    (the demo's teacher account)."""
    teachers: list[TeacherSlot] = []
    assignments: list[tuple[Hashable, str, int]] = []
    homeroom: dict[Hashable, int] = {}
    reserved_teacher = None

    def new(level: str, subjects: Sequence[str] = ()) -> TeacherSlot:
        teacher = TeacherSlot(len(teachers), level, list(subjects))
        teachers.append(teacher)
        return teacher

    def lead(teacher: TeacherSlot, key: Hashable) -> None:
        teacher.homeroom_of = key
        homeroom[key] = teacher.number

    pools: dict[tuple[str, str], list[tuple[ClassSlot, int]]] = {}
    for slot in classes:
        if slot.grade == 0:
            first = new("preschool")
            for _ in range(PRESCHOOL_TEACHERS_PER_CLASS - 1):
                new("preschool")
            lead(first, slot.key)
            continue
        level = "primary" if slot.grade <= 5 else "secondary"
        subjects = class_subjects(slot.grade, slot.index, curriculum)
        if level == "primary":
            own = [code for code, _p in subjects if code in PRIMARY_CLASS_TEACHER_SUBJECTS]
            teacher = new("primary", own)
            lead(teacher, slot.key)
            assignments.extend((slot.key, code, teacher.number) for code in own)
            subjects = [(c, p) for c, p in subjects if c not in PRIMARY_CLASS_TEACHER_SUBJECTS]
        for code, periods in subjects:
            pools.setdefault((code, level), []).append((slot, periods))

    for (code, level), items in pools.items():
        if reserved and reserved_teacher is None and (code, level) == (reserved[0], "secondary"):
            teacher = new(level, [code])
            reserved_teacher = teacher.number
            taken, items = items[: reserved[1]], items[reserved[1] :]
            assignments.extend((slot.key, code, teacher.number) for slot, _p in taken)
            lead(teacher, taken[0][0].key)
        current, load = None, 0
        for slot, periods in items:
            if current is None or load + periods > YEARLY_LOAD:
                current, load = new(level, [code]), 0
            assignments.append((slot.key, code, current.number))
            load += periods

    by_class: dict[Hashable, list[int]] = {}
    for key, _code, number in assignments:
        by_class.setdefault(key, []).append(number)
    for slot in classes:
        if slot.key in homeroom:
            continue
        candidates = by_class.get(slot.key, []) + [
            t.number for t in teachers if t.level != "preschool"
        ]
        for number in candidates:
            if teachers[number].homeroom_of is None:
                lead(teachers[number], slot.key)
                break
    return TeachingPlan(teachers, assignments, homeroom, reserved_teacher)
