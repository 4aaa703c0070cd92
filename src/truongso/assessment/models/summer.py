"""After the school year: summer re-tests (kiểm tra lại) and the conduct re-evaluated
after summer training (rèn luyện trong hè) of the learners sent to the summer
(Circular 22/2021), and each learner's elective subjects in upper secondary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from truongso.assessment.models.gradebook import Rating, _Edited


class SummerReassessment(_Edited):
    """What the summer gave for one learner and school year: each re-tested subject's
    result (``retests``: subject code → a one-decimal score string, or "dat" /
    "chua_dat" for a subject assessed by comment) and the conduct re-evaluated after
    summer training. The re-evaluated decision is stored with the year's results."""

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
    retests = models.JSONField(_("điểm kiểm tra lại"), default=dict, blank=True)
    conduct = models.CharField(
        _("kết quả rèn luyện sau rèn luyện trong hè"), max_length=10, blank=True, default="",
        choices=Rating.choices,
    )  # fmt: skip
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("kiểm tra lại, rèn luyện trong hè")
        verbose_name_plural = _("kiểm tra lại, rèn luyện trong hè")
        constraints = [
            models.UniqueConstraint(fields=["learner", "school_year"], name="summer_learner_year")
        ]
        indexes = [models.Index(fields=["school_class", "school_year"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.school_year_id}"


class ElectiveChoice(models.Model):
    """An elective subject a learner of upper secondary chose for a school year (môn
    học lựa chọn, 2018 curriculum). A learner without any follows the class's
    electives (its teaching assignments)."""

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
    subject = models.ForeignKey(
        "academics.Subject", verbose_name=_("môn học"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("môn lựa chọn của học sinh")
        verbose_name_plural = _("môn lựa chọn của học sinh")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "school_year", "subject"], name="elective_choice_unique"
            )
        ]
        indexes = [models.Index(fields=["school_class", "school_year"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.school_year_id} · {self.subject_id}"
