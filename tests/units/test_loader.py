"""The unit trees and successions loaded from the national list (vietnamadminunits)."""

import datetime as dt

import pytest
from django.db.models import Count

from truongso.core.rules.text import fold
from truongso.units.loader import units_load
from truongso.units.models import AdministrativeUnit, UnitSuccession
from truongso.units.rules.admin_units_2025 import unit_kind

BEFORE = dt.date(2024, 9, 30)
AFTER = dt.date(2025, 9, 30)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load once for the module (committed), and remove everything afterwards so the
    other test modules start from an empty unit table."""
    with django_db_blocker.unblock():
        first = units_load()
        second = units_load()
        yield first, second
        UnitSuccession.objects.all().delete()
        for level in ("commune", "district", "province", "country"):
            AdministrativeUnit.objects.filter(level=level).delete()


@pytest.fixture
def units(loaded, db):
    return loaded


def _kinds(qs):
    return dict(qs.values_list("kind").annotate(n=Count("id")).order_by("kind"))


def test_current_tree_counts(units):
    current = AdministrativeUnit.objects.filter(valid_from=dt.date(2025, 7, 1), valid_to=None)
    assert current.filter(level="province").count() == 34
    assert _kinds(current.filter(level="province")) == {"Thành phố": 6, "Tỉnh": 28}
    assert current.filter(level="commune").count() == 3321
    assert _kinds(current.filter(level="commune")) == {"Phường": 687, "Xã": 2621, "Đặc khu": 13}
    assert current.filter(level="district").count() == 0


def test_legacy_tree_counts(units):
    legacy = AdministrativeUnit.objects.filter(valid_from=None, valid_to=dt.date(2025, 6, 30))
    assert legacy.filter(level="province").count() == 63
    assert legacy.filter(level="district").count() == 696
    assert _kinds(legacy.filter(level="district")) == {
        "Huyện": 508, "Quận": 49, "Thành phố": 87, "Thị xã": 52,
    }  # fmt: skip
    assert legacy.filter(level="commune").count() == 10035
    # By name: the type column calls Thị trấn Ngọc Lặc, Phường 5 and Phường 15 (Phú Nhuận) "Xã".
    assert _kinds(legacy.filter(level="commune")) == {"Phường": 1726, "Thị trấn": 617, "Xã": 7692}
    assert AdministrativeUnit.objects.count() == 1 + 34 + 3321 + 63 + 696 + 10035


def test_in_force_on(units):
    before = AdministrativeUnit.objects.in_force_on(BEFORE)
    after = AdministrativeUnit.objects.in_force_on(AFTER)
    assert before.filter(level="province").count() == 63
    assert after.filter(level="province").count() == 34
    assert before.filter(level="commune").count() == 10035
    assert after.filter(level="commune").count() == 3321
    assert before.filter(level="country").count() == after.filter(level="country").count() == 1


def test_rows_carry_names_kinds_coordinates_and_parents(units):
    country = AdministrativeUnit.objects.get(level="country")
    assert (country.code, country.name, country.valid_from, country.valid_to) == (
        "VN", "Việt Nam", None, None,
    )  # fmt: skip
    hanoi = AdministrativeUnit.objects.in_force_on(AFTER).get(level="province", code="01")
    assert (hanoi.name, hanoi.short_name, hanoi.kind) == ("Thành phố Hà Nội", "Hà Nội", "Thành phố")
    assert hanoi.parent == country
    ba_dinh = AdministrativeUnit.objects.in_force_on(AFTER).get(level="commune", code="00004")
    assert (ba_dinh.name, ba_dinh.kind, ba_dinh.search_name) == (
        "Phường Ba Đình", "Phường", "phuong ba dinh",
    )  # fmt: skip
    assert ba_dinh.parent == hanoi
    assert (ba_dinh.latitude, ba_dinh.longitude) == (21.0386, 105.838)
    truc_bach = AdministrativeUnit.objects.in_force_on(BEFORE).get(level="commune", code="00004")
    assert truc_bach.name == "Phường Trúc Bạch"
    assert truc_bach.parent.name == "Quận Ba Đình"
    assert truc_bach.parent.kind == "Quận"
    assert truc_bach.parent.parent.code == "01"
    assert truc_bach.parent.parent.valid_to == dt.date(2025, 6, 30)


def test_every_path_and_search_name_is_right(units):
    rows = {
        u["id"]: u for u in AdministrativeUnit.objects.values("id", "parent_id", "path", "name",
                                                             "search_name", "level", "kind")
    }  # fmt: skip
    wrong = []
    for row in rows.values():
        parent_path = rows[row["parent_id"]]["path"] if row["parent_id"] else "/"
        if row["path"] != f"{parent_path}{row['id']}/" or row["search_name"] != fold(row["name"]):
            wrong.append(row)
        if row["level"] != "country" and row["kind"] != unit_kind(row["name"]):
            wrong.append(row)
    assert wrong == []


def _successors(level, code):
    unit = AdministrativeUnit.objects.in_force_on(BEFORE).get(level=level, code=code)
    return sorted(
        (s.successor.code, s.successor.name, s.divided)
        for s in unit.successions.select_related("successor")
    )


def test_province_successions(units):
    assert _successors("province", "02") == [("08", "Tỉnh Tuyên Quang", False)]  # Hà Giang
    assert _successors("province", "74") == [("79", "Thành phố Hồ Chí Minh", False)]  # Bình Dương
    assert _successors("province", "77") == [("79", "Thành phố Hồ Chí Minh", False)]  # BR-VT
    assert _successors("province", "06") == [("19", "Tỉnh Thái Nguyên", False)]  # Bắc Kạn
    hcm = AdministrativeUnit.objects.in_force_on(AFTER).get(level="province", code="79")
    assert sorted(hcm.predecessions.values_list("predecessor__name", flat=True)) == [
        "Thành phố Hồ Chí Minh", "Tỉnh Bà Rịa - Vũng Tàu", "Tỉnh Bình Dương",
    ]  # fmt: skip
    provinces = UnitSuccession.objects.filter(predecessor__level="province")
    assert provinces.count() == 63
    assert provinces.values("successor").distinct().count() == 34


def test_commune_successions(units):
    assert _successors("commune", "00001") == [("00097", "Phường Hồng Hà", False)]  # Phúc Xá
    assert _successors("commune", "00004") == [("00004", "Phường Ba Đình", False)]  # Trúc Bạch
    # Nhật Tân was divided between Hồng Hà and Tây Hồ; Đa Kao between Sài Gòn and Tân Định.
    assert _successors("commune", "00094") == [
        ("00097", "Phường Hồng Hà", True), ("00103", "Phường Tây Hồ", True),
    ]  # fmt: skip
    assert _successors("commune", "26737") == [
        ("26737", "Phường Tân Định", True), ("26740", "Phường Sài Gòn", True),
    ]  # fmt: skip
    # The island district of Côn Đảo had no communes; it became a special zone.
    assert _successors("district", "755") == [("26732", "Đặc khu Côn Đảo", False)]
    communes = UnitSuccession.objects.filter(predecessor__level="commune")
    assert communes.filter(divided=False).count() == 9564
    assert communes.filter(divided=True).count() == 1033
    assert communes.filter(divided=True).values("predecessor").distinct().count() == 471
    assert communes.values("predecessor").distinct().count() == 10035
    # The five island special zones come from districts without communes.
    assert communes.values("successor").distinct().count() == 3321 - 5
    assert UnitSuccession.objects.filter(predecessor__level="district").count() == 5
    assert UnitSuccession.objects.count() == 63 + 9564 + 1033 + 5
    assert set(UnitSuccession.objects.values_list("effective_on", flat=True)) == {
        dt.date(2025, 7, 1)
    }


def test_first_load_creates_and_second_changes_nothing(units):
    first, second = units
    assert dict(first.units_created) == {
        "country": 1, "province": 97, "district": 696, "commune": 13356,
    }  # fmt: skip
    assert first.successions_created == 10665
    assert not second.changed
    assert sum(second.units_created.values()) == 0
    assert (second.units_updated, second.paths_set, second.successions_created) == (0, 0, 0)


def test_reload_repairs_a_changed_row_only(units):
    unit = AdministrativeUnit.objects.in_force_on(AFTER).get(level="commune", code="00004")
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name="Sai tên", search_name="x", path="")
    UnitSuccession.objects.filter(predecessor__code="00094", predecessor__level="commune").update(
        divided=False
    )
    report = units_load()
    assert (report.units_updated, report.paths_set, report.successions_updated) == (1, 1, 2)
    assert sum(report.units_created.values()) == report.successions_created == 0
    unit.refresh_from_db()
    assert (unit.name, unit.search_name) == ("Phường Ba Đình", "phuong ba dinh")
    assert unit.path == f"{unit.parent.path}{unit.pk}/"


def test_kind_follows_the_official_name(units):
    current = AdministrativeUnit.objects.in_force_on(AFTER).filter(level="commune")
    assert dict(current.filter(code__in=["10543", "11848"]).values_list("name", "kind")) == {
        "Phường Việt Hòa": "Phường", "Xã Vĩnh Hòa": "Xã",
    }  # fmt: skip
    legacy = AdministrativeUnit.objects.in_force_on(BEFORE)
    assert legacy.get(level="district", code="058").name == "Thành phố Bắc Kạn"
