"""Learners (học sinh), their guardians and their enrolment history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.core.models import PersonIdentity


class LearnerStatus(models.TextChoices):
    STUDYING = "studying", _("Đang học")
    TRANSFERRED = "transferred", _("Đã chuyển trường")
    WITHDRAWN = "withdrawn", _("Thôi học")
    DROPPED_OUT = "dropped_out", _("Bỏ học")
    COMPLETED = "completed", _("Hoàn thành cấp học")


class Disability(models.TextChoices):
    NONE = "", _("Không")
    MOBILITY = "mobility", _("Khuyết tật vận động")
    HEARING_SPEECH = "hearing_speech", _("Khuyết tật nghe, nói")
    VISUAL = "visual", _("Khuyết tật nhìn")
    INTELLECTUAL = "intellectual", _("Khuyết tật trí tuệ")
    PSYCHOSOCIAL = "psychosocial", _("Khuyết tật thần kinh, tâm thần")
    OTHER = "other", _("Khuyết tật khác")


class PolicyCategory(models.TextChoices):
    """Đối tượng chính sách (a learner may belong to several)."""

    MARTYR_CHILD = "martyr_child", _("Con liệt sĩ")
    WAR_INVALID_CHILD = "war_invalid_child", _("Con thương binh, bệnh binh")
    POOR_HOUSEHOLD = "poor_household", _("Hộ nghèo")
    NEAR_POOR_HOUSEHOLD = "near_poor_household", _("Hộ cận nghèo")
    ETHNIC_MINORITY_DIFFICULT_AREA = (
        "ethnic_difficult_area",
        _("Dân tộc thiểu số ở vùng đặc biệt khó khăn"),
    )
    ORPHAN = "orphan", _("Mồ côi cả cha và mẹ")
    DISABILITY = "disability", _("Khuyết tật thuộc hộ nghèo, cận nghèo")


class PersonalIdStatus(models.TextChoices):
    OK = "ok", _("Hợp lệ")
    MISSING = "missing", _("Chưa có")
    WARNING = "warning", _("Cần kiểm tra")


class Learner(PersonIdentity):
    """One learner, kept across transfers and school levels."""

    # Tenant key: the institution where the learner is currently enrolled.
    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="learners"
    )
    education_id = models.CharField(
        _("mã định danh"), max_length=20, unique=True, null=True, blank=True
    )
    current_class = models.ForeignKey(
        "academics.SchoolClass",
        verbose_name=_("lớp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learners",
    )
    grade = models.PositiveSmallIntegerField(_("khối"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=LearnerStatus.choices,
        default=LearnerStatus.STUDYING,
    )
    personal_id_status = models.CharField(
        _("kiểm tra số định danh"),
        max_length=10,
        choices=PersonalIdStatus.choices,
        default=PersonalIdStatus.MISSING,
        editable=False,
    )
    disability = models.CharField(
        _("khuyết tật"), max_length=20, choices=Disability.choices, blank=True, default=""
    )
    policy_categories = models.JSONField(_("đối tượng chính sách"), default=list, blank=True)
    place_of_birth = models.CharField(_("nơi sinh"), max_length=200, blank=True, default="")
    enrolled_on = models.DateField(_("ngày vào trường"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("học sinh")
        verbose_name_plural = _("học sinh")
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(fields=["institution", "status", "search_name"]),
            models.Index(fields=["current_class", "search_name"]),
        ]


class Guardian(models.Model):
    """Phụ huynh / người giám hộ of a learner."""

    class Relationship(models.TextChoices):
        FATHER = "father", _("Cha")
        MOTHER = "mother", _("Mẹ")
        GUARDIAN = "guardian", _("Người giám hộ")
        OTHER = "other", _("Khác")

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="guardians")
    relationship = models.CharField(_("quan hệ"), max_length=10, choices=Relationship.choices)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, default="")
    email = models.EmailField(_("thư điện tử"), blank=True, default="")
    occupation = models.CharField(_("nghề nghiệp"), max_length=100, blank=True, default="")
    year_of_birth = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardianships",
    )

    class Meta:
        verbose_name = _("phụ huynh")
        verbose_name_plural = _("phụ huynh")
        ordering = ["learner", "relationship"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"


class EnrolmentEventKind(models.TextChoices):
    ADMIT = "admit", _("Nhập học")
    TRANSFER_OUT = "transfer_out", _("Chuyển đi")
    TRANSFER_IN = "transfer_in", _("Chuyển đến")
    CHANGE_CLASS = "change_class", _("Chuyển lớp")
    WITHDRAW = "withdraw", _("Thôi học")
    DROP_OUT = "drop_out", _("Bỏ học")
    REPEAT = "repeat", _("Lưu ban")
    PROMOTE = "promote", _("Lên lớp")
    COMPLETE_LEVEL = "complete_level", _("Hoàn thành cấp học")
    READMIT = "readmit", _("Trở lại học")


class EnrolmentEvent(models.Model):
    """One event in a learner's enrolment history. Never edited; corrections are new events.

    The database enforces the reference to the learner. The other references (school,
    year, classes, actor) are kept by the services that write events and by Django's
    ``on_delete`` rules, without a database constraint or, where nothing looks events up
    by them, an index: an import writes one event per learner, and each constraint costs a
    lookup per row and each index an insertion (see docs/benchmarks.md).
    """

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("sự kiện"), max_length=20, choices=EnrolmentEventKind.choices)
    occurred_on = models.DateField(_("ngày"))
    school_year = models.ForeignKey(
        "academics.SchoolYear",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    from_class = models.ForeignKey(
        "academics.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    to_class = models.ForeignKey(
        "academics.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    grade = models.PositiveSmallIntegerField(_("khối"), null=True, blank=True)
    other_institution = models.ForeignKey(
        "units.Institution",
        verbose_name=_("trường đi/đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    reason = models.CharField(_("lý do"), max_length=500, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # The import job that admitted the learner, if any: its audit entry ("import.commit")
    # records who wrote the file's rows, when and why, with the file's SHA-256.
    import_job_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biến động học sinh")
        verbose_name_plural = _("biến động học sinh")
        ordering = ["learner", "occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class IdentifierCounter(models.Model):
    """The next serial for education identifiers issued by this node, per prefix.

    Only grows: an identifier is never reused, even when its learner is deleted."""

    prefix = models.CharField(max_length=10, unique=True)
    next_value = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.next_value}"
