"""Demo facilities for the demo schools: land, buildings, rooms, teacher housing,
utilities, toilets and equipment, with realistic gaps (a few classrooms short, some
equipment broken or missing, a school without clean water). The sample minimum
equipment lists are loaded when no list is loaded yet."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from truongso.core.rules.text import fold
from truongso.facilities.models import (
    Building,
    Condition,
    EquipmentCondition,
    EquipmentItem,
    EquipmentList,
    Room,
    RoomType,
    Site,
    TeacherHousing,
    ToiletBlock,
    Utilities,
    WaterSource,
)
from truongso.facilities.rules.equipment_gaps import required_quantity
from truongso.facilities.selectors import current_list_lines

NO_CLASSES = ("vocational_intermediate", "college")


def _ensure_lists() -> None:
    if EquipmentList.objects.exists():
        return
    from truongso.facilities.files import read_rows
    from truongso.facilities.management.commands.facilities import SAMPLE
    from truongso.facilities.services import equipment_list_load

    equipment_list_load(actor=None, rows=read_rows(SAMPLE, SAMPLE.name),
                        source_file=SAMPLE.name)  # fmt: skip


def build(ctx) -> dict[str, int]:
    rng = ctx.rng("facilities")
    _ensure_lists()
    lines = current_list_lines()
    rooms_made = equipment_made = 0
    for index, (school, kind) in enumerate(ctx.schools):
        classes = ctx.classes.get(school.pk, [])
        per_grade: dict[int, int] = {}
        for c in classes:
            per_grade[c.grade] = per_grade.get(c.grade, 0) + 1
        learners = sum(getattr(c, "learner_count", 0) or 0 for c in classes) or 30 * len(classes)
        site = Site.objects.create(
            institution=school, name=_("Điểm trường chính"), is_main=True,
            land_area_m2=Decimal(rng.randrange(3000, 12000, 100)),
            land_use_certificate=f"CS{rng.randrange(10000, 99999)}" if rng.random() < 0.8 else "",
        )  # fmt: skip
        buildings = [
            Building.objects.create(
                institution=school,
                site=site,
                name=_("Nhà %(letter)s") % {"letter": letter},
                floors=rng.choice([2, 3, 3, 4]),
                year_built=rng.randrange(1995, 2022),
                structure=rng.choice(["permanent"] * 4 + ["semi_permanent"]),
                condition=rng.choice(["good"] * 5 + ["needs_repair"]),
            )  # fmt: skip
            for letter in "ABC"[: 1 + min(2, len(classes) // 10)]
        ]
        # Most schools have a classroom per class; every fourth is one or two short.
        classrooms = max(len(classes) - (rng.randint(1, 2) if index % 4 == 3 else 0), 1)
        rooms = []
        for n in range(classrooms):
            building = buildings[n % len(buildings)]
            rooms.append(Room(
                institution=school, building=building, floor=1 + n // 6 % building.floors,
                name=f"P{1 + n // 6 % building.floors}{n % 6 + 1:02d}{building.name[-1]}",
                room_type=RoomType.CLASSROOM, area_m2=Decimal(rng.choice([48, 54, 56])),
                capacity=45,
                condition=rng.choice([Condition.GOOD] * 12 + [Condition.NEEDS_REPAIR]
                                     + ([Condition.UNSAFE] if index % 7 == 6 else [])),
            ))  # fmt: skip
        special = [(RoomType.LIBRARY, _("Thư viện")), (RoomType.ADMINISTRATION, _("Văn phòng")),
                   (RoomType.STAFF_ROOM, _("Phòng giáo viên")),
                   (RoomType.HEALTH_ROOM, _("Phòng y tế"))]  # fmt: skip
        if kind not in ("preschool",) and index % 5 != 4:
            special.append((RoomType.COMPUTER_ROOM, _("Phòng tin học")))
        if kind in ("lower_secondary", "upper_secondary", "multi_level", "continuing"):
            subject_rooms = [(RoomType.LABORATORY, _("Phòng thí nghiệm")),
                             (RoomType.SUBJECT_ROOM, _("Phòng bộ môn Công nghệ")),
                             (RoomType.LANGUAGE_ROOM, _("Phòng ngoại ngữ"))]  # fmt: skip
            special += subject_rooms[: 1 + index % 3]
        if index % 3 == 0:
            special.append((RoomType.MULTIPURPOSE_HALL, _("Nhà đa năng")))
        special.append((RoomType.EQUIPMENT_STORE, _("Kho thiết bị")))
        for room_type, name in special:
            rooms.append(Room(
                institution=school, building=buildings[0], floor=1, name=name,
                room_type=room_type, area_m2=Decimal(rng.choice([48, 60, 72, 90])),
                capacity=0 if room_type == RoomType.EQUIPMENT_STORE else 45,
            ))  # fmt: skip
        rooms = Room.objects.bulk_create(rooms)
        rooms_made += len(rooms)
        if index % 3 == 1:
            TeacherHousing.objects.create(
                institution=school, site=site, name=_("Nhà công vụ"), units=rng.randint(2, 6),
                area_m2=Decimal(rng.choice([60, 90, 120])), occupants=rng.randint(1, 6),
                condition=rng.choice(["good", "needs_repair"]),
            )  # fmt: skip
        water = [WaterSource.PIPED] * 5 + [WaterSource.DRILLED_WELL] * 3 + [WaterSource.DUG_WELL]
        Utilities.objects.create(
            institution=school, grid_power=index % 10 != 9, internet=index % 6 != 5,
            internet_mbps=rng.choice([30, 50, 100, 200]) if index % 6 != 5 else None,
            water_source=WaterSource.RAINWATER if index % 8 == 7 else rng.choice(water),
            water_treated=rng.random() < 0.6,
        )  # fmt: skip
        girls = learners // 2
        ToiletBlock.objects.bulk_create([
            ToiletBlock(
                institution=school, site=site, name=_("Khu vệ sinh %(n)s") % {"n": n + 1},
                places_girls=max(1, girls // (20 if index % 4 else 30) // 2),
                places_boys=max(1, (learners - girls) // 30 // 2), places_staff=2,
                places_accessible=1 if (n == 0 and index % 3 != 2) else 0,
                handwashing_points=max(2, learners // 50 // 2),
            )
            for n in range(2)
        ])  # fmt: skip
        if kind in NO_CLASSES:
            continue
        store = next(r for r in rooms if r.room_type == RoomType.EQUIPMENT_STORE)
        items = []
        for line in lines:
            required = required_quantity(line, per_grade.get(line.grade, 0))
            if required == 0:
                continue
            roll = rng.random()
            if roll < 0.12:
                continue  # missing altogether
            good = required if roll > 0.35 else max(required - rng.randint(1, required), 0)
            broken = rng.randint(1, 3) if roll < 0.25 else 0
            for quantity, condition in ((good, EquipmentCondition.GOOD),
                                        (broken, EquipmentCondition.BROKEN)):  # fmt: skip
                if quantity:
                    items.append(EquipmentItem(
                        institution=school, room=store, list_item_code=line.code,
                        name=line.name, search_name=fold(line.name), quantity=quantity,
                        condition=condition, year_acquired=rng.randrange(2019, 2025),
                    ))  # fmt: skip
        items.append(EquipmentItem(
            institution=school, room=store, name=_("Máy chiếu"), search_name=fold("Máy chiếu"),
            quantity=rng.randint(1, 4), year_acquired=rng.randrange(2015, 2025),
        ))  # fmt: skip
        EquipmentItem.objects.bulk_create(items)
        equipment_made += len(items)
    return {_("Phòng (cơ sở vật chất)"): rooms_made, _("Thiết bị (dòng)"): equipment_made}


def reset(institution_ids: list[int]) -> None:
    for model in (EquipmentItem, ToiletBlock, Utilities, TeacherHousing, Room, Building, Site):
        model.objects.filter(institution_id__in=institution_ids).delete()
