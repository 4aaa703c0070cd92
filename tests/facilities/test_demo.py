import datetime as dt

from truongso.academics.models import SchoolClass
from truongso.demo.extensions import DemoContext
from truongso.facilities import demo
from truongso.facilities.models import EquipmentItem, EquipmentList, Room, Site, Utilities
from truongso.facilities.selectors import office_rollup


def _ctx(world):
    schools = [(world.school_a, world.school_a.kind), (world.school_b, world.school_b.kind),
               (world.school_a2, world.school_a2.kind)]  # fmt: skip
    classes = {s.pk: list(SchoolClass.objects.filter(institution=s, school_year=world.year))
               for s, _kind in schools}  # fmt: skip
    return DemoContext(seed=7, today=dt.date.today(), year=world.year, previous_year=None,
                       province=world.p1, schools=schools, classes=classes, staff={},
                       users={})  # fmt: skip


def test_demo_builds_facilities_with_gaps_and_resets(world):
    counts = demo.build(_ctx(world))
    assert set(EquipmentList.objects.values_list("code", flat=True)) == {
        "TT05-2022", "TT37-2021", "TT38-2021"}  # fmt: skip
    assert counts["Phòng (cơ sở vật chất)"] == Room.objects.count() > 0
    assert Utilities.objects.count() == 3
    assert Site.objects.count() == 3
    # School A: two grade-6 classes, so its classrooms and the grade-6 lines are there.
    assert Room.objects.filter(institution=world.school_a, room_type="classroom").count() == 2
    assert EquipmentItem.objects.filter(institution=world.school_a).exists()
    rollup = office_rollup(actor=world.ministry)
    assert rollup.schools == 3
    assert rollup.summary.items_required > 0
    demo.reset([world.school_a.pk, world.school_b.pk, world.school_a2.pk])
    assert Room.objects.count() == Site.objects.count() == EquipmentItem.objects.count() == 0
    assert EquipmentList.objects.count() == 3  # reference data stays
