import datetime as dt

import pytest

from tests.world import _staff
from truongso.staff.models import EmploymentStatus, Position
from truongso.training.services import training_record_create


def record(world, member, course="Bồi dưỡng thường xuyên", *, actor=None, **fields):
    values = {"course": course, "provider": "Sở GD&ĐT", "starts_on": dt.date(2025, 10, 1),
              "ends_on": dt.date(2025, 10, 3), "hours": 24} | fields  # fmt: skip
    actor = actor or (world.principal_b if member.institution_id == world.school_b.pk
                      else world.principal_a)  # fmt: skip
    return training_record_create(actor=actor, staff_member=member, fields=values)


@pytest.fixture
def trained(world):
    """School A: teachers Hoa (digital skills, 24 h + 16 h) and Minh (professional, 40 h),
    a principal (digital skills, not a teacher), an accountant, and a teacher who left
    (digital skills, not counted). School B: teacher Lan (digital skills and materials)."""
    w = world
    w.principal_a_member = _staff(w.school_a, "Đỗ Văn Hiệu", position=Position.PRINCIPAL)
    w.accountant_a = _staff(w.school_a, "Ngô Thị Kế", position=Position.ACCOUNTANT)
    w.left_a = _staff(w.school_a, "Tạ Văn Đi")
    w.left_a.employment_status = EmploymentStatus.LEFT
    w.left_a.save()
    w.rec_hoa = record(w, w.teacher_a1, "Kỹ năng số cho giáo viên", digital_skills=True)
    w.rec_hoa2 = record(w, w.teacher_a1, "Soạn bài giảng điện tử", hours=16,
                        starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 3))  # fmt: skip
    w.rec_minh = record(w, w.teacher_a2, "Chương trình GDPT 2018 môn Ngữ văn", hours=40,
                        professional=True)  # fmt: skip
    record(w, w.principal_a_member, "Quản trị trường học số", digital_skills=True,
           management=True)  # fmt: skip
    record(w, w.left_a, "Kỹ năng số", digital_skills=True)
    w.rec_lan = record(w, w.teacher_b, "Học liệu số", digital_skills=True,
                       digital_materials=True, hours=30)  # fmt: skip
    return w
