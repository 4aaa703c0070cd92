"""Statistical reports (báo cáo thống kê): the indicator catalogue, reporting rounds,
snapshots of a school's records at the cut-off date, reports with their approval
workflow and versions, and the population table used by the UIS indicators.

Figures are stored as ``{indicator_code: {cell_key: number}}``: a cell key is the
values of the indicator's disaggregation joined by "|" ("6|F|01|0" for grade 6, girls,
Kinh, no disability); "" is the only cell of an indicator without disaggregation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportForm(models.TextChoices):
    BEGINNING_OF_YEAR = "boy", _("Báo cáo thống kê đầu năm")
    END_OF_YEAR = "eoy", _("Báo cáo thống kê cuối năm")


class Indicator(models.Model):
    """One indicator (chỉ tiêu thống kê) of the catalogue, loaded from
    ``stats/catalogue/indicators.json`` and from the modules' indicator sources."""

    code = models.CharField(_("mã"), max_length=80, unique=True)
    label = models.CharField(_("tên chỉ tiêu"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=20, default="count")
    forms = models.JSONField(_("biểu báo cáo"), default=list)
    kinds = models.JSONField(_("cấp học"), default=list, blank=True)
    disaggregation = models.JSONField(_("phân tổ"), default=list, blank=True)
    # How the figure is obtained: "stats.<function>" (stats/computations.py),
    # "source:<code>" (a module's IndicatorSource) or "manual" (typed in).
    computation = models.CharField(_("cách tính"), max_length=120)
    prefer_source = models.CharField(max_length=80, blank=True, default="")
    aggregate = models.CharField(max_length=10, default="sum")
    layout = models.JSONField(_("bố cục biểu"), default=dict, blank=True)
    dhis2_code = models.CharField(_("mã DHIS2"), max_length=50, blank=True, default="")
    definition = models.TextField(_("định nghĩa"), blank=True, default="")
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("chỉ tiêu thống kê")
        verbose_name_plural = _("chỉ tiêu thống kê")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def is_manual(self) -> bool:
        return self.computation == "manual"


class ReportRound(models.Model):
    """A reporting round: one form of one school year with its cut-off date."""

    form = models.CharField(_("biểu báo cáo"), max_length=3, choices=ReportForm.choices)
    school_year = models.ForeignKey(
        "academics.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    cutoff = models.DateField(_("ngày chốt số liệu"))
    deadline = models.DateField(_("hạn nộp"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-cutoff", "form"]
        constraints = [
            models.UniqueConstraint(fields=["form", "school_year"], name="stats_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.school_year}"


class Snapshot(models.Model):
    """A school's records frozen at the cut-off date: the computed figures, and where the
    school stood in the unit tree in force on that date."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    report_round = models.ForeignKey(ReportRound, on_delete=models.PROTECT, related_name="+")
    cutoff = models.DateField()
    # Path of the deepest administrative unit holding the school on the cut-off date.
    unit_path = models.CharField(max_length=100, db_index=True)
    values = models.JSONField(default=dict)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh chụp số liệu")
        verbose_name_plural = _("ảnh chụp số liệu")
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.cutoff}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Bị trả lại")


class Report(models.Model):
    """One version of a report of a school (``institution``) or of a unit (``unit``:
    a province, or the country) for a round. A new version never changes an old one."""

    report_round = models.ForeignKey(
        ReportRound, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT,
        related_name="reports",
    )  # fmt: skip
    institution = models.ForeignKey(
        "units.Institution", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "units.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    unit_path = models.CharField(max_length=100, db_index=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    is_current = models.BooleanField(default=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    values = models.JSONField(default=dict)
    manual = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    # A unit report: how many school reports it sums.
    parts = models.PositiveIntegerField(default=0)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    prepared_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("lý do trả lại"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("báo cáo thống kê")
        verbose_name_plural = _("báo cáo thống kê")
        ordering = ["report_round", "unit_path", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_round", "institution", "version"],
                condition=models.Q(institution__isnull=False),
                name="stats_report_school_version_unique",
            ),
            models.UniqueConstraint(
                fields=["report_round", "unit", "version"],
                condition=models.Q(unit__isnull=False),
                name="stats_report_unit_version_unique",
            ),
        ]
        indexes = [models.Index(fields=["report_round", "is_current", "status"])]

    def __str__(self) -> str:
        return f"{self.owner_name} · {self.report_round} · v{self.version}"

    @property
    def owner_name(self) -> str:
        return str(self.institution or self.unit)


class PopulationFigure(models.Model):
    """Population of one age in one administrative unit in one year (for GER, NER)."""

    unit = models.ForeignKey(
        "units.AdministrativeUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("năm"))
    age = models.PositiveSmallIntegerField(_("tuổi"))
    male = models.PositiveIntegerField(_("nam"), default=0)
    female = models.PositiveIntegerField(_("nữ"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dân số theo độ tuổi")
        verbose_name_plural = _("dân số theo độ tuổi")
        ordering = ["unit", "year", "age"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "age"], name="stats_population_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.year} · {self.age}"

    @property
    def total(self) -> int:
        return self.male + self.female
