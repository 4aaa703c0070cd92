"""Changes made through the pages: services called, errors on the form, history kept."""

import datetime as dt

from django.urls import reverse

from truongso.audit.models import AuditEntry
from truongso.learners.models import EnrolmentEvent, Learner, LearnerStatus


def test_homeroom_teacher_edits_address_with_reason_and_sees_history(world, client_for):
    client = client_for(world.teacher_a1_user)
    url = reverse("learners:edit", args=[world.learner_an.pk])
    form = client.get(url).context["form"]
    assert sorted(form.fields) == ["address", "phone", "place_of_birth", "reason"]
    response = client.post(url, {"address": "12 Hàng Bông", "phone": "", "place_of_birth": "",
                                 "reason": "Phụ huynh báo chuyển nhà"})  # fmt: skip
    assert response.status_code == 302
    world.learner_an.refresh_from_db()
    assert world.learner_an.address == "12 Hàng Bông"
    entry = AuditEntry.objects.get(action="learner.update")
    assert entry.actor == world.teacher_a1_user
    assert entry.reason == "Phụ huynh báo chuyển nhà"
    history = client.get(reverse("learners:history", args=[world.learner_an.pk]))
    (row,) = history.context["rows"]
    assert row["changes"] == [
        {"field": "Địa chỉ", "before": "Số 1 đường Láng", "after": "12 Hàng Bông"}
    ]
    html = history.content.decode()
    assert "Phụ huynh báo chuyển nhà" in html
    assert "Sửa hồ sơ học sinh" in html


def test_teacher_cannot_change_name_even_by_posting_it(world, client_for):
    client = client_for(world.teacher_a1_user)
    url = reverse("learners:edit", args=[world.learner_an.pk])
    client.post(url, {"full_name": "Khác", "address": "Số 1 đường Láng"})
    world.learner_an.refresh_from_db()
    assert world.learner_an.full_name == "Nguyễn Văn An"
    # Teaching 6A1 without leading it: may read, may not edit.
    other = client_for(world.teacher_a2_user)
    assert other.get(reverse("learners:detail", args=[world.learner_an.pk])).status_code == 200
    assert other.get(url).status_code == 404


def test_principal_edit_keeps_wrong_personal_id_as_warning(world, client_for):
    client = client_for(world.principal_a)
    url = reverse("learners:edit", args=[world.learner_an.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update({"personal_id": "001 314 012 345", "date_of_birth": "2014-05-02",
                 "policy_categories": ["poor_household"], "reason": ""})  # fmt: skip
    assert client.post(url, data).status_code == 302
    learner = Learner.objects.get(pk=world.learner_an.pk)
    assert learner.personal_id == "001314012345"
    assert learner.personal_id_status == "warning"
    assert learner.policy_categories == ["poor_household"]
    html = client.get(reverse("learners:detail", args=[learner.pk])).content.decode()
    assert "Chữ số thứ 4 (thế kỷ sinh và giới tính) không khớp" in html


def test_bad_input_is_shown_on_the_field(world, client_for):
    client = client_for(world.principal_a)
    response = client.post(reverse("learners:create"), {
        "institution": world.school_a.pk, "full_name": "", "sex": "M",
        "date_of_birth": "31/02/2014", "nationality": "VN",
    })  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"full_name", "date_of_birth"}
    assert "Hãy sửa các ô được đánh dấu bên dưới." in response.content.decode()
    assert Learner.objects.count() == 9


def test_create_learner_in_a_class(world, client_for):
    client = client_for(world.principal_a)
    response = client.post(reverse("learners:create"), {
        "institution": world.school_a.pk, "current_class": world.class_a1.pk,
        "full_name": "đặng thị ánh", "sex": "F", "date_of_birth": "2014-02-03",
        "nationality": "vn", "enrolled_on": "2025-09-05", "ethnicity_code": "01",
    })  # fmt: skip
    assert response.status_code == 302
    learner = Learner.objects.get(full_name="Đặng Thị Ánh")
    assert response["Location"] == reverse("learners:detail", args=[learner.pk])
    assert learner.current_class == world.class_a1
    assert learner.nationality == "VN"
    assert learner.enrolled_on == dt.date(2025, 9, 5)
    assert learner.education_id == "0100000001"


def test_create_in_a_class_of_another_school_is_refused(world, client_for):
    client = client_for(world.principal_a)
    response = client.post(reverse("learners:create"), {
        "institution": world.school_a.pk, "current_class": world.class_b1.pk,
        "full_name": "Lê Văn Tám", "sex": "M", "nationality": "VN",
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["current_class"]
    assert not Learner.objects.filter(full_name="Lê Văn Tám").exists()


def test_withdraw_needs_a_reason_then_works(world, client_for):
    client = client_for(world.principal_a)
    url = reverse("learners:withdraw", args=[world.learner_binh.pk])
    response = client.post(url, {"on": "2025-10-01", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    response = client.post(url, {"on": "2025-10-01", "reason": "Gia đình chuyển vùng"})
    assert response.status_code == 302
    world.learner_binh.refresh_from_db()
    assert world.learner_binh.status == LearnerStatus.WITHDRAWN
    again = client.post(url, {"on": "2025-10-02", "reason": "Lần hai"})
    assert again.status_code == 200
    assert "Học sinh không còn đang học." in again.content.decode()
    readmit = reverse("learners:readmit", args=[world.learner_binh.pk])
    response = client.post(readmit, {"on": "2025-11-01", "school_class": world.class_a2.pk})
    assert response.status_code == 302
    world.learner_binh.refresh_from_db()
    assert world.learner_binh.status == LearnerStatus.STUDYING
    assert world.learner_binh.current_class == world.class_a2


def test_transfer_by_code_moves_the_record(world, client_for):
    client = client_for(world.principal_a)
    url = reverse("learners:transfer", args=[world.learner_cuong.pk])
    response = client.post(url, {"to_institution": "99999999", "on": "2025-10-01"})
    assert response.context["form"].errors["to_institution"] == [
        "Không có trường nào đang hoạt động với mã 99999999."
    ]
    response = client.post(url, {"to_institution": "01000001", "on": "2025-10-01"})
    assert response.context["form"].errors["to_institution"] == [
        "Trường chuyển đến trùng với trường hiện tại."
    ]
    response = client.post(url, {"to_institution": "79000001", "on": "2025-10-01",
                                 "reason": "Theo gia đình"})  # fmt: skip
    assert response.status_code == 302
    assert client.get(reverse("learners:detail", args=[world.learner_cuong.pk])).status_code == 404
    other = client_for(world.principal_b)
    assert other.get(reverse("learners:detail", args=[world.learner_cuong.pk])).status_code == 200
    kinds = list(
        EnrolmentEvent.objects.filter(learner=world.learner_cuong).values_list("kind", flat=True)
    )
    assert kinds == ["transfer_out", "transfer_in"]


def test_change_class_only_offers_own_school_classes(world, client_for):
    client = client_for(world.principal_a)
    url = reverse("learners:change_class", args=[world.learner_an.pk])
    choices = list(client.get(url).context["form"].fields["school_class"].queryset)
    assert choices == [world.class_a2]
    response = client.post(url, {"school_class": world.class_b1.pk, "on": "2025-10-01"})
    assert response.context["form"].errors["school_class"]
    response = client.post(url, {"school_class": world.class_a2.pk, "on": "2025-10-01"})
    assert response.status_code == 302
    world.learner_an.refresh_from_db()
    assert world.learner_an.current_class == world.class_a2


def test_guardian_add_and_edit(world, client_for):
    client = client_for(world.principal_a)
    url = reverse("learners:guardian_create", args=[world.learner_binh.pk])
    bad = client.post(url, {"relationship": "mother", "full_name": "Lê Thị Mai",
                            "year_of_birth": "1850"})  # fmt: skip
    assert bad.context["form"].errors["year_of_birth"] == ["Năm sinh phải từ 1900 đến năm nay."]
    response = client.post(url, {"relationship": "mother", "full_name": "lê thị mai",
                                 "phone": "0987654321"})  # fmt: skip
    assert response.status_code == 302
    guardian = world.learner_binh.guardians.get()
    assert guardian.full_name == "Lê Thị Mai"
    edit = reverse("learners:guardian_edit", args=[world.learner_binh.pk, guardian.pk])
    client.post(edit, {"relationship": "mother", "full_name": "Lê Thị Mai", "phone": "0911111111"})
    guardian.refresh_from_db()
    assert guardian.phone == "0911111111"
    # A guardian of another learner cannot be reached through this learner.
    an_guardian = world.learner_an.guardians.get()
    wrong = reverse("learners:guardian_edit", args=[world.learner_binh.pk, an_guardian.pk])
    assert client.get(wrong).status_code == 404
    history = client.get(reverse("learners:history", args=[world.learner_binh.pk]))
    assert [r["related"] for r in history.context["rows"]] == ["phụ huynh", "phụ huynh"]


def test_staff_create_and_edit(world, client_for):
    client = client_for(world.principal_a)
    response = client.post(reverse("staff:create"), {
        "institution": world.school_a.pk, "full_name": "ngô thị thu", "sex": "F",
        "position": "teacher", "employment_status": "permanent", "nationality": "VN",
        "subjects": [world.class_a1.teaching_assignments.first().subject_id],
    })  # fmt: skip
    assert response.status_code == 302
    member = world.school_a.staff.get(full_name="Ngô Thị Thu")
    url = reverse("staff:edit", args=[member.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update({"subjects": [s.pk for s in data["subjects"]], "qualification": "master",
                 "reason": "Bằng thạc sĩ"})  # fmt: skip
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.qualification == "master"
    history = client.get(reverse("audit:record", args=["staff", member.pk])).content.decode()
    assert "Thạc sĩ" in history and "Bằng thạc sĩ" in history


def test_class_create_assignments_and_promotion(world, client_for):
    client = client_for(world.principal_a)
    response = client.post(reverse("academics:class_create"), {
        "institution": world.school_a.pk, "school_year": world.year.pk, "grade": 5, "name": "5A",
    })  # fmt: skip
    assert response.context["form"].errors["grade"]
    response = client.post(reverse("academics:class_create"), {
        "institution": world.school_a.pk, "school_year": world.year.pk, "grade": 7,
        "name": " 7A1 ", "homeroom_teacher": world.teacher_a2.pk,
    })  # fmt: skip
    assert response.status_code == 302
    created = world.school_a.classes.get(name="7A1", school_year=world.year)
    url = reverse("academics:assignment_edit", args=[created.pk])
    form = client.get(url).context["form"]
    maths_field = next(n for n, s in form.subjects.items() if s.code == "TOAN")
    assert client.post(url, {maths_field: world.teacher_a1.pk}).status_code == 302
    assert created.teaching_assignments.get().staff_member == world.teacher_a1

    promote = reverse("academics:class_promote", args=[world.class_a1.pk])
    preview = client.post(promote, {
        "next_class": world.class_a1_next.pk, "repeat_class": world.class_a1_repeat.pk,
        "repeaters": [world.learner_cuong.pk], "on": "2026-05-31",
    })  # fmt: skip
    assert preview.status_code == 200
    assert preview.context["preview"] == {"total": 3, "repeat": 1, "promote": 2, "complete": 0}
    assert Learner.objects.get(pk=world.learner_an.pk).current_class == world.class_a1
    done = client.post(promote, {
        "next_class": world.class_a1_next.pk, "repeat_class": world.class_a1_repeat.pk,
        "repeaters": [world.learner_cuong.pk], "on": "2026-05-31", "confirm": "on",
    }, follow=True)  # fmt: skip
    assert "Đã xét lên lớp: 2 lên lớp, 1 lưu ban, 0 hoàn thành cấp học." in done.content.decode()
    assert Learner.objects.get(pk=world.learner_an.pk).current_class == world.class_a1_next
    assert Learner.objects.get(pk=world.learner_cuong.pk).current_class == world.class_a1_repeat


def test_promotion_without_a_target_class_says_so(world, client_for):
    client = client_for(world.principal_a)
    promote = reverse("academics:class_promote", args=[world.class_a1.pk])
    response = client.post(promote, {"on": "2026-05-31", "confirm": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["next_class"] == [
        "Hãy chọn lớp lên cho học sinh được lên lớp."
    ]
