"""Import jobs: an uploaded file, the problems found in it, and what was written."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.imports.storage import private_storage


class ImportKind(models.TextChoices):
    LEARNERS = "learners", _("Học sinh")
    STAFF = "staff", _("Cán bộ, giáo viên, nhân viên")
    CLASSES = "classes", _("Lớp học")


class ImportStatus(models.TextChoices):
    RECEIVED = "received", _("Đã nhận tệp, chờ kiểm tra")
    CHECKING = "checking", _("Đang kiểm tra")
    CHECKED = "checked", _("Đã kiểm tra, chờ ghi")
    REJECTED = "rejected", _("Không đọc được tệp")
    WRITING = "writing", _("Đang ghi dữ liệu")
    DONE = "done", _("Đã ghi dữ liệu")


class CommitMode(models.TextChoices):
    VALID_ROWS = "valid_rows", _("Ghi các dòng hợp lệ, bỏ qua các dòng có lỗi")
    ALL_OR_NOTHING = "all_or_nothing", _("Ghi tất cả hoặc không ghi gì")


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi")
    WARNING = "warning", _("Cảnh báo")
    INFO = "info", _("Thông tin")


def upload_path(job: ImportJob, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"imports/{job.institution_id}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    """One uploaded file: checked first (dry run), then written on request."""

    # Tenant key.
    institution = models.ForeignKey(
        "units.Institution",
        verbose_name=_("cơ sở giáo dục"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices,
        default=ImportStatus.RECEIVED,
    )  # fmt: skip
    file = models.FileField(_("tệp"), storage=private_storage, upload_to=upload_path,
                            max_length=255)  # fmt: skip
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    encoding = models.CharField(_("bảng mã"), max_length=20, blank=True, default="")
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    count_new = models.PositiveIntegerField(_("thêm mới"), default=0)
    count_updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    count_unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    count_error_rows = models.PositiveIntegerField(_("dòng có lỗi"), default=0)
    count_warning_rows = models.PositiveIntegerField(_("dòng có cảnh báo"), default=0)
    count_empty_rows = models.PositiveIntegerField(_("dòng trống"), default=0)
    file_errors = models.PositiveIntegerField(_("lỗi của cả tệp"), default=0)
    mode = models.CharField(_("cách ghi"), max_length=20, choices=CommitMode.choices,
                            blank=True, default="")  # fmt: skip
    written_new = models.PositiveIntegerField(_("đã thêm"), default=0)
    written_updated = models.PositiveIntegerField(_("đã cập nhật"), default=0)
    failure = models.CharField(_("sự cố"), max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    checked_at = models.DateTimeField(_("thời điểm kiểm tra"), null=True, blank=True)
    committed_at = models.DateTimeField(_("thời điểm ghi"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("các lần nhập dữ liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["institution", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.RECEIVED, ImportStatus.CHECKING, ImportStatus.WRITING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.file_errors

    @property
    def rows_valid(self) -> int:
        return self.count_new + self.count_updated + self.count_unchanged


class ImportProblem(models.Model):
    """One problem found in a file, located by sheet, row and column."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    # Tenant key (the job's institution).
    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    sheet = models.CharField(_("trang tính"), max_length=100, blank=True, default="")
    row = models.PositiveIntegerField(_("dòng"), null=True, blank=True)
    column = models.CharField(_("cột"), max_length=150, blank=True, default="")
    code = models.CharField(_("mã lỗi"), max_length=40)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices)
    params = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("vấn đề trong tệp")
        verbose_name_plural = _("vấn đề trong tệp")
        ordering = ["id"]
        indexes = [models.Index(fields=["job", "severity"])]

    def __str__(self) -> str:
        return self.message
