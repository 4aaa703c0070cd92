"""Every page renders for the roles that may see it and refuses the others."""

import pytest
from django.urls import reverse

from truongso.learners.models import Learner

HOMEROOM_TEACHER = "teacher_a1_user"


def _get(client, name, *args, query=""):
    return client.get(reverse(name, args=args) + query)


def test_viewport_meta_and_static_assets(world, client_for):
    html = _get(client_for(world.principal_a), "web:home").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "/static/css/app.css" in html
    assert "<script>" not in html and "style=" not in html


def test_home_teacher_lists_their_classes_homeroom_first(world, client_for):
    response = _get(client_for(world.teacher_a2_user), "web:home")
    classes = response.context["teacher_classes"]
    # gv_a2 leads 6A2 and teaches literature in 6A1.
    assert [c.name for c in classes] == ["6A2", "6A1"]
    assert [c.is_homeroom for c in classes] == [1, 0]
    assert "schools" not in response.context


def test_home_principal_shows_school_summary(world, client_for):
    response = _get(client_for(world.principal_a), "web:home")
    (summary,) = response.context["schools"]
    assert summary["institution"] == world.school_a
    assert summary["learners"]["rows"] == [{"grade": 6, "M": 3, "F": 3, "total": 6}]
    assert summary["staff"]["total"] == 2
    assert summary["staff"]["teachers"] == 2
    assert summary["class_count"] == 2
    assert summary["personal_id_warnings"] == 0
    assert summary["personal_id_missing"] == 5


def test_home_offices_show_institutions_by_kind(world, client_for):
    province = _get(client_for(world.province_p1), "web:home").context["office"]
    assert province["institution_total"] == 2
    assert [(r["kind"], r["n"]) for r in province["by_kind"]] == [
        ("lower_secondary", 1),
        ("primary", 1),
    ]
    assert [(u["unit"].name, u["institutions"]) for u in province["units"]] == [
        ("Thành phố Hà Nội", 2)
    ]
    assert province["learner_total"] == 6
    ministry = _get(client_for(world.ministry), "web:home").context["office"]
    assert ministry["institution_total"] == 3
    assert ministry["learner_total"] == 9


def test_home_guardian_and_user_without_role(world, client_for):
    children = _get(client_for(world.guardian_an_user), "web:home").context["children"]
    assert [c.full_name for c in children] == ["Nguyễn Văn An"]
    response = _get(client_for(world.nobody), "web:home")
    assert "Tài khoản chưa được phân quyền" in response.content.decode()


def test_search_ignores_diacritics_and_case(world, client_for):
    response = _get(client_for(world.principal_a), "learners:list", query="?q=NGUYEN van an")
    assert [learner.pk for learner in response.context["page_obj"]] == [world.learner_an.pk]
    response = _get(client_for(world.ministry), "learners:list", query="?q=nguyen van an")
    assert response.context["total"] == 2
    response = _get(client_for(world.principal_a), "units:institution_list", query="?q=ba dinh")
    assert [i.name for i in response.context["page_obj"]] == ["Trường THCS Ba Đình"]


def test_learner_filters(world, client_for):
    client = client_for(world.principal_a)
    response = _get(client, "learners:list", query=f"?class={world.class_a2.pk}&sex=F")
    assert [x.full_name for x in response.context["page_obj"]] == [
        "Hoàng Thị Em",
        "Vũ Hương Giang",
    ]
    response = _get(client, "learners:list", query="?personal_id_status=ok")
    assert [x.full_name for x in response.context["page_obj"]] == ["Nguyễn Văn An"]


def test_learner_list_is_paginated_by_25(world, client_for):
    from truongso.learners.services import prepare_learner

    for n in range(20):
        learner = Learner(institution=world.school_a, current_class=world.class_a1, grade=6,
                          full_name=f"Học Sinh Số {n:02d}", sex="M")  # fmt: skip
        prepare_learner(learner)
        learner.save()
    client = client_for(world.principal_a)
    first = _get(client, "learners:list")
    assert first.context["total"] == 26
    assert len(first.context["page_obj"]) == 25
    assert "Trang 1/2" in first.content.decode()
    second = _get(client, "learners:list", query="?page=2")
    assert len(second.context["page_obj"]) == 1


def test_teacher_sees_only_their_classes_learners(world, client_for):
    client = client_for(world.teacher_a1_user)
    names = [x.full_name for x in _get(client, "learners:list").context["page_obj"]]
    assert names == ["Lê Đức Cường", "Nguyễn Văn An", "Trần Thị Bình"]
    assert _get(client, "learners:detail", world.learner_dung.pk).status_code == 404
    assert _get(client, "learners:detail", world.learner_an.pk).status_code == 200
    assert _get(client, "academics:class_detail", world.class_a2.pk).status_code == 404
    classes = [c.name for c in _get(client, "academics:class_list").context["page_obj"]]
    assert classes == ["6A1"]


SCHOOL_A_PAGES = [
    ("learners:detail", "learner_an"),
    ("learners:edit", "learner_an"),
    ("learners:history", "learner_an"),
    ("learners:guardian_create", "learner_an"),
    ("learners:transfer", "learner_an"),
    ("learners:change_class", "learner_an"),
    ("learners:withdraw", "learner_an"),
    ("learners:drop_out", "learner_an"),
    ("learners:readmit", "learner_an"),
    ("staff:detail", "teacher_a1"),
    ("staff:edit", "teacher_a1"),
    ("academics:class_detail", "class_a1"),
    ("academics:class_edit", "class_a1"),
    ("academics:assignment_edit", "class_a1"),
    ("academics:class_promote", "class_a1"),
    ("units:institution_detail", "school_a"),
    ("units:institution_edit", "school_a"),
]


@pytest.mark.parametrize(("name", "attr"), SCHOOL_A_PAGES)
def test_school_b_cannot_read_or_change_school_a(world, client_for, name, attr):
    client = client_for(world.principal_b)
    pk = getattr(world, attr).pk
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
    assert client.post(reverse(name, args=[pk]), {"address": "x", "reason": "x"}).status_code == 404
    world.learner_an.refresh_from_db()
    assert world.learner_an.address == "Số 1 đường Láng"
    assert world.learner_an.institution_id == world.school_a.pk


@pytest.mark.parametrize("record_type", ["learner", "staff", "class", "institution"])
def test_history_of_another_school_is_404(world, client_for, record_type):
    pk = {"learner": world.learner_an, "staff": world.teacher_a1, "class": world.class_a1,
          "institution": world.school_a}[record_type].pk  # fmt: skip
    assert _get(client_for(world.principal_b), "audit:record", record_type, pk).status_code == 404
    assert _get(client_for(world.principal_a), "audit:record", record_type, pk).status_code == 200


def test_colleague_sees_staff_record_but_not_its_history(world, client_for):
    client = client_for(world.teacher_a2_user)
    response = _get(client, "staff:detail", world.teacher_a1.pk)
    assert response.status_code == 200
    assert response.context["full_record"] is False
    assert _get(client, "audit:record", "staff", world.teacher_a1.pk).status_code == 404


def test_unknown_record_type_and_missing_record_are_404(world, client_for):
    client = client_for(world.principal_a)
    assert _get(client, "audit:record", "payment", 1).status_code == 404
    assert _get(client, "learners:detail", 999999).status_code == 404


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("province_p1", "learners:create"),
        ("teacher_a1_user", "learners:create"),
        ("teacher_a1_user", "staff:create"),
        ("province_p1", "academics:class_create"),
    ],
)
def test_create_pages_refuse_who_cannot_create(world, client_for, user, name):
    response = _get(client_for(getattr(world, user)), name)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_offices_read_but_cannot_edit_learners(world, client_for):
    client = client_for(world.province_p1)
    assert _get(client, "learners:detail", world.learner_an.pk).status_code == 200
    assert _get(client, "learners:edit", world.learner_an.pk).status_code == 404
    assert _get(client, "learners:withdraw", world.learner_an.pk).status_code == 403
    assert (
        _get(client_for(world.province_p2), "learners:detail", world.learner_an.pk).status_code
        == 404
    )


def test_every_list_and_page_renders_for_the_school(world, client_for):
    client = client_for(world.principal_a)
    for name, attr in SCHOOL_A_PAGES:
        assert client.get(reverse(name, args=[getattr(world, attr).pk])).status_code == 200, name
    for name in ["web:home", "units:browser", "units:institution_list", "learners:list",
                 "learners:create", "staff:list", "staff:create", "academics:class_list",
                 "academics:class_create", "accounts:password_change"]:  # fmt: skip
        assert _get(client, name).status_code == 200, name


def test_unit_browser_shows_the_tree_in_force_on_a_date(world, client_for):
    from truongso.units.models import AdministrativeUnit
    from truongso.units.services import unit_set_path

    old = AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội (cũ)", search_name="thanh pho ha noi (cu)",
        level="province", parent=world.country, valid_to="2025-06-30",
    )  # fmt: skip
    unit_set_path(old)
    old.save()
    client = client_for(world.ministry)
    today = _get(client, "units:browser").context["children"]
    assert [row["unit"].name for row in today] == ["Thành phố Hà Nội", "Thành phố Hồ Chí Minh"]
    assert [row["institutions"] for row in today] == [2, 1]
    before = _get(client, "units:browser", query="?on=2024-09-30").context["children"]
    assert [row["unit"].name for row in before] == ["Thành phố Hà Nội (cũ)"]
    bad = _get(client, "units:browser", query="?on=30-09-2024")
    assert bad.status_code == 200
    assert bad.context["form"].errors["on"]


def test_institution_edit_by_principal_is_audited(world, client_for):
    client = client_for(world.principal_a)
    url = reverse("units:institution_edit", args=[world.school_a.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"phone": "024 3825 1234", "reason": "Số mới", "is_active": "on"})
    response = client.post(url, data)
    assert response.status_code == 302
    world.school_a.refresh_from_db()
    assert world.school_a.phone == "024 3825 1234"
    history = _get(client, "audit:record", "institution", world.school_a.pk).content.decode()
    assert "024 3825 1234" in history and "Số mới" in history
