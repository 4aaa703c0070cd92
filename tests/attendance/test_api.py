"""The attendance API: a class's day read and taken, a class's month; scoped like the
pages."""

from django.test import Client

from truongso.accounts.tokens import api_token_create
from truongso.audit.models import AuditEntry

DAY = "2025-10-06"


def _client(user):
    token = api_token_create(actor=user, user=user, name="test")[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_homeroom_teacher_takes_and_reads_a_day_and_the_month(world):
    api = _client(world.teacher_a1_user)
    url = f"/api/v1/attendance/classes/{world.class_a1.pk}/days/{DAY}"
    before = api.get(url).json()
    assert before["taken"] is False
    assert {row["status"] for row in before["learners"]} == {""}
    an = world.learner_an.pk
    response = api.put(url, {"marks": [{"learner": an, "status": "absent_excused"}]},
                       content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json() == {"changed": 1}
    after = api.get(url).json()
    assert after["taken"] is True
    assert [r["status"] for r in after["learners"] if r["learner"] == an] == ["absent_excused"]
    assert AuditEntry.objects.filter(object_type="attendance.attendancemark").count() == 1
    month = api.get(f"/api/v1/attendance/classes/{world.class_a1.pk}/months/2025/10").json()
    assert month["days_taken"] == 1
    assert [(r["learner"], r["excused"], r["absent"]) for r in month["learners"]
            if r["absent"]] == [(an, 1, 1)]  # fmt: skip
    # The same marks again change nothing.
    again = api.put(url, {"marks": [{"learner": an, "status": "absent_excused"}]},
                    content_type="application/json")  # fmt: skip
    assert again.json() == {"changed": 0}


def test_bad_input_and_other_schools(world):
    api = _client(world.teacher_a1_user)
    url = f"/api/v1/attendance/classes/{world.class_a1.pk}/days/{DAY}"
    wrong = api.put(url, {"marks": [{"learner": world.learner_b1.pk, "status": "late"}]},
                    content_type="application/json")  # fmt: skip
    assert wrong.status_code == 422
    future = api.put(f"/api/v1/attendance/classes/{world.class_a1.pk}/days/2099-01-05",
                     {"marks": []}, content_type="application/json")  # fmt: skip
    assert future.status_code == 422
    assert "day" in future.json()["errors"]
    for user in (world.teacher_b_user, world.principal_b, world.province_p2):
        assert _client(user).get(url).status_code == 404
    assert _client(world.province_p1).get(url).status_code == 200
    assert (
        _client(world.province_p1)
        .put(url, {"marks": []}, content_type="application/json")
        .status_code
        == 403
    )
    bad_month = api.get(f"/api/v1/attendance/classes/{world.class_a1.pk}/months/2025/13")
    assert bad_month.status_code == 422
    assert bad_month.json()["errors"] == {"month": ["Tháng phải từ 1 đến 12."]}
