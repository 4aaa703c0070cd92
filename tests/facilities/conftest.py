import datetime as dt

import pytest

from truongso.facilities.services import equipment_list_load, facility_create

HEADER = ["list_code", "list_name", "legal_source", "effective_on", "item_code", "item_name",
          "grade", "subject", "unit", "quantity", "per", "note"]  # fmt: skip
META = ["TEST-37", "Danh mục thử", "Thông tư 37/2021/TT-BGDĐT", "2022-02-14"]

# A small minimum list: three lines for grade 6, one for grade 7.
SMALL_LIST = [
    ["# Danh mục nhỏ để kiểm thử"],
    HEADER,
    [*META, "T6-TOAN", "Bộ thước vẽ bảng", "6", "TOAN", "bộ", "1", "class", ""],
    [*META, "T6-KHTN", "Kính hiển vi", "6", "KHTN", "cái", "8", "school", "8 nhóm"],
    [*META, "T6-NN", "Loa dạy ngoại ngữ", "6", "NN1", "cái", "2", "lớp", ""],
    [*META, "T7-TOAN", "Mô hình hình học", "7", "TOAN", "bộ", "1", "class", ""],
]


@pytest.fixture
def small_list(world):
    return equipment_list_load(actor=world.ministry, rows=SMALL_LIST, source_file="nho.csv")


@pytest.fixture
def school_a_equipment(world, small_list):
    """School A holds: rulers 2 good; microscopes 5 good + 2 broken; speakers 3 good +
    1 needing repair; and a free-text item outside the list."""
    actor, a = world.principal_a, world.school_a
    site = facility_create(actor=actor, kind="sites", institution=a, fields={
        "name": "Điểm chính", "is_main": True, "land_area_m2": "500"})  # fmt: skip
    building = facility_create(actor=actor, kind="buildings", institution=a, fields={
        "site": site, "name": "Nhà A", "floors": 2, "year_built": 2010})  # fmt: skip
    lab = facility_create(actor=actor, kind="rooms", institution=a, fields={
        "building": building, "floor": 1, "name": "Phòng KHTN", "room_type": "laboratory",
        "area_m2": "60", "capacity": 45})  # fmt: skip
    for code, quantity, condition in [
        ("T6-TOAN", 2, "good"), ("T6-KHTN", 5, "good"), ("T6-KHTN", 2, "broken"),
        ("T6-NN", 3, "good"), ("T6-NN", 1, "needs_repair"),
    ]:  # fmt: skip
        facility_create(actor=actor, kind="equipment", institution=a, fields={
            "room": lab, "list_item_code": code, "name": "", "quantity": quantity,
            "condition": condition, "year_acquired": 2022})  # fmt: skip
    facility_create(actor=actor, kind="equipment", institution=a, fields={
        "room": lab, "name": "Tủ đựng hoá chất", "quantity": 1})  # fmt: skip
    return {"site": site, "building": building, "lab": lab}


def today():
    return dt.date.today()
