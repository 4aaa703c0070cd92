"""What every page needs: the user's scope and the navigation menu for their roles."""

from __future__ import annotations

import functools

from django.contrib.staticfiles import finders
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from truongso.accounts.access import scope_for


def _menu(user, scope) -> list[dict]:
    items = [("web:home", _("Trang chủ"), "web")]
    school = bool(scope.managed_institution_ids)
    teacher = bool(scope.teacher_institution_ids)
    if scope.is_office:
        items += [
            ("units:browser", _("Đơn vị hành chính"), "units"),
            ("units:institution_list", _("Cơ sở giáo dục"), "units"),
        ]
    if scope.is_office or school or teacher:
        items += [
            ("academics:class_list", _("Lớp học"), "academics"),
            ("learners:list", _("Học sinh"), "learners"),
            ("staff:list", _("Cán bộ, giáo viên"), "staff"),
        ]
    if school and not scope.is_office:
        items.append(("units:institution_list", _("Trường"), "units"))
    if scope.is_office or school or teacher or scope.guardian_learner_ids:
        items.append(("reportcards:home", _("Học bạ"), "reportcards"))
    if scope.is_office or school:
        items.append(("credentials:register", pgettext("menu", "Văn bằng"), "credentials"))
    if (scope.is_office or school) and _vocational_in_scope(user):
        items.append(("vocational:home", _("Giáo dục nghề nghiệp"), "vocational"))
    if scope.is_office or school or scope.homeroom_class_ids or scope.nurse_institution_ids:
        items.append(("health:home", _("Y tế trường học"), "health"))
    if scope.is_office or school:
        items += [
            ("facilities:home", _("Cơ sở vật chất"), "facilities"),
            ("training:home", _("Bồi dưỡng cán bộ"), "training"),
            ("exchange:status", _("Đồng bộ dữ liệu"), "exchange"),
            ("stats:home", _("Báo cáo thống kê"), "stats"),
            ("stats:dashboard", _("Bảng điều hành"), "stats"),
            ("units:map", _("Bản đồ trường"), "units"),
        ]
    if user.is_staff:
        items.append(("admin:index", _("Quản trị"), "admin"))
    menu = []
    for name, label, section in items:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        menu.append({"url": url, "label": label, "section": section})
    return menu


def _vocational_in_scope(user) -> bool:
    """Only where an intermediate school or college is in scope."""
    from truongso.vocational.selectors import vocational_in_scope

    return vocational_in_scope(actor=user)


@functools.cache
def _htmx_available() -> bool:
    """htmx is optional: pages work without it; it is used when scripts/fetch-assets ran."""
    return bool(finders.find("vendor/htmx.min.js"))


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"htmx_available": _htmx_available()}
    scope = scope_for(user)
    match = getattr(request, "resolver_match", None)
    return {
        "htmx_available": _htmx_available(),
        "scope": scope,
        "menu": _menu(user, scope),
        "current_section": match.namespace if match else "",
    }
