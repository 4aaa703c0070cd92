import datetime as dt

import pytest

from truongso.units.rules.admin_units_2025 import (
    COUNTRY_KEY,
    MappingError,
    Succession,
    current_key,
    current_specs,
    legacy_key,
    legacy_specs,
    normalise_unit_name,
    successions,
    unit_kind,
)

CURRENT = [
    {"province": "Tỉnh Tuyên Quang", "provinceShort": "Tuyên Quang", "provinceCode": "08",
     "provinceKey": "tinhtuyenquang", "ward": "Phường Hà Giang 1", "wardShort": "Hà Giang 1",
     "wardType": "Phường", "wardCode": "00688", "wardKey": "phuonghagiang1",
     "wardLat": 22.8, "wardLon": 104.98},
    {"province": "Tỉnh Tuyên Quang", "provinceShort": "Tuyên Quang", "provinceCode": "08",
     "provinceKey": "tinhtuyenquang", "ward": "Xã Ngọc Đường", "wardShort": "Ngọc Đường",
     "wardType": "Xã", "wardCode": "00694", "wardKey": "xangocduong"},
]  # fmt: skip
LEGACY = [
    {"province": "Tỉnh Hà Giang", "provinceShort": "Hà Giang", "provinceCode": "02",
     "provinceKey": "tinhhagiang", "district": "Thành Phố Hà Giang", "districtShort": "Hà Giang",
     "districtType": "Thành phố", "districtCode": "024", "districtKey": "thanhphohagiang",
     "ward": "Phường Quang Trung", "wardShort": "Quang Trung", "wardType": "Phường",
     "wardCode": "00688", "wardKey": "phuongquangtrung"},
    {"province": "Tỉnh Hà Giang", "provinceShort": "Hà Giang", "provinceCode": "02",
     "provinceKey": "tinhhagiang", "district": "Thành Phố Hà Giang", "districtShort": "Hà Giang",
     "districtType": "Thành phố", "districtCode": "024", "districtKey": "thanhphohagiang",
     "ward": "Xã Phương Độ", "wardShort": "Phương Độ", "wardType": "Xã",
     "wardCode": "00700", "wardKey": "xaphuongdo"},
]  # fmt: skip
CONVERTER = {
    "DICT_PROVINCE": {"tinhtuyenquang": ["tinhhagiang"]},
    "DICT_PROVINCE_WARD_NO_DIVIDED": {
        "tinhtuyenquang": {"phuonghagiang1": ["tinhhagiang_thanhphohagiang_phuongquangtrung"]}
    },
    "DICT_PROVINCE_WARD_DIVIDED": {
        "tinhtuyenquang": {
            "tinhhagiang_thanhphohagiang_xaphuongdo": [
                {"newWardKey": "phuonghagiang1", "isDefaultNewWard": True},
                {"newWardKey": "xangocduong", "isDefaultNewWard": False},
            ]
        }
    },
}


def test_unit_kind_reads_the_name_first():
    assert unit_kind("Thành phố Hà Nội") == "Thành phố"
    assert unit_kind("Thị Xã Mường Lay") == "Thị xã"
    assert unit_kind("Phường Việt Hòa", "Xã") == "Phường"
    assert unit_kind("Đặc khu Côn Đảo") == "Đặc khu"
    assert unit_kind("Côn Đảo", "Huyện") == "Huyện"
    assert unit_kind("Hoàng Sa") == ""


def test_normalise_unit_name():
    assert normalise_unit_name("Thành Phố  Bắc Kạn") == "Thành phố Bắc Kạn"
    assert normalise_unit_name("Thị Trấn Ái Tử") == "Thị trấn Ái Tử"
    assert normalise_unit_name("Phường 15") == "Phường 15"


def test_specs_are_ordered_parents_first_with_their_parents():
    current = current_specs(CURRENT)
    assert [(s.key, s.parent, s.kind) for s in current] == [
        (current_key("province", "08"), COUNTRY_KEY, "Tỉnh"),
        (current_key("commune", "00688"), current_key("province", "08"), "Phường"),
        (current_key("commune", "00694"), current_key("province", "08"), "Xã"),
    ]
    assert current[1].latitude == 22.8
    legacy = legacy_specs(LEGACY)
    assert [(s.level, s.code, s.name) for s in legacy] == [
        ("province", "02", "Tỉnh Hà Giang"),
        ("district", "024", "Thành phố Hà Giang"),
        ("commune", "00688", "Phường Quang Trung"),
        ("commune", "00700", "Xã Phương Độ"),
    ]
    assert legacy[2].key == ("commune", "00688", None, dt.date(2025, 6, 30))


def test_successions():
    assert successions(CONVERTER, CURRENT, LEGACY) == [
        Succession(legacy_key("province", "02"), current_key("province", "08"), False),
        Succession(legacy_key("commune", "00688"), current_key("commune", "00688"), False),
        Succession(legacy_key("commune", "00700"), current_key("commune", "00688"), True),
        Succession(legacy_key("commune", "00700"), current_key("commune", "00694"), True),
    ]


def test_unknown_key_in_the_converter_is_reported():
    broken = {**CONVERTER, "DICT_PROVINCE": {"tinhtuyenquang": ["tinhhagiangg"]}}
    with pytest.raises(MappingError, match="tinhhagiangg"):
        successions(broken, CURRENT, LEGACY)
