import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.training.conftest import record
from truongso.audit.models import AuditEntry
from truongso.training.models import StaffAppraisal, TrainingRecord
from truongso.training.rules.ratios import ratio, share
from truongso.training.services import (
    staff_appraisal_set,
    training_record_delete,
    training_record_update,
)


def test_share_and_ratio_round_half_up():
    assert str(share(2, 3)) == "66.7"
    assert str(share(1, 8)) == "12.5"
    assert str(share(0, 5)) == "0.0"
    assert share(1, 0) is None
    assert str(ratio(9, 5)) == "1.80"
    assert str(ratio(2, 3)) == "0.67"
    assert str(ratio(1, 8)) == "0.13"  # 0.125 → 0.13
    assert ratio(3, 0) is None


def test_school_records_its_own_staff_audited(world):
    rec = record(world, world.teacher_a1, "Kỹ năng số", digital_skills=True,
                 certificate_number="  KNS-001 ")  # fmt: skip
    assert (rec.institution_id, rec.certificate_number, rec.kinds) == (
        world.school_a.pk, "KNS-001", ["kỹ năng số, ứng dụng CNTT"])  # fmt: skip
    entry = AuditEntry.objects.get(action="training_record.create")
    assert entry.after["course"] == "Kỹ năng số" and entry.institution_id == world.school_a.pk
    training_record_update(actor=world.staff_a, record=rec, fields={"hours": 30},
                           reason="Sửa số tiết")  # fmt: skip
    rec.refresh_from_db()
    assert (rec.hours, rec.version) == (30, 2)
    update = AuditEntry.objects.get(action="training_record.update")
    assert (update.before["hours"], update.after["hours"], update.reason) == (24, 30, "Sửa số tiết")
    # The same values again: nothing written.
    training_record_update(actor=world.staff_a, record=rec, fields={"hours": 30})
    assert AuditEntry.objects.filter(action="training_record.update").count() == 1
    training_record_delete(actor=world.principal_a, record=rec, reason="Nhập trùng")
    assert TrainingRecord.objects.count() == 0
    assert AuditEntry.objects.get(action="training_record.delete").before["course"] == "Kỹ năng số"


@pytest.mark.parametrize("who", ["principal_b", "teacher_a1_user", "province_p1", "nobody"])
def test_others_may_not_write(world, who):
    with pytest.raises(PermissionDenied):
        record(world, world.teacher_a1, actor=getattr(world, who))
    assert TrainingRecord.objects.count() == 0


def test_bad_input_is_named(world):
    with pytest.raises(ValidationError) as caught:
        record(world, world.teacher_a1, course=" ", starts_on=dt.date(2025, 10, 5),
               ends_on=dt.date(2025, 10, 1), hours=5000)  # fmt: skip
    assert caught.value.message_dict == {
        "course": ["Hãy nhập tên khóa bồi dưỡng."],
        "ends_on": ["Ngày kết thúc (01/10/2025) trước ngày bắt đầu (05/10/2025)."],
        "hours": ["Số tiết phải từ 0 đến 2000."],
    }
    assert TrainingRecord.objects.count() == 0


def test_appraisal_per_year_by_label_or_code(world):
    row = staff_appraisal_set(actor=world.principal_a, staff_member=world.teacher_a1,
                              school_year=world.year, professional_standard="Khá",
                              official_rating="tot", appraised_on=dt.date(2026, 5, 25))  # fmt: skip
    assert (row.professional_standard, row.official_rating, row.appraised_by) == (
        "kha", "tot", world.principal_a)  # fmt: skip
    assert row.get_official_rating_display() == "Hoàn thành tốt nhiệm vụ"
    again = staff_appraisal_set(actor=world.principal_a, staff_member=world.teacher_a1,
                                school_year=world.year, professional_standard="kha",
                                official_rating="Hoàn thành tốt nhiệm vụ")  # fmt: skip
    assert again.version == 1
    assert AuditEntry.objects.filter(action="staff_appraisal.set").count() == 1
    staff_appraisal_set(actor=world.principal_a, staff_member=world.teacher_a1,
                        school_year=world.year, professional_standard="Tốt",
                        official_rating="xuat_sac", reason="Phúc khảo")  # fmt: skip
    entry = AuditEntry.objects.filter(action="staff_appraisal.set").order_by("-pk").first()
    assert (entry.before["professional_standard"], entry.after["professional_standard"]) == (
        "kha", "tot")  # fmt: skip
    assert StaffAppraisal.objects.get().version == 2
    with pytest.raises(ValidationError) as caught:
        staff_appraisal_set(actor=world.principal_a, staff_member=world.teacher_a2,
                            school_year=world.year, professional_standard="Giỏi")  # fmt: skip
    assert caught.value.message_dict == {
        "professional_standard": [
            "“Giỏi” không phải là một mức hợp lệ; chọn một trong: Tốt, Khá, Đạt, Chưa đạt."
        ]
    }
    with pytest.raises(PermissionDenied):
        staff_appraisal_set(actor=world.principal_b, staff_member=world.teacher_a1,
                            school_year=world.year, professional_standard="Đạt")  # fmt: skip
