from django.contrib import admin

from truongso.attendance.models import AttendanceDay, AttendanceMark
from truongso.web.admin_base import ReadOnlyAdmin


@admin.register(AttendanceMark)
class AttendanceMarkAdmin(ReadOnlyAdmin):
    list_display = ["date", "learner", "school_class", "status"]
    list_filter = ["status"]
    raw_id_fields = ["institution", "learner", "school_class", "recorded_by"]
    date_hierarchy = "date"


@admin.register(AttendanceDay)
class AttendanceDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "school_class", "taken_by", "taken_at"]
    raw_id_fields = ["institution", "school_class", "taken_by"]
    date_hierarchy = "date"
