"""Vocational programmes (giáo dục nghề nghiệp, Circular 04/2022/TT-BLĐTBXH).

A ``Programme`` (chương trình đào tạo) of an intermediate school or a college is made
of ``Module`` rows (mô-đun, môn học) with credits and hours. A ``Cohort`` (lớp, khóa)
follows one programme; its learners are ``Learner`` rows of the institution. Each
learner takes a module in a semester as a ``ModuleEnrolment``: a retake is a new
enrolment with the next attempt number. The score (10-point) is kept on the
enrolment, with the letter and 4-point value the programme's rule set derived and the
rule-set version that did it. ``DisciplineRecord`` holds the disciplinary decisions
that downgrade a classification.

Every row carries ``institution_id`` (the tenant key).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeLevel(models.TextChoices):
    INTERMEDIATE = "intermediate", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")


class ProgrammeMode(models.TextChoices):
    CREDIT = "credit", _("Theo tín chỉ")
    YEAR = "year", _("Theo niên chế")


class Programme(models.Model):
    """Chương trình đào tạo: a trade (ngành, nghề) taught at one level."""

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="vocational_programmes"
    )
    code = models.CharField(_("mã ngành, nghề"), max_length=20)
    name = models.CharField(_("tên ngành, nghề"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True, default="")
    level = models.CharField(_("trình độ"), max_length=20, choices=ProgrammeLevel.choices)
    mode = models.CharField(_("hình thức tổ chức"), max_length=10, choices=ProgrammeMode.choices)
    rule_set = models.ForeignKey(
        "assessment.RuleSet",
        verbose_name=_("bộ quy tắc đánh giá"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    duration_semesters = models.PositiveSmallIntegerField(_("số học kỳ"))
    required_credits = models.PositiveSmallIntegerField(
        _("số tín chỉ phải tích lũy"),
        help_text=_("Số tín chỉ người học phải đạt để đủ điều kiện tốt nghiệp."),
    )
    is_active = models.BooleanField(_("đang tuyển sinh, đào tạo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chương trình đào tạo")
        verbose_name_plural = _("chương trình đào tạo")
        ordering = ["institution_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code", "level"], name="vocational_programme_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Module(models.Model):
    """Mô-đun or môn học of a programme."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("mã mô-đun, môn học"), max_length=20)
    name = models.CharField(_("tên mô-đun, môn học"), max_length=200)
    credits = models.PositiveSmallIntegerField(_("số tín chỉ"))
    theory_hours = models.PositiveSmallIntegerField(_("số giờ lý thuyết"), default=0)
    practice_hours = models.PositiveSmallIntegerField(_("số giờ thực hành"), default=0)
    semester = models.PositiveSmallIntegerField(_("học kỳ dự kiến"))
    compulsory = models.BooleanField(_("bắt buộc"), default=True)

    class Meta:
        verbose_name = _("mô-đun, môn học")
        verbose_name_plural = _("mô-đun, môn học")
        ordering = ["programme_id", "semester", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="vocational_module_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def hours(self) -> int:
        return self.theory_hours + self.practice_hours


class Cohort(models.Model):
    """Lớp, khóa học: the learners following one programme from one intake."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("tên lớp"), max_length=60)
    start_year = models.PositiveSmallIntegerField(_("năm nhập học"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp đào tạo nghề")
        verbose_name_plural = _("lớp đào tạo nghề")
        ordering = ["programme_id", "-start_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="vocational_cohort_name")
        ]

    def __str__(self) -> str:
        return self.name


class CohortMember(models.Model):
    """A learner of a cohort."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="vocational_memberships"
    )
    joined_on = models.DateField(_("ngày vào lớp"), null=True, blank=True)

    class Meta:
        verbose_name = _("người học của lớp")
        verbose_name_plural = _("người học của lớp")
        ordering = ["cohort_id", "learner__search_name", "learner_id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="vocational_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.learner_id}"


class ModuleEnrolment(models.Model):
    """One attempt of one learner at one module, taken in one semester of the course
    (1 = the first semester). Attempt 1 is the first study; a retake (học lại) is a
    new row with the next attempt number. The score and what the rule set derived
    from it (letter, 4-point value, rule-set version) are kept here."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="module_enrolments"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="enrolments")
    semester = models.PositiveSmallIntegerField(_("học kỳ"))
    attempt = models.PositiveSmallIntegerField(_("lần học"), default=1)
    score = models.DecimalField(
        _("điểm tổng kết"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    letter = models.CharField(_("điểm chữ"), max_length=2, blank=True, default="")
    points = models.DecimalField(
        _("điểm hệ 4"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    rule_set_label = models.CharField(_("bộ quy tắc"), max_length=60, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    scored_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký học mô-đun")
        verbose_name_plural = _("đăng ký học mô-đun")
        ordering = ["learner_id", "semester", "module_id", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "module", "attempt"], name="vocational_enrolment_attempt"
            )
        ]
        indexes = [models.Index(fields=["cohort", "module"])]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.module_id} #{self.attempt}"


class DisciplineLevel(models.TextChoices):
    """Hình thức kỷ luật, lightest first."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    SUSPENSION = "suspension", _("Đình chỉ học tập có thời hạn")
    EXPULSION = "expulsion", _("Buộc thôi học")


# A discipline at these levels is "warning-level or above": it downgrades a Giỏi or
# Xuất sắc classification by one level.
WARNING_LEVELS = (
    DisciplineLevel.WARNING,
    DisciplineLevel.SUSPENSION,
    DisciplineLevel.EXPULSION,
)


class DisciplineRecord(models.Model):
    """A disciplinary decision about a learner of a cohort (quyết định kỷ luật)."""

    institution = models.ForeignKey("units.Institution", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="discipline")
    learner = models.ForeignKey(
        "learners.Learner", on_delete=models.CASCADE, related_name="vocational_discipline"
    )
    level = models.CharField(_("hình thức kỷ luật"), max_length=20, choices=DisciplineLevel.choices)
    decided_on = models.DateField(_("ngày quyết định"))
    reason = models.CharField(_("lý do"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["learner_id", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.level} {self.decided_on}"
