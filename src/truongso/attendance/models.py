"""Daily attendance (điểm danh). Everyone is present by default: only exceptions are
stored, one mark per learner per day. ``AttendanceDay`` records that a class's
attendance was taken on a day, so a month's rate has a known number of school days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    ABSENT_EXCUSED = "absent_excused", _("Vắng có phép")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Vắng không phép")
    LATE = "late", _("Đi muộn")


ABSENT_STATUSES = (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED)


class AttendanceDay(models.Model):
    """Attendance of one class was taken on one day."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "academics.SchoolClass", on_delete=models.CASCADE, related_name="attendance_days"
    )
    date = models.DateField(_("ngày"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ngày điểm danh")
        verbose_name_plural = _("ngày điểm danh")
        ordering = ["school_class", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school_class", "date"], name="attendance_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school_class} {self.date:%d/%m/%Y}"


class AttendanceMark(models.Model):
    """One learner absent (with or without permission) or late on one day."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="attendance_marks"
    )
    school_class = models.ForeignKey(
        "academics.SchoolClass", on_delete=models.CASCADE, related_name="attendance_marks"
    )
    date = models.DateField(_("ngày"))
    status = models.CharField(_("tình trạng"), max_length=20, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["date", "learner"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "date"], name="attendance_mark_unique")
        ]
        indexes = [models.Index(fields=["school_class", "date"])]

    def __str__(self) -> str:
        return f"{self.learner} {self.date:%d/%m/%Y} {self.status}"
