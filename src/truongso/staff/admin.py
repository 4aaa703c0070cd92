from django.contrib import admin

from truongso.staff.models import StaffMember
from truongso.web.admin_base import ReadOnlyAdmin


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "position", "employment_status", "institution", "user")
    list_filter = ("position", "employment_status", "qualification")
    search_fields = ("search_name", "education_id", "personal_id", "user__username")
    list_select_related = ("institution", "user")
