from django.contrib import admin

from truongso.academics.models import (
    CurriculumSubject,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
    Term,
)
from truongso.web.admin_base import ReadOnlyAdmin


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    """Reference data shared by every institution: editable by administrators."""

    list_display = ("name", "starts_on", "ends_on", "is_current")
    inlines = [TermInline]


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    """Loaded from the 2018 curriculum (academics.services.curriculum_load)."""

    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


@admin.register(CurriculumSubject)
class CurriculumSubjectAdmin(ReadOnlyAdmin):
    list_display = ("curriculum", "grade", "subject", "periods_per_year", "assessment_mode")
    list_filter = ("curriculum", "grade", "assessment_mode")


@admin.register(SchoolClass)
class SchoolClassAdmin(ReadOnlyAdmin):
    list_display = ("name", "grade", "school_year", "institution", "homeroom_teacher")
    list_filter = ("school_year", "grade")
    search_fields = ("name", "institution__name")
    list_select_related = ("school_year", "institution", "homeroom_teacher")


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("school_class", "subject", "staff_member", "institution")
    list_select_related = ("school_class", "subject", "staff_member", "institution")
