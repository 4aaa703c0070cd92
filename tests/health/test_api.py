from django.test import Client

from truongso.accounts.tokens import api_token_create
from truongso.health.models import Checkup, HealthRecordView


def _client(user):
    token = api_token_create(actor=user, user=user, name="test")[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_record_list_and_summary(world, nurse, campaign):
    api = _client(nurse)
    url = f"/api/v1/health/campaigns/{campaign.pk}/classes/{world.class_a1.pk}/checkups"
    body = api.post(url, {"rows": [
        {"learner": world.learner_an.pk, "height": "145", "weight": "36.5"},
        {"learner": world.learner_binh.pk, "height": "145", "weight": "abc"},
    ]}, content_type="application/json").json()  # fmt: skip
    assert body == {
        "saved": 1, "unchanged": 0, "skipped": 0, "warnings": {},
        "errors": [{"learner": world.learner_binh.pk, "column": "weight",
                    "message": "Cân nặng “abc” không phải là số."}],
    }  # fmt: skip
    listed = api.get(url).json()
    assert [(i["learner_name"], i["haz"], i["baz"], i["nutrition"]) for i in listed["items"]] == [
        ("Nguyễn Văn An", "0.00", "0.12", "normal")
    ]
    assert list(HealthRecordView.objects.values_list("viewer_id", "learner_id", "channel")) == [
        (nurse.pk, world.learner_an.pk, "api")
    ]
    summary = (
        _client(world.province_p1)
        .get(f"/api/v1/health/summary?institution={world.school_a.pk}")
        .json()
    )
    assert summary["total"]["checked"] == 1
    assert [c["label"] for c in summary["classes"]] == ["6A1", "6A2"]
    assert (
        _client(world.province_p2)
        .get(f"/api/v1/health/summary?institution={world.school_a.pk}")
        .status_code
        == 404
    )


def test_api_per_learner_scope(world, nurse, campaign):
    Checkup.objects.all().delete()
    url = f"/api/v1/health/learners/{world.learner_an.pk}/checkups"
    assert _client(world.guardian_an_user).get(url).status_code == 200
    for user in (world.staff_a, world.province_p1, world.teacher_a2_user, world.principal_b):
        assert _client(user).get(url).status_code == 404
    assert _client(world.teacher_a1_user).post(
        f"/api/v1/health/campaigns/{campaign.pk}/classes/{world.class_a1.pk}/checkups",
        {"rows": []}, content_type="application/json",
    ).status_code == 403  # fmt: skip
    assert list(HealthRecordView.objects.values_list("viewer_id", flat=True)) == [
        world.guardian_an_user.pk
    ]
