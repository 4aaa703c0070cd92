"""Admin: the register and its keys, read-only. Changes go through the pages and commands
(services: audited, logged, re-published)."""

from django.contrib import admin

from truongso.credentials.models import (
    Checkpoint,
    Credential,
    CredentialType,
    IssuanceBatch,
    IssuerKey,
    LogEntry,
    StatusList,
)
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


@admin.register(CredentialType)
class CredentialTypeAdmin(admin.ModelAdmin):
    """Kinds of credential are configuration: the node's operators add and adjust them."""

    list_display = ("code", "name", "kind", "series_code", "bilingual", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "name_en")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ("diploma_number", "holder_name", "institution", "issue_date", "status")
    list_filter = ("status", "credential_type")
    search_fields = ("diploma_number", "search_name", "credential_id")
    exclude = ("document", "qr_text")
    raw_id_fields = ("institution", "learner", "batch", "original", "key")


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyAdmin):
    list_display = ("institution", "year", "purpose", "sequence", "signed_at")
    exclude = ("bits", "document")


@admin.register(IssuanceBatch)
class IssuanceBatchAdmin(ReadOnlyAdmin):
    list_display = ("institution", "credential_type", "issue_date", "state", "created_at")
    list_filter = ("state",)
