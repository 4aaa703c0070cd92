"""The columns of each list, shared by its page and its .xlsx export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

Column = tuple[Any, Callable[[Any], Any]]


def _choice(name: str) -> Callable[[Any], Any]:
    return lambda obj: str(getattr(obj, f"get_{name}_display")())


def _yes(value: bool) -> str:
    return str(_("Có")) if value else str(_("Không"))


COLUMNS: dict[str, list[Column]] = {
    "sites": [
        (_("Tên điểm trường"), lambda o: o.name),
        (_("Điểm chính"), lambda o: _yes(o.is_main)),
        (_("Diện tích đất (m²)"), lambda o: o.land_area_m2),
        (_("Giấy chứng nhận QSDĐ"), lambda o: o.land_use_certificate),
        (_("Ngày cấp"), lambda o: o.certificate_issued_on),
        (_("Địa chỉ"), lambda o: o.address),
    ],
    "buildings": [
        (_("Tên nhà"), lambda o: o.name),
        (_("Điểm trường"), lambda o: o.site.name),
        (_("Số tầng"), lambda o: o.floors),
        (_("Năm xây dựng"), lambda o: o.year_built or ""),
        (_("Kết cấu"), _choice("structure")),
        (_("Tình trạng"), _choice("condition")),
    ],
    "rooms": [
        (_("Tên phòng"), lambda o: o.name),
        (_("Loại phòng"), _choice("room_type")),
        (_("Nhà"), lambda o: o.building.name),
        (_("Tầng"), lambda o: o.floor),
        (_("Diện tích (m²)"), lambda o: o.area_m2),
        (_("Số chỗ"), lambda o: o.capacity),
        (_("Tình trạng"), _choice("condition")),
    ],
    "housing": [
        (_("Tên nhà công vụ"), lambda o: o.name),
        (_("Số phòng ở"), lambda o: o.units),
        (_("Diện tích (m²)"), lambda o: o.area_m2),
        (_("Số giáo viên đang ở"), lambda o: o.occupants),
        (_("Tình trạng"), _choice("condition")),
    ],
    "toilets": [
        (_("Khu vệ sinh"), lambda o: o.name),
        (_("Chỗ cho nữ"), lambda o: o.places_girls),
        (_("Chỗ cho nam"), lambda o: o.places_boys),
        (_("Chỗ cho cán bộ"), lambda o: o.places_staff),
        (_("Chỗ cho người khuyết tật"), lambda o: o.places_accessible),
        (_("Vòi rửa tay"), lambda o: o.handwashing_points),
        (_("Có nước"), lambda o: _yes(o.has_water)),
        (_("Tình trạng"), _choice("condition")),
    ],
    "equipment": [
        (_("Tên thiết bị"), lambda o: o.name),
        (_("Mã theo danh mục"), lambda o: o.list_item_code),
        (_("Phòng"), lambda o: o.room.name if o.room_id else str(_("Kho chung"))),
        (_("Số lượng"), lambda o: o.quantity),
        (_("Tình trạng"), _choice("condition")),
        (_("Năm đưa vào sử dụng"), lambda o: o.year_acquired or ""),
    ],
}

TITLES = {
    "sites": _("Điểm trường, khu đất"),
    "buildings": _("Nhà"),
    "rooms": _("Phòng"),
    "housing": _("Nhà công vụ"),
    "toilets": _("Khu vệ sinh"),
    "equipment": _("Thiết bị"),
}
