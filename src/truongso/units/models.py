"""Administrative units (one tree with validity dates) and institutions."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The two-level local government took effect on this date (34 provinces, 3,321 communes).
REFORM_2025 = dt.date(2025, 7, 1)


class UnitLevel(models.TextChoices):
    COUNTRY = "country", _("Quốc gia")
    PROVINCE = "province", _("Tỉnh/thành phố")
    DISTRICT = "district", _("Quận/huyện")
    COMMUNE = "commune", _("Xã/phường/đặc khu")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def in_force_on(self, day: dt.date) -> AdministrativeUnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> AdministrativeUnitQuerySet:
        return self.in_force_on(dt.date.today())


class AdministrativeUnit(models.Model):
    """A country, province, district (before July 2025) or commune-level unit.

    Codes are those of the national statistics office. The same code may name a
    unit in the legacy tree and in today's tree; the validity dates tell them apart.
    """

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True, default="")
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    kind = models.CharField(_("loại"), max_length=30, blank=True, default="")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of ids, e.g. "/1/2/35/": descendants share the prefix.
    path = models.CharField(max_length=100, editable=False, db_index=True, default="")
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="unit_code_level_from_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_in_force_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """How a unit of the legacy tree maps into today's tree (merged or divided)."""

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessions"
    )
    effective_on = models.DateField(default=REFORM_2025)
    divided = models.BooleanField(
        _("bị chia tách"), default=False, help_text=_("Đơn vị cũ được chia cho nhiều đơn vị mới.")
    )

    class Meta:
        verbose_name = _("sáp nhập đơn vị")
        verbose_name_plural = _("sáp nhập đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class InstitutionKind(models.TextChoices):
    """Cấp học / loại hình cơ sở giáo dục."""

    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    MULTI_LEVEL = "multi_level", _("Phổ thông nhiều cấp học")
    CONTINUING = "continuing", _("Giáo dục thường xuyên")
    VOCATIONAL_INTERMEDIATE = "vocational_intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")


# Education level codes seen in sector data (01 preschool … 05 continuing).
SECTOR_LEVEL_CODES = {
    InstitutionKind.PRESCHOOL: "01",
    InstitutionKind.PRIMARY: "02",
    InstitutionKind.LOWER_SECONDARY: "03",
    InstitutionKind.UPPER_SECONDARY: "04",
    InstitutionKind.CONTINUING: "05",
}

# The grades each kind teaches by default (0 = preschool); multi-level schools set theirs.
DEFAULT_GRADE_SPAN = {
    InstitutionKind.PRESCHOOL: (0, 0),
    InstitutionKind.PRIMARY: (1, 5),
    InstitutionKind.LOWER_SECONDARY: (6, 9),
    InstitutionKind.UPPER_SECONDARY: (10, 12),
    InstitutionKind.MULTI_LEVEL: (1, 12),
    InstitutionKind.CONTINUING: (6, 12),
    InstitutionKind.VOCATIONAL_INTERMEDIATE: (0, 0),
    InstitutionKind.COLLEGE: (0, 0),
}


class Ownership(models.TextChoices):
    PUBLIC = "1", _("Công lập")
    COMMUNITY = "2", _("Dân lập")
    PRIVATE = "3", _("Tư thục")


class Institution(models.Model):
    """A school, centre or college (cơ sở giáo dục)."""

    code = models.CharField(_("mã định danh"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("cấp học"), max_length=30, choices=InstitutionKind.choices)
    grade_from = models.PositiveSmallIntegerField(_("từ khối"), default=1)
    grade_to = models.PositiveSmallIntegerField(_("đến khối"), default=5)
    ownership = models.CharField(
        _("loại hình"), max_length=1, choices=Ownership.choices, default=Ownership.PUBLIC
    )
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã/phường"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    # Denormalised from the commune for scoping and roll-ups; kept by the services.
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        related_name="province_institutions",
        editable=False,
    )
    managing_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("cơ quan quản lý"),
        on_delete=models.PROTECT,
        related_name="managed_institutions",
        help_text=_("Đơn vị hành chính có cơ quan quản lý giáo dục trực tiếp quản lý trường."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, default="")
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, default="")
    email = models.EmailField(_("thư điện tử"), blank=True, default="")
    website = models.URLField(_("trang web"), blank=True, default="")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cơ sở giáo dục")
        verbose_name_plural = _("cơ sở giáo dục")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def institution_id(self) -> int:
        """An institution is its own tenant."""
        return self.pk

    @property
    def grades(self) -> range:
        return range(self.grade_from, self.grade_to + 1)
