"""Rule sets of the assessment regulations, stored with every version kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.assessment.rules import parameters


class EducationLevel(models.TextChoices):
    """The education level a rule set applies to."""

    PRIMARY = parameters.PRIMARY, _("Tiểu học")
    SECONDARY = parameters.SECONDARY, _("Trung học cơ sở và trung học phổ thông")
    CONTINUING = parameters.CONTINUING, _("Giáo dục thường xuyên")
    VOCATIONAL = parameters.VOCATIONAL, _("Giáo dục nghề nghiệp")


class RuleSet(models.Model):
    """One version of the rules of one regulation from its first school year, e.g.
    Circular 22/2021 from 2021-22 ("tt22-2021"), version 1.

    Rows are never changed: an edit of the parameters is saved as a new version, so a
    result computed with "tt22-2021@1" can always be recomputed with exactly those
    parameters. Not school data: the same rules for every institution.
    """

    code = models.CharField(
        _("mã bộ quy tắc"),
        max_length=40,
        help_text=_("Mã ổn định, ví dụ tt22-2021."),
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    regulation = models.CharField(_("văn bản quy định"), max_length=60)
    education_level = models.CharField(_("cấp học"), max_length=20, choices=EducationLevel.choices)
    first_school_year = models.PositiveSmallIntegerField(
        _("áp dụng từ năm học"),
        help_text=_("Năm bắt đầu của năm học đầu tiên áp dụng, ví dụ 2021 cho 2021-2022."),
    )
    parameters = models.JSONField(_("tham số"))
    note = models.CharField(_("ghi chú thay đổi"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bộ quy tắc đánh giá")
        verbose_name_plural = _("bộ quy tắc đánh giá")
        ordering = ["education_level", "first_school_year", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rule_set_code_version")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The id results record, e.g. ``tt22-2021@1``."""
        return f"{self.code}@{self.version}"
