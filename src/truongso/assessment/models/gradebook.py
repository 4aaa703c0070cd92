"""The gradebook (sổ điểm) of a school: what teachers enter.

Every row carries ``institution_id`` (the tenant key). Scores are ``Decimal`` with one
decimal place; the regular scores (đánh giá thường xuyên, ĐĐGtx) of a term are kept in
order in a JSON list of decimal strings because their number depends on the subject's
periods a year and on the rule set. Every entered row has a ``version`` that grows with
each change: a write carries the version its author saw, so two people editing the same
row never overwrite each other silently.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """Kết quả học tập / rèn luyện (Circular 22/2021). Codes as in the rule engines."""

    TOT = "tot", _("Tốt")
    KHA = "kha", _("Khá")
    DAT = "dat", _("Đạt")
    CHUA_DAT = "chua_dat", _("Chưa đạt")


class PassRating(models.TextChoices):
    """Result of a subject assessed by comment only: Đạt / Chưa đạt."""

    DAT = "dat", _("Đạt")
    CHUA_DAT = "chua_dat", _("Chưa đạt")


class _Edited(models.Model):
    """Who changed a gradebook row last, when, and its version."""

    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class ScoreEntry(_Edited):
    """One learner's assessments in one subject and one term (học kỳ), as entered in
    the gradebook of the class: regular scores, mid-term and end-of-term scores for a
    scored subject, or Đạt/Chưa đạt for a subject assessed by comment only, and the
    subject teacher's comment (nhận xét)."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "academics.SchoolClass", verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    learner = models.ForeignKey(
        "learners.Learner", verbose_name=_("học sinh"), on_delete=models.PROTECT,
        related_name="score_entries",
    )  # fmt: skip
    subject = models.ForeignKey(
        "academics.Subject", verbose_name=_("môn học"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        "academics.Term", verbose_name=_("học kỳ"), on_delete=models.PROTECT, related_name="+"
    )
    # Regular scores in order, e.g. ["8.0", null, "6.5", null]: one-decimal strings.
    regular = models.JSONField(_("điểm đánh giá thường xuyên"), default=list, blank=True)
    mid_term = models.DecimalField(
        _("điểm giữa kỳ"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    end_of_term = models.DecimalField(
        _("điểm cuối kỳ"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    # Comment-only subjects: the mid-term and end-of-term ratings (ĐĐGgk, ĐĐGck) and the
    # term's result derived from them (rules.gradebook.comment_term_rating).
    mid_term_rating = models.CharField(
        _("đánh giá giữa kỳ (Đạt/Chưa đạt)"), max_length=10, blank=True, default="",
        choices=PassRating.choices,
    )  # fmt: skip
    end_of_term_rating = models.CharField(
        _("đánh giá cuối kỳ (Đạt/Chưa đạt)"), max_length=10, blank=True, default="",
        choices=PassRating.choices,
    )  # fmt: skip
    rating = models.CharField(
        _("kết quả (môn đánh giá bằng nhận xét)"), max_length=10, blank=True, default="",
        choices=PassRating.choices,
    )  # fmt: skip
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("điểm môn học")
        verbose_name_plural = _("sổ điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "subject", "term"], name="score_entry_learner_subject_term"
            )
        ]
        indexes = [models.Index(fields=["school_class", "subject", "term"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.subject_id} · {self.term_id}"

    def regular_scores(self) -> list[Decimal | None]:
        return [None if v in (None, "") else Decimal(v) for v in self.regular or []]


class ConductRating(_Edited):
    """Kết quả rèn luyện of a learner in a term, set by the homeroom teacher."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "academics.SchoolClass", verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    learner = models.ForeignKey(
        "learners.Learner", verbose_name=_("học sinh"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        "academics.Term", verbose_name=_("học kỳ"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(
        _("kết quả rèn luyện"), max_length=10, blank=True, default="", choices=Rating.choices
    )
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("kết quả rèn luyện")
        verbose_name_plural = _("kết quả rèn luyện")
        constraints = [
            models.UniqueConstraint(fields=["learner", "term"], name="conduct_learner_term")
        ]
        indexes = [models.Index(fields=["school_class", "term"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.term_id} · {self.level}"


class AbsenceRecord(_Edited):
    """Days a learner was absent in a term (excused or not), entered by the homeroom
    teacher. No record means no day absent."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "academics.SchoolClass", verbose_name=_("lớp"), on_delete=models.PROTECT, related_name="+"
    )
    learner = models.ForeignKey(
        "learners.Learner", verbose_name=_("học sinh"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        "academics.Term", verbose_name=_("học kỳ"), on_delete=models.PROTECT, related_name="+"
    )
    days_excused = models.PositiveSmallIntegerField(_("số ngày nghỉ có phép"), default=0)
    days_unexcused = models.PositiveSmallIntegerField(_("số ngày nghỉ không phép"), default=0)

    class Meta:
        verbose_name = _("số ngày nghỉ học")
        verbose_name_plural = _("số ngày nghỉ học")
        constraints = [
            models.UniqueConstraint(fields=["learner", "term"], name="absence_learner_term")
        ]
        indexes = [models.Index(fields=["school_class", "term"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.term_id} · {self.days_total}"

    @property
    def days_total(self) -> int:
        return self.days_excused + self.days_unexcused


class TermClosure(models.Model):
    """The principal closed a term (khóa sổ học kỳ) for the whole institution
    (``school_class`` empty) or for one class. After that, a change to a score,
    conduct or absences needs a reason and is made by the school's managers."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(
        "academics.Term", verbose_name=_("học kỳ"), on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(
        "academics.SchoolClass",
        verbose_name=_("lớp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("khóa sổ lúc"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khóa sổ"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("khóa sổ học kỳ")
        verbose_name_plural = _("khóa sổ học kỳ")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "term"],
                condition=models.Q(school_class__isnull=True),
                name="term_closure_institution",
            ),
            models.UniqueConstraint(
                fields=["school_class", "term"],
                condition=models.Q(school_class__isnull=False),
                name="term_closure_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.term_id} · {self.school_class_id or '*'}"


class CommentPhrase(models.Model):
    """A comment (nhận xét) a school's teachers pick from the bank and edit: for one
    subject, or for every subject when ``subject`` is empty."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        "academics.Subject",
        verbose_name=_("môn học"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField(_("nội dung nhận xét"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("mẫu nhận xét")
        verbose_name_plural = _("ngân hàng nhận xét")
        ordering = ["text", "id"]
        indexes = [models.Index(fields=["institution", "subject"])]

    def __str__(self) -> str:
        return self.text
