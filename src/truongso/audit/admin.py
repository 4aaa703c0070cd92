from django.contrib import admin

from truongso.audit.models import AuditEntry
from truongso.web.admin_base import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log is append-only: read-only here too."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "institution_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor__username", "reason")
    date_hierarchy = "at"
    list_select_related = ("actor",)
