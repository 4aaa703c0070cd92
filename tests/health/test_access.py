"""Who sees a learner's health data, and that every view is logged."""

import io

import pytest
from openpyxl import load_workbook

from tests.world import PASSWORD, _user
from truongso.accounts.access import health_learners_q, scope_for
from truongso.accounts.models import Role, RoleAssignment
from truongso.health.models import HealthRecordView
from truongso.health.services import checkups_record
from truongso.learners.models import Learner


def _visible(user):
    return set(
        Learner.objects.filter(health_learners_q(scope_for(user))).values_list("pk", flat=True)
    )


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_access_matrix(world, nurse):
    a_learners = {
        world.learner_an.pk,
        world.learner_binh.pk,
        world.learner_cuong.pk,
        world.learner_dung.pk,
        world.learner_em.pk,
        world.learner_giang.pk,
    }
    class_a1 = {world.learner_an.pk, world.learner_binh.pk, world.learner_cuong.pk}
    # The nurse of school A sees A's learners, not B's.
    assert _visible(nurse) == a_learners
    # The principal sees the school's learners.
    assert _visible(world.principal_a) == a_learners
    # The homeroom teacher of 6A1 sees 6A1, not 6A2.
    assert _visible(world.teacher_a1_user) == class_a1
    # teacher_a2 teaches literature in 6A1 but leads 6A2: only 6A2.
    assert _visible(world.teacher_a2_user) == {
        world.learner_dung.pk,
        world.learner_em.pk,
        world.learner_giang.pk,
    }
    # A guardian sees only their own child.
    assert _visible(world.guardian_an_user) == {world.learner_an.pk}
    # School staff (giáo vụ), offices and outsiders see no per-learner health data.
    for user in (world.staff_a, world.province_p1, world.ministry, world.nobody):
        assert _visible(user) == set()


def test_a_subject_teacher_who_is_not_homeroom_sees_nothing(world):
    teacher = _user("gv_mon", Role.TEACHER, institution=world.school_a)
    from tests.world import _staff
    from truongso.academics.models import Subject, TeachingAssignment

    staff = _staff(world.school_a, "Đỗ Văn Toán", teacher)
    TeachingAssignment.objects.create(
        institution=world.school_a,
        school_class=world.class_a1,
        subject=Subject.objects.exclude(code__in=["TOAN", "NV"]).first(),
        staff_member=staff,
    )
    assert _visible(teacher) == set()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nurse", 200),
        ("principal_a", 200),
        ("teacher_a1_user", 200),
        ("guardian_an_user", 200),
        ("teacher_a2_user", 404),
        ("staff_a", 404),
        ("province_p1", 404),
        ("ministry", 404),
        ("principal_b", 404),
    ],
)
def test_learner_page_access_and_log(world, nurse, client, who, status):
    user = nurse if who == "nurse" else getattr(world, who)
    _login(client, user)
    response = client.get(f"/health/learner/{world.learner_an.pk}/")
    assert response.status_code == status
    logged = list(
        HealthRecordView.objects.values_list("viewer_id", "learner_id", "channel", "what")
    )
    if status == 200:
        assert logged == [(user.pk, world.learner_an.pk, "page", "record")]
    else:
        assert logged == []


def test_every_view_is_logged(world, nurse, campaign, client):
    checkups_record(
        actor=nurse,
        campaign=campaign,
        school_class=world.class_a1,
        rows={world.learner_an.pk: {"height": "145", "weight": "36.5"}},
    )
    _login(client, world.teacher_a1_user)
    assert client.get(f"/health/class/{world.class_a1.pk}/").status_code == 200
    assert client.get(f"/health/learner/{world.learner_an.pk}.xlsx").status_code == 200
    response = client.get(f"/health/class/{world.class_a1.pk}.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[5]][2:9] == [
        "Nguyễn Văn An",
        "Nam",
        "02/05/2014",
        "01/10/2025",
        145,
        36.5,
        17.36,
    ]
    log = list(
        HealthRecordView.objects.filter(viewer=world.teacher_a1_user)
        .order_by("pk")
        .values_list("learner_id", "channel", "what")
    )
    an, binh, cuong = world.learner_an.pk, world.learner_binh.pk, world.learner_cuong.pk
    assert log == [
        (cuong, "page", "class"),
        (an, "page", "class"),
        (binh, "page", "class"),
        (an, "export", "record"),
        (cuong, "export", "class"),
        (an, "export", "class"),
        (binh, "export", "class"),
    ]


def test_summaries_for_offices_and_principals_not_staff(world, nurse, client):
    _login(client, world.province_p1)
    assert client.get(f"/health/school/{world.school_a.pk}/").status_code == 200
    assert client.get(f"/health/school/{world.school_b.pk}/").status_code == 404
    assert client.get(f"/health/class/{world.class_a1.pk}/").status_code == 200
    page = client.get(f"/health/class/{world.class_a1.pk}/").content.decode()
    assert "Nguyễn Văn An" not in page  # aggregate only
    assert HealthRecordView.objects.count() == 0
    _login(client, world.staff_a)
    assert client.get(f"/health/school/{world.school_a.pk}/").status_code == 404
    assert client.get("/health/").status_code == 200
    _login(client, world.principal_a)
    assert client.get(f"/health/school/{world.school_a.pk}/summary.xlsx").status_code == 200


def test_nurse_role_scope_is_only_health(world, nurse):
    scope = scope_for(nurse)
    assert scope.nurse_institution_ids == {world.school_a.pk}
    assert not scope.managed_institution_ids
    assert RoleAssignment.objects.filter(user=nurse, role=Role.SCHOOL_NURSE).count() == 1
