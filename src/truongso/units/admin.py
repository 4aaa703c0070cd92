from django.contrib import admin

from truongso.units.models import AdministrativeUnit, Institution, UnitSuccession
from truongso.web.admin_base import ReadOnlyAdmin


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name", "search_name")
    raw_id_fields = ("parent",)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyAdmin):
    list_display = ("predecessor", "successor", "effective_on", "divided")
    search_fields = ("predecessor__name", "successor__name")
    raw_id_fields = ("predecessor", "successor")


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "ownership", "province", "is_active")
    list_filter = ("kind", "ownership", "is_active")
    search_fields = ("code", "name", "search_name")
    raw_id_fields = ("commune", "managing_unit")
