"""The report card API: scoped lists and details, versions, the PDF."""

import pytest
from django.test import Client

from tests.reportcards.gradebook import fill
from truongso.accounts.tokens import api_token_create
from truongso.reportcards import services
from truongso.reportcards.models import ReportCard


def _client(user):
    token = api_token_create(actor=user, user=user, name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    return client


@pytest.fixture
def cards(world):
    fill(world.class_a1)
    services.report_cards_generate(actor=world.principal_a, school_class=world.class_a1)
    return {c.learner_id: c for c in ReportCard.objects.filter(school_class=world.class_a1)}


def test_guardian_lists_only_their_child(world, cards):
    api = _client(world.guardian_an_user)
    body = api.get("/api/v1/report-cards").json()
    assert [item["learner_name"] for item in body["items"]] == ["Nguyễn Văn An"]
    mine = cards[world.learner_an.pk]
    detail = api.get(f"/api/v1/report-cards/{mine.pk}").json()
    assert detail["content"]["learning"]["year"] == "tot"
    assert detail["current_version"] == 1
    other = cards[world.learner_binh.pk]
    assert api.get(f"/api/v1/report-cards/{other.pk}").status_code == 404
    versions = api.get(f"/api/v1/report-cards/{mine.pk}/versions").json()
    assert [v["number"] for v in versions["items"]] == [1]
    assert versions["next_cursor"] is None
    one = api.get(f"/api/v1/report-cards/{mine.pk}/versions/1").json()
    assert one["sha256"] == mine.current_version.sha256
    pdf = api.get(f"/api/v1/report-cards/{mine.pk}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_school_lists_the_class(world, cards):
    api = _client(world.principal_a)
    params = {"class": world.class_a1.pk, "school_year": "2025-2026"}
    body = api.get("/api/v1/report-cards", params).json()
    assert len(body["items"]) == 3
    assert _client(world.principal_b).get("/api/v1/report-cards").json()[
        "items"] == []  # fmt: skip
