"""Kết nối CSDL ngành: node-to-node exchange of records with the parent node.

Sending side (a school or province node): ``OutboxRecord`` gives every record a stable
record id, a version that grows with each change, and remembers what the parent has
acknowledged; ``OutgoingBatch`` is a batch as it was sent, resent unchanged until the
parent answers.

Receiving side (the parent): ``ChildNode`` is a registered node below this one;
``ReceivedBatch`` keeps each batch's answer (a batch sent twice gets the same answer);
``InboundRecord`` maps a child's record id to the local row with the last version
applied; ``Conflict`` is a record that could not be applied, waiting for a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordType(models.TextChoices):
    INSTITUTION = "institution", _("Cơ sở giáo dục")
    STAFF = "staff", _("Cán bộ, giáo viên")
    SCHOOL_CLASS = "class", _("Lớp học")
    LEARNER = "learner", _("Học sinh")
    ENROLMENT_EVENT = "enrolment_event", _("Biến động học sinh")
    GUARDIAN = "guardian", _("Phụ huynh")
    TEACHING_ASSIGNMENT = "teaching_assignment", _("Phân công chuyên môn")
    RESULT = "result", _("Kết quả học tập và rèn luyện")


class RecordEvent(models.TextChoices):
    NEW = "new", _("Mới")
    UPDATE = "update", _("Cập nhật")
    CANCEL = "cancel", _("Huỷ")


class OutboxRecord(models.Model):
    """One record of this node as the parent knows it (sending side)."""

    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    local_id = models.BigIntegerField()
    # With local_id, the key of a record that is not one row: a learner's results of a
    # year and term ("<school year id>:<period>"), which survive rows being rewritten.
    local_key = models.CharField(max_length=40, blank=True, default="")
    record_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Tenant key: the institution the record belongs to.
    institution_id = models.BigIntegerField(db_index=True)
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    payload_hash = models.CharField(max_length=64)
    # The last version the parent acknowledged (applied, skipped or queued); 0 = never.
    sent_version = models.PositiveIntegerField(default=0)
    # The identifier the parent assigned (learners, staff), once it answered.
    remote_identifier = models.CharField(max_length=20, blank=True, default="")
    conflict_message = models.CharField(max_length=500, blank=True, default="")
    # The version the parent last held back (deferred): sent after the others next time.
    deferred_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bản ghi chờ gửi")
        verbose_name_plural = _("bản ghi chờ gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "local_id", "local_key"],
                name="exchange_outbox_record_key_unique",
            )
        ]
        indexes = [models.Index(fields=["institution_id", "sent_version", "version"])]

    def __str__(self) -> str:
        return f"{self.record_type}#{self.local_id} v{self.version}"

    @property
    def pending(self) -> bool:
        return self.version > self.sent_version


class OutgoingBatch(models.Model):
    """A batch as built and sent. Until acknowledged it is resent byte for byte."""

    batch_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cursor = models.PositiveIntegerField(unique=True)
    payload = models.JSONField()
    record_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    acknowledged_at = models.DateTimeField(null=True, blank=True, db_index=True)
    answer = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("lô dữ liệu đã gửi")
        verbose_name_plural = _("lô dữ liệu đã gửi")
        ordering = ["-cursor"]

    def __str__(self) -> str:
        return f"#{self.cursor} {self.batch_id}"


class SchoolPushState(models.Model):
    """Sending side, per institution this node pushes for: the last batch the parent
    acknowledged that carried records of the institution."""

    # Tenant key.
    institution_id = models.BigIntegerField(unique=True)
    last_acknowledged_at = models.DateTimeField(null=True, blank=True)
    last_cursor = models.PositiveIntegerField(default=0)
    records_acknowledged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("trạng thái gửi của trường")
        verbose_name_plural = _("trạng thái gửi của trường")

    def __str__(self) -> str:
        return f"{self.institution_id} #{self.last_cursor}"


class ChildNode(models.Model):
    """A node registered below this one (receiving side). Its token is an API token of
    its own system account (stored hashed); the account is given the school-staff role
    on each institution the node may push for, so the services check it like anyone."""

    node_id = models.SlugField(_("mã nút"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_node"
    )
    institutions = models.ManyToManyField(
        "units.Institution", verbose_name=_("trường được gửi dữ liệu"), related_name="+"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nút cấp dưới")
        verbose_name_plural = _("nút cấp dưới")
        ordering = ["node_id"]

    def __str__(self) -> str:
        return self.node_id


class ReceivedBatch(models.Model):
    """A batch received and committed, with the answer given (idempotency by batch id)."""

    node = models.ForeignKey(ChildNode, on_delete=models.PROTECT, related_name="batches")
    batch_id = models.UUIDField()
    cursor = models.PositiveIntegerField()
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    applied = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    deferred = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    answer = models.JSONField()

    class Meta:
        verbose_name = _("lô dữ liệu đã nhận")
        verbose_name_plural = _("lô dữ liệu đã nhận")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["node", "batch_id"], name="exchange_batch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node_id} #{self.cursor}"


class SchoolReceipt(models.Model):
    """Receiving side, per node and institution: the last batch received that carried
    records of the institution."""

    node = models.ForeignKey(ChildNode, on_delete=models.PROTECT, related_name="receipts")
    # Tenant key.
    institution_id = models.BigIntegerField(db_index=True)
    batch = models.ForeignKey(ReceivedBatch, on_delete=models.PROTECT, related_name="+")
    cursor = models.PositiveIntegerField()
    received_at = models.DateTimeField()
    records = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lô nhận gần nhất của trường")
        verbose_name_plural = _("lô nhận gần nhất của trường")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "institution_id"], name="exchange_school_receipt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.institution_id} #{self.cursor}"


class InboundState(models.TextChoices):
    APPLIED = "applied", _("Đã cập nhật")
    CONFLICT = "conflict", _("Chờ xử lý xung đột")
    REJECTED = "rejected", _("Bị từ chối")
    CANCELLED = "cancelled", _("Đã huỷ")


class InboundRecord(models.Model):
    """A child's record as applied here: the local row and the last version seen."""

    node = models.ForeignKey(ChildNode, on_delete=models.PROTECT, related_name="records")
    record_id = models.UUIDField()
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    # Tenant key (the institution the record belongs to here).
    institution_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    local_id = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    event = models.CharField(max_length=10, choices=RecordEvent.choices)
    changed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=InboundState.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản ghi đã nhận")
        verbose_name_plural = _("bản ghi đã nhận")
        constraints = [
            models.UniqueConstraint(fields=["node", "record_id"], name="exchange_inbound_unique")
        ]
        indexes = [models.Index(fields=["record_type", "local_id"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} v{self.version}"


class ConflictReason(models.TextChoices):
    UNKNOWN_INSTITUTION = "unknown_institution", _("Trường chưa có hoặc nút không được gửi")
    UNKNOWN_UNIT = "unknown_unit", _("Đơn vị hành chính không có")
    IDENTIFIER = "identifier", _("Mã định danh không khớp")
    PERSONAL_ID = "personal_id", _("Số định danh cá nhân trùng với học sinh khác")
    INVALID = "invalid", _("Dữ liệu không hợp lệ")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    MERGED = "merged", _("Đã gộp")
    REJECTED = "rejected", _("Đã từ chối")


class Conflict(models.Model):
    """A record the parent could not apply. Nothing is dropped: it waits here, with the
    latest version received, until a person accepts, merges or rejects it."""

    node = models.ForeignKey(ChildNode, on_delete=models.PROTECT, related_name="conflicts")
    record = models.ForeignKey(InboundRecord, on_delete=models.PROTECT, related_name="conflicts")
    # Tenant key: the institution that sent the record (null when it is not known here).
    institution_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    institution_code = models.CharField(_("mã trường"), max_length=20, blank=True, default="")
    reason = models.CharField(_("lý do"), max_length=30, choices=ConflictReason.choices)
    message = models.CharField(_("chi tiết"), max_length=500)
    payload = models.JSONField()
    version = models.PositiveIntegerField()
    # The learner already here that the record collides with, if any.
    existing_learner = models.ForeignKey(
        "learners.Learner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    resolution_note = models.CharField(_("ghi chú xử lý"), max_length=500, blank=True, default="")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # When the resolution went back to the node (in the answer to its next batch).
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xung đột dữ liệu")
        verbose_name_plural = _("xung đột dữ liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "institution_id"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.record.record_type})"


class ReceivedResult(models.Model):
    """A learner's results of a term or of the year as the school computed and sent
    them (receiving side). Kept as received, never recomputed here: the values are
    those of the school's rule set (``rule_set``, e.g. ``tt22-2021@1``)."""

    node = models.ForeignKey(ChildNode, on_delete=models.PROTECT, related_name="results")
    # Tenant key: the school that computed and sent the results.
    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(
        "learners.Learner", verbose_name=_("học sinh"), on_delete=models.PROTECT, related_name="+"
    )
    school_year = models.ForeignKey(
        "academics.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # 0: the whole year; 1, 2: term I, term II.
    period = models.PositiveSmallIntegerField(_("kỳ"))
    school_class = models.ForeignKey(
        "academics.SchoolClass", verbose_name=_("lớp"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    rule_set = models.CharField(_("bộ quy tắc"), max_length=60)
    learning = models.CharField(_("kết quả học tập"), max_length=10, blank=True, default="")
    learning_base = models.CharField(max_length=10, blank=True, default="")
    conduct = models.CharField(_("kết quả rèn luyện"), max_length=10, blank=True, default="")
    days_absent = models.PositiveSmallIntegerField(_("số ngày nghỉ"), default=0)
    promotion = models.CharField(_("xét lên lớp"), max_length=30, blank=True, default="")
    promotion_reason = models.CharField(max_length=20, blank=True, default="")
    retest_subjects = models.JSONField(default=list, blank=True)
    award = models.CharField(_("khen thưởng"), max_length=30, blank=True, default="")
    summer_outcome = models.CharField(max_length=30, blank=True, default="")
    summer_subjects = models.JSONField(default=list, blank=True)
    summer_learning = models.CharField(max_length=10, blank=True, default="")
    summer_conduct = models.CharField(max_length=10, blank=True, default="")
    missing = models.JSONField(default=list, blank=True)
    summer_missing = models.JSONField(default=list, blank=True)
    # The version of the child's record these values came from, and when it changed.
    version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now=True)
    # The school withdrew these results (its record was cancelled).
    cancelled = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("kết quả đã nhận")
        verbose_name_plural = _("kết quả đã nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "learner", "school_year", "period"],
                name="exchange_received_result_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.school_year_id} · {self.period}"


class ReceivedSubjectResult(models.Model):
    """A subject's result inside a received result: the average of a scored subject,
    Đạt/Chưa đạt of a subject assessed by comment."""

    result = models.ForeignKey(ReceivedResult, on_delete=models.CASCADE, related_name="subjects")
    # Tenant key.
    institution_id = models.BigIntegerField(db_index=True)
    subject_code = models.CharField(_("mã môn"), max_length=20)
    average = models.DecimalField(
        _("điểm trung bình"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    rating = models.CharField(_("kết quả"), max_length=10, blank=True, default="")
    missing = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("kết quả môn học đã nhận")
        verbose_name_plural = _("kết quả môn học đã nhận")
        ordering = ["subject_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "subject_code"], name="exchange_received_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.result_id} · {self.subject_code}"
