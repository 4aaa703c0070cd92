import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from truongso.audit.models import AuditEntry
from truongso.learners.models import EnrolmentEvent, Learner, LearnerStatus, PersonalIdStatus
from truongso.learners.selectors import learner_list
from truongso.learners.services import (
    class_promote,
    learner_create,
    learner_drop_out,
    learner_transfer,
    learner_update,
)


def test_create_assigns_identifier_event_and_audit(world):
    learner = learner_create(
        actor=world.principal_a,
        institution=world.school_a,
        fields={"full_name": "  đặng  thị  ánh ", "sex": "F", "date_of_birth": dt.date(2014, 2, 3),
                "personal_id": "001314999999"},
        school_class=world.class_a1,
    )  # fmt: skip
    assert learner.full_name == "Đặng Thị Ánh"
    assert learner.search_name == "dang thi anh"
    assert learner.education_id == "0100000001"
    assert learner.personal_id_status == PersonalIdStatus.OK
    assert learner.grade == 6
    assert list(learner.events.values_list("kind", flat=True)) == ["admit"]
    entry = AuditEntry.objects.get(object_type="learners.learner", object_id=str(learner.pk))
    assert entry.actor == world.principal_a
    assert entry.after["full_name"] == "Đặng Thị Ánh"
    second = learner_create(
        actor=world.principal_a, institution=world.school_a,
        fields={"full_name": "Lê Văn Tám", "sex": "M"},
    )  # fmt: skip
    assert second.education_id == "0100000002"
    assert second.personal_id_status == PersonalIdStatus.MISSING


def test_wrong_personal_id_is_a_warning_not_an_error(world):
    learner = learner_update(
        actor=world.principal_a, learner=world.learner_an,
        fields={"personal_id": "001314012345"},
    )  # fmt: skip
    assert learner.personal_id_status == PersonalIdStatus.WARNING


def test_other_school_cannot_create_or_edit(world):
    with pytest.raises(PermissionDenied):
        learner_create(actor=world.principal_b, institution=world.school_a,
                       fields={"full_name": "X", "sex": "M"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        learner_update(actor=world.principal_b, learner=world.learner_an, fields={"address": "x"})
    with pytest.raises(PermissionDenied):
        learner_update(actor=world.province_p1, learner=world.learner_an, fields={"address": "x"})


def test_homeroom_teacher_edits_contact_details_only(world):
    learner_update(actor=world.teacher_a1_user, learner=world.learner_an,
                   fields={"address": "12 Hàng Bông"}, reason="Phụ huynh báo")  # fmt: skip
    world.learner_an.refresh_from_db()
    assert world.learner_an.address == "12 Hàng Bông"
    entry = AuditEntry.objects.filter(action="learner.update").get()
    assert entry.before["address"] == "Số 1 đường Láng"
    assert entry.after["address"] == "12 Hàng Bông"
    assert entry.reason == "Phụ huynh báo"
    with pytest.raises(ValidationError):
        learner_update(actor=world.teacher_a1_user, learner=world.learner_an,
                       fields={"full_name": "Khác"})  # fmt: skip
    # Not their homeroom class:
    with pytest.raises(PermissionDenied):
        learner_update(actor=world.teacher_a1_user, learner=world.learner_dung,
                       fields={"address": "x"})  # fmt: skip


def test_transfer_keeps_identifier_and_history(world):
    an = world.learner_an
    an.education_id = "0100000099"
    an.save()
    learner_transfer(
        actor=world.principal_a, learner=an, to_institution=world.school_b,
        to_class=world.class_b1, on=dt.date(2025, 11, 1), reason="Chuyển nhà",
    )  # fmt: skip
    an.refresh_from_db()
    assert an.institution == world.school_b
    assert an.current_class == world.class_b1
    assert an.education_id == "0100000099"
    kinds = list(EnrolmentEvent.objects.filter(learner=an).values_list("kind", "institution_id"))
    assert kinds == [("transfer_out", world.school_a.pk), ("transfer_in", world.school_b.pk)]
    # The old school no longer sees the learner; the new one does.
    assert not learner_list(actor=world.principal_a).filter(pk=an.pk).exists()
    assert learner_list(actor=world.principal_b).filter(pk=an.pk).exists()


def test_drop_out_needs_a_reason(world):
    with pytest.raises(ValidationError):
        learner_drop_out(actor=world.principal_a, learner=world.learner_an,
                         on=dt.date(2025, 12, 1), reason=" ")  # fmt: skip
    learner_drop_out(actor=world.principal_a, learner=world.learner_an,
                     on=dt.date(2025, 12, 1), reason="Hoàn cảnh gia đình")  # fmt: skip
    world.learner_an.refresh_from_db()
    assert world.learner_an.status == LearnerStatus.DROPPED_OUT


def test_class_promotion_in_bulk(world):
    counts = class_promote(
        actor=world.principal_a, school_class=world.class_a1, next_class=world.class_a1_next,
        repeat_class=world.class_a1_repeat, repeater_ids={world.learner_cuong.pk},
        on=dt.date(2026, 6, 1),
    )  # fmt: skip
    assert counts == {"promote": 2, "repeat": 1}
    assert Learner.objects.get(pk=world.learner_an.pk).current_class == world.class_a1_next
    assert Learner.objects.get(pk=world.learner_an.pk).grade == 7
    assert Learner.objects.get(pk=world.learner_cuong.pk).current_class == world.class_a1_repeat
    assert Learner.objects.get(pk=world.learner_cuong.pk).grade == 6


def test_search_ignores_diacritics_and_case(world):
    names = set(learner_list(actor=world.ministry, query="nguyen van an").values_list(
        "institution__code", flat=True))  # fmt: skip
    assert names == {"01000001", "79000001"}
    assert learner_list(actor=world.principal_a, query="NGUYỄN văn an").count() == 1
    assert learner_list(actor=world.teacher_a2_user, query="dung").count() == 1


def test_policy_categories_are_checked_against_the_list(world):
    learner = learner_update(
        actor=world.principal_a, learner=world.learner_an,
        fields={"policy_categories": ["poor_household", "orphan", "poor_household"]},
    )  # fmt: skip
    assert learner.policy_categories == ["orphan", "poor_household"]
    with pytest.raises(ValidationError) as excinfo:
        learner_update(actor=world.principal_a, learner=world.learner_an,
                       fields={"policy_categories": ["rich"]})  # fmt: skip
    assert "rich" in str(excinfo.value)


def test_promotion_dry_run_counts_and_writes_nothing(world):
    counts = class_promote(
        actor=world.principal_a, school_class=world.class_a1, next_class=world.class_a1_next,
        repeat_class=world.class_a1_repeat, repeater_ids={world.learner_cuong.pk}, dry_run=True,
    )  # fmt: skip
    assert counts == {"promote": 2, "repeat": 1}
    assert not EnrolmentEvent.objects.filter(kind__in=["promote", "repeat"]).exists()
    assert Learner.objects.get(pk=world.learner_an.pk).current_class == world.class_a1


def test_guardians_move_with_a_transferred_learner(world):
    learner_transfer(
        actor=world.principal_a, learner=world.learner_an, to_institution=world.school_b,
        on=dt.date(2025, 11, 1), reason="Chuyển nhà",
    )  # fmt: skip
    assert set(world.learner_an.guardians.values_list("institution_id", flat=True)) == {
        world.school_b.pk
    }
