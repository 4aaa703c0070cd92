"""Writes for school years, the curriculum, classes and teaching assignments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from truongso.academics.models import (
    CurriculumSubject,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
    Term,
)
from truongso.academics.rules.curriculum_2018 import CURRICULUM, SUBJECTS
from truongso.accounts.access import require, scope_for
from truongso.audit.services import audit_record, model_snapshot
from truongso.core.rules.text import fold
from truongso.staff.models import StaffMember
from truongso.units.models import Institution


def school_year_ensure(start_year: int, *, current: bool = False) -> SchoolYear:
    """The school year starting in September of ``start_year``, with its two terms."""
    year, _created = SchoolYear.objects.get_or_create(
        name=f"{start_year}-{start_year + 1}",
        defaults={
            "starts_on": dt.date(start_year, 9, 5),
            "ends_on": dt.date(start_year + 1, 5, 31),
        },
    )
    Term.objects.get_or_create(
        school_year=year, number=1,
        defaults={"starts_on": year.starts_on, "ends_on": dt.date(start_year + 1, 1, 15)},
    )  # fmt: skip
    Term.objects.get_or_create(
        school_year=year, number=2,
        defaults={"starts_on": dt.date(start_year + 1, 1, 16), "ends_on": year.ends_on},
    )  # fmt: skip
    if current:
        SchoolYear.objects.exclude(pk=year.pk).update(is_current=False)
        SchoolYear.objects.filter(pk=year.pk).update(is_current=True)
        year.is_current = True
    return year


@transaction.atomic
def curriculum_load() -> int:
    """Load (or refresh) the 2018 curriculum's subjects per grade. Idempotent."""
    subjects = {}
    for code, (name, name_en) in SUBJECTS.items():
        subjects[code], _c = Subject.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "search_name": fold(name)}
        )
    count = 0
    for grade, rows in CURRICULUM.items():
        for order, (code, periods, mode, elective) in enumerate(rows):
            CurriculumSubject.objects.update_or_create(
                curriculum="GDPT2018", grade=grade, subject=subjects[code],
                defaults={"periods_per_year": periods, "assessment_mode": mode,
                          "is_elective": elective, "order": order},
            )  # fmt: skip
            count += 1
    return count


CLASS_FIELDS = ("school_year", "grade", "name", "homeroom_teacher", "room")


def _validate_class(school_class: SchoolClass) -> None:
    institution = school_class.institution
    if school_class.grade not in institution.grades:
        raise ValidationError(
            {"grade": _("Trường %(name)s không có khối %(grade)s.")
             % {"name": institution.name, "grade": school_class.grade}}
        )  # fmt: skip
    teacher = school_class.homeroom_teacher
    if teacher is not None and teacher.institution_id != institution.pk:
        raise ValidationError({"homeroom_teacher": _("Giáo viên không thuộc trường này.")})


@transaction.atomic
def class_create(*, actor, institution: Institution, fields: dict[str, Any]) -> SchoolClass:
    require(scope_for(actor).manages(institution.pk))
    refused = set(fields) - set(CLASS_FIELDS)
    if refused:
        raise ValidationError({n: _("Trường thông tin không được phép sửa.") for n in refused})
    school_class = SchoolClass(institution=institution, **fields)
    _validate_class(school_class)
    school_class.full_clean()
    school_class.save()
    audit_record(actor=actor, action="class.create", instance=school_class, before=None,
                 after=model_snapshot(school_class))  # fmt: skip
    return school_class


@transaction.atomic
def class_update(*, actor, school_class: SchoolClass, fields: dict[str, Any]) -> SchoolClass:
    require(scope_for(actor).manages(school_class.institution_id))
    refused = set(fields) - set(CLASS_FIELDS)
    if refused:
        raise ValidationError({n: _("Trường thông tin không được phép sửa.") for n in refused})
    before = model_snapshot(school_class)
    for name, value in fields.items():
        setattr(school_class, name, value)
    _validate_class(school_class)
    school_class.full_clean()
    school_class.save()
    audit_record(actor=actor, action="class.update", instance=school_class, before=before,
                 after=model_snapshot(school_class))  # fmt: skip
    return school_class


@transaction.atomic
def teaching_assignment_set(
    *, actor, school_class: SchoolClass, subject: Subject, staff_member: StaffMember | None
) -> TeachingAssignment | None:
    """Assign (or with None, unassign) the teacher of a subject in a class."""
    require(scope_for(actor).manages(school_class.institution_id))
    existing = TeachingAssignment.objects.filter(school_class=school_class, subject=subject).first()
    before = model_snapshot(existing) if existing else None
    if staff_member is None:
        if existing:
            audit_record(actor=actor, action="teaching_assignment.delete", instance=existing,
                         before=before, after=None)  # fmt: skip
            existing.delete()
        return None
    if staff_member.institution_id != school_class.institution_id:
        raise ValidationError({"staff_member": _("Giáo viên không thuộc trường này.")})
    assignment = existing or TeachingAssignment(
        institution_id=school_class.institution_id, school_class=school_class, subject=subject
    )
    assignment.staff_member = staff_member
    assignment.save()
    audit_record(actor=actor, action="teaching_assignment.set", instance=assignment,
                 before=before, after=model_snapshot(assignment))  # fmt: skip
    return assignment


@transaction.atomic
def class_assignments_set(
    *, actor, school_class: SchoolClass, teachers: dict[Subject, StaffMember | None]
) -> int:
    """Set the teachers of several subjects of a class at once, all or nothing.

    Subjects whose teacher does not change are left alone; returns how many changed."""
    current = dict(
        TeachingAssignment.objects.filter(school_class=school_class).values_list(
            "subject_id", "staff_member_id"
        )
    )
    changed = 0
    for subject, teacher in teachers.items():
        if (teacher.pk if teacher else None) == current.get(subject.pk):
            continue
        teaching_assignment_set(
            actor=actor, school_class=school_class, subject=subject, staff_member=teacher
        )
        changed += 1
    return changed
