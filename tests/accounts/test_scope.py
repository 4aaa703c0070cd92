"""scope_for: what each user of the known world may see, worked out in one query."""

from __future__ import annotations

import datetime as dt

import pytest

from truongso.accounts.access import scope_for
from truongso.accounts.models import Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # a request loads its user afresh


def test_teacher_scope_in_one_query(world, django_assert_num_queries):
    user = _fresh(world.teacher_a1_user)
    with django_assert_num_queries(1):
        scope = scope_for(user)
    assert scope.teacher_institution_ids == {world.school_a.pk}
    assert scope.homeroom_class_ids == {world.class_a1.pk}
    assert scope.taught_class_ids == {world.class_a1.pk}
    assert scope.managed_institution_ids == frozenset()
    assert scope.guardian_learner_ids == frozenset()
    assert scope.roles == {Role.TEACHER}
    with django_assert_num_queries(0):
        assert scope_for(user) is scope  # once per user object (one request)


def test_literature_teacher_teaches_a1_and_leads_a2(world):
    scope = scope_for(_fresh(world.teacher_a2_user))
    assert scope.taught_class_ids == {world.class_a1.pk, world.class_a2.pk}
    assert scope.homeroom_class_ids == {world.class_a2.pk}


def test_offices_principals_guardians_and_nobody(world):
    ministry = scope_for(_fresh(world.ministry))
    assert ministry.national and ministry.roles == {Role.MINISTRY_OFFICER}
    province = scope_for(_fresh(world.province_p1))
    assert province.province_ids == {world.p1.pk} and province.unit_paths == ()
    assert not province.national
    principal = scope_for(_fresh(world.principal_a))
    assert principal.managed_institution_ids == {world.school_a.pk}
    assert principal.principal_institution_ids == {world.school_a.pk}
    assert principal.taught_class_ids == frozenset()
    staff = scope_for(_fresh(world.staff_a))
    assert staff.managed_institution_ids == {world.school_a.pk}
    assert staff.principal_institution_ids == frozenset()
    guardian = scope_for(_fresh(world.guardian_an_user))
    assert guardian.guardian_learner_ids == {world.learner_an.pk}
    assert guardian.roles == {Role.GUARDIAN}
    assert scope_for(_fresh(world.nobody)).is_empty
    assert scope_for(_fresh(world.superuser)).national


def test_unit_below_a_province_and_assignments_out_of_force(world):
    user = _fresh(world.province_p2)
    RoleAssignment.objects.create(user=user, role=Role.PROVINCE_OFFICER, unit=world.c1)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    RoleAssignment.objects.create(user=user, role=Role.PRINCIPAL, institution=world.school_a,
                                  valid_to=yesterday)  # fmt: skip
    scope = scope_for(user)
    assert scope.province_ids == {world.p2.pk}
    assert scope.unit_paths == (world.c1.path,)
    assert scope.managed_institution_ids == frozenset()


def test_teaching_needs_the_teacher_role_in_force_at_that_school(world):
    user = _fresh(world.teacher_b_user)
    assert scope_for(user).homeroom_class_ids == {world.class_b1.pk}
    RoleAssignment.objects.filter(user=user).update(valid_to=dt.date.today() - dt.timedelta(1))
    scope = scope_for(_fresh(user))
    assert scope.teacher_institution_ids == frozenset()
    assert scope.homeroom_class_ids == frozenset() and scope.taught_class_ids == frozenset()
