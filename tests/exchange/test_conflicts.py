"""Resolving a conflict on its page: accept, merge, or reject with a reason; the
resolution goes back to the school with the answer to its next batch."""

import json

import pytest
from django.urls import reverse

from tests.exchange.helpers import batch, learner_data, record
from tests.world import PASSWORD
from truongso.exchange.models import Conflict, ConflictStatus, InboundRecord
from truongso.exchange.services.nodes import child_node_register
from truongso.learners.models import Learner

PID = "001314012345"


@pytest.fixture
def claimed(world, client):
    """School A's node pushed a learner; school B's node pushed one with the same ID."""
    _a, token_a = child_node_register(actor=None, node_id="thcs-ba-dinh", name="A",
                                      institution_codes=["01000001"])  # fmt: skip
    _b, token_b = child_node_register(actor=None, node_id="thcs-sai-gon", name="B",
                                      institution_codes=["79000001"])  # fmt: skip
    from_a = record("learner", learner_data(pid=PID))
    from_b = record("learner", learner_data(pid=PID, name="Ngô Mai"), code="79000001")
    for token, node_id, rec in (
        (token_a, "thcs-ba-dinh", from_a),
        (token_b, "thcs-sai-gon", from_b),
    ):
        client.post(
            "/api/v1/exchange/batches",
            data=json.dumps(batch(node_id, [rec])),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    return {"token_b": token_b, "from_b": from_b, "conflict": Conflict.objects.get()}


def _next_answer(client, token):
    return client.post("/api/v1/exchange/batches", data=json.dumps(batch("thcs-sai-gon", [])),
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
                       ).json()  # fmt: skip


def test_the_office_of_the_sending_school_sees_and_merges(client, world, claimed):
    conflict = claimed["conflict"]
    client.login(username="so_hcm", password=PASSWORD)
    page = client.get(reverse("exchange:conflicts"))
    assert page.status_code == 200
    assert reverse("exchange:conflict", args=[conflict.pk]) in page.content.decode()
    detail = client.get(reverse("exchange:conflict", args=[conflict.pk]))
    assert "Gộp với học sinh đã có" in detail.content.decode()
    response = client.post(reverse("exchange:conflict", args=[conflict.pk]), {"action": "merge"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    existing = Learner.objects.get(personal_id=PID)
    assert conflict.status == ConflictStatus.MERGED
    assert (
        InboundRecord.objects.get(record_id=claimed["from_b"]["record_id"]).local_id == existing.pk
    )
    assert Learner.objects.filter(personal_id=PID).count() == 1
    # The learner stays at school A with A's data; school B learns the identifier.
    assert existing.full_name == "Ngô Thị Mai"
    answer = _next_answer(client, claimed["token_b"])
    assert answer["resolutions"] == [{"record_id": claimed["from_b"]["record_id"],
                                      "status": "merged", "identifier": existing.education_id,
                                      "note": ""}]  # fmt: skip
    assert _next_answer(client, claimed["token_b"])["resolutions"] == []


def test_accept_makes_a_second_learner_with_its_own_identifier(client, world, claimed):
    client.login(username="so_hcm", password=PASSWORD)
    client.post(reverse("exchange:conflict", args=[claimed["conflict"].pk]), {"action": "accept"})
    learners = Learner.objects.filter(personal_id=PID).order_by("pk")
    assert [(lr.full_name, lr.institution.code) for lr in learners] == [
        ("Ngô Thị Mai", "01000001"), ("Ngô Mai", "79000001")]  # fmt: skip
    assert learners[0].education_id != learners[1].education_id
    answer = _next_answer(client, claimed["token_b"])
    assert answer["resolutions"][0]["identifier"] == learners[1].education_id


def test_reject_needs_a_reason_and_sends_it_back(client, world, claimed):
    conflict = claimed["conflict"]
    client.login(username="so_hcm", password=PASSWORD)
    url = reverse("exchange:conflict", args=[conflict.pk])
    page = client.post(url, {"action": "reject", "note": ""})
    assert page.status_code == 200
    assert "Hãy nhập lý do từ chối." in page.content.decode()
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN
    client.post(url, {"action": "reject", "note": "Học sinh đang học ở trường THCS Ba Đình"})
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolved_by) == (ConflictStatus.REJECTED, world.province_p2)
    answer = _next_answer(client, claimed["token_b"])
    assert answer["resolutions"][0]["status"] == "rejected"
    assert answer["resolutions"][0]["note"] == "Học sinh đang học ở trường THCS Ba Đình"


def test_other_offices_and_schools_cannot_resolve(client, world, claimed):
    conflict = claimed["conflict"]
    url = reverse("exchange:conflict", args=[conflict.pk])
    client.login(username="so_hanoi", password=PASSWORD)
    assert client.get(url).status_code == 404  # the conflict is school B's, in P2
    client.login(username="ht_b", password=PASSWORD)
    assert client.get(url).status_code == 200  # the school sees its own conflict
    assert client.post(url, {"action": "accept"}).status_code == 403
    client.login(username="gv_b", password=PASSWORD)
    assert client.get(reverse("exchange:conflicts")).status_code == 403
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_status_page_shows_each_school_and_its_open_conflicts(client, world, claimed):
    client.login(username="so_hcm", password=PASSWORD)
    page = client.get(reverse("exchange:status"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Trường THCS Sài Gòn" in body
    assert "Trường THCS Ba Đình" not in body
    client.login(username="ht_a", password=PASSWORD)
    body = client.get(reverse("exchange:status")).content.decode()
    assert "Trường THCS Ba Đình" in body and "Trường THCS Sài Gòn" not in body


def test_conflicts_api_lists_the_queue_of_my_schools(client, world, claimed):
    from truongso.accounts.tokens import api_token_create

    _t, raw = api_token_create(actor=None, user=world.province_p2, name="api")
    items = client.get("/api/v1/exchange/conflicts", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [(i["reason"], i["institution_code"], i["record_type"]) for i in items["items"]] == [
        ("personal_id", "79000001", "learner")]  # fmt: skip
    _t, raw = api_token_create(actor=None, user=world.province_p1, name="api")
    items = client.get("/api/v1/exchange/conflicts", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert items["items"] == []
