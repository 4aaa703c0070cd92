"""Authorization matrix for reads and writes at the selector and service layer.

Pages, API, import and export call these selectors and services; their own matrices
are in tests/web, tests/api and tests/imports.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from truongso.academics.selectors import class_list
from truongso.academics.services import class_create
from truongso.learners.selectors import learner_list
from truongso.learners.services import learner_create, learner_update
from truongso.staff.selectors import staff_list
from truongso.staff.services import staff_update
from truongso.units.selectors import institution_list
from truongso.units.services import institution_update

SCHOOLS = ("school_a", "school_a2", "school_b")
A_CLASS1 = {"learner_an", "learner_binh", "learner_cuong"}
A_CLASS2 = {"learner_dung", "learner_em", "learner_giang"}
B_CLASS = {"learner_b1", "learner_b2", "learner_b3"}
ALL_LEARNERS = A_CLASS1 | A_CLASS2 | B_CLASS

# user -> (institutions read, learners read)
EXPECTED_READS = {
    "superuser": (set(SCHOOLS), ALL_LEARNERS),
    "ministry": (set(SCHOOLS), ALL_LEARNERS),
    "province_p1": ({"school_a", "school_a2"}, A_CLASS1 | A_CLASS2),
    "province_p2": ({"school_b"}, B_CLASS),
    "principal_a": ({"school_a"}, A_CLASS1 | A_CLASS2),
    "staff_a": ({"school_a"}, A_CLASS1 | A_CLASS2),
    "principal_b": ({"school_b"}, B_CLASS),
    # teacher_a1 leads 6A1 and teaches maths there; teacher_a2 leads 6A2, teaches in 6A1.
    "teacher_a1_user": ({"school_a"}, A_CLASS1),
    "teacher_a2_user": ({"school_a"}, A_CLASS1 | A_CLASS2),
    "teacher_b_user": ({"school_b"}, B_CLASS),
    "guardian_an_user": (set(), {"learner_an"}),
    "nobody": (set(), set()),
}


def _names(world, objects, candidates):
    ids = {o.pk for o in objects}
    return {name for name in candidates if getattr(world, name).pk in ids}


@pytest.mark.parametrize("user_name", sorted(EXPECTED_READS))
def test_reads_are_scoped(world, user_name):
    user = getattr(world, user_name)
    institutions, learners = EXPECTED_READS[user_name]
    assert _names(world, institution_list(actor=user), SCHOOLS) == institutions
    assert _names(world, learner_list(actor=user), ALL_LEARNERS) == learners
    # Searching cannot widen the scope.
    found = _names(world, learner_list(actor=user, query="nguyen van an"), ALL_LEARNERS)
    assert found == learners & {"learner_an", "learner_b1"}
    # Filtering by another school's id returns nothing outside the scope.
    outside = learner_list(actor=user, institution_id=world.school_b.pk)
    assert _names(world, outside, ALL_LEARNERS) == learners & B_CLASS


def test_classes_and_staff_are_scoped(world):
    assert {c.name for c in class_list(actor=world.teacher_a1_user)} == {"6A1"}
    assert {c.name for c in class_list(actor=world.principal_b)} == {"6B1"}
    assert set(class_list(actor=world.province_p1).values_list("institution_id", flat=True)) == {
        world.school_a.pk
    }
    assert {s.full_name for s in staff_list(actor=world.teacher_a1_user)} == {
        "Trần Thị Hoa",
        "Lê Văn Minh",
    }
    assert {s.full_name for s in staff_list(actor=world.principal_b)} == {"Phạm Thị Lan"}
    assert not staff_list(actor=world.guardian_an_user).exists()
    assert not class_list(actor=world.nobody).exists()


@pytest.mark.parametrize(
    "user_name",
    ["ministry", "province_p1", "province_p2", "principal_b", "teacher_a1_user",
     "teacher_b_user", "guardian_an_user", "nobody"],
)  # fmt: skip
def test_only_the_school_writes_its_records(world, user_name):
    user = getattr(world, user_name)
    with pytest.raises(PermissionDenied):
        learner_create(actor=user, institution=world.school_a,
                       fields={"full_name": "Mới", "sex": "M"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        learner_update(actor=user, learner=world.learner_dung, fields={"address": "x"})
    with pytest.raises(PermissionDenied):
        staff_update(actor=user, member=world.teacher_a2, fields={"phone": "0900000000"})
    with pytest.raises(PermissionDenied):
        class_create(actor=user, institution=world.school_a,
                     fields={"school_year": world.year, "grade": 7, "name": "7Z"})  # fmt: skip


@pytest.mark.parametrize("user_name", ["principal_a", "staff_a"])
def test_school_managers_write(world, user_name):
    user = getattr(world, user_name)
    learner = learner_create(actor=user, institution=world.school_a,
                             fields={"full_name": "Mới Tinh", "sex": "M",
                                     "date_of_birth": dt.date(2014, 1, 1)})  # fmt: skip
    assert learner.institution == world.school_a
    learner_update(actor=user, learner=world.learner_dung, fields={"address": "Hà Nội"})
    staff_update(actor=user, member=world.teacher_a2, fields={"phone": "0900000000"})


def test_offices_edit_institutions_in_their_province_only(world):
    institution_update(actor=world.province_p1, institution=world.school_a,
                       fields={"phone": "0243000000"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        institution_update(actor=world.province_p2, institution=world.school_a,
                           fields={"phone": "0243000001"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        institution_update(actor=world.teacher_a1_user, institution=world.school_a,
                           fields={"phone": "0243000002"})  # fmt: skip
