"""Demo data of staff development: training records and last year's appraisals for the
staff of the demo schools (see truongso/demo/extensions.py)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from truongso.staff.models import ACTIVE_EMPLOYMENT, Position, StaffMember
from truongso.training.models import StaffAppraisal, TrainingRecord

COURSES = [
    # (course, provider, hours, flags)
    ("Bồi dưỡng kỹ năng số, ứng dụng CNTT trong dạy học", "Sở GD&ĐT", 40, {"digital_skills"}),
    ("Thiết kế bài giảng điện tử và học liệu số", "Trường Đại học Sư phạm", 30,
     {"digital_skills", "digital_materials"}),
    ("Bồi dưỡng thường xuyên giáo viên (module chương trình GDPT 2018)", "Sở GD&ĐT", 120,
     {"professional"}),
    ("Kiểm tra, đánh giá theo Thông tư 22/2021", "Sở GD&ĐT", 16, {"professional"}),
    ("Trung cấp lý luận chính trị", "Trường Chính trị tỉnh", 240, {"political"}),
    ("Quản trị trường học trong chuyển đổi số", "Học viện Quản lý giáo dục", 60,
     {"management", "digital_skills"}),
]  # fmt: skip
STANDARD = ["tot"] * 4 + ["kha"] * 4 + ["dat"] * 2
RATING = ["xuat_sac"] * 2 + ["tot"] * 6 + ["hoan_thanh"] * 2


def build(ctx) -> dict:
    rng = ctx.rng("training")
    records: list[TrainingRecord] = []
    appraisals: list[StaffAppraisal] = []
    school_ids = [school.pk for school, _kind in ctx.schools]
    members = StaffMember.objects.filter(
        institution_id__in=school_ids, employment_status__in=ACTIVE_EMPLOYMENT
    ).order_by("pk")
    first = ctx.previous_year.starts_on
    span = max((ctx.today - first).days, 1)
    for member in members:
        chosen = rng.sample(range(len(COURSES)), k=rng.choice((0, 1, 1, 2, 2, 3)))
        if member.position in (Position.PRINCIPAL, Position.VICE_PRINCIPAL):
            chosen = sorted(set(chosen) | {5})
        for index in chosen:
            course, provider, hours, flags = COURSES[index]
            starts = first + dt.timedelta(days=rng.randrange(span))
            ends = min(starts + dt.timedelta(days=max(hours // 8, 1) - 1), ctx.today)
            records.append(TrainingRecord(
                institution_id=member.institution_id, staff_member=member, course=course,
                provider=provider, starts_on=starts, ends_on=max(ends, starts), hours=hours,
                certificate_number=f"BD{starts.year}-{member.pk:05d}-{index}",
                **dict.fromkeys(flags, True),
            ))  # fmt: skip
        if member.position != Position.TEACHER and rng.random() < 0.5:
            continue
        appraisals.append(StaffAppraisal(
            institution_id=member.institution_id, staff_member=member,
            school_year=ctx.previous_year,
            professional_standard=rng.choice(STANDARD) if member.position in (
                Position.TEACHER, Position.PRINCIPAL, Position.VICE_PRINCIPAL) else "",
            official_rating=rng.choice(RATING), appraised_on=ctx.previous_year.ends_on,
        ))  # fmt: skip
    TrainingRecord.objects.bulk_create(records, batch_size=1000)
    StaffAppraisal.objects.bulk_create(appraisals, batch_size=1000)
    return {_("Khóa bồi dưỡng cán bộ"): len(records), _("Đánh giá cán bộ"): len(appraisals)}


def reset(institution_ids: list[int]) -> None:
    TrainingRecord.objects.filter(institution_id__in=institution_ids).delete()
    StaffAppraisal.objects.filter(institution_id__in=institution_ids).delete()
