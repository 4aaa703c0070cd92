"""The parent's side: batches applied once, in version order; conflicts queued."""

import json

import pytest

from tests.exchange.helpers import batch, class_data, learner_data, record
from truongso.exchange.models import Conflict, InboundRecord, ReceivedBatch
from truongso.exchange.services.nodes import child_node_register
from truongso.learners.models import EnrolmentEvent, Learner


@pytest.fixture
def nodes(world):
    node_a, token_a = child_node_register(actor=None, node_id="thcs-ba-dinh", name="A",
                                          institution_codes=["01000001"])  # fmt: skip
    node_b, token_b = child_node_register(actor=None, node_id="thcs-sai-gon", name="B",
                                          institution_codes=["79000001"])  # fmt: skip
    return {"a": (node_a, token_a), "b": (node_b, token_b)}


def post(client, token, payload):
    return client.post(
        "/api/v1/exchange/batches",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_batch_creates_the_class_and_the_learner_and_returns_the_identifier(client, nodes):
    _node, token = nodes["a"]
    cls = record("class", class_data())
    learner = record("learner", learner_data(school_class=cls["record_id"]))
    response = post(client, token, batch("thcs-ba-dinh", [cls, learner]))
    assert response.status_code == 200
    answer = response.json()
    assert answer["replayed"] is False
    assert [a["record_id"] for a in answer["applied"]] == [cls["record_id"], learner["record_id"]]
    # No learner of the world has an identifier yet: the first one of province 01.
    assert answer["identifiers"] == {learner["record_id"]: "0100000001"}
    created = Learner.objects.get(education_id="0100000001")
    assert (created.full_name, created.current_class.name, created.institution.code) == (
        "Ngô Thị Mai", "6A9", "01000001")  # fmt: skip


def test_the_same_batch_twice_changes_nothing(client, nodes):
    _node, token = nodes["a"]
    payload = batch("thcs-ba-dinh", [record("learner", learner_data())])
    first = post(client, token, payload).json()
    learners = Learner.objects.count()
    second = post(client, token, payload).json()
    assert second["replayed"] is True
    assert second["applied"] == first["applied"]
    assert second["identifiers"] == first["identifiers"]
    assert Learner.objects.count() == learners
    assert ReceivedBatch.objects.count() == 1


def test_batches_out_of_order_keep_the_newest_version(client, nodes):
    _node, token = nodes["a"]
    rid = "7d1c3c1e-0000-4000-8000-000000000001"
    v1 = record("learner", learner_data(name="Ngô Thị Mai"), record_id=rid)
    v2 = record("learner", learner_data(name="Ngô Thị Mai Anh"), record_id=rid, version=2,
                event="update")  # fmt: skip
    later = post(client, token, batch("thcs-ba-dinh", [v2], cursor=2)).json()
    earlier = post(client, token, batch("thcs-ba-dinh", [v1], cursor=1)).json()
    assert later["applied"] == [{"record_id": rid, "version": 2, "reason": None, "message": None}]
    assert earlier["applied"] == []
    assert earlier["skipped"] == [
        {"record_id": rid, "version": 1, "reason": "older", "message": None}
    ]
    inbound = InboundRecord.objects.get(record_id=rid)
    assert inbound.version == 2
    assert Learner.objects.get(pk=inbound.local_id).full_name == "Ngô Thị Mai Anh"
    assert Learner.objects.filter(search_name__startswith="ngo thi mai").count() == 1


def test_a_record_whose_class_has_not_arrived_is_deferred_then_applied(client, nodes):
    _node, token = nodes["a"]
    cls = record("class", class_data())
    learner = record("learner", learner_data(school_class=cls["record_id"]))
    event = record("enrolment_event", {
        "learner": learner["record_id"], "kind": "admit", "occurred_on": "2025-09-05",
        "school_year": "2025-2026", "from_class": None, "to_class": cls["record_id"],
        "grade": 6, "other_institution_code": "", "reason": "",
    })  # fmt: skip
    first = post(client, token, batch("thcs-ba-dinh", [learner, event], cursor=2)).json()
    assert [d["record_id"] for d in first["deferred"]] == [learner["record_id"], event["record_id"]]
    assert not InboundRecord.objects.exists()
    post(client, token, batch("thcs-ba-dinh", [cls], cursor=1))
    second = post(client, token, batch("thcs-ba-dinh", [learner, event], cursor=3)).json()
    assert len(second["applied"]) == 2
    admitted = EnrolmentEvent.objects.get(learner__education_id="0100000001")
    assert (admitted.kind, admitted.to_class.name) == ("admit", "6A9")


def test_a_school_not_registered_for_the_node_goes_to_the_queue(client, nodes):
    _node, token = nodes["a"]
    rec = record("learner", learner_data(), code="79000001")
    answer = post(client, token, batch("thcs-ba-dinh", [rec])).json()
    assert answer["conflicts"][0]["reason"] == "unknown_institution"
    conflict = Conflict.objects.get()
    assert (conflict.status, conflict.payload["record_id"]) == ("open", rec["record_id"])


def test_unknown_commune_of_an_institution_goes_to_the_queue(client, nodes):
    _node, token = nodes["a"]
    rec = record("institution", {
        "code": "01000001", "name": "Trường THCS Ba Đình", "kind": "lower_secondary",
        "grade_from": 6, "grade_to": 9, "ownership": "1", "address": "", "phone": "",
        "email": "", "website": "", "is_active": True, "commune_code": "99999",
    })  # fmt: skip
    answer = post(client, token, batch("thcs-ba-dinh", [rec])).json()
    assert answer["conflicts"][0]["reason"] == "unknown_unit"
    assert "99999" in answer["conflicts"][0]["message"]


def test_a_token_that_is_not_a_node_is_refused(client, nodes, world):
    from truongso.accounts.tokens import api_token_create

    _token, raw = api_token_create(actor=None, user=world.principal_a, name="x")
    response = post(client, raw, batch("thcs-ba-dinh", []))
    assert response.status_code == 403
    assert post(client, "wrong", batch("thcs-ba-dinh", [])).status_code == 401


def test_a_batch_with_a_bad_record_is_refused_whole_with_the_field_named(client, nodes):
    _node, token = nodes["a"]
    bad = record("learner", learner_data())
    bad["version"] = 0
    response = post(client, token, batch("thcs-ba-dinh", [bad]))
    assert response.status_code == 422
    assert not Learner.objects.filter(full_name="Ngô Thị Mai").exists()


def test_two_schools_claim_the_same_learner(client, nodes, world):
    _a, token_a = nodes["a"]
    _b, token_b = nodes["b"]
    pid = "001314012345"
    from_a = record("learner", learner_data(pid=pid))
    from_b = record("learner", learner_data(pid=pid), code="79000001")
    assert post(client, token_a, batch("thcs-ba-dinh", [from_a])).json()["applied"]
    answer = post(client, token_b, batch("thcs-sai-gon", [from_b])).json()
    assert answer["applied"] == []
    assert answer["conflicts"][0]["reason"] == "personal_id"
    assert answer["identifiers"] == {}
    conflict = Conflict.objects.get()
    existing = Learner.objects.get(personal_id=pid)
    assert conflict.existing_learner == existing
    assert conflict.institution_id == world.school_b.pk
    assert Learner.objects.filter(personal_id=pid).count() == 1

    # A newer version of the record waits in the same conflict (nothing dropped).
    newer = {**from_b, "version": 2, "event": "update",
             "data": {**from_b["data"], "address": "Số 5 Lê Lợi"}}  # fmt: skip
    again = post(client, token_b, batch("thcs-sai-gon", [newer], cursor=2)).json()
    assert again["conflicts"][0]["version"] == 2
    conflict.refresh_from_db()
    assert (conflict.version, conflict.payload["data"]["address"]) == (2, "Số 5 Lê Lợi")
    assert Conflict.objects.count() == 1
