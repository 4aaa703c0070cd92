"""Results computed from the gradebook by the rule engines, stored so that pages,
exports and report cards read them without recomputing. Each row names the rule set
and version it came from (``tt22-2021@1``) and, while incomplete, what is missing.

Never edited by hand: ``results_recompute`` writes them after every change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.assessment.models.gradebook import PassRating, Rating


class Period(models.IntegerChoices):
    """A term of the school year, or the whole year."""

    YEAR = 0, _("Cả năm")
    TERM_1 = 1, _("Học kỳ I")
    TERM_2 = 2, _("Học kỳ II")


class Promotion(models.TextChoices):
    """The promotion decision (codes of the rule engine)."""

    PROMOTED = "promoted", _("Lên lớp")
    RETESTS = "summer_retests", _("Kiểm tra lại trong hè")
    CONDUCT_TRAINING = "summer_conduct_training", _("Rèn luyện trong hè")
    REPEAT = "repeat", _("Ở lại lớp")


class AwardKind(models.TextChoices):
    GIOI = "hoc_sinh_gioi", _("Học sinh Giỏi")
    XUAT_SAC = "hoc_sinh_xuat_sac", _("Học sinh Xuất sắc")


class _Computed(models.Model):
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
    # What is missing while incomplete: [{"what", "subject" (code), "term", "count"}].
    missing = models.JSONField(_("còn thiếu"), default=list, blank=True)
    rule_set = models.CharField(_("bộ quy tắc"), max_length=60)
    computed_at = models.DateTimeField(_("tính lúc"), auto_now=True)

    class Meta:
        abstract = True


class SubjectResult(_Computed):
    """A subject's result for a learner in a term or the year: the average (ĐTBmhk,
    ĐTBmcn) of a scored subject, Đạt/Chưa đạt of a subject assessed by comment."""

    subject = models.ForeignKey(
        "academics.Subject", verbose_name=_("môn học"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveSmallIntegerField(_("kỳ"), choices=Period.choices)
    average = models.DecimalField(
        _("điểm trung bình"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    rating = models.CharField(
        _("kết quả"), max_length=10, blank=True, default="", choices=PassRating.choices
    )

    class Meta:
        verbose_name = _("kết quả môn học")
        verbose_name_plural = _("kết quả môn học")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "subject", "school_year", "period"],
                name="subject_result_unique",
            )
        ]
        indexes = [models.Index(fields=["school_class", "period"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.subject_id} · {self.period}"


class LearnerTermResult(_Computed):
    """A learner's results for one term: learning result (kết quả học tập), conduct
    (kết quả rèn luyện) and days absent."""

    term = models.ForeignKey(
        "academics.Term", verbose_name=_("học kỳ"), on_delete=models.PROTECT, related_name="+"
    )
    learning = models.CharField(
        _("kết quả học tập"), max_length=10, blank=True, default="", choices=Rating.choices
    )
    # The learning result before the one-subject adjustment, when that raised it.
    learning_base = models.CharField(max_length=10, blank=True, default="", choices=Rating.choices)
    conduct = models.CharField(
        _("kết quả rèn luyện"), max_length=10, blank=True, default="", choices=Rating.choices
    )
    days_absent = models.PositiveSmallIntegerField(_("số ngày nghỉ"), default=0)

    class Meta:
        verbose_name = _("kết quả học kỳ")
        verbose_name_plural = _("kết quả học kỳ")
        constraints = [
            models.UniqueConstraint(fields=["learner", "term"], name="learner_term_result_unique")
        ]
        indexes = [models.Index(fields=["school_class", "term"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.term_id}"


class LearnerYearResult(_Computed):
    """A learner's results for the school year: learning and conduct results, days
    absent, the promotion decision (with the subjects to re-test) and the award."""

    learning = models.CharField(
        _("kết quả học tập"), max_length=10, blank=True, default="", choices=Rating.choices
    )
    learning_base = models.CharField(max_length=10, blank=True, default="", choices=Rating.choices)
    conduct = models.CharField(
        _("kết quả rèn luyện"), max_length=10, blank=True, default="", choices=Rating.choices
    )
    days_absent = models.PositiveSmallIntegerField(_("số ngày nghỉ"), default=0)
    promotion = models.CharField(
        _("xét lên lớp"), max_length=30, blank=True, default="", choices=Promotion.choices
    )
    promotion_reason = models.CharField(max_length=20, blank=True, default="")
    # Subject codes to re-test in the summer.
    retest_subjects = models.JSONField(_("môn kiểm tra lại"), default=list, blank=True)
    award = models.CharField(
        _("khen thưởng"), max_length=30, blank=True, default="", choices=AwardKind.choices
    )
    # Sent to the summer: the decision at the end of the year and its re-tests (the
    # fields above then hold the decision re-evaluated after the summer, once known),
    # the learning and conduct results re-evaluated, and what the summer still needs.
    summer_outcome = models.CharField(
        _("xét sau hè"), max_length=30, blank=True, default="", choices=Promotion.choices
    )
    summer_subjects = models.JSONField(_("môn kiểm tra lại trong hè"), default=list, blank=True)
    summer_learning = models.CharField(
        _("kết quả học tập sau hè"), max_length=10, blank=True, default="",
        choices=Rating.choices,
    )  # fmt: skip
    summer_conduct = models.CharField(
        _("kết quả rèn luyện sau hè"), max_length=10, blank=True, default="",
        choices=Rating.choices,
    )  # fmt: skip
    summer_missing = models.JSONField(default=list, blank=True)
    # Fingerprint of the inputs every result of the learner for the year came from.
    inputs_digest = models.CharField(max_length=32, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("kết quả cả năm")
        verbose_name_plural = _("kết quả cả năm")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "school_year"], name="learner_year_result_unique"
            )
        ]
        indexes = [models.Index(fields=["school_class", "school_year"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.school_year_id}"
