import pytest
from django.core.exceptions import ValidationError

from truongso.academics.models import Subject, TeachingAssignment
from truongso.academics.services import class_assignments_set


def test_several_assignments_at_once_skip_unchanged(world):
    maths, literature, science = (Subject.objects.get(code=c) for c in ("TOAN", "NV", "KHTN"))
    changed = class_assignments_set(
        actor=world.principal_a, school_class=world.class_a1,
        teachers={maths: world.teacher_a1, literature: None, science: world.teacher_a2},
    )  # fmt: skip
    assert changed == 2
    assert dict(
        TeachingAssignment.objects.filter(school_class=world.class_a1).values_list(
            "subject__code", "staff_member_id"
        )
    ) == {"TOAN": world.teacher_a1.pk, "KHTN": world.teacher_a2.pk}


def test_one_bad_assignment_writes_nothing(world):
    maths, science = Subject.objects.get(code="TOAN"), Subject.objects.get(code="KHTN")
    before = set(TeachingAssignment.objects.values_list("pk", "staff_member_id"))
    with pytest.raises(ValidationError):
        class_assignments_set(
            actor=world.principal_a, school_class=world.class_a1,
            # A teacher of school B cannot teach in school A: nothing is saved.
            teachers={science: world.teacher_a2, maths: world.teacher_b},
        )  # fmt: skip
    assert set(TeachingAssignment.objects.values_list("pk", "staff_member_id")) == before
