"""Read-only admin for import jobs and their problems (imports run from the pages)."""

from django.contrib import admin

from truongso.imports.models import ImportJob, ImportProblem
from truongso.web.admin_base import ReadOnlyAdmin


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "kind", "institution", "status", "created_by", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("original_name", "sha256")
    list_select_related = ("institution", "created_by")


@admin.register(ImportProblem)
class ImportProblemAdmin(ReadOnlyAdmin):
    list_display = ("job", "severity", "sheet", "row", "column", "code")
    list_filter = ("severity", "code")
    list_select_related = ("job",)
    raw_id_fields = ("job", "institution")
