"""Results, guardians and teaching assignments: sent after what they refer to, kept at
the parent as received, in version order, held back or queued, never dropped."""

import json
from decimal import Decimal

import pytest

from tests.exchange.helpers import batch, class_data, learner_data, record, store_results
from tests.exchange.test_push import FakeParent
from truongso.academics.models import SchoolClass, TeachingAssignment
from truongso.assessment.models import LearnerTermResult, LearnerYearResult, SubjectResult
from truongso.audit.models import AuditEntry
from truongso.exchange.models import Conflict, OutboxRecord, ReceivedResult
from truongso.exchange.services.conflicts import MERGE, REJECT, conflict_resolve
from truongso.exchange.services.nodes import child_node_register
from truongso.exchange.services.outbox import batch_preview
from truongso.exchange.services.push import exchange_push
from truongso.learners.models import Guardian, Learner

# Sending side ---------------------------------------------------------------------


@pytest.fixture
def node(settings):
    settings.EXCHANGE_NODE_ID = "tinh-thu"
    settings.EXCHANGE_BATCH_SIZE = 8


def _rid(record_type, local_id):
    return str(OutboxRecord.objects.get(record_type=record_type, local_id=local_id).record_id)


def test_results_guardians_and_assignments_go_up_after_what_they_refer_to(world, node):
    store_results(world.learner_an, world.class_a1, world.year)
    parent = FakeParent()
    report = exchange_push(transport=parent)
    assert (report.batches, report.sent, report.applied) == (4, 25, 25)
    records = [r for p in parent.payloads for r in p["records"]]
    assert [r["type"] for r in records][-5:] == [
        "guardian", "teaching_assignment", "teaching_assignment", "result", "result"]  # fmt: skip
    learner = _rid("learner", world.learner_an.pk)
    school_class = _rid("class", world.class_a1.pk)
    guardian, _first, _second, term, year = records[-5:]
    # The two assignments of 6A1 go up in no particular order between themselves.
    assignments = {r["data"]["subject"]: r["data"] for r in records[-4:-2]}
    assert (guardian["institution_code"], guardian["data"]) == ("01000001", {
        "learner": learner, "relationship": "father", "full_name": "Nguyễn Văn Ba",
        "phone": "0912345678"})  # fmt: skip
    assert assignments["TOAN"] == {"school_class": school_class, "subject": "TOAN",
                                   "staff_member": _rid("staff", world.teacher_a1.pk)}  # fmt: skip
    assert set(assignments) == {"TOAN", "NV"}
    subjects = [
        {"subject": "NV", "average": "7.0", "rating": "", "missing": []},
        {"subject": "TOAN", "average": "8.5", "rating": "", "missing": []},
    ]
    assert term["data"] == {
        "learner": learner, "school_year": "2025-2026", "period": 1,
        "school_class": school_class, "rule_set": "tt22-2021@1", "learning": "kha",
        "learning_base": "kha", "conduct": "tot", "days_absent": 2, "missing": [],
        "subjects": subjects,
    }  # fmt: skip
    assert year["data"] == {
        "learner": learner, "school_year": "2025-2026", "period": 0,
        "school_class": school_class, "rule_set": "tt22-2021@1", "learning": "kha",
        "learning_base": "kha", "conduct": "tot", "days_absent": 3, "missing": [],
        "promotion": "promoted", "promotion_reason": "", "retest_subjects": [], "award": "",
        "summer_outcome": "", "summer_subjects": [], "summer_learning": "",
        "summer_conduct": "", "summer_missing": [], "subjects": subjects,
    }  # fmt: skip


def test_results_rewritten_unchanged_send_nothing_and_a_change_is_the_next_version(world, node):
    store_results(world.learner_an, world.class_a1, world.year)
    exchange_push(transport=FakeParent())
    term_record = OutboxRecord.objects.get(record_type="result", local_key__endswith=":1")
    # A bulk recompute deletes and writes the rows again: the same record, nothing new.
    for model in (SubjectResult, LearnerTermResult, LearnerYearResult):
        model.objects.all().delete()
    store_results(world.learner_an, world.class_a1, world.year)
    assert batch_preview() == []
    SubjectResult.objects.filter(period=1, subject__code="TOAN").update(average=Decimal("9.0"))
    preview = batch_preview()
    assert [(e["record_id"], e["event"], e["version"]) for e in preview] == [
        (str(term_record.record_id), "update", 2)]  # fmt: skip
    assert preview[0]["data"]["subjects"][1] == {"subject": "TOAN", "average": "9.0",
                                                 "rating": "", "missing": []}  # fmt: skip
    LearnerYearResult.objects.all().delete()
    assert [(e["type"], e["event"], e["version"]) for e in batch_preview()] == [
        ("result", "update", 2), ("result", "cancel", 2)]  # fmt: skip


class DeferringParent(FakeParent):
    """Holds back the classes the first time it sees them."""

    def __call__(self, payload):
        answer = super().__call__(payload)
        held = [r for r in payload["records"] if r["type"] == "class" and len(self.payloads) < 4]
        ids = {r["record_id"] for r in held}
        answer["applied"] = [a for a in answer["applied"] if a["record_id"] not in ids]
        answer["deferred"] = [{"record_id": r["record_id"], "version": r["version"],
                               "reason": "waiting"} for r in held]  # fmt: skip
        return answer


def test_records_held_back_go_after_the_others_and_do_not_block_a_batch(world, node):
    parent = DeferringParent()
    report = exchange_push(transport=parent)
    assert (report.batches, report.deferred, report.applied) == (4, 6, 23)
    # The classes held back in a batch go behind every other pending record.
    assert [[r["type"] for r in p["records"]] for p in parent.payloads] == [
        ["institution"] * 3 + ["staff"] * 3 + ["class"] * 2,
        ["class"] * 3 + ["learner"] * 5,
        ["learner"] * 4 + ["guardian", "teaching_assignment", "teaching_assignment", "class"],
        ["class"] * 5,
    ]
    assert not OutboxRecord.objects.filter(sent_version=0).exists()
    assert exchange_push(transport=parent).batches == 0


# Receiving side -------------------------------------------------------------------


@pytest.fixture
def nodes(world):
    _a, token_a = child_node_register(actor=None, node_id="thcs-ba-dinh", name="A",
                                      institution_codes=["01000001"])  # fmt: skip
    _b, token_b = child_node_register(actor=None, node_id="thcs-sai-gon", name="B",
                                      institution_codes=["79000001"])  # fmt: skip
    return {"a": token_a, "b": token_b}


def post(client, token, node_id, records, cursor=1):
    return client.post(
        "/api/v1/exchange/batches",
        data=json.dumps(batch(node_id, records, cursor=cursor)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()


def result_data(learner, school_class=None, period=1, maths="8.5", **extra):
    data = {
        "learner": learner, "school_year": "2025-2026", "period": period,
        "school_class": school_class, "rule_set": "tt22-2021@1", "learning": "kha",
        "learning_base": "kha", "conduct": "tot", "days_absent": 2, "missing": [],
        "subjects": [{"subject": "NV", "average": "7.0", "rating": "", "missing": []},
                     {"subject": "TOAN", "average": maths, "rating": "", "missing": []}],
    }  # fmt: skip
    if period == 0:
        data |= {"promotion": "promoted", "promotion_reason": "", "retest_subjects": [],
                 "award": "hoc_sinh_gioi", "summer_outcome": "", "summer_subjects": [],
                 "summer_learning": "", "summer_conduct": "", "summer_missing": []}  # fmt: skip
    return {**data, **extra}


def _subjects(result):
    return [(s.subject_code, s.average, s.rating) for s in result.subjects.all()]


def test_results_are_kept_as_received_and_not_recomputed(client, world, nodes):
    cls = record("class", class_data())
    learner = record("learner", learner_data(school_class=cls["record_id"]))
    term = record("result", result_data(learner["record_id"], cls["record_id"], period=1))
    year = record("result", result_data(learner["record_id"], cls["record_id"], period=0))
    answer = post(client, nodes["a"], "thcs-ba-dinh", [cls, learner, term, year])
    assert len(answer["applied"]) == 4
    assert answer["identifiers"] == {learner["record_id"]: "0100000001"}
    mai = Learner.objects.get(education_id="0100000001")
    rows = ReceivedResult.objects.filter(learner=mai).order_by("period")
    assert [(r.institution.code, r.school_year.name, r.period, r.school_class.name, r.rule_set,
             r.learning, r.conduct, r.days_absent, r.promotion, r.award, r.version)
            for r in rows] == [
        ("01000001", "2025-2026", 0, "6A9", "tt22-2021@1", "kha", "tot", 2, "promoted",
         "hoc_sinh_gioi", 1),
        ("01000001", "2025-2026", 1, "6A9", "tt22-2021@1", "kha", "tot", 2, "", "", 1),
    ]  # fmt: skip
    assert _subjects(rows[1]) == [("NV", Decimal("7.0"), ""), ("TOAN", Decimal("8.5"), "")]
    # Nothing written to the assessment app's tables: the parent does not recompute.
    assert LearnerTermResult.objects.count() == 0
    assert LearnerYearResult.objects.count() == 0
    assert SubjectResult.objects.count() == 0
    assert AuditEntry.objects.filter(action="exchange.result.create").count() == 2


def test_an_older_version_of_results_never_overwrites_a_newer_one(client, world, nodes):
    learner = record("learner", learner_data())
    post(client, nodes["a"], "thcs-ba-dinh", [learner])
    rid = "7d1c3c1e-0000-4000-8000-0000000000aa"
    v1 = record("result", result_data(learner["record_id"]), record_id=rid)
    v2 = record("result", result_data(learner["record_id"], maths="9.0"), record_id=rid,
                version=2, event="update")  # fmt: skip
    assert post(client, nodes["a"], "thcs-ba-dinh", [v2], cursor=3)["applied"]
    late = post(client, nodes["a"], "thcs-ba-dinh", [v1], cursor=2)
    assert late["skipped"] == [{"record_id": rid, "version": 1, "reason": "older",
                                "message": None}]  # fmt: skip
    result = ReceivedResult.objects.get()
    assert (result.version, _subjects(result)[1]) == (2, ("TOAN", Decimal("9.0"), ""))


def test_results_of_a_learner_in_the_queue_wait_and_then_follow_the_merge(client, world, nodes):
    # School B sends a learner whose personal ID is school A's Nguyễn Văn An.
    learner = record("learner", learner_data(name="Nguyễn Văn An", pid="001214012345"),
                     code="79000001")  # fmt: skip
    result = record("result", result_data(learner["record_id"]), code="79000001")
    early = post(client, nodes["b"], "thcs-sai-gon", [result])
    assert [d["record_id"] for d in early["deferred"]] == [result["record_id"]]
    answer = post(client, nodes["b"], "thcs-sai-gon", [learner, result], cursor=2)
    assert answer["conflicts"][0]["reason"] == "personal_id"
    assert [d["record_id"] for d in answer["deferred"]] == [result["record_id"]]
    assert not ReceivedResult.objects.exists()
    conflict_resolve(actor=world.province_p2, conflict=Conflict.objects.get(), action=MERGE)
    answer = post(client, nodes["b"], "thcs-sai-gon", [result], cursor=3)
    assert [a["record_id"] for a in answer["applied"]] == [result["record_id"]]
    stored = ReceivedResult.objects.get()
    assert (stored.learner, stored.institution) == (world.learner_an, world.school_b)


def test_results_of_a_rejected_learner_are_queued_not_dropped(client, world, nodes):
    learner = record("learner", learner_data(name="Nguyễn Văn An", pid="001214012345"),
                     code="79000001")  # fmt: skip
    post(client, nodes["b"], "thcs-sai-gon", [learner])
    conflict_resolve(actor=world.province_p2, conflict=Conflict.objects.get(), action=REJECT,
                     note="Không phải học sinh của trường")  # fmt: skip
    result = record("result", result_data(learner["record_id"]), code="79000001")
    answer = post(client, nodes["b"], "thcs-sai-gon", [result], cursor=2)
    message = f"Bản ghi liên quan {learner['record_id']} đã bị từ chối hoặc huỷ."
    assert answer["conflicts"] == [{"record_id": result["record_id"], "version": 1,
                                    "reason": "invalid", "message": message}]  # fmt: skip
    queued = Conflict.objects.get(status="open")
    assert (queued.record.record_type, queued.payload["data"]["learning"]) == ("result", "kha")


def test_results_with_a_wrong_value_go_to_the_queue_naming_the_field(client, world, nodes):
    learner = record("learner", learner_data())
    bad = record("result", result_data(learner["record_id"], learning="gioi", maths="11"))
    answer = post(client, nodes["a"], "thcs-ba-dinh", [learner, bad])
    assert answer["conflicts"][0]["message"] == (
        "learning: Giá trị không hợp lệ: gioi; subjects.TOAN: Điểm trung bình không hợp lệ: 11"
    )
    assert not ReceivedResult.objects.exists()


def test_withdrawn_results_are_marked_not_deleted(client, world, nodes):
    learner = record("learner", learner_data())
    result = record("result", result_data(learner["record_id"]))
    post(client, nodes["a"], "thcs-ba-dinh", [learner, result])
    cancel = {**result, "event": "cancel", "version": 2, "data": {}}
    assert post(client, nodes["a"], "thcs-ba-dinh", [cancel], cursor=2)["applied"]
    stored = ReceivedResult.objects.get()
    assert (stored.cancelled, stored.version, stored.learning) == (True, 2, "kha")
    assert AuditEntry.objects.filter(action="exchange.result.withdraw").count() == 1


def test_a_guardian_takes_over_the_one_here_and_keeps_only_name_relationship_phone(
    client, world, nodes
):
    Guardian.objects.filter(learner=world.learner_an).update(email="ba@example.vn")
    learner = record("learner", learner_data(name="Nguyễn Văn An", pid="001214012345"))
    guardian = record("guardian", {"learner": learner["record_id"], "relationship": "father",
                                   "full_name": "Nguyễn Văn Ba",
                                   "phone": "0988000111"})  # fmt: skip
    answer = post(client, nodes["a"], "thcs-ba-dinh", [learner, guardian])
    assert len(answer["applied"]) == 2
    kept = Guardian.objects.get(learner=world.learner_an)
    assert (kept.full_name, kept.relationship, kept.phone, kept.email) == (
        "Nguyễn Văn Ba", "father", "0988000111", "ba@example.vn")  # fmt: skip
    mother = record("guardian", {"learner": learner["record_id"], "relationship": "mother",
                                 "full_name": "Lê Thị Cúc", "phone": ""})  # fmt: skip
    post(client, nodes["a"], "thcs-ba-dinh", [mother], cursor=2)
    assert list(
        Guardian.objects.filter(learner=world.learner_an).values_list("relationship", "full_name")
    ) == [("father", "Nguyễn Văn Ba"), ("mother", "Lê Thị Cúc")]


def test_a_teaching_assignment_arrives_and_its_cancel_removes_it(client, world, nodes):
    cls = record("class", class_data(name="6B1"), code="79000001")
    staff = record("staff", {"full_name": "Đặng Văn Nam", "sex": "M", "position": "teacher",
                             "date_of_birth": "1980-02-03"}, code="79000001")  # fmt: skip
    assignment = record("teaching_assignment", {"school_class": cls["record_id"],
                                                "subject": "TOAN",
                                                "staff_member": staff["record_id"]},
                        code="79000001")  # fmt: skip
    answer = post(client, nodes["b"], "thcs-sai-gon", [assignment, cls, staff])
    assert [d["record_id"] for d in answer["deferred"]] == [assignment["record_id"]]
    answer = post(client, nodes["b"], "thcs-sai-gon", [assignment], cursor=2)
    assert answer["applied"][0]["record_id"] == assignment["record_id"]
    class_b1 = SchoolClass.objects.get(pk=world.class_b1.pk)
    assert [(a.subject.code, a.staff_member.full_name) for a in
            TeachingAssignment.objects.filter(school_class=class_b1)] == [
        ("TOAN", "Đặng Văn Nam")]  # fmt: skip
    cancel = {**assignment, "event": "cancel", "version": 2, "data": {}}
    post(client, nodes["b"], "thcs-sai-gon", [cancel], cursor=3)
    assert not TeachingAssignment.objects.filter(school_class=class_b1).exists()
