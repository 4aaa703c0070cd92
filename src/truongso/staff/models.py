"""Staff (cán bộ, giáo viên, nhân viên): identity, positions, qualifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from truongso.core.models import PersonIdentity


class Position(models.TextChoices):
    PRINCIPAL = "principal", _("Hiệu trưởng")
    VICE_PRINCIPAL = "vice_principal", _("Phó hiệu trưởng")
    TEACHER = "teacher", _("Giáo viên")
    ACADEMIC_AFFAIRS = "academic_affairs", _("Giáo vụ")
    ACCOUNTANT = "accountant", _("Kế toán")
    NURSE = "nurse", _("Nhân viên y tế")
    LIBRARIAN = "librarian", pgettext_lazy("vị trí việc làm", "Thư viện")
    EQUIPMENT = "equipment", _("Thiết bị")
    IT = "it", _("Công nghệ thông tin")
    OTHER = "other", _("Nhân viên khác")


class Qualification(models.TextChoices):
    """Trình độ đào tạo cao nhất."""

    BELOW_STANDARD = "below", _("Dưới chuẩn")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    BACHELOR = "bachelor", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTORATE = "doctorate", _("Tiến sĩ")


class EmploymentStatus(models.TextChoices):
    PERMANENT = "permanent", _("Viên chức (biên chế)")
    CONTRACT = "contract", _("Hợp đồng lao động")
    PROBATION = "probation", _("Tập sự")
    LEAVE = "leave", _("Nghỉ dài hạn")
    RETIRED = "retired", _("Nghỉ hưu")
    LEFT = "left", _("Đã chuyển đi / thôi việc")


ACTIVE_EMPLOYMENT = (
    EmploymentStatus.PERMANENT,
    EmploymentStatus.CONTRACT,
    EmploymentStatus.PROBATION,
)


class StaffMember(PersonIdentity):
    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="staff"
    )
    education_id = models.CharField(
        _("mã định danh"), max_length=20, unique=True, null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_member",
    )
    position = models.CharField(_("chức vụ"), max_length=20, choices=Position.choices)
    qualification = models.CharField(
        _("trình độ đào tạo"), max_length=20, choices=Qualification.choices, blank=True, default=""
    )
    major = models.CharField(_("chuyên ngành"), max_length=120, blank=True, default="")
    subjects = models.ManyToManyField(
        "academics.Subject", verbose_name=_("môn dạy"), blank=True, related_name="+"
    )
    employment_status = models.CharField(
        _("tình trạng"),
        max_length=20,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.PERMANENT,
    )
    hired_on = models.DateField(_("ngày vào ngành"), null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cán bộ, giáo viên")
        verbose_name_plural = _("cán bộ, giáo viên")
        ordering = ["search_name", "id"]
        indexes = [models.Index(fields=["institution", "employment_status", "search_name"])]
