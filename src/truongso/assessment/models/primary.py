"""The primary gradebook (Circular 27/2020): per learner, subject and school year the
ratings at the four points of the year and the periodic test scores; per learner and
year the ratings of qualities and competencies and the class's nomination; and the
end-of-year outcome and award computed from them with the rule set."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.assessment.models.gradebook import _Edited


class PrimaryOutcomeChoice(models.TextChoices):
    XUAT_SAC = "hoan_thanh_xuat_sac", _("Hoàn thành xuất sắc")
    TOT = "hoan_thanh_tot", _("Hoàn thành tốt")
    HOAN_THANH = "hoan_thanh", _("Hoàn thành")
    CHUA = "chua_hoan_thanh", _("Chưa hoàn thành")


class PrimaryAwardChoice(models.TextChoices):
    XUAT_SAC = "hoc_sinh_xuat_sac", _("Học sinh Xuất sắc")
    TIEU_BIEU = (
        "hoc_sinh_tieu_bieu",
        _("Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện"),
    )


class _LearnerYear(models.Model):
    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "academics.SchoolClass", verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    learner = models.ForeignKey(
        "learners.Learner", verbose_name=_("học sinh"), on_delete=models.PROTECT, related_name="+"
    )
    school_year = models.ForeignKey(
        "academics.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        abstract = True


class PrimarySubjectEntry(_Edited, _LearnerYear):
    """A subject of a primary learner's year: ``ratings`` {period: "hoan_thanh_tot" …}
    and ``tests`` {period: "9"} for the periods mid_1, end_1, mid_2, end_2, and the
    teacher's comment."""

    subject = models.ForeignKey(
        "academics.Subject", verbose_name=_("môn học"), on_delete=models.PROTECT, related_name="+"
    )
    ratings = models.JSONField(_("mức đạt được"), default=dict, blank=True)
    tests = models.JSONField(_("điểm kiểm tra định kỳ"), default=dict, blank=True)
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("đánh giá môn học (tiểu học)")
        verbose_name_plural = _("đánh giá môn học (tiểu học)")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "subject", "school_year"], name="primary_subject_entry_unique"
            )
        ]
        indexes = [models.Index(fields=["school_class", "school_year"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.subject_id} · {self.school_year_id}"


class PrimaryQualityEntry(_Edited, _LearnerYear):
    """A primary learner's qualities and competencies in a year: ``ratings``
    {quality code: {period: "tot" | "dat" | "can_co_gang"}}, the class's nomination
    for the Tiêu biểu award, and the homeroom teacher's comment."""

    ratings = models.JSONField(_("phẩm chất, năng lực"), default=dict, blank=True)
    nominated = models.BooleanField(_("lớp đề nghị khen thưởng"), default=False)
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("phẩm chất, năng lực (tiểu học)")
        verbose_name_plural = _("phẩm chất, năng lực (tiểu học)")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "school_year"], name="primary_quality_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.school_year_id}"


class PrimaryYearResult(_LearnerYear):
    """The end-of-year outcome and award of a primary learner, computed (never edited)
    with the rule set named, or what is missing."""

    outcome = models.CharField(
        _("kết quả cuối năm"), max_length=30, blank=True, default="",
        choices=PrimaryOutcomeChoice.choices,
    )  # fmt: skip
    award = models.CharField(
        _("khen thưởng"), max_length=30, blank=True, default="", choices=PrimaryAwardChoice.choices
    )
    missing = models.JSONField(_("còn thiếu"), default=list, blank=True)
    rule_set = models.CharField(_("bộ quy tắc"), max_length=60)
    computed_at = models.DateTimeField(_("tính lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kết quả cuối năm (tiểu học)")
        verbose_name_plural = _("kết quả cuối năm (tiểu học)")
        constraints = [
            models.UniqueConstraint(fields=["learner", "school_year"], name="primary_year_unique")
        ]
        indexes = [models.Index(fields=["school_class", "school_year"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.school_year_id}"
