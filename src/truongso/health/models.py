"""School health (y tế trường học): checkups with WHO growth z-scores, vaccinations,
health insurance cards, and the log of who viewed whose health record.

Health data is sensitive: it is read only through ``health.selectors``, which apply
``accounts.access.health_learners_q`` and log every view in ``HealthRecordView``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.health.rules import classification as c


class Stature(models.TextChoices):
    NORMAL = c.NORMAL, _("Bình thường")
    STUNTED = c.STUNTED, _("Thấp còi")
    SEVERELY_STUNTED = c.SEVERELY_STUNTED, _("Thấp còi nặng")


class Nutrition(models.TextChoices):
    SEVERELY_THIN = c.SEVERELY_THIN, _("Gầy còm nặng")
    THIN = c.THIN, _("Gầy còm")
    NORMAL = c.NORMAL, _("Bình thường")
    OVERWEIGHT = c.OVERWEIGHT, _("Thừa cân")
    OBESE = c.OBESE, _("Béo phì")


class Campaign(models.Model):
    """A checkup campaign (đợt khám sức khỏe) of one school, for some of its classes."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        "academics.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    name = models.CharField(_("tên đợt khám"), max_length=150)
    date = models.DateField(_("ngày khám"))
    classes = models.ManyToManyField(
        "academics.SchoolClass", verbose_name=_("các lớp"), related_name="health_campaigns"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt khám sức khỏe")
        verbose_name_plural = _("đợt khám sức khỏe")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"


class Checkup(models.Model):
    """One periodic checkup of one learner (khám sức khỏe định kỳ). The z-scores and the
    classification are computed by ``health.rules`` when the checkup is recorded."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="health_checkups"
    )
    # The learner's class on the day (for class summaries of past years).
    school_class = models.ForeignKey(
        "academics.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="checkups"
    )
    date = models.DateField(_("ngày khám"))
    height_cm = models.DecimalField(_("chiều cao (cm)"), max_digits=5, decimal_places=1)
    weight_kg = models.DecimalField(_("cân nặng (kg)"), max_digits=5, decimal_places=1)
    bmi = models.DecimalField(_("BMI"), max_digits=5, decimal_places=2)
    age_months = models.PositiveSmallIntegerField(_("tuổi (tháng)"), null=True, blank=True)
    reference = models.CharField(_("chuẩn WHO"), max_length=10, blank=True, default="")
    haz = models.DecimalField(
        _("Z chiều cao theo tuổi"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    baz = models.DecimalField(
        _("Z BMI theo tuổi"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    stature = models.CharField(
        _("tầm vóc"), max_length=20, choices=Stature.choices, blank=True, default=""
    )
    nutrition = models.CharField(
        _("tình trạng dinh dưỡng"), max_length=20, choices=Nutrition.choices, blank=True,
        default="",
    )  # fmt: skip
    vision_left = models.CharField(_("thị lực mắt trái"), max_length=10, blank=True, default="")
    vision_right = models.CharField(_("thị lực mắt phải"), max_length=10, blank=True, default="")
    dental = models.CharField(_("răng miệng"), max_length=200, blank=True, default="")
    notes = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lần khám sức khỏe")
        verbose_name_plural = _("khám sức khỏe")
        ordering = ["learner", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "campaign"], name="health_checkup_once_per_campaign"
            )
        ]
        indexes = [
            models.Index(fields=["institution", "date"]),
            models.Index(fields=["learner", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.date:%d/%m/%Y}"


class Vaccine(models.TextChoices):
    """The vaccines of the expanded programme on immunisation (tiêm chủng mở rộng) and
    those schools are most often asked about."""

    BCG = "bcg", _("Lao (BCG)")
    HEPB = "hepb", _("Viêm gan B")
    DTP = "dtp", _("Bạch hầu – ho gà – uốn ván")
    TD = "td", _("Uốn ván – bạch hầu (Td)")
    POLIO = "polio", _("Bại liệt")
    HIB = "hib", _("Hib")
    MEASLES = "measles", _("Sởi")
    MR = "mr", _("Sởi – rubella")
    JE = "je", _("Viêm não Nhật Bản")
    HPV = "hpv", _("HPV")
    FLU = "flu", _("Cúm")
    OTHER = "other", _("Khác")


class Vaccination(models.Model):
    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="vaccinations"
    )
    vaccine = models.CharField(_("vắc xin"), max_length=20, choices=Vaccine.choices)
    dose = models.PositiveSmallIntegerField(_("mũi thứ"), default=1)
    date = models.DateField(_("ngày tiêm"))
    notes = models.CharField(_("ghi chú"), max_length=200, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mũi tiêm chủng")
        verbose_name_plural = _("tiêm chủng")
        ordering = ["learner", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "vaccine", "dose"], name="health_vaccination_dose_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.vaccine} {self.dose}"


class InsuranceCard(models.Model):
    """The learner's health insurance card (thẻ bảo hiểm y tế)."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    learner = models.OneToOneField(
        "learners.Learner", on_delete=models.CASCADE, related_name="insurance_card"
    )
    number = models.CharField(_("số thẻ BHYT"), max_length=15)
    valid_from = models.DateField(_("có giá trị từ"))
    valid_to = models.DateField(_("có giá trị đến"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thẻ bảo hiểm y tế")
        verbose_name_plural = _("thẻ bảo hiểm y tế")

    def __str__(self) -> str:
        return self.number


class HealthRecordView(models.Model):
    """Who viewed whose health data, when and how (page, API, export). Append-only."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xem"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    learner = models.ForeignKey("learners.Learner", on_delete=models.CASCADE, related_name="+")
    # Tenant key: the learner's institution at the time of the view.
    institution_id = models.BigIntegerField(db_index=True)
    channel = models.CharField(_("kênh"), max_length=10)  # page, api, export
    what = models.CharField(_("nội dung"), max_length=40)

    class Meta:
        verbose_name = _("lượt xem hồ sơ sức khỏe")
        verbose_name_plural = _("nhật ký xem hồ sơ sức khỏe")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["learner", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer_id} → {self.learner_id} {self.what}"
