"""Invalid input is a 422 whose body names each field at fault and says what is wrong."""

import pytest

from truongso.audit.models import AuditEntry
from truongso.learners.models import Learner


def _errors(response):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Dữ liệu không hợp lệ."
    return body["errors"]


def test_learner_create_names_missing_and_wrong_fields(world, api_as):
    errors = _errors(
        api_as(world.principal_a).post(
            "/learners",
            {
                "institution": world.school_a.pk,
                "sex": "X",
                "date_of_birth": "03/02/2014",
                "fullname": "Lê Văn Tám",
            },
        )  # fmt: skip
    )
    assert errors == {
        "full_name": ["Trường này là bắt buộc."],
        "sex": ["Giá trị không hợp lệ; chọn một trong: 'M', 'F'."],
        "date_of_birth": ["Hãy nhập ngày theo dạng YYYY-MM-DD."],
        "fullname": ["Trường này không được nhận."],
    }
    assert Learner.objects.count() == 9


def test_learner_create_model_errors_name_the_field(world, api_as):
    errors = _errors(
        api_as(world.principal_a).post(
            "/learners",
            {
                "institution": world.school_a.pk,
                "full_name": "Lê Văn Tám",
                "sex": "M",
                "personal_id": "0012140123456",
                "policy_categories": ["rich"],
            },
        )  # fmt: skip
    )
    assert set(errors) == {"personal_id", "policy_categories.0"}
    assert errors["personal_id"] == ["Tối đa 12 ký tự."]


def test_learner_in_a_class_of_another_school(world, api_as):
    errors = _errors(
        api_as(world.principal_a).post(
            "/learners",
            {
                "institution": world.school_a.pk,
                "current_class": world.class_b1.pk,
                "full_name": "Lê Văn Tám",
                "sex": "M",
            },
        )  # fmt: skip
    )
    assert errors == {"current_class": ["Không tìm thấy bản ghi được chỉ định."]}


def test_service_validation_names_the_field(world, api_as):
    client = api_as(world.principal_a)
    errors = _errors(
        client.post(
            "/learners",
            {
                "institution": world.school_a.pk,
                "current_class": world.class_a1.pk,
                "full_name": "   ",
                "sex": "M",
            },
        )  # fmt: skip
    )
    assert errors == {"full_name": ["Trường này không được để trắng."]}
    errors = _errors(client.patch(f"/learners/{world.learner_an.pk}", {"nationality": "VNM"}))
    assert errors == {"nationality": ["Tối đa 2 ký tự."]}


def test_class_errors(world, api_as):
    client = api_as(world.principal_a)
    errors = _errors(
        client.post(
            "/classes",
            {
                "institution": world.school_a.pk,
                "school_year": "2025-2026",
                "grade": 10,
                "name": "10A1",
            },
        )  # fmt: skip
    )
    assert errors == {"grade": ["Trường Trường THCS Ba Đình không có khối 10."]}
    errors = _errors(
        client.post(
            "/classes",
            {
                "institution": world.school_a.pk,
                "school_year": "2025-2026",
                "grade": 6,
                "name": "6A1",
            },
        )  # fmt: skip
    )
    assert list(errors) == ["__all__"]
    errors = _errors(
        client.post(
            "/classes",
            {
                "institution": world.school_a.pk,
                "school_year": "2030-2031",
                "grade": 6,
                "name": "6A9",
                "homeroom_teacher": world.teacher_b.pk,
            },
        )  # fmt: skip
    )
    assert errors == {"school_year": ["Không tìm thấy bản ghi được chỉ định."]}
    errors = _errors(client.patch(f"/classes/{world.class_a1.pk}", {"grade": 13}))
    assert errors == {"grade": ["Giá trị phải nhỏ hơn hoặc bằng 12."]}


def test_actions_errors(world, api_as):
    client = api_as(world.principal_a)
    an = world.learner_an.pk
    assert _errors(client.post(f"/learners/{an}/withdraw", {"reason": "  "})) == {
        "reason": ["Hãy nhập lý do."]
    }
    assert _errors(client.post(f"/learners/{an}/drop-out", {})) == {
        "reason": ["Trường này là bắt buộc."]
    }
    assert _errors(
        client.post(f"/learners/{an}/transfer", {"to_institution": world.school_a.pk})
    ) == {"to_institution": ["Trường chuyển đến trùng với trường hiện tại."]}
    assert _errors(client.post(f"/learners/{an}/transfer", {"to_institution": 999999})) == {
        "to_institution": ["Không tìm thấy bản ghi được chỉ định."]
    }
    # A class of another school is not found for this school.
    assert _errors(
        client.post(f"/learners/{an}/change-class", {"to_class": world.class_b1.pk})
    ) == {"to_class": ["Không tìm thấy bản ghi được chỉ định."]}
    assert _errors(
        client.post(f"/learners/{an}/change-class", {"on": "yesterday", "to_class": 1})
    ) == {"on": ["Hãy nhập ngày theo dạng YYYY-MM-DD."]}
    assert AuditEntry.objects.exclude(object_type="accounts.apitoken").count() == 0


def test_ministry_sees_a_class_of_another_school_but_change_class_checks_it(world, api_as):
    # The office may read both schools but cannot move learners at all.
    response = api_as(world.ministry).post(
        f"/learners/{world.learner_an.pk}/change-class", {"to_class": world.class_b1.pk}
    )
    assert response.status_code == 403


def test_institution_errors(world, api_as):
    client = api_as(world.province_p1)
    errors = _errors(client.patch(f"/institutions/{world.school_a.pk}", {"commune": world.p1.pk}))
    assert errors == {"commune": ["Hãy chọn một xã, phường hoặc đặc khu."]}
    errors = _errors(
        client.patch(f"/institutions/{world.school_a.pk}", {"grade_from": 9, "grade_to": 6})
    )
    assert errors == {"grade_to": ["Khối cuối phải không nhỏ hơn khối đầu."]}
    errors = _errors(client.patch(f"/institutions/{world.school_a.pk}", {"latitude": "abc"}))
    assert errors == {"latitude": ["Hãy nhập một số."]}
    errors = _errors(client.patch(f"/institutions/{world.school_a.pk}", {"email": "not-an-email"}))
    assert list(errors) == ["email"]
    errors = _errors(
        client.post(
            "/institutions",
            {
                "code": "01000001",
                "name": "Trùng mã",
                "kind": "primary",
                "commune": world.c1.pk,
                "managing_unit": world.p1.pk,
            },
        )  # fmt: skip
    )
    assert list(errors) == ["code"]


def test_staff_errors(world, api_as):
    client = api_as(world.principal_a)
    errors = _errors(client.patch(f"/staff/{world.teacher_a1.pk}", {"subjects": ["TOAN", "XYZ"]}))
    assert errors == {"subjects": ["Không có môn học mã XYZ."]}
    errors = _errors(client.patch(f"/staff/{world.teacher_a1.pk}", {"position": "boss"}))
    assert list(errors) == ["position"]


def test_a_body_that_is_not_json(world, api_as):
    client = api_as(world.principal_a)
    response = client.client.post(
        "/api/v1/learners", "{not json", content_type="application/json",
        headers=client._headers(),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"detail": "Nội dung gửi lên không phải JSON hợp lệ."}


@pytest.mark.parametrize("body", ["[]", '"text"', "1"])
def test_a_body_that_is_not_an_object(world, api_as, body):
    client = api_as(world.principal_a)
    response = client.client.post(
        "/api/v1/learners", body, content_type="application/json", headers=client._headers()
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["Nội dung gửi lên phải là một đối tượng JSON ({...})."]
    }
