"""Sync state per school: at the sending node (last acknowledged push, pending, refused)
and at the parent (last batch received, records received, open conflicts), each seen
only by the school itself and the offices over it."""

import json

import pytest
from django.urls import reverse

from tests.exchange.helpers import batch, class_data, learner_data, record
from tests.exchange.test_push import FakeParent
from tests.world import PASSWORD
from truongso.exchange.models import ReceivedBatch
from truongso.exchange.selectors import school_sync_list
from truongso.exchange.services.nodes import child_node_register
from truongso.exchange.services.push import exchange_push
from truongso.learners.services import learner_update


def _sending(rows):
    return [(r.institution.code, r.pushed, r.last_acknowledged_cursor, r.pending, r.refused,
             r.records_sent) for r in rows]  # fmt: skip


class RefusingParent(FakeParent):
    """Queues the records of one learner (by record id) as a conflict."""

    def __init__(self, refuse):
        super().__init__()
        self.refuse = refuse

    def __call__(self, payload):
        answer = super().__call__(payload)
        for rec in payload["records"]:
            if rec["record_id"] == self.refuse:
                answer["applied"].remove({"record_id": rec["record_id"],
                                          "version": rec["version"]})  # fmt: skip
                answer["conflicts"].append({"record_id": rec["record_id"],
                                            "version": rec["version"], "reason": "personal_id",
                                            "message": "Trùng số định danh"})  # fmt: skip
                answer["identifiers"].pop(rec["record_id"], None)
        return answer


@pytest.fixture
def pushed(world, settings):
    """This node pushed its three schools; the parent queued Nguyễn Văn An (school A)."""
    from truongso.exchange.models import OutboxRecord
    from truongso.exchange.services.outbox import outbox_collect

    settings.EXCHANGE_NODE_ID = "tinh-thu"
    settings.EXCHANGE_PARENT_URL = "http://127.0.0.1:9"
    settings.EXCHANGE_BATCH_SIZE = 8
    outbox_collect()
    an = OutboxRecord.objects.get(record_type="learner", local_id=world.learner_an.pk)
    exchange_push(transport=RefusingParent(str(an.record_id)))
    learner_update(actor=world.principal_a, learner=world.learner_binh, fields={"phone": "0902"})


def test_a_school_sees_only_its_own_push_state(world, pushed):
    # Batches of 8: school A's last records (learners, guardian, assignments) went in
    # batch 3, the primary school's only record (the institution) in batch 1.
    rows = school_sync_list(actor=world.principal_a)
    assert _sending(rows) == [("01000001", True, 3, 0, 1, 16)]
    assert rows[0].last_acknowledged_at is not None
    assert _sending(school_sync_list(actor=world.principal_b)) == [
        ("79000001", True, 3, 0, 0, 6)]  # fmt: skip
    assert school_sync_list(actor=world.teacher_a1_user) == []


def test_an_office_sees_the_push_state_of_its_schools_only(world, pushed):
    from truongso.exchange.services.outbox import outbox_collect

    # Changes are counted once the change log has seen them (at each push).
    assert _sending(school_sync_list(actor=world.province_p1))[0][3] == 0
    outbox_collect()  # Bình's new phone
    assert _sending(school_sync_list(actor=world.province_p1)) == [
        ("01000001", True, 3, 1, 1, 16), ("01000002", True, 1, 0, 0, 1)]  # fmt: skip
    assert _sending(school_sync_list(actor=world.province_p2)) == [
        ("79000001", True, 3, 0, 0, 6)]  # fmt: skip


def test_the_sync_page_shows_the_school_its_own_row(client, world, pushed):
    client.login(username="ht_a", password=PASSWORD)
    body = client.get(reverse("exchange:status")).content.decode()
    assert 'data-school="01000001"' in body
    assert 'data-school="01000002"' not in body and 'data-school="79000001"' not in body
    assert '<small class="muted">#3</small>' in body


# At the parent ---------------------------------------------------------------------


def _post(client, token, node_id, records, cursor):
    return client.post("/api/v1/exchange/batches",
                       data=json.dumps(batch(node_id, records, cursor=cursor)),
                       content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}").json()  # fmt: skip


@pytest.fixture
def received(world, client):
    """School A's node sent two batches (the second with a learner in conflict with
    school B's), school B's node one; school A2 sent nothing."""
    _a, token_a = child_node_register(actor=None, node_id="thcs-ba-dinh", name="A",
                                      institution_codes=["01000001", "01000002"])  # fmt: skip
    _b, token_b = child_node_register(actor=None, node_id="thcs-sai-gon", name="B",
                                      institution_codes=["79000001"])  # fmt: skip
    cls = record("class", class_data())
    _post(client, token_a, "thcs-ba-dinh",
          [cls, record("learner", learner_data(school_class=cls["record_id"]))], 1)  # fmt: skip
    _post(client, token_b, "thcs-sai-gon",
          [record("learner", learner_data(name="Đỗ Văn Tú", pid="079214000111"),
                  code="79000001")], 1)  # fmt: skip
    _post(client, token_a, "thcs-ba-dinh",
          [record("learner", learner_data(name="Đỗ Văn Tú", pid="079214000111"))], 2)  # fmt: skip


def _receiving(rows):
    return [(r.institution.code, r.received_cursor, r.received_node, r.received_records,
             r.open_conflicts) for r in rows]  # fmt: skip


def test_an_office_sees_what_the_parent_received_from_its_schools(world, received):
    assert _receiving(school_sync_list(actor=world.province_p1)) == [
        ("01000001", 2, "thcs-ba-dinh", 3, 1), ("01000002", 0, "", 0, 0)]  # fmt: skip
    assert _receiving(school_sync_list(actor=world.province_p2)) == [
        ("79000001", 1, "thcs-sai-gon", 1, 0)]  # fmt: skip
    row = school_sync_list(actor=world.province_p1)[0]
    last = ReceivedBatch.objects.get(node__node_id="thcs-ba-dinh", cursor=2)
    assert row.received_at == last.received_at
    assert [r.institution.code for r in school_sync_list(actor=world.ministry)] == [
        "01000001", "79000001", "01000002"]  # fmt: skip


def test_at_the_parent_a_school_sees_only_what_it_sent(client, world, received):
    assert _receiving(school_sync_list(actor=world.principal_b)) == [
        ("79000001", 1, "thcs-sai-gon", 1, 0)]  # fmt: skip
    client.login(username="so_hcm", password=PASSWORD)
    body = client.get(reverse("exchange:status")).content.decode()
    assert 'data-school="79000001"' in body and 'data-school="01000001"' not in body
    assert "#1 · thcs-sai-gon" in body
    client.login(username="so_hanoi", password=PASSWORD)
    body = client.get(reverse("exchange:status")).content.decode()
    assert "#2 · thcs-ba-dinh" in body and 'data-school="79000001"' not in body
