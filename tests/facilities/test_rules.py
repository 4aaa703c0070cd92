from decimal import Decimal

from truongso.facilities.rules.equipment_gaps import (
    BROKEN,
    ENOUGH,
    MISSING,
    Held,
    ListLine,
    equipment_gaps,
    summarise,
)
from truongso.facilities.rules.equipment_list_file import parse_rows
from truongso.facilities.rules.norms import NormSpec, SchoolFacts, is_clean_water, norm_checks


def _line(code, grade, quantity, per):
    return ListLine(code=code, name=code, grade=grade, subject_code="TOAN", unit="bộ",
                    quantity=quantity, per=per)  # fmt: skip


def test_required_per_class_and_per_school_and_status():
    lines = [
        _line("A", 6, 1, "class"),  # 3 classes → 3
        _line("B", 6, 8, "school"),  # → 8
        _line("C", 6, 2, "class"),  # → 6
        _line("D", 7, 1, "class"),  # no class of grade 7: not required
    ]
    held = {"A": Held(good=4), "B": Held(good=5, unusable=2), "C": Held(good=5, unusable=3)}
    gaps = equipment_gaps(lines, {6: 3}, held)
    assert [(g.line.code, g.required, g.shortfall, g.missing, g.to_repair, g.status)
            for g in gaps] == [
        ("A", 3, 0, 0, 0, ENOUGH),
        ("B", 8, 3, 1, 2, MISSING),
        ("C", 6, 1, 0, 1, BROKEN),
    ]  # fmt: skip
    s = summarise(gaps)
    assert (s.lines, s.enough, s.broken, s.missing) == (3, 1, 1, 1)
    assert (s.items_required, s.items_short, s.items_missing, s.items_to_repair) == (17, 4, 1, 3)


def test_norms_round_up_and_apply_by_kind():
    facts = SchoolFacts(classes=10, learners=95, girls=45, boys=50, classrooms=9,
                        places_girls=3, places_boys=1, land_m2=Decimal("900"))  # fmt: skip
    norms = [
        NormSpec("p", "classrooms_per_class", Decimal("1")),
        NormSpec("g", "learners_per_girls_place", Decimal("20")),
        NormSpec("b", "learners_per_boys_place", Decimal("30")),
        NormSpec("l", "land_m2_per_learner", Decimal("10")),
        NormSpec("x", "libraries", Decimal("1"), kinds=("upper_secondary",)),
    ]
    checks = norm_checks(norms, facts, "lower_secondary")
    assert [(c.norm.code, c.required, c.available, c.shortfall, c.status) for c in checks] == [
        ("p", 10, 9, 1, "short"),
        ("g", 3, 3, 0, "enough"),
        ("b", 2, 1, 1, "short"),
        ("l", Decimal("950.0"), Decimal("900"), Decimal("50.0"), "short"),
    ]


def test_clean_water():
    assert is_clean_water("piped", False)
    assert is_clean_water("drilled_well", True)
    assert not is_clean_water("drilled_well", False)
    assert not is_clean_water("surface", True)
    assert not is_clean_water("none", True)


def test_file_rows_with_problems_name_row_and_column():
    rows = [
        ["list_code", "list_name", "legal_source", "effective_on", "item_code", "item_name",
         "grade", "subject", "quantity", "per"],
        ["L", "Danh mục", "TT", "2022-02-14", "X1", "Thước", "6", "TOAN", "1", "class"],
        ["L", "Danh mục", "TT", "14/02/2022", "X2", "Compa", "13", "TOAN", "0", "lop"],
        ["L", "Danh mục khác", "TT", "2022-02-14", "X3", "Êke", "6", "TOAN", "1", "school"],
        ["L", "Danh mục", "TT", "2022-02-14", "X1", "Thước", "6", "TOAN", "1", "tuần"],
    ]  # fmt: skip
    lists, problems = parse_rows(rows)
    assert lists == []
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("bad_grade", 3, "grade", "13"),
        ("bad_quantity", 3, "quantity", "0"),
        ("inconsistent", 4, "list_name", "Danh mục khác"),
        ("bad_per", 5, "per", "tuần"),
    ]


def test_missing_column_is_reported_on_the_header_row():
    lists, problems = parse_rows([["# chú thích"], ["list_code", "item_code"], ["a", "b"]])
    assert lists == []
    assert [(p.code, p.row, p.column) for p in problems][:2] == [
        ("missing_column", 2, "list_name"),
        ("missing_column", 2, "legal_source"),
    ]
