from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from truongso.accounts import services
from truongso.accounts.models import ApiToken, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "unit", "institution", "valid_from", "valid_to")
    raw_id_fields = ("unit", "institution")
    fk_name = "user"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class TruongSoUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "is_staff", "locked_until")
    search_fields = ("username", "full_name", "email")
    readonly_fields = ("failed_sign_ins", "locked_until", "last_login", "date_joined")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Đăng nhập"), {"fields": ("full_name", "failed_sign_ins", "locked_until")}),
    )
    inlines = [RoleAssignmentInline]
    actions = ["unlock"]

    @admin.action(description=_("Mở khóa tài khoản đã chọn"))
    def unlock(self, request, queryset):
        for account in queryset:
            services.account_unlock(actor=request.user, account=account)
        messages.success(request, _("Đã mở khóa %(n)s tài khoản.") % {"n": queryset.count()})


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "institution", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "institution__name", "unit__name")
    raw_id_fields = ("user", "unit", "institution")

    def save_model(self, request, obj, form, change):
        services.role_assignment_save(actor=request.user, assignment=obj)

    def delete_model(self, request, obj):
        services.role_assignment_delete(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.role_assignment_delete(actor=request.user, assignment=obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at")
    search_fields = ("name", "user__username", "key_prefix")
    readonly_fields = ("user", "name", "key_prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
