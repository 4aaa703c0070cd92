"""Admin: the register and its keys, read-only. Changes go through the pages and commands
(services: audited, logged, re-published)."""

from django.contrib import admin

from truongso.credentials.models import Checkpoint, IssuerKey, LogEntry
from truongso.web.admin_base import ReadOnlyAdmin


@admin.register(IssuerKey)
class IssuerKeyAdmin(ReadOnlyAdmin):
    list_display = ("key_id", "institution", "valid_from", "valid_to", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("key_id", "institution__name", "institution__code")
    exclude = ("sealed_private_key", "public_key")
    readonly_fields = ("multikey",)
    raw_id_fields = ("institution",)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ("index", "event", "institution", "created_at")
    list_filter = ("event",)


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("size", "root_hash", "created_at")
