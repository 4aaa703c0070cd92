from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.facilities.conftest import HEADER, META, SMALL_LIST
from truongso.audit.models import AuditEntry
from truongso.facilities import selectors
from truongso.facilities.models import EquipmentList, EquipmentListItem, Norm, Room, Utilities
from truongso.facilities.services import (
    EquipmentListError,
    equipment_list_load,
    facility_create,
    facility_delete,
    facility_update,
    norm_update,
    utilities_set,
)
from truongso.units.models import Institution


def _gaps(report):
    return [
        (g.line.code, g.classes, g.required, g.good, g.unusable, g.missing, g.to_repair, g.status)
        for g in report.gaps
    ]


def test_gap_report_against_a_small_minimum_list(world, school_a_equipment):
    report = selectors.school_gap_report(actor=world.principal_a, institution=world.school_a)
    # School A has two classes of grade 6 this year and none of grade 7.
    assert _gaps(report) == [
        ("T6-KHTN", 2, 8, 5, 2, 1, 2, "missing"),
        ("T6-NN", 2, 4, 3, 1, 0, 1, "broken"),
        ("T6-TOAN", 2, 2, 2, 0, 0, 0, "enough"),
    ]
    s = report.summary
    assert (s.lines, s.enough, s.broken, s.missing) == (3, 1, 1, 1)
    assert (s.items_required, s.items_short, s.items_missing, s.items_to_repair) == (14, 4, 1, 3)


def test_school_without_equipment_misses_everything(world, small_list):
    report = selectors.school_gap_report(actor=world.principal_b, institution=world.school_b)
    assert _gaps(report) == [
        ("T6-KHTN", 1, 8, 0, 0, 8, 0, "missing"),
        ("T6-NN", 1, 2, 0, 0, 2, 0, "missing"),
        ("T6-TOAN", 1, 1, 0, 0, 1, 0, "missing"),
    ]
    assert report.summary.items_short == 11


def test_norms_against_the_records(world, school_a_equipment):
    actor, a, building = world.principal_a, world.school_a, school_a_equipment["building"]
    for name, room_type, condition in [("6A1", "classroom", "good"),
                                       ("Cũ", "classroom", "unsafe"),
                                       ("Thư viện", "library", "good")]:  # fmt: skip
        facility_create(actor=actor, kind="rooms", institution=a, fields={
            "building": building, "name": name, "room_type": room_type,
            "condition": condition, "area_m2": "54"})  # fmt: skip
    facility_create(actor=actor, kind="toilets", institution=a, fields={
        "name": "Khu vệ sinh 1", "places_girls": 2, "places_boys": 0,
        "handwashing_points": 3})  # fmt: skip
    report = selectors.school_gap_report(actor=actor, institution=a)
    # 6 learners (3 girls, 3 boys) in 2 classes; the default norms.
    assert [(n.norm.code, n.required, n.available, n.status) for n in report.norms] == [
        ("dien_tich_dat_hs", Decimal("60.0"), Decimal("500.0"), "enough"),
        ("phong_bo_mon", 2, 1, "short"),
        ("phong_hoc_lop", 2, 1, "short"),
        ("phong_tin_hoc", 1, 0, "short"),
        ("rua_tay", 1, 3, "enough"),
        ("thu_vien", 1, 1, "enough"),
        ("ve_sinh_khuyet_tat", 1, 0, "short"),
        ("ve_sinh_nam", 1, 0, "short"),
        ("ve_sinh_nu", 1, 2, "enough"),
    ]
    assert report.norms_short == 5


def test_norm_is_data_an_administrator_changes(world):
    norm = Norm.objects.get(code="ve_sinh_nu")
    with pytest.raises(PermissionDenied):
        norm_update(actor=world.principal_a, norm=norm, fields={"value": Decimal("10")})
    with pytest.raises(PermissionDenied):
        norm_update(actor=world.province_p1, norm=norm, fields={"value": Decimal("10")})
    norm_update(actor=world.ministry, norm=norm, fields={"value": Decimal("2")},
                reason="Văn bản mới")  # fmt: skip
    norm.refresh_from_db()
    assert norm.value == Decimal("2.00")
    entry = AuditEntry.objects.get(action="facilities.norm.update")
    assert (entry.before["value"], entry.after["value"], entry.reason) == (
        "20.00", "2", "Văn bản mới")  # fmt: skip
    facility_create(actor=world.principal_a, kind="toilets", institution=world.school_a,
                    fields={"name": "WC", "places_girls": 1})  # fmt: skip
    report = selectors.school_gap_report(actor=world.principal_a, institution=world.school_a)
    girls = next(n for n in report.norms if n.norm.code == "ve_sinh_nu")
    assert (girls.required, girls.available, girls.status) == (2, 1, "short")


def test_office_rollup_adds_up(world, school_a_equipment):
    p1 = selectors.office_rollup(actor=world.province_p1)
    assert [r.report.institution.pk for r in p1.rows] == [world.school_a.pk, world.school_a2.pk]
    assert p1.schools == 2
    assert p1.summary.items_short == 4
    assert p1.schools_short_equipment == 1
    national = selectors.office_rollup(actor=world.ministry)
    assert [r.report.institution.code for r in national.rows] == [
        "01000001", "79000001", "01000002"]  # fmt: skip
    per_school = [r.report.summary.items_short for r in national.rows]
    assert per_school == [4, 11, 0]
    assert national.summary.items_short == sum(per_school) == 15
    assert national.summary.items_required == 14 + 11
    assert national.summary.items_missing == 1 + 11
    assert national.summary.items_to_repair == 3
    only_p2 = selectors.office_rollup(actor=world.ministry, unit=world.p2)
    assert [r.report.institution.pk for r in only_p2.rows] == [world.school_b.pk]


def test_loading_a_list_with_a_bad_row_reports_it_and_loads_nothing(world):
    rows = [*SMALL_LIST, [*META, "T6-MT", "Giá vẽ", "sáu", "MT", "cái", "1", "class", ""]]
    with pytest.raises(EquipmentListError) as caught:
        equipment_list_load(actor=world.ministry, rows=rows)
    assert caught.value.messages == [
        "Dòng 7: cột “grade”: khối phải là số từ 1 đến 12, không phải “sáu”."
    ]
    assert EquipmentList.objects.count() == 0
    assert EquipmentListItem.objects.count() == 0


def test_reloading_makes_a_new_version_only_when_changed(world, small_list):
    assert [(x.equipment_list.version, x.created, x.items) for x in small_list] == [(1, True, 4)]
    again = equipment_list_load(actor=world.ministry, rows=SMALL_LIST)
    assert [(x.equipment_list.version, x.created) for x in again] == [(1, False)]
    changed = [row if row[0] != "TEST-37" or row[4] != "T6-KHTN" else
               [*META, "T6-KHTN", "Kính hiển vi", "6", "KHTN", "cái", "6", "school", ""]
               for row in SMALL_LIST]  # fmt: skip
    loaded = equipment_list_load(actor=world.ministry, rows=changed)
    assert [(x.equipment_list.version, x.created) for x in loaded] == [(2, True)]
    assert list(EquipmentList.objects.values_list("version", "is_current")) == [
        (2, True), (1, False)]  # fmt: skip
    report = selectors.school_gap_report(actor=world.principal_b, institution=world.school_b)
    assert [g.required for g in report.gaps if g.line.code == "T6-KHTN"] == [6]


def test_only_administrators_load_lists(world):
    with pytest.raises(PermissionDenied):
        equipment_list_load(actor=world.principal_a, rows=SMALL_LIST)
    with pytest.raises(PermissionDenied):
        equipment_list_load(actor=world.province_p1, rows=SMALL_LIST)
    assert HEADER[0] == "list_code"


def test_school_a_cannot_read_or_change_school_b(world, small_list):
    b_site = facility_create(actor=world.principal_b, kind="sites", institution=world.school_b,
                             fields={"name": "Điểm B"})  # fmt: skip
    actor = world.principal_a
    with pytest.raises(Institution.DoesNotExist):
        selectors.facility_school_get(actor=actor, pk=world.school_b.pk)
    with pytest.raises(Institution.DoesNotExist):
        selectors.school_gap_report(actor=actor, institution=world.school_b)
    with pytest.raises(type(b_site).DoesNotExist):
        selectors.facility_get(actor=actor, kind="sites", pk=b_site.pk)
    assert list(selectors.facility_list(actor=actor, kind="sites")) == []
    with pytest.raises(PermissionDenied):
        facility_create(actor=actor, kind="sites", institution=world.school_b,
                        fields={"name": "x"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        facility_update(actor=actor, instance=b_site, fields={"name": "x"})
    with pytest.raises(PermissionDenied):
        facility_delete(actor=actor, instance=b_site)
    with pytest.raises(PermissionDenied):
        utilities_set(actor=actor, institution=world.school_b, fields={"grid_power": True})
    # A's records cannot point at B's.
    with pytest.raises(ValidationError) as caught:
        facility_create(actor=world.principal_a, kind="buildings", institution=world.school_a,
                        fields={"site": b_site, "name": "Nhà"})  # fmt: skip
    assert caught.value.message_dict == {"site": ["Bản ghi được chọn không thuộc trường này."]}
    b_site.refresh_from_db()
    assert b_site.name == "Điểm B"


def test_province_officer_reads_only_their_province_and_writes_nothing(world):
    facility_create(actor=world.principal_b, kind="sites", institution=world.school_b,
                    fields={"name": "Điểm B"})  # fmt: skip
    site_a = facility_create(actor=world.principal_a, kind="sites", institution=world.school_a,
                             fields={"name": "Điểm A"})  # fmt: skip
    officer = world.province_p1
    assert [i.pk for i in selectors.facility_schools(actor=officer)] == [
        world.school_a.pk, world.school_a2.pk]  # fmt: skip
    assert [s.name for s in selectors.facility_list(actor=officer, kind="sites")] == ["Điểm A"]
    with pytest.raises(Institution.DoesNotExist):
        selectors.facility_school_get(actor=officer, pk=world.school_b.pk)
    with pytest.raises(PermissionDenied):
        facility_update(actor=officer, instance=site_a, fields={"name": "x"})
    # Teachers do not manage the school's facilities.
    assert list(selectors.facility_schools(actor=world.teacher_a1_user)) == []


def test_writes_are_audited_and_checked(world):
    actor, a = world.principal_a, world.school_a
    site = facility_create(actor=actor, kind="sites", institution=a, fields={"name": "Điểm A"})
    building = facility_create(actor=actor, kind="buildings", institution=a,
                               fields={"site": site, "name": "Nhà 1", "floors": 2})  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        fields = {"building": building, "floor": 3, "name": "P301", "room_type": "classroom"}
        facility_create(actor=actor, kind="rooms", institution=a, fields=fields)
    assert caught.value.message_dict == {"floor": ["Nhà Nhà 1 chỉ có 2 tầng."]}
    assert Room.objects.count() == 0
    with pytest.raises(ValidationError) as caught:
        facility_create(actor=actor, kind="equipment", institution=a,
                        fields={"list_item_code": "KHONG-CO", "name": ""})  # fmt: skip
    assert "list_item_code" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        facility_delete(actor=actor, instance=site)
    assert "Không xoá được" in caught.value.messages[0]
    facility_update(actor=actor, instance=building, fields={"condition": "needs_repair"},
                    reason="Mái dột")  # fmt: skip
    entry = AuditEntry.objects.get(action="facilities.buildings.update")
    assert (entry.before["condition"], entry.after["condition"], entry.institution_id) == (
        "good", "needs_repair", a.pk)  # fmt: skip
    fields = {"grid_power": True, "internet": True, "internet_mbps": 100, "water_source": "piped"}
    utilities_set(actor=actor, institution=a, fields=fields)
    utilities_set(actor=actor, institution=a, fields={"internet": False})
    u = Utilities.objects.get(institution=a)
    assert (u.grid_power, u.internet, u.internet_mbps, u.water_source) == (
        True, False, None, "piped")  # fmt: skip
    assert AuditEntry.objects.filter(action="facilities.utilities.set").count() == 2
