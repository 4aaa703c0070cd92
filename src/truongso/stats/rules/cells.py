"""Figures as plain data: ``{indicator_code: {cell_key: number}}``.

A cell key joins the values of an indicator's disaggregation with "|" in the order
the catalogue gives ("6|F|01|0"); an indicator without disaggregation has the one
cell "". Empty values are written "-" so that a key never has an empty part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

Number = int | Decimal
Figures = dict[str, dict[str, Number]]

SEPARATOR = "|"


def cell_key(values: Iterable[object]) -> str:
    return SEPARATOR.join(str(v) if v not in (None, "") else "-" for v in values)


def split_key(key: str, dims: list[str]) -> dict[str, str]:
    if not dims:
        return {}
    return dict(zip(dims, key.split(SEPARATOR), strict=False))


def plain(value: Number) -> Number:
    """Whole numbers as int, others as Decimal (JSON keeps int; Decimals go as str)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def to_json(figures: Mapping[str, Mapping[str, Number]]) -> dict:
    return {
        code: {k: (str(v) if isinstance(v, Decimal) else v) for k, v in cells.items()}
        for code, cells in figures.items()
    }


def from_json(data: Mapping[str, Mapping[str, object]]) -> Figures:
    out: Figures = {}
    for code, cells in (data or {}).items():
        out[code] = {
            k: (Decimal(v) if isinstance(v, str) else v)  # type: ignore[misc]
            for k, v in cells.items()
        }
    return out


def add(total: Figures, part: Mapping[str, Mapping[str, Number]], *, skip=frozenset()) -> None:
    """Add ``part`` into ``total`` cell by cell (indicators in ``skip`` are not summed)."""
    for code, cells in part.items():
        if code in skip:
            continue
        target = total.setdefault(code, {})
        for key, value in cells.items():
            target[key] = plain(target.get(key, 0) + value)


def matches(values: Mapping[str, str], wanted: Mapping[str, object]) -> bool:
    """Whether a cell's dimension values pass a layout filter: a value, a list of values,
    or "!x" for anything but x."""
    for dim, want in wanted.items():
        have = values.get(dim)
        if isinstance(want, list):
            if have not in want:
                return False
        elif isinstance(want, str) and want.startswith("!"):
            if have == want[1:]:
                return False
        elif have != str(want):
            return False
    return True


def total(cells: Mapping[str, Number] | None, dims: list[str], **wanted: object) -> Number:
    """The sum of the cells whose dimension values pass ``wanted``."""
    result: Number = 0
    for key, value in (cells or {}).items():
        if matches(split_key(key, dims), wanted):
            result += value
    return plain(result)


def by_dimension(
    cells: Mapping[str, Number] | None, dims: list[str], dim: str
) -> dict[str, Number]:
    """Sums over one dimension: {value of ``dim``: total}."""
    out: dict[str, Number] = {}
    for key, value in (cells or {}).items():
        v = split_key(key, dims).get(dim, "-")
        out[v] = plain(out.get(v, 0) + value)
    return out


def sort_values(values: Iterable[str]) -> list[str]:
    """Numbers in numeric order first (grades, ages), then the rest."""

    def order(v: str):
        return (0, int(v), "") if v.isdigit() else (1, 0, v)

    return sorted(values, key=order)
