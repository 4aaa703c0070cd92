"""Pure parts of the demo: names, personal numbers, the teaching plan."""

import datetime as dt
import random
from collections import Counter

from truongso.core.rules.personal_id import check_personal_id
from truongso.demo import names
from truongso.demo.names import PersonalIdPlan
from truongso.demo.staffing import ClassSlot, class_subjects, plan_teaching

CURRICULUM = {
    1: [("TV", 420, False), ("TOAN", 105, False), ("DD", 35, False), ("NN1", 140, False)],
    6: [("NV", 140, False), ("TOAN", 140, False), ("GDCD", 35, False)],
    10: [("NV", 105, False), ("VL", 70, True), ("HH", 70, True), ("DL", 70, True),
         ("GDKTPL", 70, True), ("TIN", 70, True)],
}  # fmt: skip


def test_person_names():
    rng = random.Random(1)
    for sex in "MF":
        for _ in range(200):
            family, middle, given = names.person_name(rng, sex).split(" ")
            assert family in names.FAMILY_NAMES
            assert middle in (names.MIDDLE_NAMES_MALE if sex == "M" else names.MIDDLE_NAMES_FEMALE)
            assert given in (names.GIVEN_NAMES_MALE if sex == "M" else names.GIVEN_NAMES_FEMALE)
    assert names.person_name(rng, "M", "08").split(" ")[1] == "A"  # HMông
    assert names.person_name(rng, "F", "08").split(" ")[1] == "Thị"
    assert names.person_name(rng, "M", "02").split(" ")[0] in names.MINORITY_FAMILY_NAMES["02"]
    assert names.person_name(rng, "F", family="Lê").startswith("Lê ")


def test_family_names_follow_their_frequency():
    rng = random.Random(2)
    counts = Counter(names.family_name(rng) for _ in range(20000))
    assert [name for name, _n in counts.most_common(4)] == ["Nguyễn", "Trần", "Lê", "Phạm"]
    share = counts["Nguyễn"] / 20000
    assert 0.36 < share < 0.40


def test_personal_ids_agree_except_the_planned_share():
    rng = random.Random(3)
    plan = PersonalIdPlan({"019": 3, "006": 1}, missing_share=0.03, mismatch_share=0.01)
    outcomes = Counter()
    for _ in range(10000):
        number = names.personal_id(rng, 2013, "F", plan)
        problems = check_personal_id(number, dt.date(2013, 5, 1), "F").problems
        outcomes[problems[0] if problems else "ok"] += 1
        assert number == "" or (len(number) == 12 and number[:3] in ("019", "006"))
    # About 3 % missing and 1 % wrong (half the century-sex digit, half the year).
    assert outcomes == {"ok": 9590, "missing": 311, "century_sex_mismatch": 48,
                        "year_mismatch": 51}  # fmt: skip
    exact = PersonalIdPlan({"001": 1}, missing_share=0, mismatch_share=0)
    assert names.personal_id(rng, 1985, "M", exact)[:6] == "001085"
    assert names.personal_id(rng, 2001, "F", exact)[:6] == "001301"


def test_phones_and_addresses():
    rng = random.Random(4)
    phone = names.mobile_phone(rng)
    assert len(phone) == 10 and phone[:3] in names.MOBILE_PREFIXES
    assert names.street_address(rng, "Xã Tân Cương", "Tỉnh Thái Nguyên", urban=False).startswith(
        "Xóm "
    )
    address = names.street_address(rng, "Phường Gia Sàng", "Tỉnh Thái Nguyên", urban=True)
    assert address.endswith(", Phường Gia Sàng, Tỉnh Thái Nguyên")


def test_class_subjects_choose_a_combination_from_grade_10():
    assert class_subjects(6, 0, CURRICULUM) == [("NV", 140), ("TOAN", 140), ("GDCD", 35)]
    assert [c for c, _p in class_subjects(10, 0, CURRICULUM)] == ["NV", "VL", "HH", "TIN"]
    assert [c for c, _p in class_subjects(10, 1, CURRICULUM)] == ["NV", "DL", "GDKTPL", "TIN"]


def test_teaching_plan():
    classes = [ClassSlot("1A", 1, 0), ClassSlot("6A1", 6, 0), ClassSlot("6A2", 6, 1),
               ClassSlot("6A3", 6, 2), ClassSlot("6A4", 6, 3), ClassSlot("6A5", 6, 4),
               ClassSlot("Lá A", 0, 0)]  # fmt: skip
    plan = plan_teaching(classes, CURRICULUM, reserved=("TOAN", 2))
    by_teacher: dict[int, list] = {}
    for key, code, number in plan.assignments:
        by_teacher.setdefault(number, []).append((key, code))
    # The primary class teacher teaches the core subjects; a specialist teaches English.
    class_teacher = plan.homeroom["1A"]
    assert by_teacher[class_teacher] == [("1A", "TV"), ("1A", "TOAN"), ("1A", "DD")]
    # The reserved maths teacher has exactly the first two classes and leads the first.
    assert by_teacher[plan.reserved_teacher] == [("6A1", "TOAN"), ("6A2", "TOAN")]
    assert plan.homeroom["6A1"] == plan.reserved_teacher
    # Literature, 140 periods a class: four classes fill a teacher's 600 periods.
    literature = Counter(n for _k, code, n in plan.assignments if code == "NV")
    assert sorted(literature.values()) == [1, 4]
    # Civic education, 35 periods: one teacher for all five classes.
    assert len({n for _k, code, n in plan.assignments if code == "GDCD"}) == 1
    # Every class has a subject teacher per subject and its own homeroom teacher.
    per_class = Counter(k for k, _c, _n in plan.assignments)
    assert per_class == {"1A": 4, "6A1": 3, "6A2": 3, "6A3": 3, "6A4": 3, "6A5": 3}
    assert set(plan.homeroom) == {c.key for c in classes}
    assert len(set(plan.homeroom.values())) == len(classes)
    # Two preschool teachers for the group.
    assert [t.level for t in plan.teachers].count("preschool") == 2
