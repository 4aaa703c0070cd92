import datetime as dt

import pytest

from truongso.core.rules.text import fold
from truongso.units.models import AdministrativeUnit
from truongso.units.services import unit_set_path

REFORM = dt.date(2025, 7, 1)
# A few real communes of Thái Nguyên (code, name, short name, kind, latitude, longitude).
COMMUNES = [
    ("05443", "Phường Phan Đình Phùng", "Phan Đình Phùng", "Phường", 21.5887, 105.834),
    ("05482", "Phường Quan Triều", "Quan Triều", "Phường", 21.6301, 105.795),
    ("05503", "Xã Tân Cương", "Tân Cương", "Xã", 21.5194, 105.787),
]


def _unit(code, name, level, parent=None, short="", kind="", lat=None, lon=None):
    unit = AdministrativeUnit.objects.create(
        code=code, name=name, short_name=short, search_name=fold(name), level=level, kind=kind,
        parent=parent, valid_from=None if level == "country" else REFORM, latitude=lat,
        longitude=lon,
    )  # fmt: skip
    unit_set_path(unit)
    unit.save(update_fields=["path"])
    return unit


@pytest.fixture
def thai_nguyen(db):
    """Today's Thái Nguyên with three of its communes (as load_units writes them)."""
    country = _unit("VN", "Việt Nam", "country")
    province = _unit("19", "Tỉnh Thái Nguyên", "province", country, "Thái Nguyên", "Tỉnh")
    communes = [_unit(c, n, "commune", province, s, k, la, lo) for c, n, s, k, la, lo in COMMUNES]
    return province, communes
