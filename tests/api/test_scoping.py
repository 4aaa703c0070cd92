"""The API applies the same scoping as the pages: school A never reads or changes
school B's data, a teacher sees their classes' learners, an office its province."""

import pytest

from tests.api.conftest import walk
from truongso.audit.models import AuditEntry
from truongso.learners.models import Learner


def _ids(items):
    return {item["id"] for item in items}


# ---------------------------------------------------------------- reads of school B


READS_OF_B = [
    "/institutions/{school_b}",
    "/classes/{class_b1}",
    "/classes/{class_b1}/roster",
    "/learners/{learner_b1}",
    "/learners/{learner_b1}/events",
    "/staff/{teacher_b}",
]


def _fill(path, w):
    return path.format(
        school_a=w.school_a.pk, school_b=w.school_b.pk, class_a1=w.class_a1.pk,
        class_b1=w.class_b1.pk, learner_an=w.learner_an.pk, learner_b1=w.learner_b1.pk,
        teacher_a1=w.teacher_a1.pk, teacher_b=w.teacher_b.pk, learner_dung=w.learner_dung.pk,
    )  # fmt: skip


@pytest.mark.parametrize("path", READS_OF_B)
def test_school_a_cannot_read_school_b(world, api_as, path):
    response = api_as(world.principal_a).get(_fill(path, world))
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    # The same answer as for a record that does not exist at all.
    missing = api_as(world.principal_a).get(path.split("{")[0] + "999999")
    assert missing.status_code == 404
    assert missing.json() == response.json()


@pytest.mark.parametrize("path", READS_OF_B)
def test_school_b_reads_its_own(world, api_as, path):
    assert api_as(world.principal_b).get(_fill(path, world)).status_code == 200


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/institutions", "id"),
        ("/classes", "institution"),
        ("/learners", "institution"),
        ("/staff", "institution"),
    ],
)
def test_lists_of_school_a_hold_nothing_of_school_b(world, api_as, path, key):
    items = walk(api_as(world.principal_a), path)
    assert items
    institutions = {item["id"] if key == "id" else item[key]["id"] for item in items}
    assert institutions == {world.school_a.pk}
    # Asking for school B by filter gives nothing either.
    filtered = api_as(world.principal_a).get(path, {"institution": world.school_b.pk}).json()
    if key != "id":
        assert filtered["items"] == []


# ---------------------------------------------------------------- writes to school B


WRITES_TO_B = [
    ("patch", "/institutions/{school_b}", {"phone": "0281234567"}),
    ("patch", "/classes/{class_b1}", {"room": "P1"}),
    ("patch", "/learners/{learner_b1}", {"address": "Khác"}),
    ("post", "/learners/{learner_b1}/transfer", {"to_institution": "{school_a}"}),
    ("post", "/learners/{learner_b1}/change-class", {"to_class": "{class_a1}"}),
    ("post", "/learners/{learner_b1}/withdraw", {"reason": "Gia đình chuyển đi"}),
    ("post", "/learners/{learner_b1}/drop-out", {"reason": "Nghỉ"}),
    ("patch", "/staff/{teacher_b}", {"phone": "0900000000"}),
]


def _body(body, w):
    return {k: int(_fill(v, w)) if isinstance(v, str) and v.startswith("{") else v
            for k, v in body.items()}  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), WRITES_TO_B)
def test_school_a_cannot_change_school_b(world, api_as, method, path, body):
    client = api_as(world.principal_a)
    response = getattr(client, method)(_fill(path, world), _body(body, world))
    assert response.status_code == 404
    assert AuditEntry.objects.exclude(object_type="accounts.apitoken").count() == 0
    b1 = Learner.objects.get(pk=world.learner_b1.pk)
    assert (b1.institution_id, b1.status, b1.address) == (
        world.school_b.pk, "studying", "Số 1 đường Láng"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/classes", {"school_year": "2025-2026", "grade": 6, "name": "6X"}),
        ("/learners", {"full_name": "Lê Văn Tám", "sex": "M"}),
        ("/staff", {"full_name": "Lê Văn Tám", "sex": "M", "position": "teacher"}),
    ],
)
def test_school_a_cannot_create_in_school_b(world, api_as, path, body):
    response = api_as(world.principal_a).post(path, dict(body, institution=world.school_b.pk))
    assert response.status_code == 422
    assert response.json()["errors"] == {"institution": ["Không tìm thấy bản ghi được chỉ định."]}
    assert AuditEntry.objects.exclude(object_type="accounts.apitoken").count() == 0


@pytest.mark.parametrize(
    ("user", "method", "path", "body"),
    [
        # A teacher reads their class but does not manage it.
        ("teacher_a1_user", "patch", "/classes/{class_a1}", {"room": "P2"}),
        ("teacher_a1_user", "post", "/learners/{learner_an}/withdraw", {"reason": "x"}),
        ("teacher_a1_user", "patch", "/staff/{teacher_a1}", {"phone": "0900000000"}),
        ("teacher_a1_user", "patch", "/institutions/{school_a}", {"phone": "0241234567"}),
        # A province office reads learners but the school keeps their records.
        ("province_p1", "patch", "/learners/{learner_an}", {"address": "x"}),
        ("province_p1", "post", "/learners/{learner_an}/drop-out", {"reason": "x"}),
        ("province_p1", "patch", "/classes/{class_a1}", {"room": "P2"}),
        # A guardian reads their child only.
        ("guardian_an_user", "patch", "/learners/{learner_an}", {"address": "x"}),
    ],
)
def test_reading_is_not_writing(world, api_as, user, method, path, body):
    client = api_as(getattr(world, user))
    response = getattr(client, method)(_fill(path, world), body)
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền thực hiện thao tác này."}
    assert AuditEntry.objects.exclude(object_type="accounts.apitoken").count() == 0


@pytest.mark.parametrize(
    ("user", "path", "body"),
    [
        ("teacher_a1_user", "/learners", {"full_name": "Lê Văn Tám", "sex": "M"}),
        ("province_p1", "/learners", {"full_name": "Lê Văn Tám", "sex": "M"}),
        ("teacher_a1_user", "/staff", {"full_name": "Lê Văn Tám", "sex": "M", "position": "other"}),
        ("teacher_a1_user", "/classes", {"school_year": "2025-2026", "grade": 6, "name": "6X"}),
    ],
)
def test_creating_needs_to_manage_the_school(world, api_as, user, path, body):
    client = api_as(getattr(world, user))
    response = client.post(path, dict(body, institution=world.school_a.pk))
    assert response.status_code == 403


# ---------------------------------------------------------------- roles


def test_teacher_reads_only_their_classes_learners(world, api_as):
    client = api_as(world.teacher_a1_user)
    names = [item["full_name"] for item in walk(client, "/learners")]
    assert names == ["Lê Đức Cường", "Nguyễn Văn An", "Trần Thị Bình"]
    assert client.get(f"/learners/{world.learner_dung.pk}").status_code == 404
    assert client.get(f"/learners/{world.learner_b1.pk}").status_code == 404
    assert [c["name"] for c in walk(client, "/classes")] == ["6A1"]
    assert client.get(f"/classes/{world.class_a2.pk}/roster").status_code == 404
    # Colleagues are readable, other schools' staff are not.
    staff = {s["full_name"] for s in walk(client, "/staff")}
    assert staff == {"Trần Thị Hoa", "Lê Văn Minh"}


def test_homeroom_teacher_changes_contact_details_of_their_class(world, api_as):
    client = api_as(world.teacher_a1_user)
    response = client.patch(f"/learners/{world.learner_an.pk}", {"address": "12 Hàng Bông"})
    assert response.status_code == 200
    assert response.json()["address"] == "12 Hàng Bông"
    refused = client.patch(f"/learners/{world.learner_an.pk}", {"full_name": "Khác"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"full_name": ["Bạn không có quyền sửa thông tin này."]}


def test_teacher_of_two_classes(world, api_as):
    # gv_a2 teaches literature in 6A1 and leads 6A2.
    names = {item["full_name"] for item in walk(api_as(world.teacher_a2_user), "/learners")}
    assert names == {
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường",
        "Phạm Minh Dũng", "Hoàng Thị Em", "Vũ Hương Giang",
    }  # fmt: skip


def test_province_officer_reads_only_their_province(world, api_as):
    client = api_as(world.province_p1)
    assert {i["code"] for i in walk(client, "/institutions")} == {"01000001", "01000002"}
    learners = walk(client, "/learners")
    assert len(learners) == 6
    assert {item["institution"]["id"] for item in learners} == {world.school_a.pk}
    assert {c["institution"]["id"] for c in walk(client, "/classes")} == {world.school_a.pk}
    assert {s["institution"]["id"] for s in walk(client, "/staff")} == {world.school_a.pk}
    for path in READS_OF_B:
        assert client.get(_fill(path, world)).status_code == 404, path
    # The office may change institutions of its own province, not another's.
    assert client.patch(f"/institutions/{world.school_a.pk}", {"phone": "024"}).status_code == 200
    assert client.patch(f"/institutions/{world.school_b.pk}", {"phone": "028"}).status_code == 404


def test_guardian_reads_their_child_only(world, api_as):
    client = api_as(world.guardian_an_user)
    assert [i["full_name"] for i in walk(client, "/learners")] == ["Nguyễn Văn An"]
    assert client.get(f"/learners/{world.learner_binh.pk}").status_code == 404
    assert walk(client, "/staff") == []
    assert walk(client, "/classes") == []


def test_account_without_roles_sees_nothing(world, api_as):
    client = api_as(world.nobody)
    for path in ("/institutions", "/classes", "/learners", "/staff"):
        assert walk(client, path) == [], path
    assert client.get(f"/learners/{world.learner_an.pk}").status_code == 404
    # Units are reference data: everyone signed in reads them.
    assert len(walk(client, "/units")) == 5


def test_ministry_reads_everything(world, api_as):
    client = api_as(world.ministry)
    assert len(walk(client, "/learners")) == 9
    assert len(walk(client, "/institutions")) == 3
