"""The digital-transformation programme's indicators, computed from a unit's figures
(pure). Each indicator names the figures that may count it (the first one present is
used) and its denominator; without them the value is None ("no data yet")."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from truongso.stats.rules.cells import Figures
from truongso.stats.rules.uis import percent

STAFF_DIMS = ["position", "qualification"]
MANAGERS = ("principal", "vice_principal")


def _sum(figures: Figures, code: str) -> int | Decimal | None:
    cells = figures.get(code)
    if cells is None:
        return None
    return sum(cells.values())


def denominators(figures: Figures, institutions: int) -> dict[str, int]:
    from truongso.stats.rules.cells import by_dimension

    positions = by_dimension(figures.get("staff.by_position", {}), STAFF_DIMS, "position")
    teachers = int(positions.get("teacher", 0))
    managers = int(sum(positions.get(p, 0) for p in MANAGERS))
    return {
        "institutions": institutions,
        "teachers": teachers,
        "teachers_and_managers": teachers + managers,
    }


def programme_values(
    indicators: list[Mapping], figures: Figures, *, institutions: int
) -> list[dict]:
    """One row per indicator: value (percent or None), targets, what it was counted from."""
    bases = denominators(figures, institutions)
    rows = []
    for item in indicators:
        numerator, source = None, ""
        for code in item["numerator"]:
            numerator = _sum(figures, code)
            if numerator is not None:
                source = code
                break
        base_code = item["denominator"]
        base = bases.get(base_code) if base_code in bases else _sum(figures, base_code)
        value = percent(numerator, base) if numerator is not None and base else None
        rows.append({
            "code": item["code"], "label": item["label"], "value": value, "source": source,
            "target_2025": item["target_2025"], "target_2030": item["target_2030"],
            "confirmed": item.get("confirmed", False), "note": item.get("note", ""),
        })  # fmt: skip
    return rows
