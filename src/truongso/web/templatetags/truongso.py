"""Small template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The URL of ``name``, or '' when that page does not exist (yet) in this build."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


ACTION_LABELS = {
    "learner.create": _("Thêm học sinh"),
    "learner.update": _("Sửa hồ sơ học sinh"),
    "learner.transfer": _("Chuyển trường"),
    "learner.change_class": _("Chuyển lớp"),
    "learner.withdraw": _("Thôi học"),
    "learner.drop_out": _("Bỏ học"),
    "learner.readmit": _("Trở lại học"),
    "learner.promote": _("Lên lớp"),
    "learner.repeat": _("Lưu ban"),
    "learner.complete_level": _("Hoàn thành cấp học"),
    "learner.import": _("Nhập từ Excel"),
    "import.commit": _("Ghi dữ liệu từ tệp nhập"),
    "guardian.save": _("Cập nhật phụ huynh"),
    "staff.create": _("Thêm cán bộ, giáo viên"),
    "staff.update": _("Sửa hồ sơ cán bộ, giáo viên"),
    "staff.import": _("Nhập từ Excel"),
    "class.create": _("Tạo lớp"),
    "class.update": _("Sửa lớp"),
    "teaching_assignment.set": _("Phân công giảng dạy"),
    "teaching_assignment.delete": _("Bỏ phân công giảng dạy"),
    "institution.create": _("Thêm cơ sở giáo dục"),
    "institution.update": _("Sửa thông tin cơ sở giáo dục"),
    "institution.oneroster_export": _("Xuất dữ liệu OneRoster"),
    "account.lock": _("Khóa tài khoản do nhập sai mật khẩu"),
    "account.unlock": _("Mở khóa tài khoản"),
    "account.password_change": _("Đổi mật khẩu"),
    "role_assignment.save": _("Phân quyền"),
    "role_assignment.delete": _("Bỏ phân quyền"),
}


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
