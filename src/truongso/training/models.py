"""Staff development (bồi dưỡng, đánh giá cán bộ): training records per staff member and
the yearly appraisal on the two Vietnamese scales."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingRecord(models.Model):
    """One course a staff member followed (khóa bồi dưỡng), with its kind flags: the
    digital-skills and digital-learning-material flags feed the programme's indicators."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    staff_member = models.ForeignKey(
        "staff.StaffMember", on_delete=models.CASCADE, related_name="training_records"
    )
    course = models.CharField(_("khóa bồi dưỡng"), max_length=200)
    provider = models.CharField(_("đơn vị tổ chức"), max_length=200, blank=True, default="")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    hours = models.PositiveSmallIntegerField(_("số tiết/giờ"), default=0)
    certificate_number = models.CharField(
        _("số chứng chỉ, giấy chứng nhận"), max_length=60, blank=True, default=""
    )
    digital_skills = models.BooleanField(_("kỹ năng số, ứng dụng CNTT"), default=False)
    digital_materials = models.BooleanField(_("xây dựng học liệu số"), default=False)
    professional = models.BooleanField(_("chuyên môn, nghiệp vụ"), default=False)
    political = models.BooleanField(_("lý luận chính trị"), default=False)
    management = models.BooleanField(_("quản lý giáo dục"), default=False)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ bồi dưỡng")
        verbose_name_plural = _("hồ sơ bồi dưỡng")
        ordering = ["-starts_on", "pk"]
        indexes = [
            models.Index(fields=["institution", "starts_on"]),
            models.Index(fields=["staff_member", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_record_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%d/%m/%Y})"

    @property
    def kinds(self) -> list[str]:
        return [str(label) for name, label in kind_fields() if getattr(self, name)]


def kind_fields() -> list[tuple[str, str]]:
    """The kind flags of a training record: (field name, label)."""
    return [
        (name, TrainingRecord._meta.get_field(name).verbose_name)
        for name in ("digital_skills", "digital_materials", "professional", "political",
                     "management")
    ]  # fmt: skip


class ProfessionalStandard(models.TextChoices):
    """Đánh giá giáo viên theo chuẩn nghề nghiệp (Thông tư 20/2018/TT-BGDĐT)."""

    GOOD = "tot", _("Tốt")
    FAIR = "kha", _("Khá")
    PASS = "dat", _("Đạt")
    FAIL = "chua_dat", _("Chưa đạt")


class OfficialRating(models.TextChoices):
    """Xếp loại chất lượng viên chức hằng năm (Nghị định 90/2020/NĐ-CP, 48/2023/NĐ-CP)."""

    EXCELLENT = "xuat_sac", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "tot", _("Hoàn thành tốt nhiệm vụ")
    DONE = "hoan_thanh", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "khong_hoan_thanh", _("Không hoàn thành nhiệm vụ")


class StaffAppraisal(models.Model):
    """A staff member's appraisal for one school year: the professional standard
    (teachers and managers) and the annual rating of officials, who gave it and when."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    staff_member = models.ForeignKey(
        "staff.StaffMember", on_delete=models.CASCADE, related_name="appraisals"
    )
    school_year = models.ForeignKey(
        "academics.SchoolYear", on_delete=models.PROTECT, related_name="+"
    )
    professional_standard = models.CharField(
        _("chuẩn nghề nghiệp"), max_length=10, choices=ProfessionalStandard.choices,
        blank=True, default="",
    )  # fmt: skip
    official_rating = models.CharField(
        _("xếp loại viên chức"), max_length=20, choices=OfficialRating.choices, blank=True,
        default="",
    )  # fmt: skip
    appraised_on = models.DateField(_("ngày đánh giá"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đánh giá cán bộ")
        verbose_name_plural = _("đánh giá cán bộ")
        ordering = ["school_year", "staff_member"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_member", "school_year"], name="staff_appraisal_unique"
            )
        ]
        indexes = [models.Index(fields=["institution", "school_year"])]

    def __str__(self) -> str:
        return f"{self.staff_member} {self.school_year}"
