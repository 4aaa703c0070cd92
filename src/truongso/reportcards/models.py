"""Report cards (học bạ số): one per learner per school year.

``ReportCard`` is the learner's card for the year: its workflow state (draft, checked
by the homeroom teacher, approved by the principal), the remarks and the completion of
lower secondary that are entered on it, and a pointer to its current version.

``ReportCardVersion`` is what the card said at one moment: the whole content as JSON
(identity, results, remarks, who checked and approved, the rule sets the results came
from) and the SHA-256 of its canonical JSON (RFC 8785). Versions are never changed or
deleted: a change after approval makes a new version and the approved one stays.

``ReportCardCopy`` logs every copy or extract issued (who, when, for whom, why).
``ReportCardJob`` is a background run that generates and renders a class or a school.

Every row carries ``institution_id`` (the tenant key): the school that keeps the card.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.imports.storage import private_storage


class ReportCardStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    READY = "ready", _("Đã kiểm tra")
    APPROVED = "approved", _("Đã duyệt")


class ReportCard(models.Model):
    """Học bạ of a learner for one school year."""

    institution = models.ForeignKey(
        "units.Institution", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    learner = models.ForeignKey(
        "learners.Learner", verbose_name=_("học sinh"), on_delete=models.PROTECT,
        related_name="report_cards",
    )  # fmt: skip
    school_year = models.ForeignKey(
        "academics.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    school_class = models.ForeignKey(
        "academics.SchoolClass", verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportCardStatus.choices,
        default=ReportCardStatus.DRAFT,
    )  # fmt: skip
    current_version = models.ForeignKey(
        "ReportCardVersion", verbose_name=_("phiên bản hiện tại"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # The latest approved version (kept when a later change makes a new draft).
    approved_version = models.ForeignKey(
        "ReportCardVersion", verbose_name=_("phiên bản đã duyệt"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    homeroom_remark = models.TextField(
        _("nhận xét của giáo viên chủ nhiệm"), max_length=1000, blank=True, default=""
    )
    principal_remark = models.TextField(
        _("phê duyệt của hiệu trưởng"), max_length=1000, blank=True, default=""
    )
    # Completion of lower secondary (since 2026 recorded on the report card by the
    # principal instead of a diploma): None while not recorded.
    lower_secondary_completed = models.BooleanField(
        _("hoàn thành chương trình THCS"), null=True, blank=True
    )
    completion_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    completion_recorded_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người kiểm tra"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    checked_at = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người duyệt"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("học bạ")
        verbose_name_plural = _("học bạ")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "school_year"], name="report_card_learner_year"
            )
        ]
        indexes = [
            models.Index(fields=["school_class", "status"]),
            models.Index(fields=["institution", "school_year", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.school_year_id}"

    @property
    def locked(self) -> bool:
        """Approved: a change now makes a new version (and needs a reason)."""
        return self.status == ReportCardStatus.APPROVED


class ReportCardVersion(models.Model):
    """The content of a report card at one moment. Never changed after it is written."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    report_card = models.ForeignKey(
        ReportCard, verbose_name=_("học bạ"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportCardStatus.choices)
    content = models.JSONField(_("nội dung"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    reason = models.CharField(_("lý do"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("phiên bản học bạ")
        verbose_name_plural = _("phiên bản học bạ")
        ordering = ["report_card", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_card", "number"], name="report_card_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_card_id} v{self.number}"


class ReportCardCopy(models.Model):
    """A copy or extract of a report card issued (bản sao, trích lục): who, when, which
    version, for whom and why."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    report_card = models.ForeignKey(
        ReportCard, verbose_name=_("học bạ"), on_delete=models.PROTECT, related_name="copies"
    )
    version = models.ForeignKey(
        ReportCardVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cấp"), null=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recipient = models.CharField(_("cấp cho"), max_length=200, blank=True, default="")
    purpose = models.CharField(_("mục đích"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("bản sao học bạ")
        verbose_name_plural = _("sổ cấp bản sao học bạ")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["institution", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.report_card_id} · {self.issued_at:%Y-%m-%d}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


def job_file_path(job: ReportCardJob, filename: str) -> str:
    return f"reportcards/{job.institution_id}/{filename}"


class ReportCardJob(models.Model):
    """Generating the drafts and rendering the PDFs of a class or a whole school, in
    the background. The PDFs are kept in one .zip outside the web root."""

    institution = models.ForeignKey(
        "units.Institution", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="+"
    )
    school_year = models.ForeignKey(
        "academics.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    school_class = models.ForeignKey(
        "academics.SchoolClass", verbose_name=_("lớp"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    done = models.PositiveIntegerField(_("đã xong"), default=0)
    created = models.PositiveIntegerField(default=0)
    refreshed = models.PositiveIntegerField(default=0)
    locked = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=500, blank=True, default="")
    file = models.FileField(
        storage=private_storage, upload_to=job_file_path, blank=True, default="", max_length=300
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt tạo học bạ")
        verbose_name_plural = _("lượt tạo học bạ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
