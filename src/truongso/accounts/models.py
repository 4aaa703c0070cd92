"""Accounts, role assignments scoped to a unit, an institution or a class, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True, default="")
    failed_sign_ins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    MINISTRY_OFFICER = "ministry_officer", _("Cán bộ Bộ GD&ĐT")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ Sở GD&ĐT")
    PRINCIPAL = "principal", _("Hiệu trưởng")
    SCHOOL_STAFF = "school_staff", _("Giáo vụ / văn phòng trường")
    TEACHER = "teacher", _("Giáo viên")
    SCHOOL_NURSE = "school_nurse", _("Nhân viên y tế trường học")
    GUARDIAN = "guardian", _("Phụ huynh")


# Which scope each role is given on.
UNIT_ROLES = {Role.MINISTRY_OFFICER, Role.PROVINCE_OFFICER}
INSTITUTION_ROLES = {Role.PRINCIPAL, Role.SCHOOL_STAFF, Role.TEACHER, Role.SCHOOL_NURSE}


class RoleAssignment(models.Model):
    """A user holds a role over a unit (ministry, province office) or an institution.

    A teacher's classes come from teaching assignments and homeroom classes; a
    guardian's learners from the guardian records linked to the account.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "units.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "units.Institution",
        verbose_name=_("cơ sở giáo dục"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(r.value for r in UNIT_ROLES), institution__isnull=True)
                    | models.Q(
                        role__in=sorted(r.value for r in INSTITUTION_ROLES),
                        institution__isnull=False,
                    )
                    | models.Q(role="guardian")
                ),
                name="role_scope_matches_role",
            )
        ]

    def __str__(self) -> str:
        where = self.institution or self.unit or _("toàn quốc")
        return f"{self.user} · {self.get_role_display()} · {where}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
