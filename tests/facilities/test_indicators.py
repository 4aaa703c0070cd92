import datetime as dt

from django.utils import timezone

from truongso.core.indicators import indicator_sources
from truongso.facilities.services import facility_create, utilities_set


def _by_code():
    return {s.code: s for s in indicator_sources() if s.code.startswith("facilities.")}


def test_figures_are_computed_from_the_records(world, school_a_equipment):
    a, b = world.school_a, world.school_b
    building = school_a_equipment["building"]
    for name in ("6A1", "6A2"):
        facility_create(actor=world.principal_a, kind="rooms", institution=a, fields={
            "building": building, "name": name, "room_type": "classroom"})  # fmt: skip
    facility_create(actor=world.principal_a, kind="toilets", institution=a, fields={
        "name": "WC", "places_girls": 4, "places_boys": 3, "places_staff": 2,
        "places_accessible": 1, "handwashing_points": 6})  # fmt: skip
    fields = {"grid_power": True, "internet": True, "water_source": "piped"}
    utilities_set(actor=world.principal_a, institution=a, fields=fields)
    utilities_set(actor=world.principal_b, institution=b,
                  fields={"grid_power": True, "water_source": "dug_well"})  # fmt: skip
    sources = _by_code()
    ids = [a.pk, b.pk, world.school_a2.pk]
    today = timezone.localdate()

    def value(code):
        return sources[code].compute(ids, today)

    assert value("facilities.classrooms") == {a.pk: 2}
    assert value("facilities.rooms.laboratory") == {a.pk: 1}
    assert value("facilities.schools_clean_water") == {a.pk: 1}
    assert value("facilities.schools_internet") == {a.pk: 1}
    assert value("facilities.schools_grid_power") == {a.pk: 1, b.pk: 1}
    assert value("facilities.toilet_places") == {a.pk: 10}
    assert value("facilities.toilet_places_girls") == {a.pk: 4}
    assert value("facilities.handwashing_points") == {a.pk: 6}
    assert value("facilities.equipment_items_short") == {a.pk: 4, b.pk: 11}
    # Nothing had been recorded before today.
    assert sources["facilities.classrooms"].compute(ids, today - dt.timedelta(days=1)) == {}
