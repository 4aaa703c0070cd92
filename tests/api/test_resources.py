"""What each endpoint answers and writes, with exact values."""

import datetime as dt

from tests.api.conftest import walk
from truongso.audit.models import AuditEntry
from truongso.learners.models import EnrolmentEvent, Learner
from truongso.staff.models import StaffMember
from truongso.units.models import Institution

# ---------------------------------------------------------------- units


def test_units_filters(world, api_as):
    client = api_as(world.nobody)
    codes = lambda params: [u["code"] for u in walk(client, "/units", params)]  # noqa: E731
    assert codes({"level": "province"}) == ["01", "79"]
    assert codes({"parent": world.p1.pk}) == ["00004"]
    assert codes({"q": "BA DINH"}) == ["00004"]
    assert codes({"q": "sài gòn", "level": "commune"}) == ["26734"]
    # Before the 2025 reform none of today's units were in force; the country was.
    assert codes({"on": "2025-06-30"}) == ["VN"]
    assert codes({"on": "2025-07-01", "level": "commune"}) == ["00004", "26734"]


def test_unit_and_its_children(world, api_as):
    client = api_as(world.nobody)
    unit = client.get(f"/units/{world.p1.pk}").json()
    assert unit == {
        "id": world.p1.pk, "code": "01", "name": "Thành phố Hà Nội", "short_name": "",
        "level": "province", "kind": "", "parent_id": world.country.pk,
        "path": f"/{world.country.pk}/{world.p1.pk}/", "valid_from": "2025-07-01",
        "valid_to": None, "latitude": None, "longitude": None,
    }  # fmt: skip
    children = client.get(f"/units/{world.country.pk}/children").json()
    assert [u["code"] for u in children["items"]] == ["01", "79"]
    assert client.get("/units/999999").status_code == 404
    assert client.get("/units/999999/children").status_code == 404


# ---------------------------------------------------------------- institutions


def test_institution_filters(world, api_as):
    client = api_as(world.ministry)
    names = lambda params: [i["name"] for i in walk(client, "/institutions", params)]  # noqa: E731
    assert names({"q": "kim dong"}) == ["Trường Tiểu học Kim Đồng"]
    assert names({"kind": "primary"}) == ["Trường Tiểu học Kim Đồng"]
    assert names({"unit": world.p2.pk}) == ["Trường THCS Sài Gòn"]
    assert names({"unit": world.c1.pk}) == ["Trường THCS Ba Đình", "Trường Tiểu học Kim Đồng"]
    assert names({"ownership": "3"}) == []
    bad = client.get("/institutions", {"unit": 999999})
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"unit": ["Không tìm thấy bản ghi được chỉ định."]}


def test_office_creates_and_school_changes_an_institution(world, api_as):
    response = api_as(world.province_p1).post(
        "/institutions",
        {"code": "01000003", "name": "Trường  Tiểu học Ngọc Hà", "kind": "primary",
         "commune": world.c1.pk, "managing_unit": world.p1.pk, "latitude": "21.036500",
         "longitude": 105.8234, "reason": "Thành lập mới"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["grade_from"], body["grade_to"]) == ("01000003", 1, 5)
    assert body["province"]["id"] == world.p1.pk
    assert (body["latitude"], body["longitude"]) == (21.0365, 105.8234)
    row = Institution.objects.get(code="01000003")
    assert str(row.latitude) == "21.036500"
    entry = AuditEntry.objects.get(action="institution.create")
    assert (entry.actor_id, entry.reason) == (world.province_p1.pk, "Thành lập mới")

    changed = api_as(world.principal_a).patch(
        f"/institutions/{world.school_a.pk}", {"phone": "024 3823 1234", "website": ""}
    )
    assert changed.status_code == 200
    assert changed.json()["phone"] == "024 3823 1234"
    entry = AuditEntry.objects.get(action="institution.update")
    assert (entry.before["phone"], entry.after["phone"]) == ("", "024 3823 1234")


def test_office_cannot_create_in_another_province(world, api_as):
    response = api_as(world.province_p1).post(
        "/institutions",
        {"code": "79000009", "name": "Trường X", "kind": "primary", "commune": world.c2.pk,
         "managing_unit": world.p2.pk},
    )  # fmt: skip
    assert response.status_code == 403
    assert not Institution.objects.filter(code="79000009").exists()
    school = api_as(world.principal_a).post(
        "/institutions",
        {"code": "01000009", "name": "Trường X", "kind": "primary", "commune": world.c1.pk,
         "managing_unit": world.p1.pk},
    )  # fmt: skip
    assert school.status_code == 403


# ---------------------------------------------------------------- classes


def test_class_filters_and_detail(world, api_as):
    client = api_as(world.principal_a)
    names = lambda params: [c["name"] for c in walk(client, "/classes", params)]  # noqa: E731
    assert names({"year": "2026-2027"}) == ["6A1", "7A1"]
    assert names({"year": "2025-2026", "grade": 6}) == ["6A1", "6A2"]
    assert names({"institution": world.school_a.pk, "grade": 7}) == ["7A1"]
    unknown = client.get("/classes", {"year": "1999-2000"})
    assert unknown.status_code == 422
    assert list(unknown.json()["errors"]) == ["year"]
    detail = client.get(f"/classes/{world.class_a1.pk}").json()
    assert detail == {
        "id": world.class_a1.pk, "name": "6A1", "grade": 6, "room": "",
        "institution": {"id": world.school_a.pk, "code": "01000001", "name": "Trường THCS Ba Đình"},
        "school_year": {"id": world.year.pk, "name": "2025-2026", "starts_on": "2025-09-05",
                        "ends_on": "2026-05-31"},
        "homeroom_teacher": {"id": world.teacher_a1.pk, "full_name": "Trần Thị Hoa"},
        "learner_count": 3,
    }  # fmt: skip


def test_roster(world, api_as):
    items = walk(api_as(world.principal_a), f"/classes/{world.class_a1.pk}/roster")
    assert [i["full_name"] for i in items] == ["Lê Đức Cường", "Nguyễn Văn An", "Trần Thị Bình"]


def test_create_and_change_a_class(world, api_as):
    client = api_as(world.principal_a)
    response = client.post(
        "/classes",
        {"institution": world.school_a.pk, "school_year": "2025-2026", "grade": 7, "name": "7A3",
         "homeroom_teacher": world.teacher_a2.pk, "room": "P203"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["grade"], body["room"], body["learner_count"]) == (
        "7A3",
        7,
        "P203",
        0,
    )
    assert body["homeroom_teacher"]["full_name"] == "Lê Văn Minh"
    changed = client.patch(f"/classes/{body['id']}", {"room": "P204", "homeroom_teacher": None})
    assert changed.status_code == 200
    assert (changed.json()["room"], changed.json()["homeroom_teacher"]) == ("P204", None)
    actions = AuditEntry.objects.filter(object_type="academics.schoolclass").order_by("pk")
    assert [e.action for e in actions] == ["class.create", "class.update"]


# ---------------------------------------------------------------- learners


def test_learner_filters(world, api_as):
    client = api_as(world.ministry)
    names = lambda params: [i["full_name"] for i in walk(client, "/learners", params)]  # noqa: E731
    assert names({"q": "NGUYEN van an"}) == ["Nguyễn Văn An", "Nguyễn Văn An"]
    assert names({"q": "nguyễn văn an", "institution": world.school_b.pk}) == ["Nguyễn Văn An"]
    assert names({"q": "001214012345"}) == ["Nguyễn Văn An"]
    assert names({"class": world.class_a2.pk}) == [
        "Hoàng Thị Em",
        "Phạm Minh Dũng",
        "Vũ Hương Giang",
    ]
    assert names({"sex": "F", "institution": world.school_b.pk}) == ["Đỗ Thị Hạnh"]
    assert names({"personal_id_status": "ok"}) == ["Nguyễn Văn An"]
    assert names({"grade": 7}) == []
    assert names({"status": "withdrawn"}) == []


def test_learner_detail_has_guardians(world, api_as):
    body = api_as(world.teacher_a1_user).get(f"/learners/{world.learner_an.pk}").json()
    assert body["full_name"] == "Nguyễn Văn An"
    assert body["current_class"] == {"id": world.class_a1.pk, "name": "6A1", "grade": 6}
    assert body["personal_id_status"] == "ok"
    assert [(g["relationship"], g["full_name"], g["phone"]) for g in body["guardians"]] == [
        ("father", "Nguyễn Văn Ba", "0912345678")
    ]


def test_admit_a_learner(world, api_as):
    response = api_as(world.principal_a).post(
        "/learners",
        {"institution": world.school_a.pk, "current_class": world.class_a1.pk,
         "full_name": "  đặng  thị  ánh ", "sex": "F", "date_of_birth": "2014-02-03",
         "personal_id": "001314999999", "policy_categories": ["poor_household"],
         "enrolled_on": "2025-09-05", "reason": "Tuyển sinh lớp 6"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["full_name"] == "Đặng Thị Ánh"
    assert body["education_id"] == "0100000001"
    assert body["personal_id_status"] == "ok"
    assert body["policy_categories"] == ["poor_household"]
    assert (body["grade"], body["enrolled_on"], body["guardians"]) == (6, "2025-09-05", [])
    events = api_as(world.principal_a).get(f"/learners/{body['id']}/events").json()["items"]
    assert [(e["kind"], e["occurred_on"], e["to_class"]["name"]) for e in events] == [
        ("admit", "2025-09-05", "6A1")
    ]
    entry = AuditEntry.objects.get(action="learner.create")
    assert entry.reason == "Tuyển sinh lớp 6"


def test_change_a_learner(world, api_as):
    response = api_as(world.principal_a).patch(
        f"/learners/{world.learner_binh.pk}",
        {"phone": "0987654321", "personal_id": "001314012345", "reason": "Phụ huynh báo"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["phone"], body["personal_id_status"], body["version"]) == (
        "0987654321", "ok", 2
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="learner.update")
    assert (entry.reason, entry.before["phone"], entry.after["phone"]) == (
        "Phụ huynh báo", "", "0987654321"
    )  # fmt: skip


def test_change_class_then_history(world, api_as):
    client = api_as(world.principal_a)
    response = client.post(
        f"/learners/{world.learner_an.pk}/change-class",
        {"to_class": world.class_a2.pk, "on": "2025-10-01", "reason": "Theo nguyện vọng"},
    )
    assert response.status_code == 200
    assert response.json()["current_class"]["name"] == "6A2"
    events = client.get(f"/learners/{world.learner_an.pk}/events").json()["items"]
    assert [(e["kind"], e["from_class"]["name"], e["to_class"]["name"], e["reason"])
            for e in events] == [("change_class", "6A1", "6A2", "Theo nguyện vọng")]  # fmt: skip


def test_transfer_moves_the_record(world, api_as):
    response = api_as(world.principal_a).post(
        f"/learners/{world.learner_an.pk}/transfer",
        {"to_institution": world.school_b.pk, "on": "2025-11-01", "reason": "Chuyển nhà"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["institution"]["code"], body["current_class"]) == ("79000001", None)
    assert api_as(world.principal_a).get(f"/learners/{world.learner_an.pk}").status_code == 404
    seen_by_b = api_as(world.principal_b).get(f"/learners/{world.learner_an.pk}/events").json()
    assert [(e["kind"], e["institution"]["code"]) for e in seen_by_b["items"]] == [
        ("transfer_out", "01000001"), ("transfer_in", "79000001")
    ]  # fmt: skip


def test_withdraw_and_drop_out(world, api_as):
    client = api_as(world.principal_a)
    response = client.post(
        f"/learners/{world.learner_an.pk}/withdraw", {"on": "2025-12-01", "reason": "Du học"}
    )
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    response = client.post(f"/learners/{world.learner_binh.pk}/drop-out", {"reason": "Nghỉ dài"})
    assert (response.status_code, response.json()["status"]) == (200, "dropped_out")
    event = EnrolmentEvent.objects.get(learner=world.learner_binh)
    assert (event.kind, event.reason) == ("drop_out", "Nghỉ dài")
    assert event.occurred_on == dt.date.today()
    again = client.post(f"/learners/{world.learner_an.pk}/withdraw", {"reason": "Lần nữa"})
    assert again.status_code == 422
    assert again.json()["errors"] == {"__all__": ["Học sinh không còn đang học."]}
    assert Learner.objects.get(pk=world.learner_an.pk).status == "withdrawn"


# ---------------------------------------------------------------- staff


def test_staff_list_detail_create_change(world, api_as):
    client = api_as(world.principal_a)
    assert [s["full_name"] for s in walk(client, "/staff", {"q": "HOA"})] == ["Trần Thị Hoa"]
    assert walk(client, "/staff", {"position": "accountant"}) == []
    response = client.post(
        "/staff",
        {"institution": world.school_a.pk, "full_name": "nguyễn thị mai", "sex": "F",
         "position": "teacher", "qualification": "bachelor", "subjects": ["TOAN", "NV"],
         "hired_on": "2020-09-01"},
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert (body["full_name"], body["subjects"], body["hired_on"]) == (
        "Nguyễn Thị Mai", ["NV", "TOAN"], "2020-09-01"
    )  # fmt: skip
    changed = client.patch(f"/staff/{body['id']}", {"qualification": "master", "subjects": []})
    assert changed.status_code == 200
    assert (changed.json()["qualification"], changed.json()["subjects"]) == ("master", [])
    assert StaffMember.objects.get(pk=body["id"]).version == 2
    detail = client.get(f"/staff/{world.teacher_a1.pk}").json()
    assert (detail["full_name"], detail["institution"]["code"]) == ("Trần Thị Hoa", "01000001")
