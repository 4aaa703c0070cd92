"""School years and terms, grades, the 2018 curriculum's subjects, classes, assignments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolYear(models.Model):
    """Năm học, e.g. 2025-2026 (September to May/June). Shared by every institution."""

    name = models.CharField(_("năm học"), max_length=9, unique=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    is_current = models.BooleanField(_("năm học hiện tại"), default=False)

    class Meta:
        verbose_name = _("năm học")
        verbose_name_plural = _("năm học")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """Học kỳ I or II of a school year."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("học kỳ"), choices=[(1, "I"), (2, "II")])
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))

    class Meta:
        verbose_name = _("học kỳ")
        verbose_name_plural = _("học kỳ")
        ordering = ["school_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="term_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school_year} HK{'I' * self.number}"


class Grade(models.IntegerChoices):
    """Khối. 0 is preschool (mầm non)."""

    PRESCHOOL = 0, _("Mầm non")
    G1 = 1, _("Khối 1")
    G2 = 2, _("Khối 2")
    G3 = 3, _("Khối 3")
    G4 = 4, _("Khối 4")
    G5 = 5, _("Khối 5")
    G6 = 6, _("Khối 6")
    G7 = 7, _("Khối 7")
    G8 = 8, _("Khối 8")
    G9 = 9, _("Khối 9")
    G10 = 10, _("Khối 10")
    G11 = 11, _("Khối 11")
    G12 = 12, _("Khối 12")


class AssessmentMode(models.TextChoices):
    """How a subject is assessed: this feeds the assessment rule sets."""

    SCORED = "scored", _("Đánh giá bằng nhận xét kết hợp điểm số")
    COMMENT = "comment", _("Đánh giá bằng nhận xét (Đạt/Chưa đạt)")
    PRIMARY_RATING = "primary_rating", _("Tiểu học: mức hoàn thành")
    PRIMARY_RATING_TESTED = "primary_tested", _("Tiểu học: mức hoàn thành và bài kiểm tra")


class Subject(models.Model):
    """A subject or educational activity (môn học, hoạt động giáo dục)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True, default="")
    search_name = models.CharField(max_length=120, editable=False, default="")

    class Meta:
        verbose_name = _("môn học")
        verbose_name_plural = _("môn học")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CurriculumSubject(models.Model):
    """A subject in a grade of a curriculum, with its periods a year and assessment mode."""

    curriculum = models.CharField(_("chương trình"), max_length=20, default="GDPT2018")
    grade = models.PositiveSmallIntegerField(_("khối"), choices=Grade.choices)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="curriculum")
    periods_per_year = models.PositiveSmallIntegerField(_("số tiết/năm"))
    assessment_mode = models.CharField(
        _("hình thức đánh giá"), max_length=20, choices=AssessmentMode.choices
    )
    is_elective = models.BooleanField(_("môn lựa chọn"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("môn học theo khối")
        verbose_name_plural = _("môn học theo khối")
        ordering = ["curriculum", "grade", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "grade", "subject"], name="curriculum_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.grade})"

    @property
    def is_scored(self) -> bool:
        return self.assessment_mode == AssessmentMode.SCORED


class SchoolClass(models.Model):
    """Lớp: a group of learners in one grade of one school year."""

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="classes"
    )
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("khối"), choices=Grade.choices)
    name = models.CharField(_("tên lớp"), max_length=30)
    homeroom_teacher = models.ForeignKey(
        "staff.StaffMember",
        verbose_name=_("giáo viên chủ nhiệm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="homeroom_classes",
    )
    room = models.CharField(_("phòng học"), max_length=30, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp học")
        verbose_name_plural = _("lớp học")
        ordering = ["school_year", "grade", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "school_year", "name"], name="class_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeachingAssignment(models.Model):
    """Phân công chuyên môn: a teacher teaches a subject to a class."""

    institution = models.ForeignKey(
        "units.Institution", on_delete=models.PROTECT, related_name="teaching_assignments"
    )
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="teaching_assignments"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    staff_member = models.ForeignKey(
        "staff.StaffMember", on_delete=models.PROTECT, related_name="teaching_assignments"
    )

    class Meta:
        verbose_name = _("phân công chuyên môn")
        verbose_name_plural = _("phân công chuyên môn")
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject"], name="teaching_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_class} · {self.subject} · {self.staff_member}"
