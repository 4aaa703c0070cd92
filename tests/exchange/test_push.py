"""The sending side: the change log, batches resent unchanged until answered, answers."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from truongso.exchange.models import OutboxRecord, OutgoingBatch
from truongso.exchange.services.outbox import batch_preview
from truongso.exchange.services.push import PushFailed, exchange_push
from truongso.learners.models import Learner
from truongso.learners.services import learner_create, learner_update


class FakeParent:
    """Answers every record as applied; gives learners identifiers; can fail once."""

    def __init__(self, fail_at=None):
        self.payloads = []
        self.fail_at = fail_at
        self.serial = 500

    def __call__(self, payload):
        self.payloads.append(payload)
        if self.fail_at == len(self.payloads):
            raise PushFailed("connection reset")
        identifiers = {}
        for rec in payload["records"]:
            if rec["type"] == "learner" and rec["event"] == "new":
                self.serial += 1
                identifiers[rec["record_id"]] = f"01{self.serial:08d}"
        return {"batch_id": payload["batch_id"], "cursor": payload["cursor"], "replayed": False,
                "applied": [{"record_id": r["record_id"], "version": r["version"]}
                            for r in payload["records"]],
                "skipped": [], "deferred": [], "conflicts": [], "identifiers": identifiers,
                "resolutions": []}  # fmt: skip


@pytest.fixture
def node(settings):
    settings.EXCHANGE_NODE_ID = "tinh-thu"
    settings.EXCHANGE_BATCH_SIZE = 8


def test_first_push_sends_every_record_in_order_and_keeps_the_identifiers(world, node):
    parent = FakeParent()
    report = exchange_push(transport=parent)
    assert (report.batches, report.sent, report.applied, report.identifiers) == (3, 23, 23, 9)
    types = [r["type"] for p in parent.payloads for r in p["records"]]
    assert types == (["institution"] * 3 + ["staff"] * 3 + ["class"] * 5 + ["learner"] * 9
                     + ["guardian"] + ["teaching_assignment"] * 2)  # fmt: skip
    assert {r["event"] for p in parent.payloads for r in p["records"]} == {"new"}
    assert [p["cursor"] for p in parent.payloads] == [1, 2, 3]
    assert sorted(Learner.objects.values_list("education_id", flat=True)) == [
        f"01{n:08d}" for n in range(501, 510)
    ]
    # The identifiers came from the parent: nothing to send back.
    assert exchange_push(transport=parent).batches == 0


def test_a_failed_batch_is_resent_unchanged_before_anything_else(world, node):
    parent = FakeParent(fail_at=2)
    report = exchange_push(transport=parent)
    assert report.batches == 1
    assert report.error == "connection reset"
    waiting = OutgoingBatch.objects.get(acknowledged_at__isnull=True)
    assert (waiting.cursor, waiting.last_error, waiting.attempts) == (2, "connection reset", 1)
    learner_update(actor=world.principal_a, learner=world.learner_an, fields={"phone": "0901"})
    report = exchange_push(transport=parent)
    assert report.error == ""
    assert parent.payloads[2] == parent.payloads[1]  # the same batch, byte for byte
    assert [p["cursor"] for p in parent.payloads] == [1, 2, 2, 3]
    assert not OutboxRecord.objects.filter(sent_version=0).exists()
    record = OutboxRecord.objects.get(record_type="learner", local_id=world.learner_an.pk)
    assert (record.version, record.sent_version) == (2, 2)


def test_a_change_is_an_update_with_the_next_version_and_a_deletion_a_cancel(world, node):
    exchange_push(transport=FakeParent())
    learner_update(actor=world.principal_a, learner=world.learner_binh, fields={"phone": "0902"})
    Learner.objects.filter(pk=world.learner_giang.pk).delete()
    preview = batch_preview()
    assert [(e["type"], e["event"], e["version"]) for e in preview] == [
        ("learner", "update", 2), ("learner", "cancel", 2)]  # fmt: skip
    assert preview[0]["data"]["phone"] == "0902"
    assert preview[1]["data"] == {}
    assert OutgoingBatch.objects.count() == 3  # the preview stored nothing


def test_dry_run_command_lists_without_sending(world, node, capsys):
    call_command("exchange", "push", "--dry-run")
    out = capsys.readouterr().out
    assert "23 record(s) would be sent; nothing was sent." in out
    assert not OutgoingBatch.objects.exists()


def test_a_mirror_node_refuses_to_create_learners(world, settings):
    settings.EXCHANGE_ROLE = "mirror"
    with pytest.raises(ValidationError) as error:
        learner_create(actor=world.principal_a, institution=world.school_a,
                       fields={"full_name": "Ngô Thị Mai", "sex": "F"})  # fmt: skip
    assert "chỉ được tạo trên cơ sở dữ liệu ngành" in error.value.messages[0]
    settings.EXCHANGE_ROLE = "master"
    learner = learner_create(actor=world.principal_a, institution=world.school_a,
                             fields={"full_name": "Ngô Thị Mai", "sex": "F"})  # fmt: skip
    assert learner.pk is not None
