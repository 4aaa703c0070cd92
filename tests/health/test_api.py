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


def test_vaccinations_and_insurance_card(world, nurse):
    import datetime as dt

    from truongso.audit.models import AuditEntry
    from truongso.health.models import InsuranceCard, Vaccination

    api = _client(nurse)
    an = world.learner_an.pk
    base = f"/api/v1/health/learners/{an}"
    made = api.post(f"{base}/vaccinations", {"vaccine": "mr", "dose": 2, "date": "2021-05-04"},
                    content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["dose"] == 2
    again = api.post(f"{base}/vaccinations", {"vaccine": "mr", "dose": 2, "date": "2021-05-04"},
                     content_type="application/json")  # fmt: skip
    assert again.status_code == 422
    assert again.json()["errors"] == {"dose": ["Mũi này đã được ghi."]}
    listed = api.get(f"{base}/vaccinations").json()
    assert [(v["vaccine"], v["dose"], v["date"]) for v in listed["items"]] == [
        ("mr", 2, "2021-05-04")
    ]
    card = api.put(f"{base}/insurance-card", {
        "number": "hs 4 01 0123456789", "valid_from": "2025-01-01", "valid_to": "2025-12-31"},
        content_type="application/json")  # fmt: skip
    assert card.status_code == 200, card.content
    assert card.json()["number"] == "HS4010123456789"
    assert api.get(f"{base}/insurance-card").json()["valid_to"] == "2025-12-31"
    # The homeroom teacher reads (logged) but may not record; school staff see nothing.
    teacher = _client(world.teacher_a1_user)
    assert teacher.get(f"{base}/vaccinations").status_code == 200
    assert (
        teacher.post(
            f"{base}/vaccinations",
            {"vaccine": "mr", "dose": 1, "date": "2020-05-04"},
            content_type="application/json",  # fmt: skip
        ).status_code
        == 403
    )
    for user in (world.staff_a, world.province_p1, world.principal_b):
        assert _client(user).get(f"{base}/insurance-card").status_code == 404
        assert _client(user).get(f"{base}/vaccinations").status_code == 404
    viewers = set(HealthRecordView.objects.filter(learner_id=an).values_list(
        "viewer_id", "what"))  # fmt: skip
    assert viewers == {(nurse.pk, "vaccinations"), (nurse.pk, "insurance"),
                       (world.teacher_a1_user.pk, "vaccinations")}  # fmt: skip
    vaccination = Vaccination.objects.get(learner_id=an)
    gone = api.delete(f"{base}/vaccinations/{vaccination.pk}")
    assert gone.status_code == 204
    assert not Vaccination.objects.filter(learner_id=an).exists()
    assert set(AuditEntry.objects.filter(action__startswith="health.").values_list(
        "action", flat=True)) == {"health.vaccination_add", "health.vaccination_delete",
                                  "health.insurance_card_set"}  # fmt: skip
    assert InsuranceCard.objects.get(learner_id=an).valid_from == dt.date(2025, 1, 1)
