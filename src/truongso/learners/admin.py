from django.contrib import admin

from truongso.learners.models import EnrolmentEvent, Guardian, IdentifierCounter, Learner
from truongso.web.admin_base import ReadOnlyAdmin


class GuardianInline(admin.TabularInline):
    model = Guardian
    extra = 0
    fields = ("relationship", "full_name", "phone", "email", "user")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EnrolmentEventInline(admin.TabularInline):
    model = EnrolmentEvent
    fk_name = "learner"
    extra = 0
    fields = ("occurred_on", "kind", "institution", "from_class", "to_class", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Learner)
class LearnerAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "education_id", "date_of_birth", "institution", "current_class",
                    "status", "personal_id_status")  # fmt: skip
    list_filter = ("status", "personal_id_status", "sex")
    search_fields = ("search_name", "education_id", "personal_id")
    list_select_related = ("institution", "current_class")
    inlines = [GuardianInline, EnrolmentEventInline]


@admin.register(Guardian)
class GuardianAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "relationship", "learner", "phone")
    search_fields = ("full_name", "phone", "learner__search_name")
    list_select_related = ("learner",)


@admin.register(EnrolmentEvent)
class EnrolmentEventAdmin(ReadOnlyAdmin):
    list_display = ("learner", "kind", "occurred_on", "institution")
    list_filter = ("kind",)
    search_fields = ("learner__search_name", "learner__education_id")
    list_select_related = ("learner", "institution")


@admin.register(IdentifierCounter)
class IdentifierCounterAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "next_value")
